package org.batterytrace.server.log;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import org.batterytrace.log.NoteKey;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SigningKey;
import org.batterytrace.server.TraceConfig;
import org.batterytrace.server.time.TraceClock;
import org.jboss.logging.Logger;

/**
 * The log's Ed25519 key: it signs checkpoints and key events. Taken from {@code trace.log.signer-key}
 * or, failing that, generated once and kept in the database so every instance and restart agree.
 */
@ApplicationScoped
public class LogSigner {
    @Inject
    TraceClock clock;
    private static final Logger LOG = Logger.getLogger(LogSigner.class);

    @Inject
    TraceConfig config;
    @Inject
    EntityManager em;

    private volatile NoteKey.Signer signer;

    void onStart(@Observes StartupEvent event) {
        signer();
        LOG.infof("transparency log %s, verifier key %s", signer.name(), signer.noteKey().verifierKey());
    }

    public NoteKey.Signer signer() {
        NoteKey.Signer s = signer;
        if (s == null) {
            synchronized (this) {
                if (signer == null) {
                    signer = load();
                }
                s = signer;
            }
        }
        return s;
    }

    public String origin() {
        return signer().name();
    }

    public NoteKey noteKey() {
        return signer().noteKey();
    }

    private NoteKey.Signer load() {
        String origin = config.log().origin();
        if (config.log().signerKey().isPresent() && !config.log().signerKey().get().isBlank()) {
            NoteKey.Signer configured = NoteKey.parseSigner(config.log().signerKey().get().trim());
            if (!configured.name().equals(origin)) {
                throw new IllegalStateException("trace.log.signer-key is for " + configured.name() + " but trace.log.origin is " + origin);
            }
            return configured;
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            String stored = storedKey(origin);
            if (stored == null) {
                NoteKey.Signer fresh = new NoteKey.Signer(origin, SigningKey.generate(SignatureAlgorithm.ED25519));
                em.createNativeQuery("INSERT INTO log_signer (origin, signer_key, created_at) VALUES (?1, ?2, ?3)")
                        .setParameter(1, origin).setParameter(2, fresh.signerKey()).setParameter(3, clock.now()).executeUpdate();
                LOG.infof("generated a new log key for %s and stored it in the database", origin);
                return fresh;
            }
            return NoteKey.parseSigner(stored);
        });
    }

    private String storedKey(String origin) {
        var rows = em.createNativeQuery("SELECT signer_key FROM log_signer WHERE origin = ?1").setParameter(1, origin).getResultList();
        return rows.isEmpty() ? null : rows.get(0).toString();
    }
}

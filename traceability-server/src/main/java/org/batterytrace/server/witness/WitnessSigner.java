package org.batterytrace.server.witness;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import org.batterytrace.log.CosignerKey;
import org.batterytrace.log.NoteKey;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SigningKey;
import org.batterytrace.server.TraceConfig;
import org.batterytrace.server.time.TraceClock;
import org.jboss.logging.Logger;

/**
 * The witness's Ed25519 key: from {@code trace.witness.signer-key} or, failing that, generated once and
 * kept in the database, so restarts and instances sharing the database cosign with one key. Logs and
 * auditors pin its cosigner key (type 0x04), which the start-up log prints.
 */
@ApplicationScoped
public class WitnessSigner {
    @Inject
    TraceClock clock;
    private static final Logger LOG = Logger.getLogger(WitnessSigner.class);

    @Inject
    TraceConfig config;
    @Inject
    EntityManager em;

    private volatile NoteKey.Signer signer;

    void onStart(@Observes StartupEvent event) {
        LOG.infof("witness %s, cosigner key %s", signer().name(), cosignerKey().verifierKey());
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

    public CosignerKey cosignerKey() {
        return CosignerKey.of(signer());
    }

    private NoteKey.Signer load() {
        String name = config.witness().name();
        if (config.witness().signerKey().isPresent() && !config.witness().signerKey().get().isBlank()) {
            NoteKey.Signer configured = CosignerKey.parseSigner(config.witness().signerKey().get().trim());
            if (!configured.name().equals(name)) {
                throw new IllegalStateException("trace.witness.signer-key is for " + configured.name() + " but trace.witness.name is " + name);
            }
            return configured;
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            var rows = em.createNativeQuery("SELECT signer_key FROM witness_signer WHERE name = ?1").setParameter(1, name).getResultList();
            if (!rows.isEmpty()) {
                return CosignerKey.parseSigner(rows.get(0).toString());
            }
            NoteKey.Signer fresh = new NoteKey.Signer(name, SigningKey.generate(SignatureAlgorithm.ED25519));
            em.createNativeQuery("INSERT INTO witness_signer (name, signer_key, created_at) VALUES (?1, ?2, ?3)")
                    .setParameter(1, name).setParameter(2, fresh.signerKey()).setParameter(3, clock.now()).executeUpdate();
            LOG.infof("generated a new witness key for %s and stored it in the database", name);
            return fresh;
        });
    }
}

package org.batterytrace.server.witness;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.batterytrace.log.AddCheckpoint;
import org.batterytrace.log.Checkpoint;
import org.batterytrace.log.Cosignatures;
import org.batterytrace.log.Note;
import org.batterytrace.log.NoteKey;
import org.batterytrace.log.Witness;
import org.batterytrace.record.Hashes;
import org.batterytrace.server.TraceConfig;
import org.batterytrace.server.time.TraceClock;
import org.jboss.logging.Logger;

/**
 * This server as a witness (c2sp.org/tlog-witness): for each configured log it keeps the latest
 * checkpoint it cosigned, and cosigns a new one only when a consistency proof shows that it extends
 * that one. The check and the update happen under a row lock on the log's origin, in one transaction;
 * a refused request rolls back and changes nothing. The rules themselves are {@link Witness}'s.
 */
@ApplicationScoped
public class WitnessService {
    @Inject
    TraceClock clock;
    private static final Logger LOG = Logger.getLogger(WitnessService.class);

    @Inject
    TraceConfig config;
    @Inject
    WitnessSigner signer;
    @Inject
    EntityManager em;

    private volatile Map<String, List<NoteKey>> logs;

    void onStart(@Observes StartupEvent event) {
        for (String origin : logs().keySet()) {
            ensureRow(origin);
        }
        if (!logs().isEmpty()) {
            LOG.infof("witnessing %s", logs().keySet());
        }
    }

    /** The configured logs by origin; a malformed key stops the server at start-up. */
    Map<String, List<NoteKey>> logs() {
        Map<String, List<NoteKey>> known = logs;
        if (known == null) {
            known = new HashMap<>();
            for (String vkey : config.witness().logs().orElse(List.of())) {
                NoteKey key = NoteKey.parse(vkey);
                known.computeIfAbsent(key.name(), o -> new ArrayList<>()).add(key);
            }
            logs = known;
        }
        return known;
    }

    /**
     * Checks and cosigns a checkpoint; returns the response body, one cosignature line. Throws
     * {@link Witness.RefusedException} with the refusal the spec prescribes, having changed nothing.
     */
    public String addCheckpoint(String body) {
        AddCheckpoint request = AddCheckpoint.parse(body);
        Checkpoint checkpoint = Witness.verify(request, origin -> logs().getOrDefault(origin, List.of()));
        String text = Note.parse(request.checkpoint()).text();
        if (witnessed(checkpoint.origin()) == null) {
            ensureRow(checkpoint.origin());
        }
        String line = QuarkusTransaction.requiringNew().call(() -> {
            WitnessedLogEntity row = em.find(WitnessedLogEntity.class, checkpoint.origin(), LockModeType.PESSIMISTIC_WRITE);
            Witness.Witnessed witnessed = row.rootHash == null ? Witness.Witnessed.NONE : new Witness.Witnessed(row.size, Hashes.fromHex(row.rootHash));
            Witness.Witnessed next = Witness.advance(request, checkpoint, witnessed);
            row.size = next.size();
            row.rootHash = Hashes.hex(next.rootHash());
            row.checkpoint = request.checkpoint().length() <= 16_000 ? request.checkpoint() : text;
            row.updatedAt = clock.now();
            return Cosignatures.sign(text, signer.signer(), clock.now().getEpochSecond()).line() + "\n";
        });
        return line;
    }

    /** The witnessed state of a log, for operators and tests. */
    public WitnessedLogEntity witnessed(String origin) {
        return QuarkusTransaction.requiringNew().call(() -> em.find(WitnessedLogEntity.class, origin));
    }

    private void ensureRow(String origin) {
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                if (em.find(WitnessedLogEntity.class, origin) == null) {
                    WitnessedLogEntity row = new WitnessedLogEntity();
                    row.origin = origin;
                    row.size = 0;
                    row.updatedAt = clock.now();
                    em.persist(row);
                }
            });
        } catch (PersistenceException e) {
            // another instance sharing the database created it first
        }
    }
}

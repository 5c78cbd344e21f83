package org.batterytrace.server.log;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import org.batterytrace.log.Checkpoint;
import org.batterytrace.log.SignedNotes;
import org.batterytrace.record.Hashes;

/**
 * Publishes a signed checkpoint whenever the log has grown ({@link CheckpointSchedule} calls it every
 * {@code trace.checkpoint.interval}, and evidence requests when they need a newer one). Instances sharing one
 * database take turns through a row lock on {@code log_state('integrator')}, so each size is signed once.
 */
@ApplicationScoped
public class CheckpointIntegrator {
    @Inject
    EntityManager em;
    @Inject
    TransparencyLog log;
    @Inject
    LogSigner signer;
    @Inject
    MeterRegistry metrics;
    @Inject
    Cosigner cosigner;
    @Inject
    org.batterytrace.server.TraceConfig config;

    /**
     * Signs a checkpoint for the current size if none exists yet and hands it to the witnesses (without
     * waiting for them); returns the latest checkpoint.
     */
    public CheckpointEntity integrate() {
        CheckpointEntity[] signed = new CheckpointEntity[1];
        CheckpointEntity result = QuarkusTransaction.requiringNew().call(() -> {
            em.createNativeQuery("SELECT counter FROM log_state WHERE name = 'integrator' FOR UPDATE").getSingleResult();
            long size = log.size();
            CheckpointEntity latest = CheckpointEntity.latest();
            if (latest != null && latest.size >= size) {
                return latest;
            }
            byte[] root = log.read(size, tree -> tree.root());
            CheckpointEntity checkpoint = new CheckpointEntity();
            checkpoint.size = size;
            checkpoint.rootHash = Hashes.hex(root);
            checkpoint.note = SignedNotes.sign(new Checkpoint(signer.origin(), size, root), signer.origin(), signer.signer().key());
            checkpoint.createdAt = Instant.now();
            checkpoint.persist();
            if (latest != null) {
                recordLatency(latest.size, size);
            }
            signed[0] = checkpoint;
            return checkpoint;
        });
        if (signed[0] != null) {
            cosigner.offer(signed[0].size);
        }
        return result;
    }

    /**
     * The checkpoint the log publishes ({@code /log/checkpoint}, {@code /tlog/checkpoint}). Without witnesses,
     * the newest. With witnesses, the newest that is cosigned or has waited {@code trace.cosigning.publish-wait}
     * for a cosignature, whichever is larger: clients see cosigned checkpoints while a witness answers, and
     * uncosigned ones, at most that much late, when none does.
     */
    public CheckpointEntity published() {
        CheckpointEntity latest = CheckpointEntity.latest();
        if (latest == null || !cosigner.enabled()) {
            return latest;
        }
        CheckpointEntity cosigned = CheckpointEntity.latestCosigned();
        CheckpointEntity waited = CheckpointEntity.newestSignedBy(Instant.now().minus(config.cosigning().publishWait()));
        CheckpointEntity published = cosigned == null || (waited != null && waited.size > cosigned.size) ? waited : cosigned;
        return published == null ? latest : published;
    }

    /**
     * The checkpoint an evidence bundle for entries below {@code needed} proves against: the newest
     * witness-cosigned one covering them, else the newest (signed now if none covers them yet).
     */
    public CheckpointEntity forEvidence(long needed) {
        CheckpointEntity cosigned = cosigner.enabled() ? CheckpointEntity.latestCosigned() : null;
        if (cosigned != null && cosigned.size >= needed) {
            return cosigned;
        }
        CheckpointEntity latest = CheckpointEntity.latest();
        return latest == null || latest.size < needed ? integrate() : latest;
    }

    private void recordLatency(long previousSize, long size) {
        metrics.counter("trace.log.entries.checkpointed").increment(size - previousSize);
    }
}

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

    /** Signs a checkpoint for the current size if none exists yet; returns the latest checkpoint. */
    public CheckpointEntity integrate() {
        return QuarkusTransaction.requiringNew().call(() -> {
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
            return checkpoint;
        });
    }

    private void recordLatency(long previousSize, long size) {
        metrics.counter("trace.log.entries.checkpointed").increment(size - previousSize);
    }
}

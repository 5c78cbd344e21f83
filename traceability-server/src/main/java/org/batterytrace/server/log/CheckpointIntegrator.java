package org.batterytrace.server.log;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.batterytrace.log.Checkpoint;
import org.batterytrace.log.SignedNotes;
import org.batterytrace.log.map.MapCheckpoints;
import org.batterytrace.record.Hashes;
import org.batterytrace.server.TraceConfig;
import org.jboss.logging.Logger;

/**
 * Publishes a signed checkpoint whenever the log has grown, every {@code trace.checkpoint.interval}
 * (a thread of its own: Quarkus' scheduler runs sub-second intervals only once a second). Instances sharing one
 * database take turns through a row lock on {@code log_state('integrator')}, so each size is signed once.
 * <p>
 * The log-derived map is maintained here, off the record-ingest path: before signing size N the
 * integrator applies entries [previous size, N) to the map ({@link LogMapStore}), in the same
 * transaction, and puts the new map root into the note's {@code trace-map/1} line. A map that is far
 * behind (the first start after an upgrade) catches up in steps of at most {@link #MAX_STEP} entries,
 * each signed as a checkpoint of its own size.
 */
@ApplicationScoped
public class CheckpointIntegrator {
    private static final Logger LOG = Logger.getLogger(CheckpointIntegrator.class);

    @Inject
    EntityManager em;
    @Inject
    TransparencyLog log;
    @Inject
    LogSigner signer;
    @Inject
    MeterRegistry metrics;
    @Inject
    LogMapStore map;
    @Inject
    TraceConfig config;

    private ScheduledExecutorService ticker;

    /** Entries applied to the map per checkpoint at most, so that catching up never makes one huge transaction. */
    static final int MAX_STEP = 50_000;

    private volatile boolean maintainMap = true;

    /**
     * Switches map maintenance off (checkpoints without a {@code trace-map/1} line; the map catches up
     * when switched on again). Only for same-run benchmarks of ingest with and without the map.
     */
    public void maintainMap(boolean on) {
        maintainMap = on;
    }

    void start(@Observes StartupEvent event) {
        long every = Math.max(1, config.checkpoint().interval().toMillis());
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "checkpoint-integrator");
            t.setDaemon(true);
            return t;
        });
        // Start to start; a run that takes longer than the interval delays the next, never overlaps it.
        ticker.scheduleAtFixedRate(this::scheduled, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (ticker != null) {
            ticker.shutdown();
            ticker.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    void scheduled() {
        try {
            integrate();
        } catch (RuntimeException e) {
            LOG.warn("checkpoint integration failed; will retry", e);
        }
    }

    /**
     * Brings the map and the checkpoints up to the log's current size; returns the checkpoint of that
     * size (the latest one).
     */
    public CheckpointEntity integrate() {
        while (true) {
            Step step = QuarkusTransaction.requiringNew().call(this::step);
            if (!step.more()) {
                return step.checkpoint();
            }
        }
    }

    private record Step(CheckpointEntity checkpoint, boolean more) {
    }

    private Step step() {
        em.createNativeQuery("SELECT counter FROM log_state WHERE name = 'integrator' FOR UPDATE").getSingleResult();
        long size = log.size();
        CheckpointEntity latest = CheckpointEntity.latest();
        long mapped = map.size();
        if (!maintainMap) {
            if (latest != null && latest.size >= size) {
                return new Step(latest, false);
            }
            return new Step(sign(latest, size, null), false);
        }
        if (mapped >= size && latest != null && latest.size >= size) {
            return new Step(CheckpointEntity.findById(mapped), false);
        }
        long target = Math.min(size, mapped + MAX_STEP);
        byte[] mapRoot = map.advance(mapped, target);
        return new Step(sign(latest, target, mapRoot), target < size);
    }

    /** Signs the checkpoint of {@code size} (with the map line when {@code mapRoot} is given) and stores it. */
    private CheckpointEntity sign(CheckpointEntity latest, long size, byte[] mapRoot) {
        byte[] root = log.read(size, tree -> tree.root());
        Checkpoint body = new Checkpoint(signer.origin(), size, root);
        if (mapRoot != null) {
            body = MapCheckpoints.withMapRoot(body, mapRoot);
        }
        // A size signed before without a map line (before an upgrade, or with the map switched off) is re-signed with it.
        CheckpointEntity checkpoint = CheckpointEntity.findById(size);
        boolean fresh = checkpoint == null;
        if (fresh) {
            checkpoint = new CheckpointEntity();
            checkpoint.size = size;
        }
        checkpoint.rootHash = Hashes.hex(root);
        checkpoint.mapRoot = mapRoot == null ? null : Hashes.hex(mapRoot);
        checkpoint.note = SignedNotes.sign(body, signer.origin(), signer.signer().key());
        checkpoint.createdAt = Instant.now();
        if (fresh) {
            checkpoint.persist();
        }
        if (latest != null && size > latest.size) {
            recordLatency(latest.size, size);
        }
        return checkpoint;
    }

    private void recordLatency(long previousSize, long size) {
        metrics.counter("trace.log.entries.checkpointed").increment(size - previousSize);
    }
}

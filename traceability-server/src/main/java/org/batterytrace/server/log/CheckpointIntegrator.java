package org.batterytrace.server.log;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.batterytrace.log.Checkpoint;
import org.batterytrace.log.SignedNotes;
import org.batterytrace.log.map.MapCheckpoints;
import org.batterytrace.record.Hashes;
import org.batterytrace.server.ScheduledWork;
import org.batterytrace.server.TraceConfig;
import org.batterytrace.server.time.TraceClock;
import org.jboss.logging.Logger;

/**
 * Publishes a signed checkpoint whenever the log has grown ({@link CheckpointSchedule} calls it every
 * {@code trace.checkpoint.interval}, and evidence requests when they need a newer one) and hands each
 * new one to the witnesses ({@link Cosigner}, without waiting for them). Instances sharing one
 * database take turns through a row lock on {@code log_state('integrator')}, so each size is signed once.
 * <p>
 * The log-derived map is maintained here, off the record-ingest path: before signing size N the
 * integrator applies entries [previous size, N) to the map ({@link LogMapStore}) in memory, and puts the
 * new map root into the note's {@code trace-map/1} line, which witnesses then cosign with the rest of the
 * note text (c2sp.org/tlog-cosignature). The changed tiles are stored after the checkpoint, in a
 * transaction of their own, on a thread of their own while the next checkpoints are signed: every
 * {@code trace.checkpoint.map-store-interval} on the schedule (proofs are served from memory meanwhile)
 * or sooner once {@code trace.checkpoint.map-unstored-tiles} are unstored, and at once, waited for, when
 * {@link #integrate()} is called. A map that is far behind
 * (the first start after an upgrade) catches up in steps of at most {@link #MAX_STEP} entries, each
 * signed as a checkpoint of its own size.
 * <p>
 * One integration at a time per instance (a lock), and per database (the row lock, taken by the steps);
 * one store of the map at a time per instance (a lock), and per database (the {@code log_state('map')}
 * row lock, see {@link LogMapStore#store()}).
 */
@ApplicationScoped
public class CheckpointIntegrator {
    @Inject
    TraceClock clock;
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
    Cosigner cosigner;
    @Inject
    TraceConfig config;

    /** Entries applied to the map per checkpoint at most, so that catching up never makes one huge transaction. */
    static final int MAX_STEP = 50_000;

    private static final Logger LOG = Logger.getLogger(CheckpointIntegrator.class);

    private volatile boolean maintainMap = true;
    private final ReentrantLock integrating = new ReentrantLock();
    private final ReentrantLock storing = new ReentrantLock();
    private final AtomicBoolean storeQueued = new AtomicBoolean();
    private final ExecutorService storer = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "map-store");
        thread.setDaemon(true);
        return thread;
    });
    private volatile long storedAtNanos = System.nanoTime();
    private final RepeatedFailureWarning storeFailures = new RepeatedFailureWarning(LOG, "storing the map's tiles failed; retrying on the next round");

    /**
     * Switches map maintenance off (checkpoints without a {@code trace-map/1} line; the map catches up
     * when switched on again). Only for same-run benchmarks of ingest with and without the map.
     */
    public void maintainMap(boolean on) {
        maintainMap = on;
    }

    /**
     * Brings the map and the checkpoints up to the log's current size and offers each checkpoint it signs
     * to the witnesses once committed; returns the checkpoint of that size (the latest one).
     */
    public CheckpointEntity integrate() {
        return integrate(true);
    }

    /**
     * {@link #integrate()}, but unless {@code storeMap} the map's tiles are stored in the background, and
     * only once they have waited {@code map-store-interval}: what the schedule runs, and what evidence
     * needs (proofs are served from the unstored tiles, see {@link LogMapStore#prove}).
     */
    public CheckpointEntity integrate(boolean storeMap) {
        integrating.lock();
        try {
            CheckpointEntity latest;
            while (true) {
                Step step = QuarkusTransaction.requiringNew().call(this::step);
                if (step.signed()) {
                    cosigner.offer(step.checkpoint().size);
                }
                boundUnstoredTiles(config.checkpoint().mapUnstoredTiles());
                if (!step.more()) {
                    latest = step.checkpoint();
                    break;
                }
            }
            if (storeMap) {
                storeMap();
            } else if (map.hasUnstored() && System.nanoTime() - storedAtNanos >= config.checkpoint().mapStoreInterval().toNanos()) {
                storeInBackground();
            }
            return latest;
        } finally {
            integrating.unlock();
        }
    }

    /**
     * The memory bound, {@code trace.checkpoint.map-unstored-tiles}: a store in the background once that
     * many tiles are unstored, and a store waited for at twice as many (the background store fell behind).
     */
    void boundUnstoredTiles(int bound) {
        int unstored = map.unstoredTiles();
        if (unstored >= 2L * bound) {
            storeMap();
        } else if (unstored >= bound) {
            storeInBackground();
        }
    }

    /** Writes the map's unstored tiles in a transaction of its own, after any store under way. */
    private void storeMap() {
        storing.lock();
        try {
            storedAtNanos = System.nanoTime();
            if (map.hasUnstored()) {
                QuarkusTransaction.requiringNew().run(map::store);
            }
        } finally {
            storing.unlock();
        }
    }

    /** {@link #storeMap()} on the store's thread, unless a store is waiting there already. */
    void storeInBackground() {
        if (!storeQueued.compareAndSet(false, true)) {
            return;
        }
        storer.execute(() -> {
            try {
                storeQueued.set(false);
                storeMap();
            } catch (RuntimeException e) {
                storeFailures.failed(e);
            }
        });
    }

    /** At shutdown, after the last checkpoint round: a store under way finishes ({@link ScheduledWork}). */
    @PreDestroy
    void stopStoring() {
        ScheduledWork.stop(storer);
    }

    private record Step(CheckpointEntity checkpoint, boolean signed, boolean more) {
    }

    /** The database's integrator lock, for the rest of the current transaction: one instance at a time. */
    private void lockIntegrator() {
        em.createNativeQuery("SELECT counter FROM log_state WHERE name = 'integrator' FOR UPDATE").getSingleResult();
    }

    private Step step() {
        lockIntegrator();
        long size = log.size();
        CheckpointEntity latest = CheckpointEntity.latest();
        long mapped = map.mappedSize();
        if (!maintainMap) {
            if (latest != null && latest.size >= size) {
                return new Step(latest, false, false);
            }
            return new Step(sign(latest, size, null), true, false);
        }
        if (mapped >= size && latest != null && latest.size >= size) {
            return new Step(CheckpointEntity.findById(mapped), false, false);
        }
        long target = Math.min(size, mapped + MAX_STEP);
        Optional<byte[]> advanced = map.advance(mapped, target);
        if (advanced.isEmpty()) {
            return new Step(latest, false, true); // another instance stored the map meanwhile: again from there
        }
        byte[] mapRoot = advanced.get();
        CheckpointEntity signed = CheckpointEntity.findById(target);
        if (signed != null && signed.mapRoot != null) {
            // Signed already (by an integrator whose tiles were not stored: a crash, or another instance).
            if (!signed.mapRoot.equals(Hashes.hex(mapRoot))) {
                throw new IllegalStateException("the map recomputed at size " + target + " has root " + Hashes.hex(mapRoot)
                        + ", but the checkpoint of that size names " + signed.mapRoot);
            }
            return new Step(signed, false, target < size);
        }
        return new Step(sign(latest, target, mapRoot), true, target < size);
    }

    /** Signs the checkpoint of {@code size} (with the map line when {@code mapRoot} is given) and stores it. */
    private CheckpointEntity sign(CheckpointEntity latest, long size, byte[] mapRoot) {
        byte[] root = log.read(size, tree -> tree.root());
        Checkpoint body = new Checkpoint(signer.origin(), size, root);
        if (mapRoot != null) {
            body = MapCheckpoints.withMapRoot(body, mapRoot);
        }
        // A size signed before without a map line (before an upgrade, or with the map switched off) is re-signed
        // with it. Cosignatures of the old note do not cover the new text and go with it; the integrator offers the
        // size to the witnesses again, who cosign the same tree again (c2sp.org/tlog-witness: same size, same root).
        CheckpointEntity checkpoint = CheckpointEntity.findById(size);
        boolean fresh = checkpoint == null;
        if (fresh) {
            checkpoint = new CheckpointEntity();
            checkpoint.size = size;
        }
        checkpoint.rootHash = Hashes.hex(root);
        checkpoint.mapRoot = mapRoot == null ? null : Hashes.hex(mapRoot);
        checkpoint.note = SignedNotes.sign(body, signer.origin(), signer.signer().key());
        checkpoint.createdAt = clock.now();
        if (fresh) {
            checkpoint.persist();
        }
        if (latest != null && size > latest.size) {
            recordLatency(latest.size, size);
        }
        return checkpoint;
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
        CheckpointEntity waited = CheckpointEntity.newestSignedBy(clock.now().minus(config.cosigning().publishWait()));
        CheckpointEntity published = cosigned == null || (waited != null && waited.size > cosigned.size) ? waited : cosigned;
        return published == null ? latest : published;
    }

    private void recordLatency(long previousSize, long size) {
        metrics.counter("trace.log.entries.checkpointed").increment(size - previousSize);
    }
}

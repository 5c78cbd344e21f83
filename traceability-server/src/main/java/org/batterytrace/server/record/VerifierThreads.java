package org.batterytrace.server.record;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.batterytrace.server.ScheduledWork;

/**
 * The threads that check a bulk request's signatures: one per core, taking the bulks' chunks of records first come,
 * first served.
 * <p>
 * Why not a parallel stream: on the JVM's common pool, shared with everything else that uses it, two bulks arriving
 * together were checked side by side, each on half the cores, and reached the log lock together; one then waited for the
 * other's append. Here the first bulk's checks take every core, it reaches the lock sooner, and the second's checks go on
 * while it appends. Measured against the common pool in the same runs (docs/benchmarks.md): bulk ingest 1.01-1.08 x;
 * single writes beside bulks no different beyond the spread.
 */
@Startup
@ApplicationScoped
public class VerifierThreads {
    /** Records per task: few enough tasks to cost nothing, enough that the cores finish together. */
    private static final int CHUNK = 64;

    private final ExecutorService pool;
    private volatile boolean commonPool;

    public VerifierThreads() {
        AtomicInteger count = new AtomicInteger();
        pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), runnable -> {
            Thread thread = new Thread(runnable, "verifier-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Runs {@code work} for each index below {@code size}, in chunks on these threads; returns when all ran. */
    public void forEach(int size, IntConsumer work) {
        if (commonPool) {
            IntStream.range(0, size).parallel().forEach(work);
            return;
        }
        List<Callable<Void>> tasks = new ArrayList<>((size + CHUNK - 1) / CHUNK);
        for (int from = 0; from < size; from += CHUNK) {
            int start = from;
            int end = Math.min(size, from + CHUNK);
            tasks.add(() -> {
                for (int i = start; i < end; i++) {
                    work.accept(i);
                }
                return null;
            });
        }
        try {
            for (Future<Void> task : pool.invokeAll(tasks)) {
                task.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking signatures", e);
        }
    }

    /** Checks on a parallel stream of the common pool, as before these threads: only for same-run benchmarks of both. */
    public void useCommonPool(boolean on) {
        commonPool = on;
    }

    void stop(@Observes ShutdownEvent event) {
        ScheduledWork.stop(pool);
    }
}

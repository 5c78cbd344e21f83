package org.batterytrace.server.record;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.batterytrace.server.ScheduledWork;
import org.batterytrace.server.TraceConfig;
import org.jboss.logging.Logger;

/**
 * The threads that check a bulk request's signatures, one per core, at a lower CPU priority ({@code nice},
 * {@code trace.records.verifier-nice}) than every other thread of the server.
 * <p>
 * Why: a bulk's checks take every core for as long as they last, and the operating system shares the cores alike
 * between them and the thread appending another bulk under the log lock, the group-commit writer and the HTTP event
 * loops. Every single write then waited for a log transaction stretched five-fold (docs/benchmarks.md). At a lower
 * priority the checks take what the others leave, so the lock is held for its own work's time and a tenant's bulks
 * cannot starve the single writes of others; alone, the checks still take every core.
 */
@Startup
@ApplicationScoped
public class VerifierThreads {
    private static final Logger LOG = Logger.getLogger(VerifierThreads.class);
    /** Records per task: few enough tasks to cost nothing, enough that the cores finish together. */
    private static final int CHUNK = 64;

    private final int threads = Runtime.getRuntime().availableProcessors();
    private final ExecutorService lowered;
    private volatile ExecutorService pool;
    private ExecutorService ordinary;

    @Inject
    public VerifierThreads(TraceConfig config) {
        this(config.records().verifierNice());
    }

    VerifierThreads(int nice) {
        this.lowered = start("verifier", nice);
        this.pool = lowered;
    }

    /** Runs {@code work} for each index below {@code size}, in chunks on these threads; returns when all ran. */
    public void forEach(int size, IntConsumer work) {
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
        List<Future<Void>> done;
        try {
            done = pool.invokeAll(tasks);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking signatures", e);
        }
        for (Future<Void> task : done) {
            try {
                task.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while checking signatures", e);
            }
        }
    }

    /**
     * Whether checks run at the lowered priority (the default) or at the priority of every other thread: switchable
     * at run time only for same-run benchmarks of both (a thread's priority can be lowered, never raised again).
     */
    public synchronized void lowerPriority(boolean on) {
        if (!on && ordinary == null) {
            ordinary = start("verifier-ordinary", 0);
        }
        pool = on ? lowered : ordinary;
    }

    void stop(@Observes ShutdownEvent event) {
        ScheduledWork.stop(lowered);
        synchronized (this) {
            if (ordinary != null) {
                ScheduledWork.stop(ordinary);
            }
        }
    }

    private ExecutorService start(String name, int niceness) {
        AtomicInteger count = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(() -> {
                if (niceness > 0) {
                    lower(niceness);
                }
                runnable.run();
            }, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        // Every thread now, so that none pays the priority change while a request waits.
        List<Callable<Void>> warm = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            warm.add(() -> {
                Thread.sleep(1);
                return null;
            });
        }
        try {
            executor.invokeAll(warm, 10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return executor;
    }

    private static volatile boolean warned;

    /**
     * Lowers the calling thread's priority by {@code renice} on its Linux thread id (Java 17 offers no call for it); anywhere
     * else, or if that fails, the thread keeps the ordinary priority and the server logs one warning.
     */
    static void lower(int niceness) {
        try {
            Path self = Files.readSymbolicLink(Path.of("/proc/thread-self"));
            String threadId = self.getFileName().toString();
            int target = Math.min(19, currentNiceness() + niceness);
            Process renice = new ProcessBuilder("renice", "-n", Integer.toString(target), "-p", threadId).redirectErrorStream(true).start();
            String output = new String(renice.getInputStream().readAllBytes());
            if (!renice.waitFor(5, TimeUnit.SECONDS) || renice.exitValue() != 0) {
                warnOnce("renice answered: " + output.strip());
            }
        } catch (IOException | RuntimeException e) {
            warnOnce(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void warnOnce(String why) {
        if (!warned) {
            warned = true;
            LOG.warnf("Signature checks of bulk requests run at the ordinary CPU priority (%s): beside bulks, single writes wait longer", why);
        }
    }

    /** The calling thread's niceness as Linux reports it (field 19 of its stat line); for tests. */
    static int currentNiceness() throws IOException {
        String stat = Files.readString(Path.of("/proc/thread-self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[16]);
    }
}

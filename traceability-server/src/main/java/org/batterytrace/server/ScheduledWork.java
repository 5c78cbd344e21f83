package org.batterytrace.server;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Background work that stops cleanly when the server stops ({@code SIGTERM}). Cut short, a run's
 * transaction fails on the closing connection pool and logs an error with a stack trace, and on H2 an
 * interrupt during a file read or write closes the database file. So the run under way finishes first,
 * for at most {@link #GRACE}: for jobs on the Quarkus scheduler, which does not wait for them, each run
 * goes through {@link #run} and the job's {@code ShutdownEvent} observer calls {@link #stop()}; the
 * server's own threads stop through {@link #stop(ExecutorService)}.
 */
public final class ScheduledWork {
    /** The longest a stop waits for a run under way. */
    public static final Duration GRACE = Duration.ofSeconds(10);

    private final ReentrantLock running = new ReentrantLock();
    private volatile boolean stopped;

    /** Runs {@code work} now, unless the server is stopping. */
    public void run(Runnable work) {
        running.lock();
        try {
            if (!stopped) {
                work.run();
            }
        } finally {
            running.unlock();
        }
    }

    /** No run starts any more; waits up to {@link #GRACE} for the one under way. */
    public void stop() {
        stopped = true;
        try {
            if (running.tryLock(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                running.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops an executor of the server's own: no new work, the work under way may finish within {@link #GRACE},
     * and is interrupted after that (what it wrote rolls back; the next start redoes it). Whether it ended in time.
     */
    public static boolean stop(ExecutorService executor) {
        return stop(executor, GRACE);
    }

    static boolean stop(ExecutorService executor, Duration grace) {
        executor.shutdown();
        try {
            if (executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
        return false;
    }
}

package org.batterytrace.server.log;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Stopping the log's background threads (checkpoints, map stores) at shutdown. Interrupting a round in
 * the middle fails its transaction while the container and the connection pool are going away: stack
 * traces on every stop, and H2 closes its database file when a thread is interrupted in the middle of a
 * read or write. So the round under way finishes first; a round still running after {@code grace} is
 * interrupted (what it wrote is rolled back, and the next start redoes it).
 */
final class BackgroundThreads {
    private BackgroundThreads() {
    }

    /** Takes no new work, waits up to {@code grace} for the work under way; returns whether it ended in time. */
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

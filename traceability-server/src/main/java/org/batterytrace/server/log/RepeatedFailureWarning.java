package org.batterytrace.server.log;

import java.util.concurrent.TimeUnit;
import org.batterytrace.server.problem.DatabaseOutage;
import org.jboss.logging.Logger;

/**
 * A warning for work that is retried on a schedule: while the database is down every attempt fails, and
 * the log says so once every 10 s, not at every attempt.
 */
final class RepeatedFailureWarning {
    private static final long EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Logger log;
    private final String what;
    private long lastNanos = System.nanoTime() - 2 * EVERY_NANOS;

    /** {@code what}: the failure and what follows it, e.g. "checkpoint integration failed; retrying every round". */
    RepeatedFailureWarning(Logger log, String what) {
        this.log = log;
        this.what = what;
    }

    synchronized void failed(RuntimeException e) {
        if (System.nanoTime() - lastNanos > EVERY_NANOS) {
            lastNanos = System.nanoTime();
            log.warnf("%s: %s", what, DatabaseOutage.summary(e));
        }
    }
}

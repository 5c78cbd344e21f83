package org.batterytrace.server.problem;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

/**
 * Tells a database that is down or restarting from a fault of ours: clients get 503 with
 * {@code Retry-After} and retry (safely: identical resubmissions return their first acknowledgement),
 * instead of a 500 that reads like a bug.
 */
public final class DatabaseOutage {
    /** Seconds a client should wait: a restarting PostgreSQL is usually back within a few. */
    static final int RETRY_AFTER_SECONDS = 5;

    private DatabaseOutage() {
    }

    public static boolean causes(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof org.hibernate.exception.JDBCConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && (unavailable(sql.getSQLState()) || String.valueOf(sql.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("acquisition timeout"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * SQLSTATE class 08 (connection exception), 57P01-57P03 (PostgreSQL shutting down, cannot connect
     * now), 53300 (too many connections); H2's 90067 (connection broken), 90098 (database closed),
     * 90121 (called at shutdown).
     */
    private static boolean unavailable(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("57P") || state.equals("53300")
                || state.equals("90067") || state.equals("90098") || state.equals("90121"));
    }

    /**
     * One line for the server log: the root cause, shortened. Database messages can carry a whole batch
     * of SQL with its values (a failed 500-record bulk is 13 kB of it), which belongs in no log line.
     */
    public static String summary(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = String.valueOf(root.getMessage()).replace('\n', ' ');
        String state = root instanceof SQLException sql && sql.getSQLState() != null ? " [SQLSTATE " + sql.getSQLState() + "]" : "";
        return root.getClass().getSimpleName() + state + ": " + (message.length() > 300 ? message.substring(0, 300) + "… (" + message.length() + " characters)" : message);
    }

    /** Whether a failure came from the database (its message may hold SQL and values). */
    static boolean fromDatabase(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException) {
                return true;
            }
        }
        return false;
    }

    static ProblemException problem() {
        return new ProblemException(ProblemKind.DATABASE_UNAVAILABLE, "the database is unavailable; retry after a few seconds (an identical resubmission is answered with its first acknowledgement)", null)
                .retryAfter(RETRY_AFTER_SECONDS);
    }
}

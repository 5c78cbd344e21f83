package org.batterytrace.server.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * What PostgreSQL did during a benchmark phase: write counters (write-ahead log, row inserts and updates
 * of the tables the log writes most) and, with {@code -Dbench.pgStatements=true} (the embedded server then
 * loads {@code pg_stat_statements}), each statement's planning and execution time per unit of work.
 */
final class PostgresStatistics {
    private final DataSource dataSource;

    PostgresStatistics(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    static boolean statementsEnabled() {
        return Boolean.getBoolean("bench.pgStatements");
    }

    /** Starts the per-statement statistics afresh (when enabled). */
    void resetStatements() {
        if (statementsEnabled()) {
            run(s -> {
                s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
                s.execute("SELECT pg_stat_statements_reset()");
                return null;
            });
        }
    }

    /** The statements that took the database's time since {@link #resetStatements}, per {@code unit}; empty when not enabled. */
    List<String> statementReport(double units, String unit) {
        if (!statementsEnabled()) {
            return List.of();
        }
        return run(s -> {
            List<String> lines = new ArrayList<>();
            // A COPY's execution time runs while the client sends its rows: wall time, not the server's CPU alone.
            lines.add("database statements, µs per " + unit + " (planning + execution, COPY's with the client's sending), calls, rows per call:");
            // Multi-row INSERTs (the Merkle tree's node rows) differ only in how many rows they name: one line for all of them.
            try (ResultSet rs = s.executeQuery("SELECT sum(total_plan_time), sum(total_exec_time), sum(calls), sum(rows), statement FROM ("
                    + "SELECT total_plan_time, total_exec_time, calls, rows,"
                    + " left(regexp_replace(regexp_replace(query, ' VALUES \\(\\$.*', ' VALUES (…) × n'), '\\s+', ' ', 'g'), 110) AS statement"
                    + " FROM pg_stat_statements) s GROUP BY statement ORDER BY sum(total_plan_time) + sum(total_exec_time) DESC LIMIT 14")) {
                while (rs.next()) {
                    lines.add(String.format("  %6.2f + %6.2f  %6d  %8.1f  %s", rs.getDouble(1) * 1000 / units, rs.getDouble(2) * 1000 / units, rs.getLong(3),
                            rs.getLong(4) / (double) Math.max(1, rs.getLong(3)), rs.getString(5)));
                }
            }
            return lines;
        });
    }

    /** Cumulative write counters: write-ahead log bytes and full-page images, row writes of {@code map_tile} and {@code battery}. */
    Map<String, Long> counters() {
        return run(s -> {
            Map<String, Long> counters = new TreeMap<>();
            s.execute("SELECT pg_stat_force_next_flush()");
            try (ResultSet rs = s.executeQuery("SELECT wal_bytes, wal_fpi FROM pg_stat_wal")) {
                rs.next();
                counters.put("wal-bytes", rs.getLong(1));
                counters.put("wal-full-pages", rs.getLong(2));
            }
            try (ResultSet rs = s.executeQuery("SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE relname IN ('map_tile', 'battery')")) {
                while (rs.next()) {
                    counters.put(rs.getString(1) + "-inserts", rs.getLong(2));
                    counters.put(rs.getString(1) + "-updates", rs.getLong(3));
                    counters.put(rs.getString(1) + "-hot-updates", rs.getLong(4));
                }
            }
            return counters;
        });
    }

    /**
     * The automatic vacuums and analyses PostgreSQL finished since {@code since} (its clock: {@link #now()}), each as
     * table, kind and seconds after {@code since}: whether they ran during a phase, and when.
     */
    String autovacuumsSince(java.sql.Timestamp since) {
        return run(s -> {
            StringBuilder out = new StringBuilder();
            try (java.sql.PreparedStatement query = s.getConnection().prepareStatement(
                    "SELECT relname, 'vacuum', extract(epoch FROM last_autovacuum - ?::timestamptz) FROM pg_stat_user_tables WHERE last_autovacuum > ?::timestamptz"
                            + " UNION ALL SELECT relname, 'analyze', extract(epoch FROM last_autoanalyze - ?::timestamptz) FROM pg_stat_user_tables WHERE last_autoanalyze > ?::timestamptz"
                            + " ORDER BY 3")) {
                for (int i = 1; i <= 4; i++) {
                    query.setObject(i, since.toInstant().atOffset(java.time.ZoneOffset.UTC));
                }
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        out.append(String.format(" %s %s ended at +%.1f s;", rs.getString(1), rs.getString(2), rs.getDouble(3)));
                    }
                }
            }
            return out.length() == 0 ? " none" : out.toString();
        });
    }

    /**
     * {@code VACUUM (ANALYZE)} of the whole database now; the milliseconds it took. A timed phase that starts after it
     * does not meet the automatic vacuums the phases before it made due (their thresholds start afresh).
     */
    long vacuumNow() {
        return run(s -> {
            long start = System.nanoTime();
            s.execute("VACUUM (ANALYZE)");
            return (System.nanoTime() - start) / 1_000_000;
        });
    }

    /** PostgreSQL's clock now. */
    java.sql.Timestamp now() {
        return run(s -> {
            try (ResultSet rs = s.executeQuery("SELECT now()")) {
                rs.next();
                return rs.getTimestamp(1);
            }
        });
    }

    private interface Work<T> {
        T apply(Statement statement) throws SQLException;
    }

    private <T> T run(Work<T> work) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            return work.apply(s);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

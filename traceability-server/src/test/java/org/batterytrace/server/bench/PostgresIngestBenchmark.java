package org.batterytrace.server.bench;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.batterytrace.server.postgres.PostgresProfile;

@QuarkusTest
@TestProfile(PostgresProfile.class)
class PostgresIngestBenchmark extends IngestBenchmark {
    @Override
    protected String database() {
        return "embedded PostgreSQL 18";
    }

    @jakarta.inject.Inject
    javax.sql.DataSource dataSource;

    @Override
    protected void resetStatementStatistics() {
        if (Boolean.getBoolean("bench.pgStatements")) {
            try (java.sql.Connection c = dataSource.getConnection(); java.sql.Statement s = c.createStatement()) {
                s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
                s.execute("SELECT pg_stat_statements_reset()");
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    protected java.util.List<String> statementReport(double records) {
        if (!Boolean.getBoolean("bench.pgStatements")) {
            return java.util.List.of();
        }
        java.util.List<String> lines = new java.util.ArrayList<>();
        lines.add("database statements, µs per record (planning + execution), calls, rows per call:");
        try (java.sql.Connection c = dataSource.getConnection(); java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT total_plan_time, total_exec_time, calls, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 110)"
                     + " FROM pg_stat_statements ORDER BY total_plan_time + total_exec_time DESC LIMIT 14")) {
            while (rs.next()) {
                lines.add(String.format("  %6.2f + %6.2f  %6d  %8.1f  %s", rs.getDouble(1) * 1000 / records, rs.getDouble(2) * 1000 / records, rs.getLong(3),
                        rs.getLong(4) / (double) Math.max(1, rs.getLong(3)), rs.getString(5)));
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return lines;
    }

    @Override
    protected java.util.Map<String, Long> databaseCounters() {
        java.util.Map<String, Long> counters = new java.util.TreeMap<>();
        try (java.sql.Connection c = dataSource.getConnection(); java.sql.Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_force_next_flush()");
            try (java.sql.ResultSet rs = s.executeQuery("SELECT wal_bytes, wal_fpi FROM pg_stat_wal")) {
                rs.next();
                counters.put("wal-bytes", rs.getLong(1));
                counters.put("wal-full-pages", rs.getLong(2));
            }
            try (java.sql.ResultSet rs = s.executeQuery("SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables"
                    + " WHERE relname IN ('map_tile', 'battery')")) {
                while (rs.next()) {
                    counters.put(rs.getString(1) + "-inserts", rs.getLong(2));
                    counters.put(rs.getString(1) + "-updates", rs.getLong(3));
                    counters.put(rs.getString(1) + "-hot-updates", rs.getLong(4));
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return counters;
    }
}

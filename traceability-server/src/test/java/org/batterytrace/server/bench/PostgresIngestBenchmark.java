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

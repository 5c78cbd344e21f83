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
        new PostgresStatistics(dataSource).resetStatements();
    }

    @Override
    protected java.util.List<String> statementReport(double records) {
        return new PostgresStatistics(dataSource).statementReport(records, "record");
    }

    @Override
    protected java.util.Map<String, Long> databaseCounters() {
        return new PostgresStatistics(dataSource).counters();
    }
}

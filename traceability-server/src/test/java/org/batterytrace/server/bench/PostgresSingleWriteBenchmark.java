package org.batterytrace.server.bench;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.batterytrace.server.postgres.PostgresProfile;

@QuarkusTest
@TestProfile(PostgresProfile.class)
class PostgresSingleWriteBenchmark extends SingleWriteBenchmark {
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
    protected java.util.List<String> statementReport(double requests) {
        return new PostgresStatistics(dataSource).statementReport(requests, "request");
    }
}

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

    @Override
    protected boolean onPostgres() {
        return true;
    }
}

package org.batterytrace.server.bench;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class H2IngestBenchmark extends IngestBenchmark {
    @Override
    protected String database() {
        return "H2 (in-memory test database)";
    }
}

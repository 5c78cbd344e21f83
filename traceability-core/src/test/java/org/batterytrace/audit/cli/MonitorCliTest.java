package org.batterytrace.audit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.batterytrace.log.NoteKey;
import org.batterytrace.log.Tile;
import org.batterytrace.monitor.MonitorTest.FakeLog;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SigningKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code monitor} over HTTP against a small tiled log: exit codes, the state file, a fork alarm. */
class MonitorCliTest {
    @TempDir
    Path dir;

    final NoteKey.Signer key = new NoteKey.Signer("trace.example/log", SigningKey.generate(SignatureAlgorithm.ED25519));
    FakeLog log = new FakeLog(key);
    HttpServer server;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/tlog/", exchange -> {
            String path = exchange.getRequestURI().getPath().substring("/tlog/".length());
            byte[] body;
            int status = 200;
            try {
                body = path.equals("checkpoint") ? log.checkpoint().getBytes(StandardCharsets.UTF_8) : log.tile(Tile.parse(path));
            } catch (IOException | IllegalArgumentException e) {
                status = 404;
                body = e.getMessage().getBytes(StandardCharsets.UTF_8);
            }
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    int monitor(ByteArrayOutputStream out) {
        return MonitorCommand.run(new String[] {"monitor", "--log", "http://127.0.0.1:" + server.getAddress().getPort() + "/tlog/", "--log-key",
                key.noteKey().verifierKey(), "--state", dir.resolve("state.json").toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true), Clock.systemUTC());
    }

    @Test
    void followsAGrowingLogAndAlarmsOnAFork() throws IOException {
        log.grow("leaf-", 500);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, monitor(out), out.toString());
        log.grow("leaf-", 100);
        assertEquals(0, monitor(out), out.toString());
        assertTrue(out.toString().contains("consistent  with size 500"), out.toString());

        FakeLog fork = new FakeLog(key);
        fork.grow("leaf-", 550);
        fork.grow("forked-", 100);
        log = fork;
        ByteArrayOutputStream alarm = new ByteArrayOutputStream();
        assertEquals(1, monitor(alarm));
        assertTrue(alarm.toString().contains("RESULT: ALARM FORK"), alarm.toString());
        assertTrue(Files.readString(dir.resolve("state.json")).contains("\"kind\" : \"FORK\""));
        assertEquals(1, monitor(new ByteArrayOutputStream()), "the alarm stands");

        server.stop(0);
        Files.delete(dir.resolve("state.json"));
        assertEquals(2, monitor(new ByteArrayOutputStream()), "an unreachable log is not a verdict");
        assertTrue(Files.notExists(dir.resolve("state.json")));
        assertEquals(2, MonitorCommand.run(new String[] {"monitor", "--log", "x"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()), Clock.systemUTC()));
    }
}

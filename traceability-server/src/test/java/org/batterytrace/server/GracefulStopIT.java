package org.batterytrace.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.server.Platform.Org;
import org.junit.jupiter.api.Test;

/**
 * A stop during writes (a rolling deploy's {@code SIGTERM}) answers every request it has taken: what
 * was under way when the stop came is finished and acknowledged, what arrives later is refused with
 * {@code 503}, {@code Retry-After} and a problem body, and nothing is left without an answer. The threat
 * is an ordinary one: clients that see a reset connection cannot tell whether their bulk was logged, and
 * every deploy would show up in every enterprise's error logs.
 */
class GracefulStopIT {
    private static final int BULKS = 6;
    private static final int BULK_SIZE = 1_000; // six of them: seconds of work on 2 cores, well within the 10 s a stop waits

    @Test
    void aStopOnH2AnswersEveryRequestItTook() throws Exception {
        try (ServerProcess server = new ServerProcess(ServerProcess.freshDirectory("graceful-stop-it"))) {
            stopDuringWrites(server);
        }
    }

    @Test
    void aStopOnPostgreSqlAnswersEveryRequestItTook() throws Exception {
        Path data = ServerProcess.freshDirectory("graceful-stop-postgresql-it");
        try (EmbeddedPostgres postgres = ServerProcess.embeddedPostgres(data)) {
            String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
            try (ServerProcess server = ServerProcess.postgres(data, url)) {
                stopDuringWrites(server);
            }
        }
    }

    private static void stopDuringWrites(ServerProcess server) throws Exception {
        server.start();
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        Thread.sleep(1_100); // the records' time is after the key's registration
        List<String> bodies = MultiInstanceIT.bulkBodies(maker, BULKS + 1, BULK_SIZE, "STOP001", new ArrayList<>());
        String lateBody = bodies.remove(BULKS);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ExecutorService senders = Executors.newFixedThreadPool(BULKS);
        List<CompletableFuture<Outcome>> sent = new ArrayList<>();
        for (String body : bodies) {
            sent.add(CompletableFuture.supplyAsync(() -> post(client, server, maker, body), senders));
        }
        Thread.sleep(200); // the server has taken the bulks in and is checking their signatures (about a second of work on 2 cores)
        long stopAt = System.nanoTime();
        Thread stopping = new Thread(() -> {
            try {
                server.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        stopping.start();

        // While the bulks are finished: readiness goes DOWN, and a request that arrives then is refused.
        Late late = null;
        boolean readinessDown = false;
        while (late == null && System.nanoTime() - stopAt < Duration.ofSeconds(30).toNanos()) {
            Outcome ready = get(client, "http://localhost:" + server.port + "/q/health/ready");
            if (ready.error != null) {
                break; // the listener has closed: every request it took has been answered
            }
            if (ready.status == 503) {
                readinessDown = true;
                late = postOnItsOwnConnection(server, maker, lateBody);
            }
            Thread.sleep(20);
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (CompletableFuture<Outcome> f : sent) {
            outcomes.add(f.get());
        }
        stopping.join();
        senders.shutdown();
        System.out.printf("stop took %d ms; bulks: %s; late: %s%n", (System.nanoTime() - stopAt) / 1_000_000, outcomes, late);

        assertTrue(outcomes.stream().anyMatch(o -> o.answeredAt - stopAt > 0), "some bulk was still under way at the stop (else this test tests nothing): " + outcomes);
        for (Outcome outcome : outcomes) {
            assertTrue(outcome.status == 201 || outcome.isRetryableRefusal(), "every bulk under way at the stop is answered: " + outcome);
        }
        assertTrue(readinessDown, "readiness reported DOWN while the stop answered the requests under way");
        assertTrue(late.answer.isRetryableRefusal() && late.answer.body.contains("urn:batterytrace:problem:server-stopping"), "a request arriving during the stop is refused: " + late);
        assertTrue(late.connectionClosed, "the server closes the connection of a request it refused while stopping, so the client's next request goes elsewhere");
        server.assertStoppedCleanly();

        // After a restart, the acknowledged bulks are logged and the refused requests are not: their retries log them now.
        server.start();
        for (int i = 0; i < bodies.size(); i++) {
            Outcome retry = post(client, server, maker, bodies.get(i));
            assertEquals(outcomes.get(i).status == 201 ? 200 : 201, retry.status, "bulk " + i + " retried after the restart: " + retry);
        }
        assertEquals(201, post(client, server, maker, lateBody).status, "the refused request changed nothing");
    }

    /** What a client saw: a status and the headers that matter, or the exception instead of an answer. */
    record Outcome(int status, String contentType, String retryAfter, Exception error, String body, long answeredAt) {
        boolean isRetryableRefusal() {
            return status == 503 && retryAfter != null && "application/problem+json".equals(contentType);
        }

        @Override
        public String toString() {
            return error != null ? error.toString() : status + (retryAfter == null ? "" : " Retry-After " + retryAfter) + (status >= 400 ? " " + body : "");
        }
    }

    /** The answer to a request sent during the stop, and whether the server then closed its connection. */
    record Late(Outcome answer, boolean connectionClosed) {
    }

    /**
     * A bulk on a kept-alive connection of its own, read byte by byte; then whether the server closes the connection
     * (end of stream within 2 s), as its {@code Connection: close} says it will.
     */
    private static Late postOnItsOwnConnection(ServerProcess server, Org maker, String body) {
        byte[] json = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("localhost", server.port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/records/bulk HTTP/1.1\r\nHost: localhost:" + server.port + "\r\nAuthorization: Bearer " + maker.token
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + json.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(json);
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("closed before the answer's headers ended: " + head);
                }
                head.append((char) c);
            }
            Map<String, String> headers = new HashMap<>();
            for (String line : head.toString().split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                }
            }
            String answer = new String(in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0"))), StandardCharsets.UTF_8);
            socket.setSoTimeout(2_000);
            boolean closed;
            try {
                closed = in.read() < 0;
            } catch (SocketTimeoutException stillOpen) {
                closed = false;
            }
            String type = headers.containsKey("content-type") ? headers.get("content-type").split(";")[0].trim() : null;
            return new Late(new Outcome(Integer.parseInt(head.substring(9, 12)), type, headers.get("retry-after"), null, answer, System.nanoTime()), closed);
        } catch (IOException e) {
            return new Late(new Outcome(-1, null, null, e, null, System.nanoTime()), false);
        }
    }

    private static Outcome post(HttpClient client, ServerProcess server, Org maker, String body) {
        return send(client, HttpRequest.newBuilder(URI.create(server.api() + "/records/bulk")).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + maker.token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static Outcome get(HttpClient client, String url) {
        return send(client, HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build());
    }

    private static Outcome send(HttpClient client, HttpRequest request) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            String type = response.headers().firstValue("Content-Type").map(t -> t.split(";")[0].trim()).orElse(null);
            return new Outcome(response.statusCode(), type, response.headers().firstValue("Retry-After").orElse(null), null,
                    response.body().length() > 300 ? response.body().substring(0, 300) : response.body(), System.nanoTime());
        } catch (IOException e) {
            return new Outcome(-1, null, null, e, null, System.nanoTime());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(-1, null, null, e, null, System.nanoTime());
        }
    }
}

package org.batterytrace.server;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.RestAssured;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.batterytrace.identity.BatteryCode;
import org.batterytrace.identity.Chemistry;
import org.batterytrace.identity.ProductLevel;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.log.Checkpoint;
import org.batterytrace.log.InMemoryNodeStore;
import org.batterytrace.log.MerkleTree;
import org.batterytrace.log.NoteKey;
import org.batterytrace.log.Proofs;
import org.batterytrace.log.SignedNotes;
import org.batterytrace.log.TreeHash;
import org.batterytrace.log.map.LogMap;
import org.batterytrace.log.map.MapCheckpoints;
import org.batterytrace.record.Hashes;
import org.batterytrace.record.Jcs;
import org.batterytrace.record.Json;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.server.Platform.Org;
import org.junit.jupiter.api.Test;

/**
 * Two packaged servers on one database — H2 in AUTO_SERVER mode, and the PostgreSQL build on a real
 * (embedded) PostgreSQL with one instance killed (SIGKILL) during bulk writes and restarted. Writers hit
 * both at once; the log stays one gap-free append-only tree holding every acknowledged record exactly
 * once, whose checkpoints — signed by either instance — verify and are consistent with each other, and
 * whose map line (maintained by whichever instance holds the integrator lock) is the map the entries derive.
 */
class MultiInstanceIT {
    @Test
    void twoInstancesShareOneLog() throws Exception {
        Path data = ServerProcess.freshDirectory("multi-instance-it");
        try (ServerProcess a = new ServerProcess(data, ";AUTO_SERVER=TRUE"); ServerProcess b = new ServerProcess(data, ";AUTO_SERVER=TRUE")) {
            a.start(); // the first instance creates the schema and the log key; the second finds them
            b.start();
            NoteKey logKey = sameLogKey(a, b);
            RestAssured.port = a.port;
            Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER, Role.VEHICLE_MAKER);
            Thread.sleep(1_100);

            // 16 bulk requests of 100 new batteries, alternating between the instances, 4 at a time.
            List<String> codes = new ArrayList<>();
            List<String> bodies = bulkBodies(maker, 16, codes);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<Map<String, Long>>> sent = new ArrayList<>();
            for (int r = 0; r < bodies.size(); r++) {
                int port = r % 2 == 0 ? a.port : b.port;
                String body = bodies.get(r);
                sent.add(pool.submit(() -> acknowledgements(post(port, maker, body, 201))));
            }
            Map<String, Long> acknowledged = new HashMap<>();
            for (Future<Map<String, Long>> f : sent) {
                acknowledged.putAll(f.get());
            }
            assertEquals(1_600, new HashSet<>(acknowledged.values()).size(), "every acknowledged record has its own log index");
            acknowledged.putAll(rivals(pool, a, b, maker, codes));
            pool.shutdown();
            assertOneLog(a, b, logKey, maker, acknowledged);

            stopRightAfterWrites(a, b, maker);
        }
    }

    /**
     * SIGTERM right after 20,000 writes, while both instances checkpoint and map them (and the scheduler's jobs
     * run): the work under way finishes before the connection pool closes, so a stop logs no error. Before, the
     * checkpoint round and the facts refresh were cut short and logged stack traces.
     */
    private static void stopRightAfterWrites(ServerProcess a, ServerProcess b, Org maker) throws Exception {
        List<String> last = bulkBodies(maker, 4, 5_000, "MULTI02", new ArrayList<>());
        java.util.stream.IntStream.range(0, last.size()).parallel().forEach(r -> post(r % 2 == 0 ? a.port : b.port, maker, last.get(r), 201));
        a.stop();
        b.stop();
        a.assertStoppedCleanly();
        b.assertStoppedCleanly();
    }

    @Test
    void twoPostgreSqlInstancesKeepOneLogThroughAKill() throws Exception {
        Path data = ServerProcess.freshDirectory("multi-instance-postgresql-it");
        try (EmbeddedPostgres postgres = ServerProcess.embeddedPostgres(data)) {
            String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres?reWriteBatchedInserts=true";
            try (ServerProcess a = ServerProcess.postgres(data, url); ServerProcess b = ServerProcess.postgres(data, url)) {
                a.start();
                b.start();
                NoteKey logKey = sameLogKey(a, b);
                RestAssured.port = a.port;
                Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER, Role.VEHICLE_MAKER);
                Thread.sleep(1_100);

                // 24 bulks of 100 on both instances; B is killed while they run. What failed is retried on A,
                // byte for byte: records B committed before it died are answered with their first acknowledgement.
                List<String> codes = new ArrayList<>();
                List<String> bodies = bulkBodies(maker, 24, codes);
                ExecutorService pool = Executors.newFixedThreadPool(4);
                List<Future<Map<String, Long>>> sent = new ArrayList<>();
                AtomicInteger done = new AtomicInteger();
                AtomicInteger retried = new AtomicInteger();
                for (int r = 0; r < bodies.size(); r++) {
                    int port = r % 2 == 0 ? a.port : b.port;
                    String body = bodies.get(r);
                    sent.add(pool.submit(() -> {
                        Map<String, Long> acks;
                        try {
                            acks = acknowledgements(post(port, maker, body, 201));
                        } catch (Throwable killed) {
                            retried.incrementAndGet();
                            acks = acknowledgements(post(a.port, maker, body, -1));
                        }
                        done.incrementAndGet();
                        return acks;
                    }));
                }
                while (done.get() < 6) {
                    Thread.sleep(20);
                }
                b.kill();
                Map<String, Long> acknowledged = new HashMap<>();
                for (Future<Map<String, Long>> f : sent) {
                    acknowledged.putAll(f.get());
                }
                System.out.printf("multi-instance PostgreSQL: instance B killed after %d of 24 bulks; %d bulks retried on A%n", 6, retried.get());
                assertEquals(2_400, acknowledged.size(), "every record acknowledged, first time or on retry");
                assertEquals(2_400, new HashSet<>(acknowledged.values()).size(), "every acknowledged record has its own log index");

                b.start(); // restarted on the same database, it carries on the same log
                acknowledged.putAll(rivals(pool, a, b, maker, codes));
                pool.shutdown();
                assertOneLog(a, b, logKey, maker, acknowledged);
                stopRightAfterWrites(a, b, maker);
            }
        }
    }

    private static NoteKey sameLogKey(ServerProcess a, ServerProcess b) {
        NoteKey logKey = NoteKey.parse(given().port(a.port).get("/api/v1/log/key").then().statusCode(200).extract().path("verifierKey"));
        assertEquals(logKey.verifierKey(), given().port(b.port).get("/api/v1/log/key").then().extract().path("verifierKey"), "one log key for both");
        return logKey;
    }

    /** {@code requests} bulk bodies of 100 PRODUCED records each; their codes are added to {@code codes}. */
    private static List<String> bulkBodies(Org maker, int requests, List<String> codes) {
        return bulkBodies(maker, requests, 100, "MULTI01", codes);
    }

    /** {@code requests} bulk bodies of {@code size} PRODUCED records each, on production line {@code line}. */
    static List<String> bulkBodies(Org maker, int requests, int size, String line, List<String> codes) {
        Instant time = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusMillis(500);
        int serial = (int) (System.nanoTime() % 1_000_000);
        List<String> bodies = new ArrayList<>();
        for (int r = 0; r < requests; r++) {
            StringBuilder body = new StringBuilder("{\"records\":[");
            for (int i = 0; i < size; i++) {
                String code = BatteryCode.of("H5N", ProductLevel.PACK, Chemistry.LFP, "B2", line, LocalDate.of(2026, 3, 14), serial + r * size + i).value();
                codes.add(code);
                body.append(i == 0 ? "" : ",").append(SignedRecord.sign(TraceRecord.of(code, 1, null, "PRODUCED", time, maker.id, Json.object()), maker.key).toJson());
            }
            bodies.add(body.append("]}").toString());
        }
        return bodies;
    }

    /** Posts a bulk; {@code status} -1 accepts 200 (all replayed) or 201. */
    private static io.restassured.response.Response post(int port, Org maker, String body, int status) {
        io.restassured.response.Response response = given().port(port).header("Authorization", "Bearer " + maker.token).contentType("application/json")
                .body(body).post("/api/v1/records/bulk");
        if (status == -1 ? response.statusCode() != 200 && response.statusCode() != 201 : response.statusCode() != status) {
            throw new AssertionError("bulk answered " + response.statusCode() + ": " + response.asString());
        }
        return response;
    }

    /** Record hash to log index, from a bulk answer. */
    private static Map<String, Long> acknowledgements(io.restassured.response.Response response) {
        Map<String, Long> acks = new HashMap<>();
        List<String> hashes = response.jsonPath().getList("records.hash", String.class);
        List<Long> indexes = response.jsonPath().getList("records.logIndex", Long.class);
        for (int i = 0; i < hashes.size(); i++) {
            acks.put(hashes.get(i), indexes.get(i));
        }
        return acks;
    }

    /** Rivals for the same sequence number on different instances: exactly one wins each time. */
    private static Map<String, Long> rivals(ExecutorService pool, ServerProcess a, ServerProcess b, Org maker, List<String> codes) throws Exception {
        Map<String, Long> winners = new HashMap<>();
        for (int round = 0; round < 5; round++) {
            String code = codes.get(round);
            SignedRecord first = rival(a.port, maker, code, "LSVAU218XN2183294");
            SignedRecord second = rival(a.port, maker, code, "LFV2A21K8N3000019");
            Future<io.restassured.response.Response> x = pool.submit(() -> given().port(a.port).header("Authorization", "Bearer " + maker.token)
                    .contentType("application/json").body(first.toJson().toString()).post("/api/v1/records"));
            Future<io.restassured.response.Response> y = pool.submit(() -> given().port(b.port).header("Authorization", "Bearer " + maker.token)
                    .contentType("application/json").body(second.toJson().toString()).post("/api/v1/records"));
            List<Integer> statuses = new ArrayList<>(List.of(x.get().statusCode(), y.get().statusCode()));
            statuses.sort(null);
            assertEquals(List.of(201, 409), statuses, "round " + round);
            io.restassured.response.Response winner = x.get().statusCode() == 201 ? x.get() : y.get();
            winners.put(winner.jsonPath().getString("hash"), winner.jsonPath().getLong("logIndex"));
        }
        return winners;
    }

    /**
     * Both instances publish checkpoints of the same tree: recompute it from the entries (no gaps, each
     * acknowledged record at its index, once), and prove the two checkpoints consistent.
     */
    private static void assertOneLog(ServerProcess a, ServerProcess b, NoteKey logKey, Org maker, Map<String, Long> acknowledged) throws Exception {
        long size = acknowledged.values().stream().mapToLong(Long::longValue).max().orElseThrow() + 1;
        Checkpoint fromB = await(b.port, logKey, size);
        Checkpoint fromA = await(a.port, logKey, fromB.size());
        MerkleTree tree = MerkleTree.open(new InMemoryNodeStore(), 0);
        Map<Long, String> hashAt = new HashMap<>();
        Set<String> seen = new HashSet<>();
        List<SignedRecord> all = new ArrayList<>();
        for (long start = 0; start < fromA.size(); start += 1_000) {
            long end = Math.min(fromA.size(), start + 1_000);
            // Alternate instances: both serve the same entries.
            byte[] page = given().port(start % 2_000 == 0 ? b.port : a.port).header("Authorization", "Bearer " + maker.token)
                    .get("/api/v1/log/entries?start=" + start + "&end=" + end).then().statusCode(200).extract().asByteArray();
            var entries = Json.parse(page);
            assertEquals(end - start, entries.size(), "no gaps in [" + start + ", " + end + ")");
            for (var entry : entries) {
                assertEquals(tree.size(), entry.get("logIndex").asLong());
                byte[] leaf = TreeHash.leaf(Jcs.canonicalize(entry.get("entry")));
                assertEquals(Hashes.hex(leaf), entry.get("leafHash").textValue());
                assertTrue(seen.add(entry.get("hash").textValue()), "each record once");
                hashAt.put(entry.get("logIndex").asLong(), entry.get("hash").textValue());
                tree.append(leaf);
                all.add(SignedRecord.fromJson(entry.get("entry")));
            }
        }
        acknowledged.forEach((hash, index) -> assertEquals(hash, hashAt.get(index), "acknowledged record at its log index " + index));
        assertEquals(Hashes.hex(fromA.rootHash()), Hashes.hex(tree.root()), "instance A's checkpoint is the tree of all entries");
        // The map both instances maintained in turns is the one the entries derive.
        assertEquals(Hashes.hex(LogMap.rootOf(all)), Hashes.hex(MapCheckpoints.mapRoot(fromA).orElseThrow()), "instance A's map root");
        if (fromB.size() == fromA.size()) {
            assertEquals(Hashes.hex(MapCheckpoints.mapRoot(fromA).orElseThrow()), Hashes.hex(MapCheckpoints.mapRoot(fromB).orElseThrow()));
        }
        Checkpoint older = fromB.size() <= fromA.size() ? fromB : fromA;
        Checkpoint newer = older == fromB ? fromA : fromB;
        if (older.size() < newer.size()) {
            List<String> proof = given().port(a.port).get("/api/v1/log/proofs/consistency?first=" + older.size() + "&second=" + newer.size()).then()
                    .statusCode(200).extract().jsonPath().getList("proof");
            Proofs.verifyConsistency(older.size(), newer.size(), older.rootHash(), newer.rootHash(), proof.stream().map(Hashes::fromHex).toList());
        }
        assertTrue(older.size() >= size, "both checkpoints cover every acknowledged record");
    }

    private static SignedRecord rival(int port, Org maker, String code, String vin) {
        String head = given().port(port).header("Authorization", "Bearer " + maker.token).get("/api/v1/batteries/" + code).then().extract().path("headHash");
        return SignedRecord.sign(TraceRecord.of(code, 2, head, "INSTALLED", Instant.now().truncatedTo(ChronoUnit.MILLIS), maker.id, Platform.data("vin", vin)),
                maker.key);
    }

    private static Checkpoint await(int port, NoteKey key, long size) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            Checkpoint c = SignedNotes.verify(given().port(port).accept("text/plain").get("/api/v1/log/checkpoint").asString(), key);
            if (c.size() >= size) {
                return c;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no checkpoint of size " + size + " on port " + port);
    }
}

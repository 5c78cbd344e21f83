package org.batterytrace.server.bench;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.batterytrace.identity.BatteryCode;
import org.batterytrace.identity.Chemistry;
import org.batterytrace.identity.ProductLevel;
import org.batterytrace.identity.Vin;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.log.NoteKey;
import org.batterytrace.log.SignedNotes;
import org.batterytrace.log.map.MapCheckpoints;
import org.batterytrace.log.map.MapHash;
import org.batterytrace.log.map.MapLabels;
import org.batterytrace.log.map.MapProof;
import org.batterytrace.log.map.MapValue;
import org.batterytrace.log.map.SparseMerkleMap;
import org.batterytrace.log.map.Tile;
import org.batterytrace.log.map.TileId;
import org.batterytrace.record.Json;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.server.Platform;
import org.batterytrace.server.Platform.Org;
import org.batterytrace.server.log.CheckpointIntegrator;
import org.batterytrace.server.postgres.PostgresProfile;
import org.junit.jupiter.api.Test;

/**
 * Map proof latency with a production-size map: {@code bench.batteries} filler heads (10 million by
 * default) are built straight into {@code map_tile} (tiles computed by the core's bulk builder, under the
 * integrator's lock, keeping the leaves already there), then 1,000 real batteries get 3-record chains
 * through the API, which the integrator applies on top and signs into a checkpoint. Measures
 * {@code GET /log/map/proof} over HTTP for present and absent codes against the bare SQL read of the
 * same tile path, in the same run; checks a sample of proofs against the signed checkpoint; and reports
 * the map's storage per battery. The filler heads stand for other batteries: the map root is then no
 * longer the one the log derives (the benchmark's only shortcut). Not part of the test suite:
 * {@code ./mvnw -pl traceability-server -am verify -DskipITs -Dtest=PostgresMapProofBenchmark -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.batteries=10000000]}
 */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class PostgresMapProofBenchmark {
    private static final int BATTERIES = 1_000;
    private static final int CHAIN = 3;
    /** The filler is built per region of this many leading nibbles (65,536 regions). */
    private static final int REGION_DEPTH = 4;
    private final long filler = Long.getLong("bench.batteries", 10_000_000L);
    private final int lookups = Integer.getInteger("bench.lookups", 5_000);

    @Inject
    AgroalDataSource dataSource;
    @Inject
    CheckpointIntegrator integrator;
    @Inject
    org.batterytrace.server.log.LogMapStore mapStore;

    @Test
    void proofLatencyAtScale() throws Exception {
        Org oem = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER, Role.VEHICLE_MAKER);
        integrator.integrate();
        long t0 = System.nanoTime();
        long leaves = fill();
        mapStore.forgetCachedTiles();
        double fillSeconds = (System.nanoTime() - t0) / 1e9;

        long t1 = System.nanoTime();
        List<String> codes = registerChains(oem);
        integrator.integrate();
        double registerSeconds = (System.nanoTime() - t1) / 1e9;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("VACUUM ANALYZE map_tile");
        }

        NoteKey logKey = NoteKey.parse(RestAssured.given().get("/api/v1/log/key").then().extract().path("verifierKey"));
        Random random = new Random(11);
        HttpClient http = HttpClient.newHttpClient();
        long[] present = new long[lookups];
        long[] absent = new long[lookups];
        long[] sql = new long[lookups];
        int verified = 0;
        try (Connection c = dataSource.getConnection();
                PreparedStatement path = c.prepareStatement("SELECT id, body FROM map_tile WHERE id IN (" + "?,".repeat(11) + "?)")) {
            for (int round = 0; round < 2; round++) { // round 0 warms up every path
                for (int i = 0; i < lookups; i++) {
                    String code = codes.get(random.nextInt(codes.size()));
                    byte[] key = MapHash.keyHash(MapLabels.head(code));
                    long a = System.nanoTime();
                    for (int d = 0; d < 12; d++) {
                        path.setBytes(d + 1, TileId.of(key, d).bytes());
                    }
                    int tiles = 0;
                    try (ResultSet rs = path.executeQuery()) {
                        while (rs.next()) {
                            tiles += rs.getBytes(2).length > 0 ? 1 : 0;
                        }
                    }
                    long b = System.nanoTime();
                    HttpResponse<String> response = get(http, MapLabels.head(code));
                    long c2 = System.nanoTime();
                    HttpResponse<String> none = get(http, MapLabels.head("N" + Long.toHexString(random.nextLong())));
                    long d2 = System.nanoTime();
                    if (tiles == 0 || response.statusCode() != 200 || none.statusCode() != 200) {
                        throw new AssertionError("proof of " + code + ": HTTP " + response.statusCode() + " / " + none.statusCode() + ", " + tiles + " tiles");
                    }
                    if (round == 1 && i % 100 == 0) {
                        verify(response.body(), logKey, true);
                        verify(none.body(), logKey, false);
                        verified += 2;
                    }
                    sql[i] = b - a;
                    present[i] = c2 - b;
                    absent[i] = d2 - c2;
                }
            }
        }
        long bytes;
        long rows;
        long live;
        long heap;
        // live: the rows' own bytes (tuple header and line pointer included); the table holds about twice that,
        // as map_tile keeps half of each page free (fillfactor 50) for heap-only updates.
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_total_relation_size('map_tile'), COUNT(*), SUM(pg_column_size(t.*) + 4),"
                        + " pg_relation_size('map_tile') FROM map_tile t")) {
            rs.next();
            bytes = rs.getLong(1);
            rows = rs.getLong(2);
            live = rs.getLong(3);
            heap = rs.getLong(4);
        }
        Arrays.sort(present);
        Arrays.sort(absent);
        Arrays.sort(sql);
        System.out.printf("%n=== map proof benchmark (embedded PostgreSQL 18) ===%n");
        System.out.printf("map                %,d leaves (%,d filler heads built in %.0f s, then %,d batteries x %d records through the API and the integrator in %.1f s)%n",
                leaves + BATTERIES, filler, fillSeconds, BATTERIES, CHAIN, registerSeconds);
        System.out.printf("storage            map_tile %,d rows, %,d bytes with its index = %.0f bytes per battery (heap %.0f, of which live rows %.0f)%n", rows, bytes,
                bytes / (double) (leaves + BATTERIES), heap / (double) (leaves + BATTERIES), live / (double) (leaves + BATTERIES));
        System.out.printf("GET proof present  p50 %.2f ms  p99 %.2f ms  max %.2f ms (HTTP, %,d lookups of 1,000 codes)%n", ms(present, 0.5), ms(present, 0.99), ms(present, 1.0), lookups);
        System.out.printf("GET proof absent   p50 %.2f ms  p99 %.2f ms  max %.2f ms%n", ms(absent, 0.5), ms(absent, 0.99), ms(absent, 1.0));
        System.out.printf("bare SQL tile path p50 %.2f ms  p99 %.2f ms  max %.2f ms%n", ms(sql, 0.5), ms(sql, 0.99), ms(sql, 1.0));
        System.out.printf("ratio p99 API/SQL  %.1f; %d sampled proofs verified against the signed checkpoint%n%n", ms(present, 0.99) / ms(sql, 0.99), verified);
    }

    private static HttpResponse<String> get(HttpClient http, String label) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/api/v1/log/map/proof?key=" + label)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void verify(String body, NoteKey logKey, boolean present) {
        var response = Json.parse(body);
        var checkpoint = SignedNotes.verify(response.get("checkpoint").asText(), logKey);
        var value = MapProof.fromJson(response.get("proof"), "proof").verify(MapCheckpoints.mapRoot(checkpoint).orElseThrow());
        if (value.isPresent() != present) {
            throw new AssertionError("expected " + (present ? "present" : "absent") + ": " + body);
        }
    }

    private static double ms(long[] sorted, double quantile) {
        int i = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }

    /** 1,000 batteries through PRODUCED, INSTALLED and SOLD, one bulk request per step. */
    private List<String> registerChains(Org oem) throws InterruptedException {
        Thread.sleep(1100);
        Instant time = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusMillis(500);
        int serial = (int) (System.nanoTime() % 1_000_000);
        List<String> codes = new ArrayList<>();
        List<SignedRecord> heads = new ArrayList<>();
        for (int i = 0; i < BATTERIES; i++) {
            codes.add(BatteryCode.of("H5N", ProductLevel.PACK, Chemistry.LFP, "B2", "MAPB001", LocalDate.of(2026, 3, 14), serial + i).value());
            heads.add(null);
        }
        String vin = Vin.withCheckDigit("LSVAU2180N2183294").value();
        String[] types = {"PRODUCED", "INSTALLED", "SOLD"};
        for (int step = 0; step < CHAIN; step++) {
            StringBuilder body = new StringBuilder("{\"records\":[");
            for (int i = 0; i < BATTERIES; i++) {
                var data = Json.object();
                if (step == 1) {
                    data.put("vin", vin);
                }
                SignedRecord prev = heads.get(i);
                SignedRecord next = SignedRecord.sign(TraceRecord.of(codes.get(i), step + 1, prev == null ? null : prev.hash(), types[step], time.plusMillis(step),
                        oem.id, data), oem.key);
                heads.set(i, next);
                body.append(i == 0 ? "" : ",").append(next.toJson());
            }
            oem.auth().body(body.append("]}").toString()).post("/api/v1/records/bulk").then().statusCode(201);
        }
        return codes;
    }

    /** What a region of the map is, seen from the slot of its parent tile. */
    private record Slot(byte[] key, byte[] value, byte[] childHash, long leaves) {
        static final Slot EMPTY = new Slot(null, null, null, 0);
    }

    /**
     * Replaces the map's tiles by the leaves already there plus {@code filler} random heads, region by
     * region (sorted random keys under each 16-bit prefix), then the four levels above from the regions'
     * slots. Holds the integrator's lock throughout. Returns the number of leaves.
     */
    private long fill() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeQuery("SELECT counter FROM log_state WHERE name = 'integrator' FOR UPDATE").close();
            }
            Map<Integer, List<SparseMerkleMap.Leaf>> existing = new HashMap<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT body FROM map_tile")) {
                while (rs.next()) {
                    Tile tile = Tile.fromBytes(rs.getBytes(1));
                    for (int slot = 0; slot < Tile.WIDTH; slot++) {
                        if (tile.isLeaf(slot)) {
                            byte[] k = tile.key(slot);
                            existing.computeIfAbsent(region(k), r -> new ArrayList<>()).add(new SparseMerkleMap.Leaf(k, tile.value(slot)));
                        }
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("DELETE FROM map_tile");
            }
            int regions = 1 << (4 * REGION_DEPTH);
            Slot[] slots = new Slot[regions];
            Random random = new Random(5);
            long total = 0;
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO map_tile (id, body) VALUES (?, ?)")) {
                int pending = 0;
                for (int r = 0; r < regions; r++) {
                    long n = filler / regions + (r < filler % regions ? 1 : 0);
                    List<SparseMerkleMap.Leaf> leaves = new ArrayList<>((int) n + 4);
                    for (long i = 0; i < n; i++) {
                        byte[] k = new byte[32];
                        random.nextBytes(k);
                        k[0] = (byte) (r >>> 8);
                        k[1] = (byte) r;
                        byte[] hash = new byte[32];
                        random.nextBytes(hash);
                        byte[] value = ByteBuffer.allocate(49).put(MapValue.HEAD).putLong(1 + random.nextInt(12)).putLong(random.nextInt(Integer.MAX_VALUE)).put(hash).array();
                        leaves.add(new SparseMerkleMap.Leaf(k, value));
                    }
                    leaves.addAll(existing.getOrDefault(r, List.of()));
                    leaves.sort((a, b) -> Arrays.compareUnsigned(a.key(), b.key()));
                    total += leaves.size();
                    if (leaves.isEmpty()) {
                        slots[r] = Slot.EMPTY;
                    } else if (leaves.size() == 1) {
                        slots[r] = new Slot(leaves.get(0).key(), leaves.get(0).value(), null, 1);
                    } else {
                        Map<TileId, Tile> tiles = new HashMap<>();
                        byte[] hash = SparseMerkleMap.buildTiles(TileId.of(leaves.get(0).key(), REGION_DEPTH), leaves, tiles);
                        slots[r] = new Slot(null, null, hash, leaves.size());
                        for (Map.Entry<TileId, Tile> e : tiles.entrySet()) {
                            insert.setBytes(1, e.getKey().bytes());
                            insert.setBytes(2, e.getValue().toBytes());
                            insert.addBatch();
                            if (++pending == 1000) {
                                insert.executeBatch();
                                pending = 0;
                            }
                        }
                    }
                }
                // The four levels above the regions: 4,096 + 256 + 16 + 1 tiles, from their 16 children's slots.
                for (int depth = REGION_DEPTH - 1; depth >= 0; depth--) {
                    Slot[] parents = new Slot[1 << (4 * depth)];
                    for (int p = 0; p < parents.length; p++) {
                        Tile tile = new Tile();
                        long count = 0;
                        Slot only = null;
                        for (int s = 0; s < Tile.WIDTH; s++) {
                            Slot child = slots[p * Tile.WIDTH + s];
                            count += child.leaves();
                            if (child.key() != null) {
                                tile.setLeaf(s, child.key(), child.value());
                                only = child;
                            } else if (child.childHash() != null) {
                                tile.setChild(s, child.childHash());
                            }
                        }
                        if (count == 0 && depth > 0) {
                            parents[p] = Slot.EMPTY;
                        } else if (count == 1 && depth > 0) {
                            parents[p] = only;
                        } else {
                            byte[] prefix = new byte[32];
                            long shifted = (long) p << (64 - 4 * depth);
                            ByteBuffer.wrap(prefix).putLong(depth == 0 ? 0 : shifted);
                            insert.setBytes(1, TileId.of(prefix, depth).bytes());
                            insert.setBytes(2, tile.toBytes());
                            insert.addBatch();
                            pending++;
                            parents[p] = new Slot(null, null, tile.hash(), count);
                        }
                    }
                    slots = parents;
                }
                if (pending > 0) {
                    insert.executeBatch();
                }
            }
            c.commit();
            return total;
        }
    }

    private static int region(byte[] key) {
        return (key[0] & 0xff) << 8 | key[1] & 0xff;
    }
}

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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.batterytrace.identity.BatteryCode;
import org.batterytrace.identity.Chemistry;
import org.batterytrace.identity.ProductLevel;
import org.batterytrace.identity.Vin;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.Json;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.server.Platform;
import org.batterytrace.server.Platform.Org;
import org.batterytrace.server.postgres.PostgresProfile;
import org.junit.jupiter.api.Test;

/**
 * History lookup latency with a large log: real signed chains for 1,000 batteries (10 records each,
 * through the API), then {@code bench.rows} filler log rows (and a tenth as many battery rows) written
 * by SQL so that the tables and indexes have production size. Measures {@code GET /batteries/{code}/history}
 * over HTTP against the bare SQL lookup on the same database in the same run. Not part of the test
 * suite:
 * {@code ./mvnw -pl traceability-server -am verify -DskipITs -Dtest=PostgresHistoryBenchmark -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.rows=10000000]}
 */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class PostgresHistoryBenchmark {
    private static final int BATTERIES = 1_000;
    private static final int CHAIN = 10;
    private final long rows = Long.getLong("bench.rows", 10_000_000L);
    private final int lookups = Integer.getInteger("bench.lookups", 5_000);

    @Inject
    AgroalDataSource dataSource;

    @Test
    void historyLookupAtScale() throws Exception {
        Org oem = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER, Role.VEHICLE_MAKER);
        List<String> codes = registerChains(oem);
        long filled = System.nanoTime();
        fill(oem.id);
        double fillSeconds = (System.nanoTime() - filled) / 1e9;

        Random random = new Random(7);
        HttpClient http = HttpClient.newHttpClient();
        long[] api = new long[lookups];
        long[] sql = new long[lookups];
        try (Connection c = dataSource.getConnection();
                PreparedStatement history = c.prepareStatement("SELECT seq, envelope FROM log_entry WHERE subject = ? ORDER BY seq")) {
            for (int round = 0; round < 2; round++) { // round 0 warms up both paths
                for (int i = 0; i < lookups; i++) {
                    String code = codes.get(random.nextInt(codes.size()));
                    long t0 = System.nanoTime();
                    history.setString(1, code);
                    int n = 0;
                    try (ResultSet rs = history.executeQuery()) {
                        while (rs.next()) {
                            n += rs.getString(2).length() > 0 ? 1 : 0;
                        }
                    }
                    long t1 = System.nanoTime();
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port
                            + "/api/v1/batteries/" + code + "/history")).header("Authorization", "Bearer " + oem.token).GET().build(), HttpResponse.BodyHandlers.ofString());
                    long t2 = System.nanoTime();
                    if (n != CHAIN || response.statusCode() != 200) {
                        throw new AssertionError("history of " + code + ": " + n + " rows, HTTP " + response.statusCode());
                    }
                    sql[i] = t1 - t0;
                    api[i] = t2 - t1;
                }
            }
        }
        long logRows;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM log_entry")) {
            rs.next();
            logRows = rs.getLong(1);
        }
        Arrays.sort(api);
        Arrays.sort(sql);
        System.out.printf("%n=== history lookup benchmark (embedded PostgreSQL 18) ===%n");
        System.out.printf("log rows           %,d (filler written in %.0f s); %d-record chains of %,d batteries looked up %,d times%n", logRows, fillSeconds, CHAIN,
                BATTERIES, lookups);
        System.out.printf("GET /history       p50 %.2f ms  p99 %.2f ms  max %.2f ms (HTTP, auth, JSON)%n", ms(api, 0.50), ms(api, 0.99), ms(api, 1.0));
        System.out.printf("bare SQL lookup    p50 %.2f ms  p99 %.2f ms  max %.2f ms%n", ms(sql, 0.50), ms(sql, 0.99), ms(sql, 1.0));
        System.out.printf("ratio p99 API/SQL  %.1f%n%n", ms(api, 0.99) / ms(sql, 0.99));
    }

    private static double ms(long[] sorted, double quantile) {
        int i = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }

    /** 1,000 batteries through PRODUCED, INSTALLED, SOLD and 7 MAINTAINED records, one bulk request per step. */
    private List<String> registerChains(Org oem) throws InterruptedException {
        Thread.sleep(1100); // record times after the key's registration
        Instant time = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusMillis(500);
        int serial = (int) (System.nanoTime() % 1_000_000);
        List<String> codes = new ArrayList<>();
        List<SignedRecord> heads = new ArrayList<>();
        for (int i = 0; i < BATTERIES; i++) {
            codes.add(BatteryCode.of("H5N", ProductLevel.PACK, Chemistry.LFP, "B2", "HIST001", LocalDate.of(2026, 3, 14), serial + i).value());
            heads.add(null);
        }
        String vin = Vin.withCheckDigit("LSVAU2180N2183294").value();
        String[] types = {"PRODUCED", "INSTALLED", "SOLD", "MAINTAINED", "MAINTAINED", "MAINTAINED", "MAINTAINED", "MAINTAINED", "MAINTAINED", "MAINTAINED"};
        for (int step = 0; step < CHAIN; step++) {
            StringBuilder body = new StringBuilder("{\"records\":[");
            for (int i = 0; i < BATTERIES; i++) {
                var data = Json.object();
                if (step == 1) {
                    data.put("vin", vin);
                }
                SignedRecord prev = heads.get(i);
                SignedRecord next = SignedRecord.sign(TraceRecord.of(codes.get(i), step + 1, prev == null ? null : prev.hash(), types[step], time.plusMillis(step), oem.id,
                        data), oem.key);
                heads.set(i, next);
                body.append(i == 0 ? "" : ",").append(next.toJson());
            }
            oem.auth().body(body.append("]}").toString()).post("/api/v1/records/bulk").then().statusCode(201);
        }
        return codes;
    }

    /** Filler rows far above the log's real indexes, so they never collide with appends; then fresh planner statistics. */
    private void fill(String actor) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO log_entry (idx, subject, seq, type, actor, record_time, hash, envelope, accepted_at, leaf_hash)"
                    + " SELECT 1000000000000 + g, 'FILL' || lpad(to_hex(g / 10), 16, '0'), g % 10 + 1, 'MAINTAINED', '" + actor + "', now(), sha256(('h' || g)::bytea),"
                    + " '{\"filler\":true}', now(), sha256(g::text::bytea) FROM generate_series(1, " + rows + ") AS g");
            s.execute("INSERT INTO battery (code, level, chemistry, cascade_product, production_date, maker, state, custodian, head_seq, head_hash, created_at, updated_at)"
                    + " SELECT 'F' || lpad(to_hex(g), 23, '0'), 'P', 'B', false, DATE '2026-03-14', '" + actor + "', 'IN_SERVICE', '" + actor + "', 10,"
                    + " md5(g::text) || md5(g::text), now(), now() FROM generate_series(1, " + rows / 10 + ") AS g");
            s.execute("VACUUM ANALYZE log_entry");
            s.execute("VACUUM ANALYZE battery");
        }
    }
}

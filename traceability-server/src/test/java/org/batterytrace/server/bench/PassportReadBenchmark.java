package org.batterytrace.server.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.batterytrace.identity.BatteryCode;
import org.batterytrace.identity.Chemistry;
import org.batterytrace.identity.ProductLevel;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.Json;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.server.Platform;
import org.batterytrace.server.Platform.Org;
import org.junit.jupiter.api.Test;

/**
 * Public passport reads (what a QR-code scan asks for) against a bare SQL lookup of the same rows, in one
 * run: {@code -Dbench.batteries=2000} packs, each with its chain of three records (produced, the
 * walk-through's passport declaration, a dynamic update), read by {@code -Dbench.clients=16} concurrent
 * clients, {@code -Dbench.reads=20000} random reads per phase:
 * <ol>
 * <li>bare SQL: the battery's row and its chain's signed records, over JDBC from the server's own pool;
 * <li>{@code GET /api/v1/passports/{code}} as JSON without a token (the public tier), {@code 200};
 * <li>the same with {@code If-None-Match} naming the tag of a previous answer: {@code 304} (what a CDN's
 * revalidation costs the server);
 * <li>the page for people ({@code text/html}).
 * </ol>
 * The three HTTP phases run twice: with every passport built for each read, then with the public passports
 * the server keeps ({@code PublicPassports}; the benchmark's profile configures the pages' base URL, as
 * production does).
 * Every answer is checked (status, the code in the body, the cache headers). The bare SQL phase runs first
 * and last; its mean is the baseline. Not part of the test suite; on PostgreSQL:
 * {@code ./mvnw -pl traceability-server -am verify -DskipITs -Dtest=PostgresPassportReadBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
public abstract class PassportReadBenchmark {
    private static final Path WALKTHROUGH = Path.of("..", "examples", "lifecycle-walkthrough");
    private static final int BULK = 1500;
    private final int batteries = Integer.getInteger("bench.batteries", 2000);
    private final int clients = Integer.getInteger("bench.clients", 16);
    private final int reads = Integer.getInteger("bench.reads", 20_000);
    private final int warmReads = Integer.getInteger("bench.warmReads", 5_000);

    @Inject
    DataSource dataSource;
    @Inject
    org.batterytrace.server.passport.PassportService passports;

    private LeanHttp http;

    protected abstract String database();

    /** One phase's outcome: reads per second, each read's latency, and where the CPU went. */
    private record Phase(double perSecond, long[] nanos, String cpu) {
    }

    private interface Read {
        void run(int client, String code) throws Exception;
    }

    @Test
    void passportReadsAgainstBareSql() throws Exception {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        http = new LeanHttp(URI.create(RestAssured.baseURI).getHost(), RestAssured.port);
        List<String> codes = register(maker);

        Read sql = (client, code) -> {
            try (Connection connection = dataSource.getConnection()) {
                bareSql(connection, code);
            }
        };
        Read json = (client, code) -> check(http.get("/api/v1/passports/" + code, "Accept: application/json\r\n"), 200, code, "public, max-age=");
        Map<String, String> tags = new java.util.HashMap<>();
        for (String code : codes) {
            tags.put(code, check(http.get("/api/v1/passports/" + code, "Accept: application/json\r\n"), 200, code, "public, max-age=").headers().get("etag"));
        }
        Read notModified = (client, code) -> check(http.get("/api/v1/passports/" + code, "Accept: application/json\r\nIf-None-Match: " + tags.get(code) + "\r\n"),
                304, null, "public, max-age=");
        Read page = (client, code) -> check(http.get("/api/v1/passports/" + code, "Accept: text/html\r\n"), 200, code, "public, max-age=");

        for (Read read : List.of(sql, json, notModified, page)) {
            run(read, codes, warmReads, 1);
        }
        Phase sqlBefore = run(sql, codes, reads, 2);
        // Built for every read (as before PublicPassports), then kept: same run, same data.
        passports.keepPublicPassports(false);
        Phase[] built;
        PostgresStatistics statistics = new PostgresStatistics(dataSource);
        List<String> builtStatements;
        try {
            statistics.resetStatements();
            Phase builtJson = run(json, codes, reads, 3);
            builtStatements = statistics.statementReport(reads, "read");
            built = new Phase[] {builtJson, run(notModified, codes, reads, 4), run(page, codes, reads, 5)};
        } finally {
            passports.keepPublicPassports(true);
        }
        Phase[] kept = {run(json, codes, reads, 6), run(notModified, codes, reads, 7), run(page, codes, reads, 8)};
        Phase sqlAfter = run(sql, codes, reads, 9);

        double baseline = (sqlBefore.perSecond() + sqlAfter.perSecond()) / 2;
        System.out.printf("%n=== passport read benchmark (%s) ===%n", database());
        System.out.printf("%,d packs with 3-record chains, %d concurrent clients, %,d random reads per phase%n", codes.size(), clients, reads);
        System.out.printf("bare SQL lookup      %,8.0f reads/s (before %,.0f, after %,.0f)  %s%n", baseline, sqlBefore.perSecond(), sqlAfter.perSecond(),
                percentiles(sqlBefore.nanos()));
        System.out.printf("  cpu                %s%n", sqlBefore.cpu());
        String[] names = {"JSON, 200", "JSON, 304", "page, 200"};
        for (int i = 0; i < names.length; i++) {
            report("built " + names[i], built[i], baseline);
            if (i == 0) {
                builtStatements.forEach(line -> System.out.println("  " + line));
            }
            report("kept  " + names[i], kept[i], baseline);
            System.out.printf("  kept/built         %.1f%n", kept[i].perSecond() / built[i].perSecond());
        }
        System.out.println();
    }

    private static void report(String name, Phase phase, double baseline) {
        System.out.printf("%-20s %,8.0f reads/s = %.2f x bare SQL  %s%n", name, phase.perSecond(), phase.perSecond() / baseline, percentiles(phase.nanos()));
        System.out.printf("  cpu                %s%n", phase.cpu());
    }

    /** The packs, registered through the bulk API: produced, the walk-through's declaration, a state-of-charge update. */
    private List<String> register(Org maker) throws Exception {
        ObjectNode declaration = (ObjectNode) Json.parse(Files.readAllBytes(WALKTHROUGH.resolve("passport-declaration.json")));
        ((ObjectNode) declaration.get("generalProductInformation").get("manufacturerInformation")).put("identifier", maker.id);
        ((ObjectNode) declaration.get("generalProductInformation").get("operatorInformation")).put("identifier", maker.id);
        ObjectNode update = Json.object();
        update.putObject("performanceAndDurability").putObject("batteryCondition").putObject("stateOfCharge").put("stateOfChargeValue", "55");
        Instant time = Instant.now().truncatedTo(ChronoUnit.MILLIS).plusSeconds(1);
        Thread.sleep(1100); // records carry a time just after the key's registration
        int serial = (int) (System.nanoTime() % 1_000_000);
        List<String> codes = new ArrayList<>(batteries);
        StringBuilder body = null;
        int inBody = 0;
        for (int b = 0; b < batteries; b++) {
            String code = BatteryCode.of("H5N", ProductLevel.PACK, Chemistry.LFP, "B2", "PASSRD1", LocalDate.of(2026, 3, 14), serial + b).value();
            codes.add(code);
            SignedRecord produced = SignedRecord.sign(TraceRecord.of(code, 1, null, "PRODUCED", time, maker.id, Json.object().put("massGrams", 452_000)), maker.key);
            SignedRecord declared = SignedRecord.sign(TraceRecord.of(code, 2, produced.hash(), "PASSPORT_DECLARED", time.plusMillis(1), maker.id, declaration), maker.key);
            SignedRecord updated = SignedRecord.sign(TraceRecord.of(code, 3, declared.hash(), "PASSPORT_UPDATED", time.plusMillis(2), maker.id, update), maker.key);
            for (SignedRecord r : List.of(produced, declared, updated)) {
                if (body == null) {
                    body = new StringBuilder("{\"records\":[");
                }
                body.append(inBody++ == 0 ? "" : ",").append(r.toJson());
            }
            if (inBody >= BULK || b == batteries - 1) {
                LeanHttp.Response response = http.post("/api/v1/records/bulk", "Bearer " + maker.token, body.append("]}").toString());
                if (response.status() != 201) {
                    throw new AssertionError("registration answered " + response.status() + ": " + response.body());
                }
                body = null;
                inBody = 0;
            }
        }
        return codes;
    }

    /** What the passport is built from, read with plain JDBC: the battery's row and its chain's signed records in order. */
    private static void bareSql(Connection connection, String code) throws SQLException {
        try (PreparedStatement battery = connection.prepareStatement(
                "SELECT code, level, chemistry, cascade_product, maker, state, custodian, head_seq, updated_at FROM battery WHERE code = ?")) {
            battery.setString(1, code);
            try (ResultSet rs = battery.executeQuery()) {
                if (!rs.next() || !code.equals(rs.getString(1))) {
                    throw new AssertionError("no battery row for " + code);
                }
            }
        }
        int records = 0;
        try (PreparedStatement chain = connection.prepareStatement("SELECT envelope FROM log_entry WHERE subject = ? ORDER BY seq")) {
            chain.setString(1, code);
            try (ResultSet rs = chain.executeQuery()) {
                while (rs.next()) {
                    records += rs.getString(1).isEmpty() ? 0 : 1;
                }
            }
        }
        if (records != 3) {
            throw new AssertionError(code + " has " + records + " records");
        }
    }

    private static LeanHttp.Response check(LeanHttp.Response response, int status, String code, String cacheControl) {
        if (response.status() != status || (code != null && !response.body().contains(code))
                || !String.valueOf(response.headers().get("cache-control")).startsWith(cacheControl) || response.headers().get("etag") == null) {
            throw new AssertionError("answered " + response.status() + " " + response.headers() + ": " + response.body());
        }
        return response;
    }

    /** {@code n} reads of random codes by the clients, each client the next as soon as its last is answered. */
    private Phase run(Read read, List<String> codes, int n, long seed) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger next = new AtomicInteger();
        long[] nanos = new long[n];
        CpuMeter meter = CpuMeter.start();
        long start = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            SplittableRandom random = new SplittableRandom(seed * 1000 + c);
            workers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                    long t = System.nanoTime();
                    read.run(client, codes.get(random.nextInt(codes.size())));
                    nanos[i] = System.nanoTime() - t;
                }
                CpuMeter.clientThreadEnds();
                return null;
            }));
        }
        for (Future<?> w : workers) {
            w.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        return new Phase(n / seconds, nanos, meter.perUnit(n, "read"));
    }

    private static String percentiles(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format("p50 %.2f ms, p99 %.2f ms", sorted[sorted.length / 2] / 1e6, sorted[(int) Math.ceil(0.99 * sorted.length) - 1] / 1e6);
    }
}

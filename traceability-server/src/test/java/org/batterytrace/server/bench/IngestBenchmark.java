package org.batterytrace.server.bench;

import io.restassured.RestAssured;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
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
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.Test;

/**
 * Bulk ingest throughput (signature checks + chain + lifecycle + log append + durable commit) over
 * HTTP, against raw Bouncy Castle Ed25519 verification of the same records in the same run, and with
 * the checkpoint integrator's map maintenance on and off in alternating rounds of the same run (a round is
 * timed until its entries are checkpointed and, map on, their tiles stored). Not part of the test suite; run on
 * PostgreSQL with
 * {@code ./mvnw -pl traceability-server -am verify -DskipITs -Dtest=PostgresIngestBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * (or {@code -Dtest=H2IngestBenchmark}). Sizes: {@code -Dbench.batches=24 -Dbench.batchSize=5000 -Dbench.rounds=8 -Dbench.warmBulks=8 -Dbench.warmRounds=2}.
 */
public abstract class IngestBenchmark {
    private final int batches = Integer.getInteger("bench.batches", 24);
    /** Rounds of map maintenance on and off in the order on, off, off, on, on, off, …; each sends batches / rounds requests. */
    private final int rounds = Integer.getInteger("bench.rounds", 8);

    @jakarta.inject.Inject
    org.batterytrace.server.log.CheckpointIntegrator integrator;
    @jakarta.inject.Inject
    io.micrometer.core.instrument.MeterRegistry metrics;
    private final int batchSize = Integer.getInteger("bench.batchSize", 5000);
    /** Concurrent clients: one request's database phase overlaps another's signature checks. */
    private final int clients = Integer.getInteger("bench.clients", 2);
    /**
     * Bulks through the whole path before the timing, from the same clients, with the map on. With 2 (the
     * old figure) the JIT was still compiling the verify, parse, append and map code in C2 through the timed
     * rounds on these 2 cores: a start-up cost, not a per-record one.
     */
    private final int warmBulks = Integer.getInteger("bench.warmBulks", 8);
    /**
     * Untimed rounds after the warm-up bulks, map off and on in turn, each the size of a timed round: at least
     * this many, then more until the JIT is quiet ({@link JitWarmUp}). Without
     * them the first timed round (map on) took the end of the JIT's warm-up: -XX:+PrintCompilation showed 170
     * C2 and 738 tier-2 compilations in it, against 28-56 C2 and at most 24 tier-2 in each later round.
     */
    private final int warmRounds = Integer.getInteger("bench.warmRounds", 2);

    @Test
    void bulkIngestAgainstRawVerification() {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        int serial = (int) (System.nanoTime() % 1_000_000);
        Instant time = Instant.now().truncatedTo(ChronoUnit.MILLIS).plusSeconds(1);
        List<List<SignedRecord>> work = new ArrayList<>(); // the records of the bulks the raw baseline verifies too
        List<String> bodies = new ArrayList<>();
        int perRound = batches / rounds;
        // The baseline over at most 200,000 of the records: enough for a steady rate, and long runs stay short.
        int rawBulks = Math.min(batches + warmRounds * perRound, Math.max(1, 200_000 / batchSize));
        java.util.function.IntFunction<List<SignedRecord>> newBatteries = b -> {
            List<SignedRecord> batch = new ArrayList<>(batchSize);
            for (int i = 0; i < batchSize; i++) {
                String code = BatteryCode.of("H5N", ProductLevel.CELL, Chemistry.LFP, "B2", "BENCH" + String.format("%02d", b % 100), LocalDate.of(2026, 3, 14),
                        serial + b * batchSize + i).value();
                var data = Json.object();
                data.put("ratedCapacityMah", 280_000);
                batch.add(SignedRecord.sign(TraceRecord.of(code, 1, null, "PRODUCED", time, maker.id, data), maker.key));
            }
            return batch;
        };
        int generated = batches + warmBulks + warmRounds * perRound;
        for (int b = 0; b < generated; b++) {
            List<SignedRecord> batch = newBatteries.apply(b);
            bodies.add(Platform.bulkBody(batch));
            if (b < warmBulks + rawBulks) {
                work.add(batch); // the rest only as request bodies: long runs would not fit in memory as records
            }
        }
        try {
            Thread.sleep(1100); // records carry a time just after the key's registration
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }

        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(clients);
        sendAll(pool, maker, bodies.subList(0, warmBulks));
        integrator.integrate();
        rawVerify(work.subList(0, warmBulks), maker); // JIT warm-up of the baseline loop
        List<List<SignedRecord>> rawWork = work.subList(warmBulks, warmBulks + rawBulks);
        double rawPerSecond = rawVerify(rawWork, maker);

        // Untimed rounds, map off and on in turn, until the JIT is quiet; past the pre-signed ones, each signs its own.
        int warmed;
        try {
            warmed = JitWarmUp.untilQuiet("map off and on", warmRounds, w -> {
                List<String> round = new ArrayList<>(perRound);
                for (int b = 0; b < perRound; b++) {
                    int index = warmBulks + batches + w * perRound + b;
                    round.add(index < generated ? bodies.get(index) : Platform.bulkBody(newBatteries.apply(index)));
                }
                integrator.maintainMap(w % 2 == 1);
                integrator.integrate();
                return round;
            }, round -> sendAll(pool, maker, round));
        } catch (Exception e) {
            throw new IllegalStateException("warm-up failed", e);
        }
        integrator.maintainMap(true);
        integrator.integrate();

        double[] seconds = new double[2]; // [0] map on, [1] map off
        double[] sendSeconds = new double[2]; // the same without the integration after the requests
        int[] sentIn = new int[2];
        long[] gcPauseMillis = new long[2];
        long[] gcPauses = new long[2];
        List<java.util.Map<String, Long>> cpu = List.of(new java.util.TreeMap<>(), new java.util.TreeMap<>());
        List<java.util.Map<String, Long>> written = List.of(new java.util.TreeMap<>(), new java.util.TreeMap<>());
        LogPhases phases = LogPhases.start(metrics);
        LogPhases mapPhases = LogPhases.startMap(metrics);
        double tilesBefore = metrics.counter("trace.map.tiles.written").count();
        GroupCommitTimes transactions = GroupCommitTimes.start(metrics);
        resetStatementStatistics();
        StringBuilder perRoundRates = new StringBuilder();
        List<List<Double>> roundRates = List.of(new ArrayList<>(), new ArrayList<>());
        try {
            for (int round = 0; round < rounds; round++) {
                int mode = (round + 1) / 2 % 2; // 0 1 1 0 0 1 1 0: drift in either direction weighs on both alike
                integrator.maintainMap(mode == 0);
                integrator.integrate(); // catch up (outside the timing): no round pays for another's backlog
                java.util.Map<String, Long> countersBefore = databaseCounters();
                long start = System.nanoTime();
                long[] gcBefore = gcPauses();
                CpuMeter meter = CpuMeter.start();
                sendAll(pool, maker, bodies.subList(warmBulks + round * perRound, warmBulks + (round + 1) * perRound));
                sendSeconds[mode] += (System.nanoTime() - start) / 1e9;
                // Timed until the round's entries are checkpointed and their map tiles stored: the map's whole cost,
                // however long its tiles wait in memory (trace.checkpoint.map-store-interval). Run alone, after the
                // requests, this tail costs more than the same work overlapping ingest as it does in a steady state,
                // so the report gives the rates without it too: the steady state lies between the two.
                integrator.integrate();
                double roundSeconds = (System.nanoTime() - start) / 1e9;
                seconds[mode] += roundSeconds;
                double rate = perRound * (double) batchSize / roundSeconds;
                roundRates.get(mode).add(rate);
                perRoundRates.append(String.format(" %s %,.0f", mode == 0 ? "on" : "off", rate));
                CpuMeter.add(cpu.get(mode), meter.elapsed());
                long[] gcAfter = gcPauses();
                gcPauses[mode] += gcAfter[0] - gcBefore[0];
                gcPauseMillis[mode] += gcAfter[1] - gcBefore[1];
                sentIn[mode] += perRound;
                databaseCounters().forEach((name, value) -> written.get(mode).merge(name, value - countersBefore.getOrDefault(name, 0L), Long::sum));
            }
        } finally {
            integrator.maintainMap(true);
            pool.shutdown();
        }
        int bulks = sentIn[0] + sentIn[1];
        String phaseReport = phases.perUnit(bulks, " %s %.0f") + String.format("; whole transaction with its commit %.0f",
                (1000 * transactions.busySeconds()) / bulks);
        integrator.integrate();
        String mapReport = mapPhases.perUnit(bulks * (double) batchSize / 1000, " %s %.1f")
                + String.format("; tiles written per record %.2f", (metrics.counter("trace.map.tiles.written").count() - tilesBefore) / (bulks * (double) batchSize));
        double withMap = sentIn[0] * (double) batchSize / seconds[0];
        double withoutMap = sentIn[1] * (double) batchSize / seconds[1];
        double ingestPerSecond = (sentIn[0] + sentIn[1]) * (double) batchSize / (seconds[0] + seconds[1]);
        double rawAgain = rawVerify(rawWork, maker);
        double rawMean = (rawPerSecond + rawAgain) / 2;

        System.out.printf("%n=== ingest benchmark (%s) ===%n", database());
        System.out.printf("records            %d in %d bulk requests of %d from %d concurrent clients, after %d warm-up bulks%n",
                (sentIn[0] + sentIn[1]) * batchSize, sentIn[0] + sentIn[1], batchSize, clients, warmBulks);
        System.out.printf("bulk ingest        %,.0f records/s (HTTP + verify + chain + log + commit)%n", ingestPerSecond);
        System.out.printf("raw BC Ed25519     %,.0f verifications/s on one thread (before %,.0f, after %,.0f)%n", rawMean, rawPerSecond, rawAgain);
        // The goal (bulk >= 1.0 x raw) is for the server as it runs, with the map on; the rounds without it are the map's baseline.
        System.out.printf("ratio ingest/raw   %.2f (map on %.2f, off %.2f)%n", ingestPerSecond / rawMean,
                withMap / rawMean, withoutMap / rawMean);
        System.out.printf("map maintenance    on %,.0f records/s, off %,.0f records/s (%d rounds on, off, off, on, …): on/off %.3f%n", withMap, withoutMap,
                rounds, withMap / withoutMap);
        System.out.printf("  without the tail on %,.0f records/s, off %,.0f records/s: on/off %.3f (the last checkpoint and store after each round, %.0f ms on, %.0f ms off, not timed: with a store interval longer than a round, every store)%n",
                sentIn[0] * (double) batchSize / sendSeconds[0], sentIn[1] * (double) batchSize / sendSeconds[1],
                (sentIn[0] / sendSeconds[0]) / (sentIn[1] / sendSeconds[1]), 1000 * (seconds[0] - sendSeconds[0]) / (rounds / 2.0),
                1000 * (seconds[1] - sendSeconds[1]) / (rounds / 2.0));
        System.out.printf("  rounds, records/s%s (after %d untimed rounds, map off and on in turn); on/off of the rounds' medians %.3f%n", perRoundRates,
                warmed, median(roundRates.get(0)) / median(roundRates.get(1)));
        System.out.printf("  per bulk, ms     %s (log transaction phases: waiting for the lock, then under it)%n", phaseReport);
        System.out.printf("  map, ms per 1000  %s (the integrator's work, map rounds and catch-up)%n", mapReport);
        System.out.printf("  cpu, map on      %s%n", CpuMeter.format(cpu.get(0), sentIn[0] * (double) batchSize, "record"));
        System.out.printf("  cpu, map off     %s%n", CpuMeter.format(cpu.get(1), sentIn[1] * (double) batchSize, "record"));
        System.out.printf("  gc pauses        map on %d, %.1f %% of the rounds' time (%.0f ms each); off %d, %.1f %% (%.0f ms each): every thread, the load client's too, stops%n",
                gcPauses[0], 100 * gcPauseMillis[0] / (1000 * seconds[0]), gcPauseMillis[0] / (double) Math.max(1, gcPauses[0]),
                gcPauses[1], 100 * gcPauseMillis[1] / (1000 * seconds[1]), gcPauseMillis[1] / (double) Math.max(1, gcPauses[1]));
        System.out.printf("  database, map on  %s%n", perRecord(written.get(0), sentIn[0] * (double) batchSize));
        System.out.printf("  database, map off %s%n%n", perRecord(written.get(1), sentIn[1] * (double) batchSize));
        statementReport((sentIn[0] + sentIn[1]) * (double) batchSize).forEach(line -> System.out.println("  " + line));
    }

    protected abstract String database();

    /**
     * Collections so far and their time in ms, over the collectors that stop the JVM. With G1 that is the young and
     * mixed pauses (and full ones); its concurrent marking stops no thread, and the bean newer JDKs add for it
     * ("G1 Concurrent GC", JDK 20 and later, also ZGC's cycles) is left out.
     */
    /** Stop-the-world collections so far: count and milliseconds. */
    static long[] gcPauses() {
        long count = 0;
        long millis = 0;
        for (java.lang.management.GarbageCollectorMXBean gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc.getName().contains("Concurrent") || gc.getName().contains("Cycles")) {
                continue;
            }
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    @jakarta.inject.Inject
    javax.sql.DataSource dataSource;

    /** Whether the database is PostgreSQL: its write counters and statement statistics are then reported. */
    protected boolean onPostgres() {
        return false;
    }

    /** The median: one round that a hiccup of the shared machine slowed does not move it (the per-round rates show such rounds). */
    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * Cumulative write counters of the database (write-ahead log bytes and full-page images, row updates
     * and how many of them were heap-only), where it has them; a round's delta, per record, says what its
     * writes cost the database beyond CPU.
     */
    private java.util.Map<String, Long> databaseCounters() {
        return onPostgres() ? new PostgresStatistics(dataSource).counters() : java.util.Map.of();
    }

    /** Starts the per-statement statistics afresh, where the database keeps them ({@code -Dbench.pgStatements=true}). */
    private void resetStatementStatistics() {
        if (onPostgres()) {
            new PostgresStatistics(dataSource).resetStatements();
        }
    }

    /** The statements that took the database's time since {@link #resetStatementStatistics}, per record; empty without statistics. */
    private List<String> statementReport(double records) {
        return onPostgres() ? new PostgresStatistics(dataSource).statementReport(records, "record") : List.of();
    }

    private static String perRecord(java.util.Map<String, Long> counters, double records) {
        StringBuilder out = new StringBuilder(counters.isEmpty() ? "(no counters for this database)" : "per record:");
        counters.forEach((name, value) -> out.append(String.format(" %s %.2f", name, value / records)));
        return out.toString();
    }

    /** Posts every body from the pool's clients, as many at once as it has threads, and waits for all answers. */
    private static void sendAll(java.util.concurrent.ExecutorService pool, Org maker, List<String> bodies) {
        List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
        for (String body : bodies) {
            sent.add(pool.submit(() -> post(maker, body)));
        }
        for (var future : sent) {
            try {
                future.get();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A plain JDK client, so that the client's own cost stays small next to the server's. */
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static void post(Org maker, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/api/v1/records/bulk"))
                .header("Authorization", "Bearer " + maker.token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new AssertionError("bulk request failed: " + response.statusCode() + " " + response.body());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Single-threaded raw Bouncy Castle verification of the same canonical bytes. */
    private static double rawVerify(List<List<SignedRecord>> work, Org maker) {
        Ed25519PublicKeyParameters key = new Ed25519PublicKeyParameters(maker.key.publicKey().rawEd25519());
        List<byte[]> messages = new ArrayList<>();
        List<byte[]> signatures = new ArrayList<>();
        for (List<SignedRecord> batch : work) {
            for (SignedRecord r : batch) {
                messages.add(r.record().canonicalBytes());
                signatures.add(r.signatures().get(0).value());
            }
        }
        Ed25519Signer signer = new Ed25519Signer();
        long start = System.nanoTime();
        int ok = 0;
        for (int i = 0; i < messages.size(); i++) {
            signer.init(false, key);
            signer.update(messages.get(i), 0, messages.get(i).length);
            ok += signer.verifySignature(signatures.get(i)) ? 1 : 0;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (ok != messages.size()) {
            throw new IllegalStateException("raw verification failed");
        }
        return messages.size() / seconds;
    }
}

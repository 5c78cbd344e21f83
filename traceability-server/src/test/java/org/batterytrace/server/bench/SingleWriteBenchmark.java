package org.batterytrace.server.bench;

import io.micrometer.core.instrument.MeterRegistry;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.batterytrace.identity.BatteryCode;
import org.batterytrace.identity.Chemistry;
import org.batterytrace.identity.ProductLevel;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.Json;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.server.Platform.Org;
import org.batterytrace.server.Platform;
import org.batterytrace.server.log.CheckpointIntegrator;
import org.batterytrace.server.record.GroupCommit;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.Test;

/**
 * Single-record writes against bulk ingest, in one run (the performance issue's goals): 64 concurrent
 * clients each posting one record per request, with group commit on and off; single-write latency
 * open-loop at half the measured single-write rate; and single-write latency beside a stream of
 * 5,000-record bulks (fairness). Baselines in the same run: bulk ingest from 2 clients (half before the
 * singles, half after, with the map caught up before each) and raw single-thread Bouncy Castle Ed25519
 * verification (before and after). Latencies are measured from each request's
 * scheduled send time, so a stalled server cannot hide its queue (no coordinated omission). The clients
 * use {@link SelectorClient} (the single writes) and {@link LeanHttp} (the bulks), so that the load generator's CPU stays small beside the server's. Not part
 * of the test suite; on PostgreSQL:
 * {@code ./mvnw -pl traceability-server -am verify -DskipITs -Dtest=PostgresSingleWriteBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 * Sizes: {@code -Dbench.clients=64 -Dbench.singles=16000 -Dbench.bulks=8 -Dbench.seconds=10}.
 */
public abstract class SingleWriteBenchmark {
    private static final int BULK = 5000;
    private final int clients = Integer.getInteger("bench.clients", 64);
    private final int singles = Integer.getInteger("bench.singles", 16_000);
    private final int bulks = Integer.getInteger("bench.bulks", 8);
    /**
     * Warm-up round before anything is timed: single writes and 5,000-record bulks through the whole path,
     * repeated until the JIT is quiet ({@link JitWarmUp}). The JIT compiler (C2) takes seconds per large method
     * on these shared cores; a shorter warm-up (2,000 singles, 2 bulks) left it compiling through the timed
     * phases, with most of a core.
     */
    private final int warmSingles = Integer.getInteger("bench.warmSingles", 30_000);
    private final int warmBulks = Integer.getInteger("bench.warmBulks", 6);
    private final int seconds = Integer.getInteger("bench.seconds", 10);
    /**
     * The single writes' clients as a thread each on a blocking connection ({@link LeanHttp}), as before {@link SelectorClient}
     * drove all their connections from one thread: to compare the client's CPU per request.
     */
    private final boolean blockingClients = Boolean.getBoolean("bench.blockingClients");
    /** Single writes per second beside the bulks in the fairness run. */
    private final int fairnessRate = Integer.getInteger("bench.fairnessRate", 50);

    @Inject
    GroupCommit groupCommit;
    @Inject
    CheckpointIntegrator integrator;
    @Inject
    MeterRegistry metrics;

    private Org maker;
    private final AtomicInteger serial = new AtomicInteger((int) (System.nanoTime() % 1_000_000));
    private Instant time;

    protected abstract String database();

    @Inject
    javax.sql.DataSource dataSource;

    /** Whether the database is PostgreSQL: its statement statistics are then reported ({@code -Dbench.pgStatements=true}). */
    protected boolean onPostgres() {
        return false;
    }

    private void resetStatementStatistics() {
        if (onPostgres()) {
            new PostgresStatistics(dataSource).resetStatements();
        }
    }

    /** The statements that took the database's time since {@link #resetStatementStatistics}, per request; empty without statistics. */
    private List<String> statementReport(double requests) {
        return onPostgres() ? new PostgresStatistics(dataSource).statementReport(requests, "request") : List.of();
    }

    /** Marks a phase in JVM uptime, to line it up with compilation logs and profiles of the same run. */
    private static void mark(String phase) {
        System.out.printf("[bench] %s at uptime %.3f s%n", phase, java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
    }

    /**
     * With {@code -Dbench.profile=FILE} and {@code -Dbench.asyncProfiler=DIR} (async-profiler 3's jar unpacked): a
     * CPU profile of the timed single writes alone, in collapsed stacks per thread. JFR's sampling slowed this
     * phase fivefold and saw few threads at a time.
     */
    private static Object profileStart() throws ReflectiveOperationException, java.net.MalformedURLException {
        String dir = System.getProperty("bench.asyncProfiler");
        if (dir == null || System.getProperty("bench.profile") == null) {
            return null;
        }
        java.nio.file.Path home = java.nio.file.Path.of(dir);
        ClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] {home.resolve("async-profiler-3.0.jar").toUri().toURL()}, null);
        Object profiler = loader.loadClass("one.profiler.AsyncProfiler").getMethod("getInstance", String.class)
                .invoke(null, home.resolve("linux-x64/libasyncProfiler.so").toString());
        profiler.getClass().getMethod("execute", String.class).invoke(profiler, "start,event=itimer,interval=2ms,threads");
        return profiler;
    }

    private static void profileStop(Object profiler) throws ReflectiveOperationException {
        if (profiler != null) {
            profiler.getClass().getMethod("execute", String.class).invoke(profiler, "stop,collapsed,file=" + System.getProperty("bench.profile"));
        }
    }

    @Test
    void singleWritesAgainstBulk() throws Exception {
        maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        http = new LeanHttp(java.net.URI.create(RestAssured.baseURI).getHost(), RestAssured.port);
        selectorClient = new SelectorClient(java.net.URI.create(RestAssured.baseURI).getHost(), RestAssured.port);
        time = Instant.now().truncatedTo(ChronoUnit.MILLIS).plusSeconds(1);
        Thread.sleep(1100); // records carry a time just after the key's registration

        // Warm-up of every path, outside the timing, until the JIT compilers are nearly idle.
        record WarmUp(List<String> bulks, List<String> singles) {
        }
        JitWarmUp.untilQuiet("bulks and singles", 2, n -> new WarmUp(bulkBodies(warmBulks / 2), singleBodies(warmSingles / 2)), work -> {
            work.bulks().forEach(body -> post("/api/v1/records/bulk", body, 201));
            runClosedLoop(work.singles(), clients);
        });
        List<String> verifyWork = singleBodies(20_000);
        rawVerify(verifyWork);

        double raw = rawVerify(verifyWork);
        // The bulk baseline runs in two halves, before and after the singles (like the raw baseline), so that the
        // machine's drift weighs on both alike; the map catches up with the warm-up's records first, or the first
        // half pays for them (0.42-0.61 x raw against 0.77-0.89 x in later rounds of one run).
        List<String> bulkWork = bulkBodies(bulks);
        integrator.integrate();
        settle();
        CpuMeter bulkMeter = CpuMeter.start();
        LogPhases bulkPhases = LogPhases.start(metrics);
        mark("bulks start");
        double bulkBefore = runBulks(bulkWork.subList(0, bulks / 2));
        mark("bulks end");
        String bulkPhaseReport = bulkPhases.perUnit(bulks / 2, " %s %.1f ms");
        Map<String, Long> bulkCpuBefore = bulkMeter.elapsed();
        List<String> singleWork = singleBodies(singles);
        integrator.integrate();
        settle();
        LogPhases phases = LogPhases.start(metrics);
        GroupCommitTimes singlesGroups = GroupCommitTimes.start(metrics);
        long startSingles = System.nanoTime();
        resetStatementStatistics();
        CpuMeter singlesMeter = CpuMeter.start();
        mark("singles start");
        Object profile = profileStart();
        double groupedSingles = runClosedLoop(singleWork, clients);
        profileStop(profile);
        mark("singles end");
        String singlesCpu = singlesMeter.perUnit(singleWork.size(), "request");
        List<String> singlesStatements = statementReport(singleWork.size());
        double singlesElapsed = (System.nanoTime() - startSingles) / 1e9;
        long groups = singlesGroups.groups();
        double groupBusy = singlesGroups.busySeconds();
        String phaseReport = phases.perUnit(groups, " %s %.1f ms");
        groupCommit.enable(false);
        double aloneSingles;
        try {
            List<String> aloneWork = singleBodies(Math.max(1000, singles / 4));
            settle();
            aloneSingles = runClosedLoop(aloneWork, clients);
        } finally {
            groupCommit.enable(true);
        }
        integrator.integrate();
        settle();
        CpuMeter bulkMeterAfter = CpuMeter.start();
        double bulkAfter = runBulks(bulkWork.subList(bulks / 2, bulks));
        Map<String, Long> bulkCpuTotal = new TreeMap<>(bulkCpuBefore);
        CpuMeter.add(bulkCpuTotal, bulkMeterAfter.elapsed());
        String bulkCpu = CpuMeter.format(bulkCpuTotal, bulks * (double) BULK, "record");
        double bulk = (bulkBefore + bulkAfter) / 2;
        double halfRate = groupedSingles / 2;
        List<String> halfBodies = singleBodies((int) (halfRate * seconds));
        // Half load is a steady state: the map first catches up with the bulks just sent, as before each bulk round, and
        // the database vacuums what the phases before left (without it, PostgreSQL's automatic vacuums of map_tile and
        // battery ran in the phase's first seconds, and the queue they caused set its p99: 563.4 ms in one run).
        integrator.integrate();
        long vacuumMillis = onPostgres() ? new PostgresStatistics(dataSource).vacuumNow() : 0;
        GroupCommitTimes halfGroups = GroupCommitTimes.start(metrics);
        java.sql.Timestamp halfStart = onPostgres() ? new PostgresStatistics(dataSource).now() : null;
        OpenLoop half = runOpenLoop(halfBodies, halfRate, null);
        String halfAutovacuums = onPostgres() ? new PostgresStatistics(dataSource).autovacuumsSince(halfStart) : " (not PostgreSQL)";
        long[] atHalf = half.latencies();
        String halfLog = String.format("single writes waited for their transaction %s, which took %s; GC pauses %d, %d ms in all; slowest write per second of the schedule, ms:%s",
                halfGroups.percentiles("trace.log.group.wait", "small"), halfGroups.percentiles("trace.log.group.commit", "small"), half.gcPauses(),
                half.gcMillis(), slowestPerSecond(atHalf, halfRate));
        GroupCommitTimes besideBulksGroups = GroupCommitTimes.start(metrics);
        Map<String, Double> aheadBefore = rowsAheadOutcomes();
        long[] besideBulks = runOpenLoop(singleBodies(fairnessRate * seconds), fairnessRate, bulkBodies(Math.max(4, seconds * 2))).latencies();
        Map<String, Double> aheadAfter = rowsAheadOutcomes();
        StringBuilder aheadOutcomes = new StringBuilder();
        aheadAfter.forEach((outcome, n) -> aheadOutcomes.append(String.format(" %s %.0f", outcome, n - aheadBefore.getOrDefault(outcome, 0.0))));
        String besideBulksLog = String.format("single writes waited for their transaction %s, which took %s; bulk transactions %s; bulks' rows ahead:%s",
                besideBulksGroups.percentiles("trace.log.group.wait", "small"), besideBulksGroups.percentiles("trace.log.group.commit", "small"),
                besideBulksGroups.percentiles("trace.log.group.commit", "bulk"), aheadOutcomes);
        // The same with bulks queued for the writer thread, as before bulks wrote their battery rows ahead of the lock.
        groupCommit.writeBulksAhead(false);
        long[] besideBulksQueued;
        GroupCommitTimes queuedGroups = GroupCommitTimes.start(metrics);
        try {
            besideBulksQueued = runOpenLoop(singleBodies(fairnessRate * seconds), fairnessRate, bulkBodies(Math.max(4, seconds * 2))).latencies();
        } finally {
            groupCommit.writeBulksAhead(true);
        }
        String besideBulksQueuedLog = String.format("single writes waited for their transaction %s, which took %s; bulk transactions %s",
                queuedGroups.percentiles("trace.log.group.wait", "small"), queuedGroups.percentiles("trace.log.group.commit", "small"),
                queuedGroups.percentiles("trace.log.group.commit", "bulk"));
        groupCommit.enable(false);
        long[] besideBulksAlone;
        try {
            besideBulksAlone = runOpenLoop(singleBodies(fairnessRate * seconds), fairnessRate, bulkBodies(Math.max(4, seconds * 2))).latencies();
        } finally {
            groupCommit.enable(true);
        }
        double rawAgain = rawVerify(verifyWork);

        double rawMean = (raw + rawAgain) / 2;
        System.out.printf("%n=== single-write benchmark (%s) ===%n", database());
        System.out.printf("raw BC Ed25519       %,.0f verifications/s on one thread (before %,.0f, after %,.0f)%n", rawMean, raw, rawAgain);
        System.out.printf("bulk ingest          %,.0f records/s (2 clients x %,d-record requests; before the singles %,.0f, after %,.0f) = %.2f x raw%n", bulk, BULK,
                bulkBefore, bulkAfter, bulk / rawMean);
        System.out.printf("  cpu                %s%n", bulkCpu);
        System.out.printf("  per bulk           %s (before the singles; \"lock\" is the wait for it)%n", bulkPhaseReport);
        System.out.printf("single, group commit %,.0f records/s (%d clients, 1 record per request) = %.2f x bulk%n", groupedSingles, clients, groupedSingles / bulk);
        System.out.printf("  cpu                %s%n", singlesCpu);
        System.out.printf("  groups              %,d groups of %.1f requests on average; the writer was busy %.0f %% of the time (%.1f ms per group)%n", groups,
                singleWork.size() / (double) groups, 100 * groupBusy / singlesElapsed, 1000 * groupBusy / groups);
        System.out.printf("  per group          %s; the rest of %.1f ms is the commit and transaction overhead%n", phaseReport, 1000 * groupBusy / groups);
        singlesStatements.forEach(line -> System.out.println("  " + line));
        System.out.printf("single, no grouping  %,.0f records/s (%d clients, a transaction per request) = %.2f x bulk; grouped/alone %.1f%n", aloneSingles, clients,
                aloneSingles / bulk, groupedSingles / aloneSingles);
        System.out.printf("latency at half load %s (open loop at %,.0f/s, after a VACUUM (ANALYZE) of %,d ms)%n", percentiles(atHalf), halfRate, vacuumMillis);
        System.out.printf("  in the log          %s%n", halfLog);
        System.out.printf("  cpu                %s; PostgreSQL's automatic vacuums and analyses:%s%n", CpuMeter.format(half.cpu(), atHalf.length, "request"), halfAutovacuums);
        System.out.printf("beside bulks, grouped %s (singles at %d/s while 2 clients send %,d-record bulks)%n", percentiles(besideBulks), fairnessRate, BULK);
        System.out.printf("  in the log          %s%n", besideBulksLog);
        System.out.printf("beside bulks, queued  %s (bulks queued for the writer thread, their battery rows written under the lock); p99 ahead/queued %.2f%n",
                percentiles(besideBulksQueued), p99(besideBulks) / p99(besideBulksQueued));
        System.out.printf("  in the log          %s%n", besideBulksQueuedLog);
        System.out.printf("beside bulks, alone   %s%n%n", percentiles(besideBulksAlone));
    }

    private static String percentiles(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format("p50 %.1f ms, p99 %.1f ms, max %.1f ms over %d writes", at(sorted, 0.50), at(sorted, 0.99), sorted[sorted.length - 1] / 1e6, sorted.length);
    }

    private static double p99(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return at(sorted, 0.99);
    }

    private static double at(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }

    /** Bulk requests from two clients, one after another each: records per second. */
    private double runBulks(List<String> bodies) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        long start = System.nanoTime();
        List<Future<?>> sent = new ArrayList<>();
        for (String body : bodies) {
            sent.add(pool.submit(() -> post("/api/v1/records/bulk", body, 201)));
        }
        for (Future<?> f : sent) {
            f.get();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        return bodies.size() * (double) BULK / elapsed;
    }

    /** Each of {@code threads} clients sends its next single record as soon as the previous one is answered: records per second. */
    private double runClosedLoop(List<String> bodies, int threads) throws Exception {
        if (!blockingClients) {
            long start = System.nanoTime();
            onClientThread("client-closed-loop", () -> {
                selectorClient.closedLoop("/api/v1/records", "Bearer " + maker.token, bodies, threads, 201);
                return null;
            });
            return bodies.size() / ((System.nanoTime() - start) / 1e9);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < bodies.size(); i = next.getAndIncrement()) {
                    post("/api/v1/records", bodies.get(i), 201);
                }
                CpuMeter.clientThreadEnds();
            }));
        }
        for (Future<?> w : workers) {
            w.get();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS); // ended: their CPU is counted once, as the client's
        return bodies.size() / elapsed;
    }

    /** An open-loop phase: each write's latency, in the order of their scheduled sends, and its stop-the-world collections. */
    private record OpenLoop(long[] latencies, long gcPauses, long gcMillis, Map<String, Long> cpu) {
    }

    /**
     * Single records sent on a fixed schedule ({@code rate} per second), each answered latency taken
     * from its scheduled time; with {@code bulks}, two clients keep sending those meanwhile. The singles go
     * out over {@code clients} kept-alive connections, all driven by one thread ({@link SelectorClient}), as wrk2 does: a record whose time has come while all
     * are busy waits for one, and that wait counts in its latency. (A connection per record in flight, as
     * before, turned any stall into thousands of new threads and connections, and the load generator's
     * own collapse into the server's figures.)
     */
    private OpenLoop runOpenLoop(List<String> bodies, double rate, List<String> bulks) throws Exception {
        settle();
        long[] gcBefore = IngestBenchmark.gcPauses();
        CpuMeter meter = CpuMeter.start();
        ExecutorService bulkSenders = Executors.newFixedThreadPool(2);
        AtomicBoolean done = new AtomicBoolean();
        List<Future<?>> bulkClients = new ArrayList<>();
        if (bulks != null) {
            AtomicInteger nextBulk = new AtomicInteger();
            for (int c = 0; c < 2; c++) {
                bulkClients.add(bulkSenders.submit(() -> {
                    for (int i = nextBulk.getAndIncrement(); i < bulks.size() && !done.get(); i = nextBulk.getAndIncrement()) {
                        post("/api/v1/records/bulk", bulks.get(i), 201);
                    }
                }));
            }
            Thread.sleep(500); // the bulks are under way before the first single write
        }
        long[] latencies;
        if (!blockingClients) {
            latencies = onClientThread("client-open-loop", () -> selectorClient.openLoop("/api/v1/records", "Bearer " + maker.token, bodies, rate, clients, 201));
        } else {
            latencies = blockingOpenLoop(bodies, rate);
        }
        done.set(true);
        for (Future<?> f : bulkClients) {
            f.get();
        }
        bulkSenders.shutdown();
        long[] gcAfter = IngestBenchmark.gcPauses();
        return new OpenLoop(latencies, gcAfter[0] - gcBefore[0], gcAfter[1] - gcBefore[1], meter.elapsed());
    }

    /** Runs {@code work} on a client thread of its own and waits for that thread to end: its CPU then counts once, as the client's. */
    private static <T> T onClientThread(String name, java.util.concurrent.Callable<T> work) throws Exception {
        ExecutorService one = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, name));
        try {
            return one.submit(() -> {
                T result = work.call();
                CpuMeter.clientThreadEnds();
                return result;
            }).get();
        } finally {
            one.shutdown();
            one.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** The open loop's singles from a thread per connection ({@code -Dbench.blockingClients=true}). */
    private long[] blockingOpenLoop(List<String> bodies, double rate) throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(clients);
        long[] latencies = new long[bodies.size()]; // in the order of their scheduled sends; each written by one sender
        long intervalNanos = (long) (1e9 / rate);
        long start = System.nanoTime();
        List<Future<?>> sent = new ArrayList<>(bodies.size());
        for (int i = 0; i < bodies.size(); i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            String body = bodies.get(i);
            int index = i;
            sent.add(senders.submit(() -> {
                post("/api/v1/records", body, 201);
                latencies[index] = System.nanoTime() - due;
            }));
        }
        for (Future<?> f : sent) {
            f.get();
        }
        senders.shutdown();
        return latencies;
    }

    /**
     * A full collection before a timed phase. The phase's request bodies were just made, in this JVM: without it,
     * the server's young collections during the phase would copy them (tens of megabytes, live to the phase's end)
     * again and again, and their pauses, which stop the server, would include the load generator's data.
     */
    private static void settle() {
        System.gc();
    }

    /** The slowest write among those scheduled in each second of an open-loop phase: whether its tail is one stall or spread out. */
    private static String slowestPerSecond(long[] latencies, double rate) {
        StringBuilder slowest = new StringBuilder();
        int perSecond = (int) Math.ceil(rate);
        for (int from = 0; from < latencies.length; from += perSecond) {
            long max = 0;
            for (int i = from; i < Math.min(latencies.length, from + perSecond); i++) {
                max = Math.max(max, latencies[i]);
            }
            slowest.append(String.format(" %.0f", max / 1e6));
        }
        return slowest.toString();
    }

    private SignedRecord produced() {
        String code = BatteryCode.of("H5N", ProductLevel.CELL, Chemistry.LFP, "B2", "SNGLWR1", LocalDate.of(2026, 3, 14), serial.incrementAndGet()).value();
        var data = Json.object();
        data.put("ratedCapacityMah", 280_000);
        return SignedRecord.sign(TraceRecord.of(code, 1, null, "PRODUCED", time, maker.id, data), maker.key);
    }

    private List<String> singleBodies(int n) {
        return IntStream.range(0, n).parallel().mapToObj(i -> produced().toJson().toString()).toList();
    }

    /** {@code trace.log.rows.ahead} by outcome (written, refused, gave-way): how often bulks kept the rows they wrote ahead. */
    private Map<String, Double> rowsAheadOutcomes() {
        Map<String, Double> outcomes = new TreeMap<>();
        metrics.find("trace.log.rows.ahead").counters().forEach(c -> outcomes.merge(c.getId().getTag("outcome"), c.count(), Double::sum));
        return outcomes;
    }

    private List<String> bulkBodies(int n) {
        return IntStream.range(0, n).parallel().mapToObj(b -> Platform.bulkBody(IntStream.range(0, BULK).mapToObj(i -> produced()).toList())).toList();
    }

    private LeanHttp http;
    private SelectorClient selectorClient;

    private void post(String path, String body, int expected) {
        LeanHttp.Response response = http.post(path, "Bearer " + maker.token, body);
        if (response.status() != expected) {
            throw new AssertionError(path + " answered " + response.status() + ": " + response.body());
        }
    }

    /** Single-threaded raw Bouncy Castle verification of the single records' canonical bytes. */
    private double rawVerify(List<String> bodies) {
        Ed25519PublicKeyParameters key = new Ed25519PublicKeyParameters(maker.key.publicKey().rawEd25519());
        List<SignedRecord> records = bodies.stream().map(SignedRecord::parse).toList();
        byte[][] messages = records.stream().map(r -> r.record().canonicalBytes()).toArray(byte[][]::new);
        byte[][] signatures = records.stream().map(r -> r.signatures().get(0).value()).toArray(byte[][]::new);
        Ed25519Signer signer = new Ed25519Signer();
        long start = System.nanoTime();
        int ok = 0;
        for (int i = 0; i < messages.length; i++) {
            signer.init(false, key);
            signer.update(messages[i], 0, messages[i].length);
            ok += signer.verifySignature(signatures[i]) ? 1 : 0;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (ok != messages.length) {
            throw new IllegalStateException("raw verification failed");
        }
        return messages.length / elapsed;
    }
}

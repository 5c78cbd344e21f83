package org.batterytrace.server.bench;

import io.restassured.RestAssured;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import org.batterytrace.server.ServerProcess;
import org.junit.jupiter.api.Test;

/**
 * Restart under load, and storage per record, with a large log on PostgreSQL. Two packaged PostgreSQL
 * servers (target/postgresql) share one embedded PostgreSQL; the log is filled over HTTP with bulks of
 * new batteries to {@code bench.records} entries (default 1,000,000). Then instance B is killed with
 * SIGKILL and restarted twice: once idle (the baseline of the same run), once while bulk and
 * single-record clients keep writing to both instances (B's clients retry until it answers). Each
 * restart reports the time from process start to the first 200 on {@code /q/health/ready} and to the
 * first accepted single write on B, and a breakdown of start-up from B's log. The storage report is
 * {@code pg_total_relation_size} per table (heap, TOAST and indexes) divided by the log size.
 * <p>
 * Not part of the test suite (it needs the packaged jar, so it runs under failsafe):
 * {@code ./mvnw -pl traceability-server -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=PostgresRestartBenchmark}.
 * {@code -Dbench.keep=true} keeps the database in target/restart-bench for the next run (which then only
 * tops it up); {@code -Dbench.loadSeconds=10} is how long load runs before the kill; {@code -Dbench.storageOnly=true}
 * stops after the storage report.
 */
class PostgresRestartBenchmark {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final int BULK = 5_000;
    private static final Pattern LOG_TIME = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3})");
    private static final DateTimeFormatter LOG_FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");

    private final long records = Long.getLong("bench.records", 1_000_000);
    private final boolean keep = Boolean.getBoolean("bench.keep");
    /** Records per battery in the fill: 1 = PRODUCED only (every record a new battery: a battery row and a map key each); 10 = PRODUCED, INSTALLED, SOLD, 7 × MAINTAINED. */
    private final int chain = Integer.getInteger("bench.chain", 10);
    private final int loadSeconds = Integer.getInteger("bench.loadSeconds", 10);
    /** Bulks and single records signed before the load starts; the load signs more on the fly if it runs out. */
    private final int loadBulks = Integer.getInteger("bench.loadBulks", 40);
    private final int loadSingles = Integer.getInteger("bench.loadSingles", 20_000);
    /** Two letters of this run in every battery code, so that runs on a kept database do not collide. */
    private final String run = "" + (char) ('A' + ThreadLocalRandom.current().nextInt(26)) + (char) ('A' + ThreadLocalRandom.current().nextInt(26));
    private final AtomicInteger serial = new AtomicInteger();

    @Test
    void restartUnderLoad() throws Exception {
        Path data = Path.of("target", "restart-bench");
        Files.createDirectories(data);
        try (EmbeddedPostgres postgres = ServerProcess.embeddedPostgres(data, !keep, 200)) {
            String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres?reWriteBatchedInserts=true";
            DataSource db = postgres.getPostgresDatabase();
            try (ServerProcess a = ServerProcess.postgres(data, url); ServerProcess b = ServerProcess.postgres(data, url)) {
                b.property("quarkus.debug.print-startup-times", "true");
                a.start();
                b.start();
                RestAssured.port = a.port;
                Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER, Role.VEHICLE_MAKER);
                Thread.sleep(1_100); // records carry a time after the key's registration

                long before = count(db, "SELECT counter FROM log_state WHERE name = 'size'");
                long loadStart = System.nanoTime();
                fill(maker, List.of(a, b), db);
                double fillSeconds = (System.nanoTime() - loadStart) / 1e9;
                long size = count(db, "SELECT counter FROM log_state WHERE name = 'size'");
                System.out.printf("%n=== restart benchmark (embedded PostgreSQL 18, 2 instances) ===%n");
                System.out.printf("log                %,d entries (%,d loaded now in %.0f s: %,.0f records/s, chains of %d records per battery)%n", size,
                        size - before, fillSeconds, (size - before) / fillSeconds, chain);
                waitForMap(db, size);
                storage(db);
                if (Boolean.getBoolean("bench.storageOnly")) {
                    return;
                }

                // Variants of B's start command. Start-up is CPU-bound and half of its CPU is JIT compilation of code that runs
                // once: the production command of the README adds the AppCDS archive the build writes beside the jar and raises the
                // compile thresholds. A JDK 25 (bench.aotJava) runs with an AOT cache (JEP 483/515) recorded by a training start
                // of B against this database.
                Map<String, Variant> variants = new LinkedHashMap<>();
                variants.put("plain", new Variant(JAVA, List.of()));
                Path archive = Path.of(System.getProperty("server.jar.postgresql")).resolveSibling("app-cds.jsa");
                variants.put("README command (AppCDS, fewer compilations)", new Variant(JAVA,
                        List.of("-XX:SharedArchiveFile=" + archive.toAbsolutePath(), "-Xshare:auto", "-XX:CompileThresholdScaling=5")));
                // The build's archive holds only the classes Quarkus loads before runtime init (about 6,300 of 15,500): one
                // recorded by a training start against this database holds Hibernate's, Flyway's and the driver's too.
                Path trained = data.toAbsolutePath().resolve("app-cds-trained.jsa");
                Files.deleteIfExists(trained);
                train(b, maker, JAVA, List.of("-XX:ArchiveClassesAtExit=" + trained));
                if (Files.exists(trained)) {
                    variants.put("AppCDS from a training start, fewer compilations", new Variant(JAVA,
                            List.of("-XX:SharedArchiveFile=" + trained, "-Xshare:auto", "-XX:CompileThresholdScaling=5")));
                }
                String aotJava = System.getProperty("bench.aotJava", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
                if (Files.isExecutable(Path.of(aotJava))) {
                    Path cache = data.toAbsolutePath().resolve("app.aot");
                    Files.deleteIfExists(cache);
                    train(b, maker, aotJava, List.of("-XX:AOTCacheOutput=" + cache));
                    if (Files.exists(cache)) {
                        variants.put("JDK 25 + AOT cache, fewer compilations", new Variant(aotJava, List.of("-XX:AOTCache=" + cache, "-XX:CompileThresholdScaling=5")));
                    }
                }
                Map<String, List<Restart>> idle = new LinkedHashMap<>();
                Map<String, List<Restart>> loaded = new LinkedHashMap<>();
                for (var variant : variants.entrySet()) {
                    b.java(variant.getValue().java()).jvmOptions(variant.getValue().options());
                    idle.computeIfAbsent(variant.getKey(), k -> new ArrayList<>()).add(restart(b, maker, null, db));
                }
                // Load signed in advance, so that the clients' signing does not compete with the servers for the cores.
                Load load = new Load(maker, a, b, presign(maker, loadBulks, BULK), presign(maker, 1, loadSingles).get(0));
                load.start();
                Thread.sleep(loadSeconds * 1000L);
                List<String> order = new ArrayList<>(variants.keySet());
                List<String> abba = new ArrayList<>(order);
                java.util.Collections.reverse(abba);
                order.addAll(abba); // A B B A: drift of the load weighs on every variant alike
                for (String variant : order) {
                    b.java(variants.get(variant).java()).jvmOptions(variants.get(variant).options());
                    loaded.computeIfAbsent(variant, k -> new ArrayList<>()).add(restart(b, maker, load, db));
                    Thread.sleep(3_000);
                }
                // The same restarts with B on a core of its own, as an instance with CPUs of its own starts in production:
                // A, PostgreSQL and the clients keep loading the other core, so B waits for a loaded database and log lock,
                // not for a share of a core.
                Map<String, List<Restart>> ownCore = new LinkedHashMap<>();
                long postmaster = Long.parseLong(Files.readAllLines(data.resolve("pgdata").resolve("postmaster.pid")).get(0).trim());
                if (pin(List.of(ProcessHandle.current().pid(), a.pid(), postmaster), "1")) {
                    b.cpus("0");
                    for (String variant : order) {
                        b.java(variants.get(variant).java()).jvmOptions(variants.get(variant).options());
                        ownCore.computeIfAbsent(variant, k -> new ArrayList<>()).add(restart(b, maker, load, db));
                        Thread.sleep(3_000);
                    }
                    b.cpus(null);
                    pin(List.of(ProcessHandle.current().pid(), a.pid(), postmaster), "0-1");
                }
                load.stop();
                System.out.printf("load during the restarts: %,d bulk records and %,d single records accepted by both instances; %,d requests failed or were refused%n",
                        load.bulkRecords.get(), load.singles.get(), load.failures.get());
                for (String variant : variants.keySet()) {
                    Restart quiet = idle.get(variant).get(0);
                    double ready = loaded.get(variant).stream().mapToDouble(Restart::ready).average().orElse(-1);
                    double write = loaded.get(variant).stream().mapToDouble(Restart::firstWrite).average().orElse(-1);
                    System.out.printf("%nrestart (%s)   idle: ready %.2f s, first write %.2f s; under load (mean of %d): ready %.2f s, first write %.2f s (%.1f × idle)%n",
                            variant, quiet.ready, quiet.firstWrite, loaded.get(variant).size(), ready, write, write / quiet.firstWrite);
                    System.out.println("start-up, idle:");
                    quiet.breakdown.forEach(line -> System.out.println("  " + line));
                    for (Restart r : loaded.get(variant)) {
                        System.out.println("start-up, under load:");
                        r.breakdown.forEach(line -> System.out.println("  " + line));
                    }
                    if (ownCore.containsKey(variant)) {
                        System.out.printf("under load, B on a core of its own and everything else on the other (mean of %d): ready %.2f s, first write %.2f s%n",
                                ownCore.get(variant).size(), ownCore.get(variant).stream().mapToDouble(Restart::ready).average().orElse(-1),
                                ownCore.get(variant).stream().mapToDouble(Restart::firstWrite).average().orElse(-1));
                        for (Restart r : ownCore.get(variant)) {
                            System.out.println("start-up, under load, on a core of its own:");
                            r.breakdown.forEach(line -> System.out.println("  " + line));
                        }
                    }
                }
                System.out.println();
            }
        }
    }

    /** The JVM running the tests (JDK 17 in the build). */
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private record Variant(String java, List<String> options) {
    }

    /** Moves processes, all their threads and their child processes (PostgreSQL's backends) to {@code cpus}; false where taskset cannot. */
    private static boolean pin(List<Long> pids, String cpus) throws Exception {
        List<Long> all = new ArrayList<>();
        for (long pid : pids) {
            all.add(pid);
            ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(d -> all.add(d.pid())));
        }
        boolean pinned = true;
        for (long pid : all) {
            try {
                Process taskset = new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, Long.toString(pid)).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                pinned &= taskset.waitFor() == 0 || ProcessHandle.of(pid).isEmpty(); // a backend that ended meanwhile
            } catch (java.io.IOException e) {
                return false;
            }
        }
        return pinned;
    }

    /** A training start of B with {@code options}, a few requests of each kind, and a stop (the JVM writes its archive as it exits). */
    private void train(ServerProcess b, Org maker, String java, List<String> options) throws Exception {
        b.kill();
        b.java(java).jvmOptions(options).start();
        for (int i = 0; i < 50; i++) { // so that the requests' classes (and, for the AOT cache, profiles) are recorded too
            postOne(b.port, maker);
            get(b.port, "/q/health/ready");
            get(b.port, "/api/v1/log/checkpoint");
        }
        b.stop();
        b.java(JAVA).jvmOptions(List.of());
    }

    private record Restart(double ready, double firstWrite, List<String> breakdown) {
    }

    /** Kills B, starts it again and times readiness and the first accepted write from the process start. */
    private Restart restart(ServerProcess b, Org maker, Load load, DataSource db) throws Exception {
        b.kill();
        Thread.sleep(2_000); // B's clients meet a closed port meanwhile
        long launched = System.nanoTime();
        Instant launchedAt = Instant.now();
        b.launch();
        // Two probes of their own, so that a write waiting on a starting server does not delay the readiness poll.
        double[] cpuAtReady = {-1};
        var readyProbe = java.util.concurrent.CompletableFuture.supplyAsync(() -> until(launched, () -> {
            if (status(get(b.port, "/q/health/ready")) != 200) {
                return false;
            }
            cpuAtReady[0] = b.cpuSeconds();
            return true;
        }));
        var writeProbe = java.util.concurrent.CompletableFuture.supplyAsync(() -> until(launched, () -> status(postOne(b.port, maker)) == 201));
        double ready = readyProbe.get();
        double firstWrite = writeProbe.get();
        List<String> breakdown = breakdown(b.log(), launchedAt);
        breakdown.add(String.format("first 200 on /q/health/ready  %6.2f s, having used %.1f s of CPU (%.0f %% of one core over the start)", ready, cpuAtReady[0],
                100 * cpuAtReady[0] / ready));
        breakdown.add(String.format("first accepted write          %6.2f s", firstWrite));
        if (load != null) {
            breakdown.add(String.format("load during the restart: log size %,d", count(db, "SELECT counter FROM log_state WHERE name = 'size'")));
        }
        return new Restart(ready, firstWrite, breakdown);
    }

    /** Seconds from {@code launched} until {@code probe} succeeds (tried every 20 ms, for at most 5 minutes); -1 if it never does. */
    private static double until(long launched, java.util.function.BooleanSupplier probe) {
        while (System.nanoTime() - launched < TimeUnit.MINUTES.toNanos(5)) {
            if (probe.getAsBoolean()) {
                return (System.nanoTime() - launched) / 1e9;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
        return -1;
    }

    /** Seconds from the process start to the log lines that mark the phases of start-up. */
    private static List<String> breakdown(Path log, Instant launchedAt) throws Exception {
        List<String> out = new ArrayList<>();
        String[][] marks = {
                {"first log line (JVM, class loading, Quarkus bootstrap)", ""},
                {"Flyway connected to the database", "Database: jdbc"},
                {"Flyway validated the migrations", "Successfully validated"},
                {"Flyway done (schema up to date)", "is up to date"},
                {"log key loaded (start-up observers)", "transparency log"},
                {"Quarkus started (HTTP listening)", "started in"},
        };
        List<String> lines = Files.readAllLines(log);
        for (String[] mark : marks) {
            for (String line : lines) {
                Matcher m = LOG_TIME.matcher(line);
                if (m.find() && line.contains(mark[1])) {
                    Instant at = LocalDateTime.parse(m.group(1), LOG_FORMAT).atZone(ZoneId.systemDefault()).toInstant();
                    out.add(String.format("%-48s %6.2f s", mark[0], Duration.between(launchedAt, at).toMillis() / 1e3));
                    break;
                }
            }
        }
        for (String line : lines) {
            if (line.contains("started in") || line.contains("WARN") || line.contains("ERROR")) {
                out.add("log: " + line.substring(0, Math.min(220, line.length())));
            }
        }
        return out;
    }

    /** Bulks of new batteries from two clients, alternating between the instances, until the log holds {@code records}. */
    private void fill(Org maker, List<ServerProcess> instances, DataSource db) throws Exception {
        long size = count(db, "SELECT counter FROM log_state WHERE name = 'size'");
        long missing = records - size;
        if (missing <= 0) {
            return;
        }
        // A task takes BULK new batteries through the chain, one bulk request per step.
        int tasks = (int) ((missing + (long) BULK * chain - 1) / ((long) BULK * chain));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> sent = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            int first = t;
            sent.add(pool.submit(() -> {
                List<SignedRecord> heads = new ArrayList<>();
                for (int step = 0; step < chain; step++) {
                    List<SignedRecord> bulk = new ArrayList<>(BULK);
                    for (int i = 0; i < BULK; i++) {
                        bulk.add(step == 0 ? newBattery(maker) : next(maker, heads.get(i), step));
                    }
                    heads = bulk;
                    int port = instances.get((first + step) % instances.size()).port;
                    int status = status(post(port, maker, "/api/v1/records/bulk", Platform.bulkBody(bulk)));
                    if (status != 201) {
                        throw new AssertionError("bulk answered " + status);
                    }
                }
                return null;
            }));
        }
        int done = 0;
        for (Future<?> f : sent) {
            f.get();
            System.out.printf("filled %,d records%n", (long) ++done * BULK * chain);
        }
        pool.shutdown();
    }

    /** Step {@code step} (1-based after PRODUCED) of a battery's chain: INSTALLED, SOLD, then MAINTAINED. */
    private static SignedRecord next(Org maker, SignedRecord head, int step) {
        String type = step == 1 ? "INSTALLED" : step == 2 ? "SOLD" : "MAINTAINED";
        var data = Json.object();
        if (step == 1) {
            data.put("vin", org.batterytrace.identity.Vin.withCheckDigit("LSVAU2180N2183294").value());
        }
        TraceRecord record = TraceRecord.of(head.record().subject(), head.record().seq() + 1, head.hash(), type,
                Instant.now().truncatedTo(ChronoUnit.MILLIS).minusMillis(200), maker.id, data);
        return SignedRecord.sign(record, maker.key);
    }

    private static void waitForMap(DataSource db, long size) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (count(db, "SELECT counter FROM log_state WHERE name = 'map'") < size && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
    }

    /** Bytes per table (heap + TOAST + indexes) and per log entry. */
    private static void storage(DataSource db) throws SQLException {
        long entries = count(db, "SELECT counter FROM log_state WHERE name = 'size'");
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("VACUUM ANALYZE");
            try (ResultSet rs = s.executeQuery("SELECT relname, pg_total_relation_size(c.oid), pg_relation_size(c.oid), pg_indexes_size(c.oid),"
                    + " pg_total_relation_size(c.oid) - pg_relation_size(c.oid) - pg_indexes_size(c.oid)"
                    + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 2 DESC")) {
                long total = 0;
                System.out.printf("storage            %-22s %12s %12s %12s %12s %10s%n", "table", "total", "heap", "indexes", "toast+fsm", "B/entry");
                while (rs.next()) {
                    long t = rs.getLong(2);
                    total += t;
                    if (t >= 1 << 20) {
                        System.out.printf("                   %-22s %,12d %,12d %,12d %,12d %10.1f%n", rs.getString(1), t, rs.getLong(3), rs.getLong(4), rs.getLong(5),
                                t / (double) entries);
                    }
                }
                System.out.printf("                   %-22s %,12d %38s %10.1f%n", "all tables", total, "", total / (double) entries);
            }
            try (ResultSet rs = s.executeQuery("SELECT indexrelid::regclass::text, pg_relation_size(indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid"
                    + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND pg_relation_size(indexrelid) >= 1048576 ORDER BY 2 DESC")) {
                while (rs.next()) {
                    System.out.printf("  index            %-40s %,12d %10.1f B/entry%n", rs.getString(1), rs.getLong(2), rs.getLong(2) / (double) entries);
                }
            }
        }
    }

    /** Bulk and single-record writers on both instances; a refused or failed request is counted and retried after 20 ms. */
    private final class Load {
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong bulkRecords = new AtomicLong();
        final AtomicLong singles = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        final List<Thread> threads = new ArrayList<>();

        Load(Org maker, ServerProcess a, ServerProcess b, List<List<SignedRecord>> bulks, List<SignedRecord> singleRecords) {
            java.util.Queue<String> bulkBodies = new java.util.concurrent.ConcurrentLinkedQueue<>(bulks.stream().map(Platform::bulkBody).toList());
            java.util.Queue<SignedRecord> singleQueue = new java.util.concurrent.ConcurrentLinkedQueue<>(singleRecords);
            int[] ports = {a.port, b.port};
            for (int port : ports) {
                threads.add(new Thread(() -> loop(() -> {
                    String body = bulkBodies.poll();
                    if (status(post(port, maker, "/api/v1/records/bulk", body != null ? body : bulkBody(maker, BULK))) == 201) {
                        bulkRecords.addAndGet(BULK);
                        return true;
                    }
                    return false;
                }), "bulk-" + port));
                for (int i = 0; i < 4; i++) {
                    threads.add(new Thread(() -> loop(() -> {
                        SignedRecord record = singleQueue.poll();
                        if (status(post(port, maker, "/api/v1/records", (record != null ? record : newBattery(maker)).toJson().toString())) == 201) {
                            singles.incrementAndGet();
                            return true;
                        }
                        return false;
                    }), "single-" + port + "-" + i));
                }
            }
        }

        void start() {
            threads.forEach(Thread::start);
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(120_000);
            }
        }

        private void loop(java.util.function.BooleanSupplier request) {
            while (running.get()) {
                if (!request.getAsBoolean()) {
                    failures.incrementAndGet();
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }
    }

    private SignedRecord newBattery(Org maker) {
        int s = serial.getAndIncrement();
        String code = BatteryCode.of("H5N", ProductLevel.CELL, Chemistry.LFP, "B2", "R" + run + String.format("%04d", s / 1_000_000),
                LocalDate.of(2026, 3, 14), s % 1_000_000).value();
        var data = Json.object();
        data.put("ratedCapacityMah", 280_000);
        return SignedRecord.sign(TraceRecord.of(code, 1, null, "PRODUCED", Instant.now().truncatedTo(ChronoUnit.MILLIS).minusMillis(200), maker.id, data), maker.key);
    }

    private String bulkBody(Org maker, int n) {
        List<SignedRecord> records = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            records.add(newBattery(maker));
        }
        return Platform.bulkBody(records);
    }

    /** {@code lists} lists of {@code n} new batteries, signed on all cores. */
    private List<List<SignedRecord>> presign(Org maker, int lists, int n) {
        List<List<SignedRecord>> out = new ArrayList<>();
        for (int l = 0; l < lists; l++) {
            out.add(java.util.stream.IntStream.range(0, n).parallel().mapToObj(i -> newBattery(maker)).toList());
        }
        return out;
    }

    private HttpResponse<String> postOne(int port, Org maker) {
        return post(port, maker, "/api/v1/records", newBattery(maker).toJson().toString());
    }

    private static HttpResponse<String> post(int port, Org maker, String path, String body) {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + maker.token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static HttpResponse<String> get(int port, String path) {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(10)).GET().build());
    }

    /** The answer, or null when the server did not answer (closed port, reset connection, timeout). */
    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static int status(HttpResponse<String> response) {
        return response == null ? -1 : response.statusCode();
    }

    private static long count(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

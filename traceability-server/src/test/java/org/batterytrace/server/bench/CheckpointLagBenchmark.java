package org.batterytrace.server.bench;

import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
import org.batterytrace.server.log.CheckpointIntegrator;
import org.junit.jupiter.api.Test;

/**
 * Checkpoint lag at a sustained rate: bulk requests of {@code bench.bulk} new batteries are sent on a
 * fixed schedule ({@code bench.rate} records/s, open loop, for {@code bench.seconds} s), and a watcher polls
 * {@code GET /log/checkpoint} every 10 ms; a request's lag is the time from its acknowledgement to the
 * first checkpoint covering its last log index. Run twice in the same run: with the integrator
 * maintaining the map (as in production) and without, for the ratio. Not part of the test suite:
 * {@code ./mvnw -pl traceability-server -am verify -DskipITs -Dtest=PostgresCheckpointLagBenchmark -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.rate=5000 -Dbench.seconds=30 -Dbench.warmSeconds=10]}
 */
public abstract class CheckpointLagBenchmark {
    private final int rate = Integer.getInteger("bench.rate", 5_000);
    private final int bulk = Integer.getInteger("bench.bulk", 500);
    private final int seconds = Integer.getInteger("bench.seconds", 30);
    /**
     * The same schedule with the map on, untimed, before the two timed phases: with the old warm-up (four
     * requests) the JIT still compiled the verify, append and map code through the first timed phase, which
     * is the one with the map.
     */
    private final int warmSeconds = Integer.getInteger("bench.warmSeconds", 10);

    @Inject
    CheckpointIntegrator integrator;
    @Inject
    io.micrometer.core.instrument.MeterRegistry metrics;

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private record Sent(long ackNanos, long lastIndex) {
    }

    private record Seen(long nanos, long size) {
    }

    @Test
    void checkpointLagAtASustainedRate() throws Exception {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        int requests = rate * seconds / bulk;
        int warmRequests = Math.max(4, rate * warmSeconds / bulk);
        Instant time = Instant.now().truncatedTo(ChronoUnit.MILLIS).plusSeconds(1);
        int serial = (int) (System.nanoTime() % 1_000_000);
        List<String> bodies = new ArrayList<>();
        for (int r = 0; r < 2 * requests + warmRequests; r++) {
            StringBuilder body = new StringBuilder(bulk * 700).append("{\"records\":[");
            for (int i = 0; i < bulk; i++) {
                String code = BatteryCode.of("H5N", ProductLevel.CELL, Chemistry.LFP, "B2", "LAG" + String.format("%04d", r % 10_000), LocalDate.of(2026, 3, 14),
                        serial + r * bulk + i).value();
                body.append(i == 0 ? "" : ",").append(SignedRecord.sign(TraceRecord.of(code, 1, null, "PRODUCED", time, maker.id, Json.object()), maker.key).toJson());
            }
            bodies.add(body.append("]}").toString());
        }
        Thread.sleep(1100); // record times after the key's registration
        integrator.maintainMap(true);
        run(maker, bodies.subList(0, warmRequests));
        String[] lines = new String[2];
        double[] p99 = new double[2];
        for (int phase = 0; phase < 2; phase++) {
            boolean map = phase == 0;
            integrator.maintainMap(map);
            integrator.integrate();
            List<String> mine = bodies.subList(warmRequests + phase * requests, warmRequests + (phase + 1) * requests);
            var timer = metrics.timer("trace.map.advance");
            long count = timer.count();
            double total = timer.totalTime(TimeUnit.MILLISECONDS);
            LogPhases mapPhases = LogPhases.startMap(metrics);
            Result result = run(maker, mine);
            p99[phase] = result.p99;
            long steps = timer.count() - count;
            lines[phase] = String.format("map %-3s  sent %,.0f records/s: lag p50 %.0f ms  p99 %.0f ms  max %.0f ms (%d requests of %d)%s", map ? "on" : "off",
                    result.rate, result.p50, result.p99, result.max, mine.size(), bulk, steps == 0 ? ""
                            : String.format("; map work %.0f ms per checkpoint on average over %d:%s", (timer.totalTime(TimeUnit.MILLISECONDS) - total) / steps, steps,
                                    mapPhases.perUnit(steps, " %s %.1f")));
        }
        integrator.maintainMap(true);
        integrator.integrate();
        System.out.printf("%n=== checkpoint lag benchmark (%s), target %,d records/s for %d s, after %d s of warm-up ===%n", database(), rate, seconds, warmSeconds);
        System.out.println(lines[0]);
        System.out.println(lines[1]);
        System.out.printf("ratio p99 on/off   %.2f%n%n", p99[0] / p99[1]);
    }

    private record Result(double rate, double p50, double p99, double max) {
    }

    private Result run(Org maker, List<String> bodies) throws Exception {
        ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
        ScheduledExecutorService schedule = Executors.newScheduledThreadPool(2);
        ExecutorService senders = Executors.newFixedThreadPool(8);
        volatileStop = false;
        Future<?> watcher = schedule.submit(() -> {
            long last = -1;
            while (!volatileStop) {
                long size = checkpointSize();
                if (size != last) {
                    seen.add(new Seen(System.nanoTime(), size));
                    last = size;
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        long period = 1_000_000_000L * bulk / rate;
        List<Future<Sent>> sent = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < bodies.size(); i++) {
            long due = start + i * period;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            String body = bodies.get(i);
            sent.add(senders.submit(() -> post(maker, body)));
        }
        List<Sent> acks = new ArrayList<>();
        for (Future<Sent> f : sent) {
            acks.add(f.get());
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long maxIndex = acks.stream().mapToLong(Sent::lastIndex).max().orElseThrow();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (seen.stream().noneMatch(s -> s.size() > maxIndex) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        volatileStop = true;
        watcher.get();
        schedule.shutdown();
        senders.shutdown();
        List<Seen> timeline = new ArrayList<>(seen);
        double[] lags = new double[acks.size()];
        for (int i = 0; i < acks.size(); i++) {
            Sent a = acks.get(i);
            long covered = timeline.stream().filter(s -> s.size() > a.lastIndex()).mapToLong(Seen::nanos).min()
                    .orElseThrow(() -> new AssertionError("no checkpoint covered index " + a.lastIndex()));
            lags[i] = Math.max(0, covered - a.ackNanos()) / 1e6;
        }
        Arrays.sort(lags);
        return new Result(bodies.size() * (double) bulk / elapsed, quantile(lags, 0.5), quantile(lags, 0.99), lags[lags.length - 1]);
    }

    private volatile boolean volatileStop;

    private static double quantile(double[] sorted, double q) {
        int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
        return sorted[Math.max(0, i)];
    }

    protected abstract String database();

    private static long checkpointSize() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/api/v1/log/checkpoint")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Json.parse(r.body()).get("size").asLong() : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    private static Sent post(Org maker, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/api/v1/records/bulk"))
                .header("Authorization", "Bearer " + maker.token).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        long ack = System.nanoTime();
        if (response.statusCode() != 201) {
            throw new AssertionError("bulk request failed: " + response.statusCode() + " " + response.body());
        }
        long last = -1;
        for (var r : Json.parse(response.body()).get("records")) {
            last = Math.max(last, r.get("logIndex").asLong());
        }
        return new Sent(ack, last);
    }
}

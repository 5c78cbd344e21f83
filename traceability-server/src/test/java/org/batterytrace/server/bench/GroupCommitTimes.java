package org.batterytrace.server.bench;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The group commit's histograms over a benchmark phase ({@code trace.log.group.wait}: how long requests
 * queued for their transaction; {@code trace.log.group.commit}: how long the transactions took), by kind
 * ({@code small} or {@code bulk}): counts, busy time and percentiles of what happened since {@link #start}.
 * Percentiles are read from the histogram's buckets, so each is the upper bound of the bucket it falls in.
 */
final class GroupCommitTimes {
    private final MeterRegistry metrics;
    private final Map<String, CountAtBucket[]> startBuckets = new HashMap<>();
    private final Map<String, Double> startSeconds = new HashMap<>();
    private final Map<String, Long> startCounts = new HashMap<>();

    private GroupCommitTimes(MeterRegistry metrics) {
        this.metrics = metrics;
        for (String name : new String[] {"trace.log.group.wait", "trace.log.group.commit"}) {
            for (String kind : new String[] {"small", "bulk"}) {
                Timer timer = timer(name, kind);
                startBuckets.put(name + kind, timer.takeSnapshot().histogramCounts());
                startSeconds.put(name + kind, timer.totalTime(TimeUnit.SECONDS));
                startCounts.put(name + kind, timer.count());
            }
        }
    }

    static GroupCommitTimes start(MeterRegistry metrics) {
        return new GroupCommitTimes(metrics);
    }

    private Timer timer(String name, String kind) {
        return metrics.get(name).tag("kind", kind).timer();
    }

    /** Log transactions (groups) since the start. */
    long groups() {
        return count("trace.log.group.commit", "small") + count("trace.log.group.commit", "bulk");
    }

    /** Seconds the writer spent in log transactions since the start. */
    double busySeconds() {
        return seconds("trace.log.group.commit", "small") + seconds("trace.log.group.commit", "bulk");
    }

    private long count(String name, String kind) {
        return timer(name, kind).count() - startCounts.get(name + kind);
    }

    private double seconds(String name, String kind) {
        return timer(name, kind).totalTime(TimeUnit.SECONDS) - startSeconds.get(name + kind);
    }

    /** "p50 x ms, p99 y ms over n" of one histogram since the start. */
    String percentiles(String name, String kind) {
        CountAtBucket[] now = timer(name, kind).takeSnapshot().histogramCounts();
        CountAtBucket[] before = startBuckets.get(name + kind);
        double total = count(name, kind);
        if (total == 0) {
            return "none";
        }
        return String.format("p50 ≤ %.0f ms, p99 ≤ %.0f ms over %,.0f", at(now, before, total, 0.50), at(now, before, total, 0.99), total);
    }

    /** The upper bound (ms) of the bucket holding the quantile (infinite past the last, 30 s); the buckets' counts are cumulative. */
    private static double at(CountAtBucket[] now, CountAtBucket[] before, double total, double quantile) {
        for (int i = 0; i < now.length; i++) {
            if (now[i].count() - before[i].count() >= quantile * total) {
                return now[i].bucket(TimeUnit.MILLISECONDS);
            }
        }
        return Double.POSITIVE_INFINITY;
    }
}

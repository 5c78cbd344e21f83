package org.batterytrace.server.bench;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Where the log transactions of a benchmark phase spent their time, phase by phase
 * ({@code trace.log.group.phase}: waiting for the lock, then the work under it), per request or bulk;
 * or map maintenance ({@code trace.map.phase}).
 */
final class LogPhases {
    private final MeterRegistry metrics;
    private final String timer;
    private final Map<String, Double> start;

    private LogPhases(MeterRegistry metrics, String timer) {
        this.metrics = metrics;
        this.timer = timer;
        this.start = milliseconds();
    }

    static LogPhases start(MeterRegistry metrics) {
        return new LogPhases(metrics, "trace.log.group.phase");
    }

    static LogPhases startMap(MeterRegistry metrics) {
        return new LogPhases(metrics, "trace.map.phase");
    }

    /** Each phase's milliseconds since {@link #start} divided by {@code units}, one {@code format} (name, value) per phase. */
    String perUnit(double units, String format) {
        StringBuilder report = new StringBuilder();
        milliseconds().forEach((phase, ms) -> report.append(String.format(format, phase, (ms - start.getOrDefault(phase, 0.0)) / units)));
        return report.toString();
    }

    private Map<String, Double> milliseconds() {
        Map<String, Double> phases = new TreeMap<>();
        metrics.find(timer).timers().forEach(t -> phases.put(t.getId().getTag("phase"), t.totalTime(TimeUnit.MILLISECONDS)));
        return phases;
    }
}

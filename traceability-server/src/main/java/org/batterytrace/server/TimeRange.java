package org.batterytrace.server;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.server.problem.ProblemException;

/** A half-open query window [from, to) from optional RFC 3339 parameters; by default the last 365 days. */
public record TimeRange(Instant from, Instant to) {
    public static TimeRange parse(String from, String to) {
        Instant end = to == null ? Instant.now().plusSeconds(1) : time("to", to);
        Instant start = from == null ? end.minus(365, ChronoUnit.DAYS) : time("from", from);
        if (!start.isBefore(end)) {
            throw ProblemException.badRequest("bad-range", "from " + start + " must be before to " + end);
        }
        return new TimeRange(start, end);
    }

    private static Instant time(String name, String value) {
        try {
            return TraceRecord.parseTime(value);
        } catch (RuntimeException e) {
            throw ProblemException.badRequest("bad-range", name + " must be an RFC 3339 UTC time like 2026-11-01T00:00:00Z, got " + value);
        }
    }
}

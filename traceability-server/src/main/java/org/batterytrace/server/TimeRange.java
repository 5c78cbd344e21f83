package org.batterytrace.server;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.batterytrace.compliance.ChinaTime;
import org.batterytrace.server.problem.ProblemException;

/**
 * A half-open query window [from, to) from optional parameters; by default the last 365 days. Each
 * bound is an RFC 3339 date-time with any offset ({@code 2026-02-01T00:00:00+08:00},
 * {@code 2026-01-31T16:00:00Z}; RFC 3339 §5.6) or a plain date, which means the start of that day in
 * Beijing time. A space where the offset's {@code +} should be is read as {@code +}: an unencoded
 * {@code +} in a query string arrives as a space.
 */
public record TimeRange(Instant from, Instant to) {
    /** RFC 3339 §5.6 date-time: 'T' or 't', fraction of any length, 'Z', 'z' or ±hh:mm. */
    private static final DateTimeFormatter RFC_3339 = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral('T').append(DateTimeFormatter.ISO_LOCAL_TIME)
            .appendOffset("+HH:MM", "Z").toFormatter(Locale.ROOT);

    /** The window [from, to); without {@code to}, up to a second after {@code now}; without {@code from}, 365 days before the end. */
    public static TimeRange parse(String from, String to, Instant now) {
        Instant end = to == null ? now.plusSeconds(1) : instant("to", to);
        Instant start = from == null ? end.minus(365, ChronoUnit.DAYS) : instant("from", from);
        if (!start.isBefore(end)) {
            throw ProblemException.badRequest("bad-range", "from " + start + " must be before to " + end);
        }
        return new TimeRange(start, end);
    }

    /** One parameter as an instant: an RFC 3339 date-time, or a date = the start of that day in Beijing. */
    public static Instant instant(String name, String value) {
        String text = value.trim();
        try {
            if (text.length() == 10) {
                return ChinaTime.startOf(LocalDate.parse(text));
            }
            int space = text.lastIndexOf(' ');
            if (space > 10 && text.length() - space == 6) {
                text = text.substring(0, space) + '+' + text.substring(space + 1);
            }
            return OffsetDateTime.parse(text, RFC_3339).toInstant();
        } catch (DateTimeException e) {
            throw ProblemException.badRequest("bad-range", name + " must be an RFC 3339 date-time such as 2026-11-01T00:00:00+08:00 or 2026-10-31T16:00:00Z,"
                    + " or a date such as 2026-11-01 (the start of that day in Beijing time), got " + value);
        }
    }

    /**
     * An "as of" instant: a date-time as above, or a date = the end of that day in Beijing time (the
     * last microsecond, so that databases storing microseconds do not round it into the next day).
     */
    public static Instant asOf(String name, String value, Instant now) {
        if (value == null) {
            return now;
        }
        if (value.trim().length() == 10) {
            return instant(name, value).plus(1, ChronoUnit.DAYS).minus(1, ChronoUnit.MICROS);
        }
        return instant(name, value);
    }

    /** Which time of a record a window selects on. */
    public enum Basis {
        /** The record's {@code time}: when the event happened, as its signer states. */
        EVENT("record_time"),
        /** When the platform accepted the record (set by the server). */
        UPLOAD("accepted_at");

        private final String column;

        Basis(String column) {
            this.column = column;
        }

        /** The log_entry column holding this time. */
        public String column() {
            return column;
        }

        /** {@code event} or {@code upload}; {@code fallback} when absent. */
        public static Basis parse(String value, Basis fallback) {
            if (value == null) {
                return fallback;
            }
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "event" -> EVENT;
                case "upload" -> UPLOAD;
                default -> throw ProblemException.badRequest("bad-range", "by is event (the record's time) or upload (when the platform accepted it), got " + value);
            };
        }
    }
}

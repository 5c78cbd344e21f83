package org.batterytrace.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The signed payload of record format v1 ({@code trace-record/1}): one event in the chain of a
 * subject (a battery code, a recycling lot or an organization's key events). Immutable; its
 * canonical bytes are computed once.
 */
public final class TraceRecord {
    public static final String FORMAT = "trace-record/1";
    private static final Pattern TYPE = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

    private final String subject;
    private final long seq;
    private final String prev;
    private final String type;
    private final String time;
    private final Instant instant;
    private final String actor;
    private final ObjectNode data;
    private volatile byte[] canonical;

    private TraceRecord(String subject, long seq, String prev, String type, String time, String actor, ObjectNode data) {
        this.subject = requireToken(subject, "subject");
        this.actor = requireToken(actor, "actor");
        if (seq < 1) {
            throw new RecordFormatException("record.seq must be 1 or more, got " + seq);
        }
        if (seq == 1 ? prev != null : !Hashes.isSha256Hex(prev)) {
            throw new RecordFormatException(seq == 1 ? "record.prev must be null for the first record (seq 1)" : "record.prev must be the 64-hex SHA-256 of the previous signed record");
        }
        if (type == null || !TYPE.matcher(type).matches()) {
            throw new RecordFormatException("record.type must be an upper-case name like PRODUCED, got '" + type + "'");
        }
        this.instant = parseTime(time);
        this.seq = seq;
        this.prev = prev;
        this.type = type;
        this.time = time;
        this.data = Objects.requireNonNull(data, "data");
    }

    /**
     * Strict RFC 3339 UTC ({@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}), by hand: this runs for every record an
     * auditor verifies, and a regex plus {@code Instant.parse} cost more than the rest of the record.
     */
    public static Instant parseTime(String time) {
        int length = time == null ? 0 : time.length();
        if (length < 20 || length == 21 || length > 30 || time.charAt(4) != '-' || time.charAt(7) != '-' || time.charAt(10) != 'T'
                || time.charAt(13) != ':' || time.charAt(16) != ':' || time.charAt(length - 1) != 'Z' || (length > 20 && time.charAt(19) != '.')) {
            throw badTime(time);
        }
        int nanos = 0;
        for (int i = 20; i < length - 1; i++) {
            nanos = nanos * 10 + digit(time, i);
        }
        for (int i = length - 1; i < 29; i++) {
            nanos *= 10;
        }
        try {
            return LocalDateTime.of(digits(time, 0, 4), digits(time, 5, 2), digits(time, 8, 2),
                    digits(time, 11, 2), digits(time, 14, 2), digits(time, 17, 2), length > 20 ? nanos : 0)
                    .toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw new RecordFormatException("record.time is not a real instant: " + time);
        }
    }

    private static RecordFormatException badTime(String time) {
        return new RecordFormatException("record.time must be RFC 3339 UTC like 2026-05-08T09:30:00Z, got '" + time + "'");
    }

    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            value = value * 10 + digit(s, i);
        }
        return value;
    }

    private static int digit(String s, int i) {
        char c = s.charAt(i);
        if (c < '0' || c > '9') {
            throw badTime(s);
        }
        return c - '0';
    }

    private static String requireToken(String value, String name) {
        if (value == null || value.isEmpty() || value.length() > 128) {
            throw new RecordFormatException("record." + name + " must be a non-empty string of at most 128 characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= 0x20 || c == 0x7F) {
                throw new RecordFormatException("record." + name + " must not contain spaces or control characters");
            }
        }
        return value;
    }

    public static TraceRecord of(String subject, long seq, String prev, String type, Instant time, String actor, ObjectNode data) {
        return new TraceRecord(subject, seq, prev, type, time.toString(), actor, data);
    }

    public static TraceRecord fromJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new RecordFormatException("record must be an object");
        }
        Fields.requireExactly(node, "record", "format", "subject", "seq", "prev", "type", "time", "actor", "data");
        String format = Fields.text(node, "format", "record");
        if (!FORMAT.equals(format)) {
            throw new RecordFormatException("record.format must be '" + FORMAT + "', got '" + format + "'");
        }
        JsonNode prev = node.get("prev");
        if (prev == null || !(prev.isNull() || prev.isTextual())) {
            throw new RecordFormatException("record.prev must be a hex string or null");
        }
        return new TraceRecord(Fields.text(node, "subject", "record"), Fields.integer(node, "seq", "record"), prev.isNull() ? null : prev.textValue(),
                Fields.text(node, "type", "record"), Fields.text(node, "time", "record"), Fields.text(node, "actor", "record"),
                (ObjectNode) Fields.object(node, "data", "record"));
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("format", FORMAT);
        node.put("subject", subject);
        node.put("seq", seq);
        if (prev == null) {
            node.putNull("prev");
        } else {
            node.put("prev", prev);
        }
        node.put("type", type);
        node.put("time", time);
        node.put("actor", actor);
        node.set("data", data.deepCopy());
        return node;
    }

    /** RFC 8785 canonical bytes: exactly what each signature signs. */
    public byte[] canonicalBytes() {
        return canonicalBytesShared().clone();
    }

    /** The cached canonical bytes themselves, for this package's readers that do not change them. */
    byte[] canonicalBytesShared() {
        byte[] bytes = canonical;
        if (bytes == null) {
            // Members in canonical (sorted) order, written directly: this runs once per record on every verify.
            bytes = Jcs.object().member("actor", actor).member("data", data).member("format", FORMAT).member("prev", prev)
                    .member("seq", seq).member("subject", subject).member("time", time).member("type", type).toByteArray();
            canonical = bytes;
        }
        return bytes;
    }

    public String subject() {
        return subject;
    }

    public long seq() {
        return seq;
    }

    /** Hex SHA-256 of the previous signed record; null for seq 1. */
    public String prev() {
        return prev;
    }

    public String type() {
        return type;
    }

    /** The time exactly as signed. */
    public String time() {
        return time;
    }

    public Instant instant() {
        return instant;
    }

    public String actor() {
        return actor;
    }

    public ObjectNode data() {
        return data.deepCopy();
    }

    /** A field of {@code data}, without copying the whole object. */
    public JsonNode dataField(String name) {
        return data.get(name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TraceRecord other && java.util.Arrays.equals(canonicalBytesShared(), other.canonicalBytesShared());
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(canonicalBytesShared());
    }

    @Override
    public String toString() {
        return subject + "#" + seq + " " + type + " by " + actor + " at " + time;
    }
}

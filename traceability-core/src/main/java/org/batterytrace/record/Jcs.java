package org.batterytrace.record;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;

/**
 * RFC 8785 JSON Canonicalization Scheme over a Jackson tree.
 *
 * <p>Written here rather than taken from a library because record format v1 allows only integer
 * numbers (amounts are grams, mAh, Wh or basis points; decimals travel as strings). That removes the
 * one hard part of RFC 8785, ECMAScript double formatting, and leaves rules small enough to own: keys
 * sorted by UTF-16 code units, JSON.stringify string escaping, no whitespace, UTF-8 output. An
 * integer-valued number is written as ECMAScript would ({@code 1.0E3} becomes {@code 1000}); a
 * fraction or an integer beyond ±2^53 (not exactly representable, RFC 7493) is rejected.
 */
public final class Jcs {
    private static final BigInteger MAX_SAFE = BigInteger.valueOf((1L << 53) - 1);
    private static final long MAX_SAFE_LONG = (1L << 53) - 1;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private Jcs() {
    }

    public static byte[] canonicalize(JsonNode node) {
        Output out = new Output(256);
        write(node, out);
        return out.toByteArray();
    }

    public static String canonicalString(JsonNode node) {
        return new String(canonicalize(node), StandardCharsets.UTF_8);
    }

    private static void write(JsonNode node, Output out) {
        switch (node.getNodeType()) {
            case OBJECT -> writeObject(node, out);
            case ARRAY -> {
                out.put('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        out.put(',');
                    }
                    write(node.get(i), out);
                }
                out.put(']');
            }
            case STRING -> writeString(node.textValue(), out);
            case NUMBER -> writeNumber(node, out);
            case BOOLEAN -> out.ascii(node.booleanValue() ? "true" : "false");
            case NULL -> out.ascii("null");
            default -> throw new CanonicalizationException("not a JSON value: " + node.getNodeType());
        }
    }

    private static void writeObject(JsonNode node, Output out) {
        String[] keys = new String[node.size()];
        Iterator<String> names = node.fieldNames();
        for (int i = 0; names.hasNext(); i++) {
            keys[i] = names.next();
        }
        // String.compareTo compares UTF-16 code units, which is what RFC 8785 section 3.2.3 asks for.
        Arrays.sort(keys);
        out.put('{');
        for (int i = 0; i < keys.length; i++) {
            if (i > 0) {
                out.put(',');
            }
            writeString(keys[i], out);
            out.put(':');
            write(node.get(keys[i]), out);
        }
        out.put('}');
    }

    private static void writeNumber(JsonNode node, Output out) {
        if (node.canConvertToExactIntegral() && node.canConvertToLong()) {
            writeLong(node.longValue(), out);
            return;
        }
        BigInteger integer;
        if (node.isIntegralNumber()) {
            integer = node.bigIntegerValue();
        } else {
            BigDecimal decimal = node.isBigDecimal() ? node.decimalValue() : BigDecimal.valueOf(node.doubleValue());
            try {
                integer = decimal.toBigIntegerExact();
            } catch (ArithmeticException e) {
                throw new CanonicalizationException("number " + node.asText() + " is not an integer; record format v1 carries fractions as decimal strings");
            }
        }
        if (integer.abs().compareTo(MAX_SAFE) > 0) {
            throw new CanonicalizationException("integer " + integer + " is beyond ±(2^53-1) and cannot be represented exactly (RFC 7493)");
        }
        out.ascii(integer.toString());
    }

    private static void writeLong(long value, Output out) {
        if (value > MAX_SAFE_LONG || value < -MAX_SAFE_LONG) {
            throw new CanonicalizationException("integer " + value + " is beyond ±(2^53-1) and cannot be represented exactly (RFC 7493)");
        }
        out.ascii(Long.toString(value));
    }

    private static void writeString(String s, Output out) {
        out.put('"');
        int length = s.length();
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c == '"' || c == '\\') {
                    out.put('\\');
                    out.put(c);
                } else if (c >= 0x20) {
                    out.put(c);
                } else {
                    writeControl(c, out);
                }
            } else if (c < 0x800) {
                out.put(0xC0 | (c >> 6));
                out.put(0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 >= length || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    throw new CanonicalizationException("string contains a lone surrogate at index " + i);
                }
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out.put(0xF0 | (cp >> 18));
                out.put(0x80 | ((cp >> 12) & 0x3F));
                out.put(0x80 | ((cp >> 6) & 0x3F));
                out.put(0x80 | (cp & 0x3F));
            } else if (Character.isLowSurrogate(c)) {
                throw new CanonicalizationException("string contains a lone surrogate at index " + i);
            } else {
                out.put(0xE0 | (c >> 12));
                out.put(0x80 | ((c >> 6) & 0x3F));
                out.put(0x80 | (c & 0x3F));
            }
        }
        out.put('"');
    }

    private static void writeControl(char c, Output out) {
        out.put('\\');
        switch (c) {
            case '\b' -> out.put('b');
            case '\t' -> out.put('t');
            case '\n' -> out.put('n');
            case '\f' -> out.put('f');
            case '\r' -> out.put('r');
            default -> {
                out.ascii("u00");
                out.put(HEX[c >> 4]);
                out.put(HEX[c & 0xF]);
            }
        }
    }

    /** Starts a canonical object written member by member, for hot paths that know their members. */
    public static ObjectWriter object() {
        return new ObjectWriter();
    }

    /**
     * Writes one JSON object in canonical form without building a tree. Members must be added in RFC
     * 8785 order (ascending UTF-16 code units); anything else is a programming error and throws.
     */
    public static final class ObjectWriter {
        private final Output out = new Output(512);
        private String last;

        private ObjectWriter() {
            out.put('{');
        }

        private void name(String name) {
            if (last != null) {
                if (last.compareTo(name) >= 0) {
                    throw new IllegalStateException("canonical members out of order: " + last + " before " + name);
                }
                out.put(',');
            }
            last = name;
            writeString(name, out);
            out.put(':');
        }

        public ObjectWriter member(String name, String value) {
            name(name);
            if (value == null) {
                out.ascii("null");
            } else {
                writeString(value, out);
            }
            return this;
        }

        public ObjectWriter member(String name, long value) {
            name(name);
            writeLong(value, out);
            return this;
        }

        public ObjectWriter member(String name, JsonNode value) {
            name(name);
            write(value, out);
            return this;
        }

        /** A member whose value is already canonical JSON. */
        public ObjectWriter canonicalMember(String name, byte[] canonicalValue) {
            name(name);
            out.raw(canonicalValue);
            return this;
        }

        /** A member holding an array of already canonical values. */
        public ObjectWriter canonicalArray(String name, java.util.List<byte[]> canonicalValues) {
            name(name);
            out.put('[');
            for (int i = 0; i < canonicalValues.size(); i++) {
                if (i > 0) {
                    out.put(',');
                }
                out.raw(canonicalValues.get(i));
            }
            out.put(']');
            return this;
        }

        public byte[] toByteArray() {
            out.put('}');
            return out.toByteArray();
        }
    }

    /** A growable byte buffer without the synchronization of ByteArrayOutputStream. */
    private static final class Output {
        private byte[] bytes;
        private int size;

        Output(int capacity) {
            bytes = new byte[capacity];
        }

        void put(int b) {
            if (size == bytes.length) {
                bytes = Arrays.copyOf(bytes, size * 2);
            }
            bytes[size++] = (byte) b;
        }

        void ascii(String s) {
            for (int i = 0; i < s.length(); i++) {
                put(s.charAt(i));
            }
        }

        void raw(byte[] data) {
            if (size + data.length > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + data.length));
            }
            System.arraycopy(data, 0, bytes, size, data.length);
            size += data.length;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }
    }
}

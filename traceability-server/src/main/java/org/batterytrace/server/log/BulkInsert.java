package org.batterytrace.server.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Many rows into one table inside the caller's transaction, while the log lock is held: on PostgreSQL
 * one {@code COPY … FROM STDIN}, elsewhere one batched {@code INSERT}. A batched insert of 5,000 rows
 * reaches PostgreSQL as about forty multi-row statements of over a thousand parameters each, which it
 * parses and plans one by one; {@code COPY} streams the rows to the table with none of that.
 * <p>
 * Values are {@code String}, {@link Utf8} (text already encoded), {@code Long}, {@code Boolean},
 * {@code byte[]}, {@code Instant}, {@code LocalDate} or null. A violated constraint fails the same way on either path (a
 * {@link SQLException} with its SQL state), and the caller's transaction rolls back with none of the rows.
 */
public final class BulkInsert {
    private final String table;
    private final List<String> columns;
    private final List<Object[]> rows = new ArrayList<>();

    private BulkInsert(String table, List<String> columns) {
        this.table = table;
        this.columns = columns;
    }

    public static BulkInsert into(String table, String... columns) {
        return new BulkInsert(table, List.of(columns));
    }

    /** Adds a row: one value per column, in the order the columns were named. */
    public BulkInsert row(Object... values) {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException(table + " has " + columns.size() + " columns here, not " + values.length);
        }
        rows.add(values);
        return this;
    }

    public void execute(Connection connection) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        if (connection.isWrapperFor(PGConnection.class)) {
            copy(connection.unwrap(PGConnection.class));
        } else {
            batch(connection);
        }
    }

    private void copy(PGConnection connection) throws SQLException {
        CopyText text = new CopyText(rows.size() * 256);
        for (Object[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    text.ascii('\t');
                }
                text.value(row[i]);
            }
            text.ascii('\n');
        }
        // Written in one piece: copyIn(sql, stream) would allocate a 64 kB buffer per call, for a group of a few rows too.
        CopyIn copy = connection.getCopyAPI().copyIn("COPY " + table + " (" + String.join(", ", columns) + ") FROM STDIN");
        try {
            copy.writeToCopy(text.bytes, 0, text.length);
            copy.endCopy();
        } catch (SQLException e) {
            if (copy.isActive()) {
                try {
                    copy.cancelCopy();
                } catch (SQLException cancel) {
                    e.addSuppressed(cancel);
                }
            }
            throw e;
        }
    }

    /** Text already encoded as UTF-8 (a record's canonical JSON), written to a text column without decoding it. */
    public record Utf8(ByteBuffer bytes) {
        String decoded() {
            return StandardCharsets.UTF_8.decode(bytes.duplicate()).toString();
        }
    }

    /**
     * Rows in COPY's text format (PostgreSQL documentation, COPY, "Text Format"), written as UTF-8 bytes
     * straight into one array: no string is built for a row, and a UTF-8 value is copied once.
     */
    static final class CopyText {
        private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        private byte[] bytes;
        private int length;
        private Instant lastInstant;
        private String lastInstantText;

        CopyText(int capacity) {
            bytes = new byte[Math.max(64, capacity)];
        }

        void value(Object value) {
            if (value == null) {
                ascii("\\N");
            } else if (value instanceof String s) {
                utf8(ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8)));
            } else if (value instanceof Utf8 u) {
                utf8(u.bytes().duplicate());
            } else if (value instanceof byte[] b) {
                // bytea's hex input, its backslash escaped for COPY
                room(3 + 2 * b.length);
                bytes[length++] = '\\';
                bytes[length++] = '\\';
                bytes[length++] = 'x';
                for (byte x : b) {
                    bytes[length++] = HEX[(x >> 4) & 0xf];
                    bytes[length++] = HEX[x & 0xf];
                }
            } else if (value instanceof Boolean b) {
                ascii(b ? 't' : 'f');
            } else if (value instanceof Instant instant) {
                // ISO 8601 with Z, which timestamptz reads as UTC; a group's entries share their acceptance time
                if (!instant.equals(lastInstant)) {
                    lastInstant = instant;
                    lastInstantText = instant.toString();
                }
                ascii(lastInstantText);
            } else if (value instanceof Long || value instanceof Integer || value instanceof LocalDate) {
                ascii(value.toString()); // digits; yyyy-mm-dd
            } else {
                throw new IllegalArgumentException("no COPY text form for " + value.getClass());
            }
        }

        /**
         * UTF-8 text with COPY's escapes: copied in one piece, then widened in place where it holds one of
         * the four bytes COPY escapes (rare in canonical JSON). Bytes of multi-byte characters are all 0x80 or
         * above, so escaping byte by byte is safe.
         */
        private void utf8(ByteBuffer text) {
            int n = text.remaining();
            room(n);
            int start = length;
            text.get(bytes, start, n);
            int escapes = 0;
            for (int i = start; i < start + n; i++) {
                byte b = bytes[i];
                if (b == '\\' || b == '\t' || b == '\n' || b == '\r') {
                    escapes++;
                }
            }
            if (escapes > 0) {
                length = start + n;
                room(escapes);
                for (int from = start + n - 1, to = start + n + escapes - 1; from >= start; from--) {
                    byte b = bytes[from];
                    byte escaped = switch (b) {
                        case '\\' -> '\\';
                        case '\t' -> 't';
                        case '\n' -> 'n';
                        case '\r' -> 'r';
                        default -> 0;
                    };
                    if (escaped == 0) {
                        bytes[to--] = b;
                    } else {
                        bytes[to--] = escaped;
                        bytes[to--] = '\\';
                    }
                }
            }
            length = start + n + escapes;
        }

        void ascii(char c) {
            room(1);
            bytes[length++] = (byte) c;
        }

        private void ascii(String s) {
            room(s.length());
            for (int i = 0; i < s.length(); i++) {
                bytes[length++] = (byte) s.charAt(i);
            }
        }

        private void room(int more) {
            if (length + more > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }
    }

    private void batch(Connection connection) throws SQLException {
        String sql = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES (" + "?, ".repeat(columns.size() - 1) + "?)";
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    bind(insert, i + 1, row[i]);
                }
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.NULL);
        } else if (value instanceof String s) {
            statement.setString(index, s);
        } else if (value instanceof Utf8 u) {
            statement.setString(index, u.decoded());
        } else if (value instanceof Long l) {
            statement.setLong(index, l);
        } else if (value instanceof Integer n) {
            statement.setInt(index, n);
        } else if (value instanceof Boolean b) {
            statement.setBoolean(index, b);
        } else if (value instanceof byte[] b) {
            statement.setBytes(index, b);
        } else if (value instanceof Instant t) {
            statement.setTimestamp(index, Timestamp.from(t));
        } else if (value instanceof LocalDate d) {
            statement.setDate(index, Date.valueOf(d));
        } else {
            throw new IllegalArgumentException("cannot bind " + value.getClass());
        }
    }
}

package org.batterytrace.server.log;

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
import org.batterytrace.record.Hashes;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Many rows into one table inside the caller's transaction, while the log lock is held: on PostgreSQL
 * one {@code COPY … FROM STDIN}, elsewhere one batched {@code INSERT}. A batched insert of 5,000 rows
 * reaches PostgreSQL as about forty multi-row statements of over a thousand parameters each, which it
 * parses and plans one by one; {@code COPY} streams the rows to the table with none of that.
 * <p>
 * Values are {@code String}, {@code Long}, {@code Boolean}, {@code byte[]}, {@code Instant},
 * {@code LocalDate} or null. A violated constraint fails the same way on either path (a
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
        StringBuilder text = new StringBuilder(rows.size() * 256);
        for (Object[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    text.append('\t');
                }
                appendCopyText(text, row[i]);
            }
            text.append('\n');
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        // Written in one piece: copyIn(sql, stream) would allocate a 64 kB buffer per call, for a group of a few rows too.
        CopyIn copy = connection.getCopyAPI().copyIn("COPY " + table + " (" + String.join(", ", columns) + ") FROM STDIN");
        try {
            copy.writeToCopy(bytes, 0, bytes.length);
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

    /** One value in COPY's text format (PostgreSQL documentation, COPY, "Text Format"). */
    static void appendCopyText(StringBuilder out, Object value) {
        if (value == null) {
            out.append("\\N");
        } else if (value instanceof String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '\\' -> out.append("\\\\");
                    case '\t' -> out.append("\\t");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    default -> out.append(c);
                }
            }
        } else if (value instanceof byte[] b) {
            out.append("\\\\x").append(Hashes.hex(b)); // bytea's hex input, its backslash escaped for COPY
        } else if (value instanceof Boolean b) {
            out.append(b ? 't' : 'f');
        } else if (value instanceof Long || value instanceof Integer || value instanceof Instant || value instanceof LocalDate) {
            out.append(value); // digits; ISO 8601 with Z, which timestamptz reads as UTC; yyyy-mm-dd
        } else {
            throw new IllegalArgumentException("no COPY text form for " + value.getClass());
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

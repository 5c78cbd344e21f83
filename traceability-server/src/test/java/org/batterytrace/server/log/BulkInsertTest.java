package org.batterytrace.server.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * {@link BulkInsert} writes every value back exactly as given — text holding what COPY's text format
 * reads as escapes or separators (the binary format needs no escaping; these catch a writer that does),
 * non-ASCII text (as a string or as UTF-8 bytes, so lengths count bytes), bytes, {@code INTEGER} beside
 * {@code BIGINT}, dates and instants to the microsecond on either side of PostgreSQL's epoch, nulls — and
 * a violated constraint writes nothing. Batched INSERT on H2 here; binary COPY on PostgreSQL in
 * {@code PostgresBulkInsertTest}.
 */
public class BulkInsertTest {
    /** Canonical JSON holds backslashes (escaped quotes, \\u sequences); the other strings are COPY's text-format separators and escapes. */
    private static final String[] TRICKY = {"{\"note\":\"a \\\"quoted\\\" word, \\\\ and \\u0001\"}", "tab\there", "line\nbreak", "cr\rhere",
            "\\N", "\\.", "退役 — retired at 80 % SOH", ""};

    protected DataSource database() throws Exception {
        return InMemoryH2.create("bulk");
    }

    @Test
    void everyValueComesBackAsWritten() throws Exception {
        DataSource db = database();
        // Either side of PostgreSQL's epoch (2000-01-01), where its binary timestamps and dates count from.
        Instant instant = Instant.parse("1999-12-31T23:59:57.123456Z");
        try (Connection c = db.getConnection()) {
            create(c);
            c.setAutoCommit(false);
            BulkInsert insert = BulkInsert.into("bulk_row", "id", "note", "flag", "made_on", "made_at", "bytes", "amount", "rank");
            for (int i = 0; i < TRICKY.length; i++) {
                // Every other text as UTF-8 bytes already encoded (how the log writes envelopes), from a buffer not at its start.
                Object note = i % 2 == 0 ? TRICKY[i] : new BulkInsert.Utf8(java.nio.ByteBuffer.wrap(("~" + TRICKY[i]).getBytes(java.nio.charset.StandardCharsets.UTF_8), 1,
                        TRICKY[i].getBytes(java.nio.charset.StandardCharsets.UTF_8).length).slice().asReadOnlyBuffer());
                insert.row((long) i, note, i % 2 == 0, LocalDate.of(1996 + i, 3, 14), instant.plusSeconds(i), new byte[] {(byte) i, (byte) 0xff, 0, '\\'},
                        i == 3 ? null : (long) -i - (1L << 40), i - 4);
            }
            insert.row((long) TRICKY.length, null, null, null, null, null, null, null);
            insert.execute(c);
            c.commit();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, note, flag, made_on, made_at, bytes, amount, rank FROM bulk_row ORDER BY id")) {
                for (int i = 0; i < TRICKY.length; i++) {
                    rs.next();
                    assertEquals(i, rs.getLong(1));
                    assertEquals(TRICKY[i], rs.getString(2));
                    assertEquals(i % 2 == 0, rs.getBoolean(3));
                    assertEquals(LocalDate.of(1996 + i, 3, 14), rs.getObject(4, LocalDate.class));
                    assertEquals(instant.plusSeconds(i), rs.getTimestamp(5).toInstant());
                    assertArrayEquals(new byte[] {(byte) i, (byte) 0xff, 0, '\\'}, rs.getBytes(6));
                    assertEquals(i == 3 ? null : (Long) (-i - (1L << 40)), rs.getObject(7) == null ? null : rs.getLong(7));
                    assertEquals(i - 4, rs.getInt(8));
                }
                rs.next();
                for (int column = 2; column <= 8; column++) {
                    assertNull(rs.getObject(column), "column " + column + " of the row of nulls");
                }
            }
        }
    }

    @Test
    void aViolatedConstraintWritesNothing() throws Exception {
        DataSource db = database();
        try (Connection c = db.getConnection()) {
            create(c);
            c.setAutoCommit(false);
            BulkInsert insert = BulkInsert.into("bulk_row", "id", "note");
            insert.row(1L, "first").row(2L, "second").row(1L, "the same id again");
            assertThrows(SQLException.class, () -> insert.execute(c));
            c.rollback();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM bulk_row")) {
                rs.next();
                assertEquals(0, rs.getLong(1));
            }
        }
    }

    private static void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            boolean postgres = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres");
            s.execute("CREATE TABLE bulk_row (id BIGINT PRIMARY KEY, note VARCHAR(1000), flag BOOLEAN, made_on DATE, made_at TIMESTAMP WITH TIME ZONE, bytes "
                    + (postgres ? "BYTEA" : "VARBINARY(100)") + ", amount BIGINT, rank INTEGER)");
        }
    }
}

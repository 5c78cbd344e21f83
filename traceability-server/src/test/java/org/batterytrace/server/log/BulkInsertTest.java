package org.batterytrace.server.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /**
     * On PostgreSQL the rows stream through a buffer of {@code CopyBinary.CHUNK_BYTES}: a megabyte of rows
     * fills it several times, and single values larger than it (text as a string, text as UTF-8 bytes,
     * bytes) pass through whole. Every value comes back, in order.
     */
    @Test
    void rowsAndValuesLargerThanTheBufferComeBackWhole() throws Exception {
        DataSource db = database();
        int big = BulkInsert.CopyBinary.CHUNK_BYTES + 12_345;
        try (Connection c = db.getConnection()) {
            try (Statement s = c.createStatement()) {
                boolean postgres = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres");
                s.execute("CREATE TABLE long_row (id BIGINT PRIMARY KEY, note " + (postgres ? "TEXT" : "VARCHAR(1000000)") + ", bytes "
                        + (postgres ? "BYTEA" : "VARBINARY(1000000)") + ")");
            }
            c.setAutoCommit(false);
            BulkInsert insert = BulkInsert.into("long_row", "id", "note", "bytes");
            java.util.List<String> notes = new java.util.ArrayList<>();
            java.util.List<byte[]> bytes = new java.util.ArrayList<>();
            for (int i = 0; i < 3_000; i++) {
                String note = ("row " + i + " 电池 ").repeat(20 + i % 7);
                byte[] b = new byte[100 + i % 300];
                java.util.Arrays.fill(b, (byte) i);
                notes.add(note);
                bytes.add(b);
            }
            notes.add("x".repeat(big));
            bytes.add(new byte[big]);
            notes.add("电".repeat(big / 3 + 1));
            bytes.add(new byte[] {1});
            for (int i = 0; i < notes.size(); i++) {
                Object note = i % 2 == 0 ? notes.get(i)
                        : new BulkInsert.Utf8(java.nio.ByteBuffer.wrap(notes.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8)).asReadOnlyBuffer());
                insert.row((long) i, note, bytes.get(i));
            }
            insert.execute(c);
            c.commit();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, note, bytes FROM long_row ORDER BY id")) {
                for (int i = 0; i < notes.size(); i++) {
                    assertTrue(rs.next());
                    assertEquals(i, rs.getLong(1));
                    assertEquals(notes.get(i), rs.getString(2), "note of row " + i);
                    assertArrayEquals(bytes.get(i), rs.getBytes(3), "bytes of row " + i);
                }
                assertFalse(rs.next());
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

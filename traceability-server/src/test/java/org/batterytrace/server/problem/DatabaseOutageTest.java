package org.batterytrace.server.problem;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.batterytrace.server.log.LogStorageException;
import org.junit.jupiter.api.Test;

/** Which failures are outages (503), and how database failures are summed up in one log line. */
class DatabaseOutageTest {

    @Test
    void aFailedBulkIsLoggedAsOneShortLineNotItsWholeBatch() {
        String batch = "Batch entry 0 INSERT INTO log_entry (idx, subject, seq) VALUES " + "(1, 'H5NPEA7HN24L01G3E0000001', 1), ".repeat(400) + " was aborted";
        Exception failure = new LogStorageException("appending to the log", new BatchUpdateException(batch, "23505", new int[0]));
        String line = DatabaseOutage.summary(failure);
        assertTrue(line.length() < 400, line);
        assertTrue(line.contains("SQLSTATE 23505") && line.contains("characters)"), line);
        assertTrue(DatabaseOutage.fromDatabase(failure));
    }

    @Test
    void connectionFailuresAndShutdownsAreOutagesConstraintViolationsAreNot() {
        assertTrue(DatabaseOutage.causes(new RuntimeException(new SQLException("Connection refused", "08001", new ConnectException()))));
        assertTrue(DatabaseOutage.causes(new LogStorageException("locking the log", new SQLException("terminating connection due to administrator command", "57P01"))));
        assertTrue(DatabaseOutage.causes(new SQLException("Database is already closed", "90098")));
        // Agroal's words for an exhausted pool (every connection busy): the server is overloaded, not broken.
        assertTrue(DatabaseOutage.causes(new SQLException("Sorry, acquisition timeout!")));
        assertFalse(DatabaseOutage.causes(new SQLException("duplicate key value violates unique constraint", "23505")));
        assertFalse(DatabaseOutage.causes(new IllegalStateException("a bug")));
    }
}

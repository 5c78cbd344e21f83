package org.batterytrace.server.postgres;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.server.Platform.Org;
import org.batterytrace.server.Platform;
import org.batterytrace.server.record.BulkRowsAheadTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(PostgresProfile.class)
class PostgresBulkRowsAheadTest extends BulkRowsAheadTest {
    @Override
    protected boolean writesAhead() {
        return true;
    }

    /**
     * The wait a bulk's rows written ahead could cause: a writer holding the log lock registers a code the bulk
     * wrote ahead, so it waits for the bulk, which waits for the lock. PostgreSQL would break that cycle by
     * failing one of them, and the writer's group with it. The bulk gives way first: it rolls back, the writer
     * goes on, and the bulk is logged lock first once the writer is done.
     */
    @Test
    void aBulkWaitingForTheLockGivesWayToTheWriterHoldingIt() throws Exception {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        List<SignedRecord> records = registrations(maker, BULK);
        String contested = records.get(BULK / 2).record().subject();
        double gaveWay = rowsAhead("gave-way");
        try (Connection writer = dataSource.getConnection(); Connection watcher = dataSource.getConnection()) {
            holdLogLock(writer);
            CompletableFuture<Integer> bulk = CompletableFuture.supplyAsync(() -> maker.auth().body(Platform.bulkBody(records)).post("/api/v1/records/bulk").statusCode());
            awaitLogLockWaiter(watcher);

            long start = System.nanoTime();
            assertEquals(1, insertBattery(writer, contested, maker.id), "the writer holding the lock is not failed");
            long waitedMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(waitedMillis < 1000, "the bulk gave way before PostgreSQL's deadlock check (1 s): the writer waited " + waitedMillis + " ms");
            writer.rollback();
            assertEquals(201, bulk.get(60, TimeUnit.SECONDS), "the bulk is logged lock first, after the writer");
        }
        assertEquals(gaveWay + 1, rowsAhead("gave-way"));
        maker.auth().get("/api/v1/batteries/" + contested).then().statusCode(200).body("headHash", equalTo(records.get(BULK / 2).hash()));
    }

    /**
     * The same cycle when the bulk gets its turn late: another bulk (here, the test) holds the instance's bulk turn
     * until 450 ms after the bulk wrote its rows. Writing ahead, waiting for the turn and waiting for the lock share
     * one budget of 500 ms from the first row, so the writer blocked on a row waits less than that; with a wait of
     * 500 ms for each, it waited about 950 ms, and PostgreSQL's deadlock check (after 1 s) could fail it.
     */
    @Test
    void aWriterBlockedOnARowWrittenAheadWaitsLessThanTheHoldBudget() throws Exception {
        long waitedMillis = writerBlockedOnARowAhead(450);
        assertTrue(waitedMillis < 700, "the bulk gave way within its hold budget: the writer waited " + waitedMillis + " ms");
    }

    /**
     * An operator lowers {@code deadlock_timeout} to 400 ms. The bulk gets its turn 150 ms after its rows were
     * written, then waits for the lock the blocked writer holds: with a budget of 500 ms, the writer's deadlock check
     * (at 400 ms) found that cycle and failed the writer. The budget is half the setting, read for each bulk, so the
     * bulk gives way first.
     */
    @Test
    void aLowerDeadlockTimeoutShortensTheHoldBudget() throws Exception {
        setDeadlockTimeout("'400ms'");
        try {
            long waitedMillis = writerBlockedOnARowAhead(150);
            assertTrue(waitedMillis < 1000, "the writer waited " + waitedMillis + " ms");
        } finally {
            setDeadlockTimeout("DEFAULT");
        }
    }

    /**
     * A writer holding the log lock registers a code a bulk wrote ahead while the bulk waits for its turn, which the
     * test holds until {@code turnHeldMillis} after the rows were written; returns how long the writer waited. The
     * writer must not be failed, and the bulk is logged lock first after it.
     */
    private long writerBlockedOnARowAhead(long turnHeldMillis) throws Exception {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        List<SignedRecord> records = registrations(maker, BULK);
        String contested = records.get(BULK / 2).record().subject();
        double gaveWay = rowsAhead("gave-way");
        assertTrue(takeBulkTurn(10_000), "the turn of another bulk");
        boolean turnHeld = true;
        long waitedMillis;
        try (Connection writer = dataSource.getConnection(); Connection watcher = dataSource.getConnection()) {
            holdLogLock(writer);
            CompletableFuture<Integer> bulk = CompletableFuture.supplyAsync(() -> maker.auth().body(Platform.bulkBody(records)).post("/api/v1/records/bulk").statusCode());
            awaitRowsWrittenAhead(watcher);
            long rowsWritten = System.nanoTime();

            CompletableFuture<Long> blocked = CompletableFuture.supplyAsync(() -> {
                long start = System.nanoTime();
                try {
                    assertEquals(1, insertBattery(writer, contested, maker.id));
                } catch (java.sql.SQLException e) {
                    throw new AssertionError("the writer holding the lock was failed after " + (System.nanoTime() - start) / 1_000_000 + " ms: "
                            + e.getSQLState() + " " + e.getMessage(), e);
                }
                return (System.nanoTime() - start) / 1_000_000;
            });
            Thread.sleep(Math.max(0, turnHeldMillis - (System.nanoTime() - rowsWritten) / 1_000_000));
            endBulkTurn();
            turnHeld = false;
            waitedMillis = blocked.get(10, TimeUnit.SECONDS);
            writer.rollback();
            assertEquals(201, bulk.get(60, TimeUnit.SECONDS), "the bulk is logged lock first, after the writer");
        } finally {
            if (turnHeld) {
                endBulkTurn();
            }
        }
        assertEquals(gaveWay + 1, rowsAhead("gave-way"));
        maker.auth().get("/api/v1/batteries/" + contested).then().statusCode(200).body("headHash", equalTo(records.get(BULK / 2).hash()));
        return waitedMillis;
    }

    /** Sets the database's {@code deadlock_timeout} (a quoted value, or DEFAULT) and waits until sessions see it. */
    private void setDeadlockTimeout(String value) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            s.execute("ALTER SYSTEM SET deadlock_timeout = " + value);
            s.execute("SELECT pg_reload_conf()");
        }
        String expected = "DEFAULT".equals(value) ? "1s" : value.replace("'", "");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW deadlock_timeout")) {
                rs.next();
                if (expected.equals(rs.getString(1))) {
                    return;
                }
            }
            assertTrue(System.nanoTime() < deadline, "deadlock_timeout did not become " + expected);
            Thread.sleep(20);
        }
    }

    private static int insertBattery(Connection writer, String code, String maker) throws java.sql.SQLException {
        try (PreparedStatement insert = writer.prepareStatement("INSERT INTO battery (code, level, chemistry, cascade_product, production_date, maker,"
                + " state, custodian, head_seq, head_hash, created_at, updated_at) VALUES (?, 'P', 'A', FALSE, DATE '2026-01-01', ?, 'PRODUCED', ?, 1, ?,"
                + " now(), now())")) {
            insert.setString(1, code);
            insert.setString(2, maker);
            insert.setString(3, maker);
            insert.setString(4, "0".repeat(64));
            return insert.executeUpdate();
        }
    }

    /** Waits until a transaction has written battery rows and waits for something outside the database: the bulk, for its turn. */
    private static void awaitRowsWrittenAhead(Connection watcher) throws Exception {
        awaitActivity(watcher, "state = 'idle in transaction' AND query LIKE 'COPY battery%'", "no transaction wrote battery rows ahead");
    }

    /** Waits until a transaction waits for the log lock: the bulk, its rows written. */
    private static void awaitLogLockWaiter(Connection watcher) throws Exception {
        awaitActivity(watcher, "wait_event_type = 'Lock' AND query LIKE '%FROM log_state%FOR UPDATE%'", "no transaction waited for the log lock");
    }

    /** Waits until some backend's {@code pg_stat_activity} row matches {@code condition}. */
    private static void awaitActivity(Connection watcher, String condition, String failure) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (Statement s = watcher.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE " + condition)) {
                rs.next();
                if (rs.getInt(1) > 0) {
                    return;
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError(failure);
    }
}

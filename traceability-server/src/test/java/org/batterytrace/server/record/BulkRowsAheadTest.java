package org.batterytrace.server.record;

import static org.batterytrace.server.Platform.data;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import org.batterytrace.identity.Vin;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.server.Platform.Org;
import org.batterytrace.server.Platform;
import org.junit.jupiter.api.Test;

/**
 * Bulk registrations, whose battery rows PostgreSQL writes before the log lock ({@link BatteryRowsAhead}):
 * the answers and the rows are those of a bulk logged lock first, on H2 (which never writes ahead) and on
 * PostgreSQL alike — a refused bulk leaves no row behind, a retried one is answered with replays, a battery
 * with more records in the bulk gets its last head.
 */
@QuarkusTest
public class BulkRowsAheadTest {
    /** One more record than {@code trace.records.group-commit.small-request}: a bulk request. */
    protected static final int BULK = 101;

    @Inject
    GroupCommit groupCommit;
    @Inject
    protected DataSource dataSource;

    /** Whether rows are written ahead here (PostgreSQL): the outcome counters are then checked too. */
    protected boolean writesAhead() {
        return false;
    }

    protected static List<SignedRecord> registrations(Org maker, int n) {
        List<SignedRecord> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            records.add(maker.prepareAndSign(Platform.newPackCode(), "PRODUCED", null));
        }
        return records;
    }

    private static SignedRecord installed(Org org, SignedRecord previous, String vin) {
        TraceRecord p = previous.record();
        return SignedRecord.sign(TraceRecord.of(p.subject(), p.seq() + 1, previous.hash(), "INSTALLED", p.instant().plusMillis(1), org.id,
                data("vin", Vin.withCheckDigit(vin).value())), org.key);
    }

    /** {@code trace_log_rows_ahead_total} for one outcome, from /q/metrics (0 before the first). */
    protected static double rowsAhead(String outcome) {
        String prefix = "trace_log_rows_ahead_total{outcome=\"" + outcome + "\"";
        return RestAssured.get("/q/metrics").then().statusCode(200).extract().asString().lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void aRegistrationBulkGetsTheRowsItsRecordsMake() {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER, Role.VEHICLE_MAKER);
        List<SignedRecord> records = registrations(maker, BULK);
        // One battery gets two records in the bulk: its row is not written ahead, and its head is the second record.
        records.add(installed(maker, records.get(0), "LSVAU2180N2183281"));
        double written = rowsAhead("written");

        maker.auth().body(Platform.bulkBody(records)).post("/api/v1/records/bulk").then().statusCode(201);

        maker.auth().get("/api/v1/batteries/" + records.get(0).record().subject()).then().statusCode(200)
                .body("state", equalTo("INSTALLED"), "headSeq", equalTo(2), "headHash", equalTo(records.get(BULK).hash()));
        for (SignedRecord r : records.subList(1, BULK)) {
            maker.auth().get("/api/v1/batteries/" + r.record().subject()).then().statusCode(200)
                    .body("state", equalTo("PRODUCED"), "custodian", equalTo(maker.id), "headSeq", equalTo(1), "headHash", equalTo(r.hash()));
        }
        if (writesAhead()) {
            assertEquals(written + 1, rowsAhead("written"));
        }
    }

    @Test
    void aBulkRefusedUnderTheLockLeavesNoBatteryRow() {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER, Role.VEHICLE_MAKER);
        List<SignedRecord> records = registrations(maker, BULK);
        // Well formed and well signed, so it passes every check before the lock; its battery was never registered.
        SignedRecord unregistered = maker.prepareAndSign(Platform.newPackCode(), "PRODUCED", null);
        records.add(installed(maker, unregistered, "LSVAU2180N2183282"));
        double refused = rowsAhead("refused");

        maker.auth().body(Platform.bulkBody(records)).post("/api/v1/records/bulk").then().statusCode(422)
                .body("errors.size()", equalTo(1), "errors[0].index", equalTo(BULK));

        for (SignedRecord r : records.subList(0, BULK)) {
            maker.auth().get("/api/v1/batteries/" + r.record().subject()).then().statusCode(404);
        }
        if (writesAhead()) {
            assertEquals(refused + 1, rowsAhead("refused"));
        }
        // Nothing of it was kept: the same registrations, alone, are new.
        maker.auth().body(Platform.bulkBody(records.subList(0, BULK))).post("/api/v1/records/bulk").then().statusCode(201);
    }

    /**
     * Fairness with bulks on their own threads: a bulk takes its turn at the log lock only after the small requests
     * waiting at that moment have been written, so a single write waits for at most one bulk; and a bulk gives up its
     * turn in time rather than wait without bound.
     */
    @Test
    void aBulkTakesItsTurnAfterTheSmallRequestsWaiting() throws Exception {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        SignedRecord single = maker.prepareAndSign(Platform.newPackCode(), "PRODUCED", null);
        SignedRecord second = maker.prepareAndSign(Platform.newPackCode(), "PRODUCED", null);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Connection holder = dataSource.getConnection()) {
            holdLogLock(holder);
            // The single's group waits for the lock held here; a second single queues behind it.
            long groups = groupCommit.progress()[0];
            Future<Integer> first = pool.submit(() -> maker.submit(single).statusCode());
            await(() -> groupCommit.progress()[0] > groups);
            Future<Integer> queued = pool.submit(() -> maker.submit(second).statusCode());
            await(() -> groupCommit.progress()[1] == 1);

            assertFalse(groupCommit.takeBulkTurn(300), "no turn while small requests wait for a group that cannot be written");

            CompletableFuture<Boolean> turn = CompletableFuture.supplyAsync(() -> {
                try {
                    return groupCommit.takeBulkTurn(60_000);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(300);
            assertFalse(turn.isDone(), "the bulk waits for the small requests");
            holder.rollback();
            assertTrue(turn.get(60, TimeUnit.SECONDS));
            try {
                assertTrue(logged(second), "the small request waiting when the bulk asked was written before its turn");
            } finally {
                groupCommit.endBulkTurn();
            }
            assertEquals(201, first.get(60, TimeUnit.SECONDS));
            assertEquals(201, queued.get(60, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
    }

    /** Takes the log lock in a transaction on {@code connection}, as a writer would; rolling back releases it. */
    protected static void holdLogLock(Connection connection) throws java.sql.SQLException {
        connection.setAutoCommit(false);
        try (Statement s = connection.createStatement()) {
            s.executeQuery("SELECT name FROM log_state WHERE name IN ('size', 'write_facts') ORDER BY name FOR UPDATE").close();
        }
    }

    /** Takes this instance's bulk turn, as a bulk waiting for or holding the log lock would. */
    protected boolean takeBulkTurn(long timeoutMillis) throws InterruptedException {
        return groupCommit.takeBulkTurn(timeoutMillis);
    }

    protected void endBulkTurn() {
        groupCommit.endBulkTurn();
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(10);
        }
    }

    private boolean logged(SignedRecord record) throws java.sql.SQLException {
        try (Connection c = dataSource.getConnection(); java.sql.PreparedStatement select = c.prepareStatement("SELECT count(*) FROM log_entry WHERE hash = ?")) {
            select.setBytes(1, record.hashBytes());
            try (java.sql.ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 1;
            }
        }
    }

    @Test
    void aRetriedBulkIsAnsweredWithItsFirstAcknowledgements() {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        String body = Platform.bulkBody(registrations(maker, BULK));
        Response first = maker.auth().body(body).post("/api/v1/records/bulk").then().statusCode(201).extract().response();
        double gaveWay = rowsAhead("gave-way");

        Response again = maker.auth().body(body).post("/api/v1/records/bulk").then().statusCode(200).extract().response();

        List<Integer> indexes = first.path("records.logIndex");
        assertEquals(indexes, again.path("records.logIndex"));
        List<Boolean> replayed = again.path("records.replayed");
        assertTrue(replayed.stream().allMatch(Boolean.TRUE::equals), "every record is a replay");
        if (writesAhead()) {
            assertEquals(gaveWay + 1, rowsAhead("gave-way"), "the taken codes made the rows written ahead give way");
        }
    }
}

package org.batterytrace.server;

import static org.batterytrace.server.Platform.data;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.batterytrace.compliance.ChinaTime;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.server.Platform.Org;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server reads the time from one injected clock ({@code TraceClock}): moving the test clock moves
 * what ingest calls "the future", and calendar days are Beijing days. The clock only ever moves into the
 * past and back, as a corrected server clock would: checkpoints signed meanwhile stay in order.
 */
@QuarkusTest
public class ClockTest {
    @AfterEach
    void resetClock() {
        ShiftableClock.reset();
    }

    @Test
    void theFutureIsJudgedByTheInjectedClock() {
        ShiftableClock.shift(Duration.ofHours(-3));
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER, Role.VEHICLE_MAKER);
        String pack = Platform.newPackCode();
        maker.record(pack, "PRODUCED", null);
        TraceRecord prepared = maker.prepareAndSign(pack, "INSTALLED", data("vin", "LSVAU218XN2183294")).record();
        Instant realNow = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        SignedRecord early = SignedRecord.sign(TraceRecord.of(pack, prepared.seq(), prepared.prev(), prepared.type(), realNow, maker.id, prepared.data()), maker.key);
        CascadeAndRecyclingTest.problem(maker.submit(early), 422, "time-in-future"); // three hours ahead of the server's clock

        ShiftableClock.reset();
        maker.submit(early).then().statusCode(201);
        // Records prepared without a time take the clock's.
        TraceRecord next = maker.prepareAndSign(pack, "RETIRED", null).record();
        assertTrue(!next.instant().isBefore(realNow), next.time());
    }

    /** White-list validity ends with its last day in Beijing: 20:00 UTC on that day is already the next day there. */
    @Test
    void qualificationDaysAreBeijingDays() {
        LocalDate lastDay = ChinaTime.date(Instant.now()).minusDays(10);
        ShiftableClock.setTo(lastDay.atTime(1, 0).toInstant(ZoneOffset.UTC));
        Org oem = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER, Role.VEHICLE_MAKER);
        Org recycler = Platform.organization(SignatureAlgorithm.ED25519, false, Role.RECYCLER);
        String onTime = retiredPack(oem);
        String late = retiredPack(oem);
        Platform.admin().body(Map.of("qualified", true, "validUntil", lastDay.toString(), "reference", "MIIT-WL-CLOCK"))
                .put("/api/v1/organizations/" + recycler.id + "/qualification").then().statusCode(200);

        ShiftableClock.setTo(lastDay.atTime(12, 0).toInstant(ZoneOffset.UTC)); // 20:00 on the last day in Beijing
        oem.transfer(onTime, recycler);
        recycler.auth().get("/api/v1/batteries/" + onTime).then().body("custodian", equalTo(recycler.id));

        ShiftableClock.setTo(lastDay.atTime(20, 0).toInstant(ZoneOffset.UTC)); // 04:00 the next day in Beijing
        SignedRecord lateOffer = oem.prepareAndSign(late, "TRANSFERRED", data("to", recycler.id));
        oem.auth().body(lateOffer.toJson().toString()).post("/api/v1/transfers").then().statusCode(422)
                .body("type", equalTo("urn:batterytrace:problem:receiver-not-qualified"));
    }

    private static String retiredPack(Org oem) {
        String pack = Platform.newPackCode();
        oem.record(pack, "PRODUCED", null);
        oem.record(pack, "INSTALLED", data("vin", "LSVAU218XN2183294"));
        oem.record(pack, "RETIRED", null);
        return pack;
    }
}

package org.batterytrace.server;

import static org.batterytrace.server.Platform.data;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
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
 * what ingest calls "the future", and calendar days are Beijing days.
 */
@QuarkusTest
public class ClockTest {
    @AfterEach
    void resetClock() {
        ShiftableClock.reset();
    }

    @Test
    void theFutureIsJudgedByTheInjectedClock() {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER, Role.VEHICLE_MAKER);
        String pack = Platform.newPackCode();
        maker.record(pack, "PRODUCED", null);
        TraceRecord prepared = maker.prepareAndSign(pack, "INSTALLED", data("vin", "LSVAU218XN2183294")).record();
        Instant inTwoHours = Instant.now().plus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        SignedRecord early = SignedRecord.sign(TraceRecord.of(pack, prepared.seq(), prepared.prev(), prepared.type(), inTwoHours, maker.id, prepared.data()), maker.key);
        CascadeAndRecyclingTest.problem(maker.submit(early), 422, "time-in-future");

        ShiftableClock.shift(Duration.ofHours(3));
        maker.submit(early).then().statusCode(201);
        // Records prepared without a time take the clock's.
        TraceRecord next = maker.prepareAndSign(pack, "RETIRED", null).record();
        org.junit.jupiter.api.Assertions.assertTrue(next.instant().isAfter(inTwoHours), next.time());
    }

    /** White-list validity ends with its last day in Beijing: 20:00 UTC on that day is already the next day there. */
    @Test
    void qualificationDaysAreBeijingDays() {
        Org oem = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER, Role.VEHICLE_MAKER);
        Org recycler = Platform.organization(SignatureAlgorithm.ED25519, false, Role.RECYCLER);
        String pack = Platform.newPackCode();
        oem.record(pack, "PRODUCED", null);
        oem.record(pack, "INSTALLED", data("vin", "LSVAU218XN2183294"));
        oem.record(pack, "RETIRED", null);
        LocalDate lastDay = ChinaTime.date(Instant.now()).plusDays(10);
        Platform.admin().body(Map.of("qualified", true, "validUntil", lastDay.toString(), "reference", "MIIT-WL-CLOCK"))
                .put("/api/v1/organizations/" + recycler.id + "/qualification").then().statusCode(200);

        ShiftableClock.setTo(lastDay.atTime(20, 0).toInstant(java.time.ZoneOffset.UTC)); // 04:00 the next day in Beijing
        SignedRecord lateOffer = oem.prepareAndSign(pack, "TRANSFERRED", data("to", recycler.id));
        oem.auth().body(lateOffer.toJson().toString()).post("/api/v1/transfers").then().statusCode(422)
                .body("type", equalTo("urn:batterytrace:problem:receiver-not-qualified"));

        ShiftableClock.setTo(lastDay.atTime(12, 0).toInstant(java.time.ZoneOffset.UTC)); // 20:00 on the last day in Beijing
        oem.transfer(pack, recycler);
        recycler.auth().get("/api/v1/batteries/" + pack).then().body("custodian", equalTo(recycler.id));
    }
}

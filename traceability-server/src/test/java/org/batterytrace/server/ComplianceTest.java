package org.batterytrace.server;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.batterytrace.audit.EvidenceBundle;
import org.batterytrace.audit.VerificationReport;
import org.batterytrace.audit.Verifier;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.log.NoteKey;
import org.batterytrace.record.Json;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.server.Platform.Org;
import org.junit.jupiter.api.Test;

/** Reporting deadlines (2018 rules, working days) through the API, and back-dated keys for back-filling. */
@QuarkusTest
public class ComplianceTest {

    static SignedRecord backdated(Org org, String subject, String type, Instant time) {
        String body = Json.object().put("subject", subject).put("type", type).put("time", time.toString()).toString();
        TraceRecord record = TraceRecord.fromJson(Json.parse(org.auth().body(body).post("/api/v1/records/prepare").then().statusCode(200).extract().asByteArray())
                .get("record"));
        return SignedRecord.sign(record, org.key);
    }

    @Test
    void recordsUploadedAfterTheirDeadlineAreListedForTheEnterpriseAndRegulators() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, now.minus(90, ChronoUnit.DAYS), Role.BATTERY_MAKER);
        Org regulator = Platform.organization(SignatureAlgorithm.ED25519, false, Role.REGULATOR);
        Org other = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        String late = Platform.newPackCode();
        String onTime = Platform.newPackCode();
        // 40 calendar days are at least 26 working days: past the 15 allowed from leaving the factory.
        maker.submit(backdated(maker, late, "PRODUCED", now.minus(40, ChronoUnit.DAYS))).then().statusCode(201);
        maker.submit(backdated(maker, onTime, "PRODUCED", now.minus(2, ChronoUnit.DAYS))).then().statusCode(201);

        maker.auth().get("/api/v1/compliance/late-reports?actor=" + maker.id).then().statusCode(200)
                .body("checked", equalTo(2)).body("late", equalTo(1))
                .body("items[0].subject", equalTo(late)).body("items[0].allowedWorkingDays", equalTo(15))
                .body("items[0].workingDays", greaterThan(25)).body("items[0].article", equalTo("Art. 8")).body("items[0].basis", startsWith("2018 Interim Provisions Art. 8: the battery leaves the battery factory"))
                .body("items[0].calendarCovered", equalTo(true));
        regulator.auth().get("/api/v1/compliance/late-reports?actor=" + maker.id).then().statusCode(200).body("late", equalTo(1));
        regulator.auth().get("/api/v1/compliance/timeliness").then().statusCode(200)
                .body("find { it.actor == '" + maker.id + "' }.late", equalTo(1))
                .body("find { it.actor == '" + maker.id + "' }.lateShare", equalTo("50.00"));
        CascadeAndRecyclingTest.problem(other.auth().get("/api/v1/compliance/late-reports?actor=" + maker.id), 403, "not-your-organization");
        CascadeAndRecyclingTest.problem(maker.auth().get("/api/v1/compliance/timeliness"), 403, "regulator-required");
        CascadeAndRecyclingTest.problem(maker.auth().get("/api/v1/compliance/late-reports"), 400, "invalid-request");
        CascadeAndRecyclingTest.problem(maker.auth().get("/api/v1/compliance/late-reports?actor=" + maker.id + "&from=yesterday"), 400, "bad-range");
        given().get("/api/v1/compliance/timeliness").then().statusCode(401);

        // The back-dated key signs the back-filled record, and the offline verifier agrees.
        byte[] bundle = maker.auth().get("/api/v1/batteries/" + late + "/evidence").then().statusCode(200).extract().asByteArray();
        String key = given().get("/api/v1/log/key").then().extract().path("verifierKey");
        VerificationReport report = Verifier.pinning(NoteKey.parse(key)).verify(EvidenceBundle.parse(bundle));
        assertTrue(report.ok(), () -> report.findings().toString());
    }

    @Test
    void onlyTheAdministratorBackDatesKeysAndNeverIntoTheFuture() {
        Org org = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        String pem = org.key.publicKey().toPem();
        String past = Instant.now().minus(30, ChronoUnit.DAYS).toString();
        CascadeAndRecyclingTest.problem(org.auth().body(Map.of("publicKeyPem", pem, "validFrom", past)).post("/api/v1/organizations/" + org.id + "/keys"),
                403, "admin-required");
        String fresh = org.rotatedKeyPem();
        CascadeAndRecyclingTest.problem(Platform.admin().body(Map.of("publicKeyPem", fresh, "validFrom", past)).post("/api/v1/organizations/" + org.id + "/keys"),
                422, "time-before-previous");
        CascadeAndRecyclingTest.problem(Platform.admin().body(Map.of("publicKeyPem", fresh, "validFrom", Instant.now().plus(1, ChronoUnit.DAYS).toString()))
                .post("/api/v1/organizations/" + org.id + "/keys"), 422, "time-in-future");
        org.auth().get("/api/v1/organizations/" + org.id + "/keys").then().body("keyId", hasItem(org.key.publicKey().keyId()));
    }
}

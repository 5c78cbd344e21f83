package org.batterytrace.server;

import static org.batterytrace.server.Platform.data;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.Json;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.server.Platform.Org;
import org.junit.jupiter.api.Test;

/**
 * The client's retry rule: resubmitting the identical signed record (same hash) is always safe — it is
 * answered 200 with the original acknowledgement (same log index) and logs nothing new — while a
 * different record for a sequence number already taken is still a 409.
 */
@QuarkusTest
public class SafeRetryTest {

    private static String batch(SignedRecord... records) {
        return Platform.bulkBody(records);
    }

    @Test
    void aResubmittedRecordGetsItsFirstAcknowledgementAndADifferentOneAConflict() {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER, Role.VEHICLE_MAKER);
        String pack = Platform.newPackCode();
        SignedRecord produced = maker.prepareAndSign(pack, "PRODUCED", null);
        JsonNode first = Json.parse(maker.submit(produced).then().statusCode(201).body("replayed", equalTo(false)).extract().asByteArray());
        maker.submit(produced).then().statusCode(200).body("replayed", equalTo(true))
                .body("logIndex", equalTo(first.get("logIndex").intValue())).body("hash", equalTo(first.get("hash").textValue()))
                .body("state", equalTo("PRODUCED")).body("custodian", equalTo(maker.id));

        SignedRecord installed = maker.prepareAndSign(pack, "INSTALLED", data("vin", "LSVAU218XN2183294"));
        SignedRecord rival = maker.prepareAndSign(pack, "INSTALLED", data("vin", org.batterytrace.identity.Vin.withCheckDigit("LSVAU2180N2183295").value()));
        long index = Json.parse(maker.submit(installed).then().statusCode(201).extract().asByteArray()).get("logIndex").longValue();
        maker.submit(rival).then().statusCode(409).body("type", equalTo("urn:batterytrace:problem:seq-conflict"));
        // Still safe after the chain moved on, and after the signing key was revoked.
        maker.record(pack, "RETIRED", null);
        maker.auth().post("/api/v1/organizations/" + maker.id + "/keys/" + maker.key.keyId() + "/revoke").then().statusCode(200);
        maker.submit(installed).then().statusCode(200).body("logIndex", equalTo((int) index)).body("state", equalTo("INSTALLED"));
        maker.auth().get("/api/v1/batteries/" + pack).then().body("headSeq", equalTo(3));
    }

    @Test
    void aResubmittedBulkIsAnsweredRecordByRecord() {
        Org maker = Platform.organization(SignatureAlgorithm.SM2, false, Role.BATTERY_MAKER);
        SignedRecord a = maker.prepareAndSign(Platform.newPackCode(), "PRODUCED", null);
        SignedRecord b = maker.prepareAndSign(Platform.newPackCode(), "PRODUCED", null);
        JsonNode first = Json.parse(maker.auth().body(batch(a, b)).post("/api/v1/batteries").then().statusCode(201).extract().asByteArray());
        JsonNode again = Json.parse(maker.auth().body(batch(a, b)).post("/api/v1/records/bulk").then().statusCode(200).extract().asByteArray());
        assertEquals(first.get("firstLogIndex"), again.get("firstLogIndex"));
        assertEquals(first.get("lastLogIndex"), again.get("lastLogIndex"));

        // Old and new together: the old ones are acknowledged as before, the new one is logged.
        SignedRecord c = maker.prepareAndSign(Platform.newPackCode(), "PRODUCED", null);
        JsonNode mixed = Json.parse(maker.auth().body(batch(a, c, b)).post("/api/v1/batteries").then().statusCode(201).extract().asByteArray());
        assertEquals(List.of(true, false, true), List.of(mixed.get("records").get(0).get("replayed").booleanValue(),
                mixed.get("records").get(1).get("replayed").booleanValue(), mixed.get("records").get(2).get("replayed").booleanValue()));
        assertEquals(first.get("records").get(1).get("logIndex"), mixed.get("records").get(2).get("logIndex"));
    }

    @Test
    void anotherOrganizationCannotReplayARecordToLearnItsPlace() {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        Org other = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        SignedRecord produced = maker.prepareAndSign(Platform.newPackCode(), "PRODUCED", null);
        maker.submit(produced).then().statusCode(201);
        other.submit(produced).then().statusCode(403).body("type", equalTo("urn:batterytrace:problem:actor-mismatch"));
    }

    @Test
    void transferOffersAndAcceptancesAreSafeToRetry() {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        Org oem = Platform.organization(SignatureAlgorithm.ES256, false, Role.VEHICLE_MAKER);
        String pack = Platform.newPackCode();
        maker.record(pack, "PRODUCED", null);
        SignedRecord offer = maker.prepareAndSign(pack, "TRANSFERRED", data("to", oem.id));
        String id = maker.auth().body(offer.toJson().toString()).post("/api/v1/transfers").then().statusCode(201).extract().path("id");
        maker.auth().body(offer.toJson().toString()).post("/api/v1/transfers").then().statusCode(200).body("id", equalTo(id));
        String acceptance = oem.key.sign(offer.record()).toJson().toString();
        int index = oem.auth().body(acceptance).post("/api/v1/transfers/" + id + "/accept").then().statusCode(200).extract().path("logIndex");
        oem.auth().body(acceptance).post("/api/v1/transfers/" + id + "/accept").then().statusCode(200)
                .body("logIndex", equalTo(index)).body("replayed", equalTo(true)).body("custodian", equalTo(oem.id));
        // A different signature on an accepted transfer is no retry.
        oem.auth().body(org.batterytrace.record.SigningKey.generate(SignatureAlgorithm.ES256).sign(offer.record()).toJson().toString()).post("/api/v1/transfers/" + id + "/accept")
                .then().statusCode(409).body("type", equalTo("urn:batterytrace:problem:transfer-closed"));
        oem.auth().get("/api/v1/batteries/" + pack).then().body("headSeq", equalTo(2));
    }
}

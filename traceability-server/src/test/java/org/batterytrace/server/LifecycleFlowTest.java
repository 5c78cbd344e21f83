package org.batterytrace.server;

import static io.restassured.RestAssured.given;
import static org.batterytrace.server.Platform.data;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.batterytrace.audit.EvidenceBundle;
import org.batterytrace.audit.VerificationReport;
import org.batterytrace.audit.Verifier;
import org.batterytrace.identity.ProductLevel;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.log.NoteKey;
import org.batterytrace.record.Json;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.server.Platform.Org;
import org.junit.jupiter.api.Test;

/** A battery's whole life over REST, ending in an evidence bundle the offline verifier accepts. */
@QuarkusTest
public class LifecycleFlowTest {

    @Test
    void productionToRecyclingWithOfflineVerifiableEvidence() {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        Org oem = Platform.organization(SignatureAlgorithm.SM2, false, Role.VEHICLE_MAKER);
        Org recycler = Platform.organization(SignatureAlgorithm.ES256, true, Role.RECYCLER, Role.DISMANTLER);
        String pack = Platform.newPackCode();
        String module = Platform.newCode(ProductLevel.MODULE);

        // Bulk registration of a pack and its module by the maker.
        ObjectNode packData = Json.object();
        packData.put("ratedCapacityWh", 75_000);
        SignedRecord packRecord = maker.prepareAndSign(pack, "PRODUCED", packData);
        SignedRecord moduleRecord = maker.prepareAndSign(module, "PRODUCED", data("parent", pack));
        String batch = Platform.bulkBody(packRecord, moduleRecord);
        maker.auth().body(batch).post("/api/v1/batteries").then().statusCode(201)
                .body("accepted", equalTo(2)).body("records[0].state", equalTo("PRODUCED")).body("records[1].custodian", equalTo(maker.id));
        maker.auth().get("/api/v1/batteries/" + pack).then().statusCode(200).body("components", equalTo(List.of(module)))
                .body("level", equalTo("PACK")).body("productionDate", equalTo("2026-03-14"));

        maker.transfer(pack, oem);
        oem.record(pack, "INSTALLED", data("vin", "LSVAU218XN2183294"));
        oem.record(pack, "SOLD", null);
        ObjectNode retired = Json.object();
        retired.put("odometerKm", 182_345);
        retired.put("sohBasisPoints", 7_850);
        oem.record(pack, "RETIRED", retired);
        oem.transfer(pack, recycler);
        recycler.record(pack, "COLLECTED", data("site", "Changsha collection point 3"));
        recycler.record(pack, "TESTED", Platform.tested(96_000, 150_000, "RECYCLE"));
        String lot = Platform.newLotId(recycler);
        recycler.record(lot, "LOT_OPENED", data("process", "HYDROMETALLURGY"));
        JsonNode last = recycler.record(pack, "RECYCLED", data("lot", lot).put("massGrams", 412_000));
        assertEquals("RECYCLED", last.get("state").asText());
        assertEquals(recycler.id, last.get("custodian").asText());

        given().get("/api/v1/batteries/" + pack + "/summary").then().statusCode(200).body("chemistryName", equalTo("ternary (NCM/NCA)"));
        recycler.auth().get("/api/v1/batteries/" + pack).then().statusCode(200)
                .body("state", equalTo("RECYCLED")).body("custodian", equalTo(recycler.id)).body("headSeq", equalTo(9));
        recycler.auth().get("/api/v1/batteries/" + pack + "/history").then().statusCode(200).body("", hasSize(9))
                .body("entry.record.type", hasItem("TRANSFERRED"));
        recycler.auth().get("/api/v1/batteries?custodian=" + recycler.id + "&state=RECYCLED").then().statusCode(200)
                .body("total", equalTo(1)).body("items[0].code", equalTo(pack));

        byte[] bundleJson = recycler.auth().get("/api/v1/batteries/" + pack + "/evidence").then().statusCode(200).extract().asByteArray();
        String verifierKey = given().get("/api/v1/log/key").then().statusCode(200).extract().path("verifierKey");
        EvidenceBundle bundle = EvidenceBundle.parse(bundleJson);
        VerificationReport report = Verifier.pinning(NoteKey.parse(verifierKey)).verify(bundle);
        assertTrue(report.ok(), () -> report.findings().toString());
        assertEquals(9, bundle.records().size());
        assertEquals(3, bundle.keyEvents().size(), "one key event per signing organization");
        assertTrue(bundle.records().get(1).entry().signatures().size() == 2, "a transfer carries both parties' signatures");
    }

    @Test
    void historyAndEvidenceNeedATokenButTheSummaryIsPublic() {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        String pack = Platform.newPackCode();
        maker.record(pack, "PRODUCED", null);
        given().get("/api/v1/batteries/" + pack + "/summary").then().statusCode(200).body("code", equalTo(pack));
        maker.auth().get("/api/v1/batteries/" + pack).then().statusCode(200).body("state", equalTo("PRODUCED"));
        given().get("/api/v1/batteries/" + pack + "/history").then().statusCode(401).contentType("application/problem+json");
        given().get("/api/v1/batteries/" + pack + "/evidence").then().statusCode(401);
        given().get("/api/v1/batteries/" + pack).then().statusCode(401);
    }

    @Test
    void wasteBatteriesOnlyGoToWhiteListedEnterprises() {
        Org oem = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER, Role.VEHICLE_MAKER);
        Org backyard = Platform.organization(SignatureAlgorithm.ED25519, false, Role.RECYCLER);
        String pack = Platform.newPackCode();
        oem.record(pack, "PRODUCED", null);
        oem.record(pack, "INSTALLED", data("vin", "LSVAU218XN2183294"));
        oem.record(pack, "RETIRED", null);
        SignedRecord offer = oem.prepareAndSign(pack, "TRANSFERRED", data("to", backyard.id));
        oem.auth().body(offer.toJson().toString()).post("/api/v1/transfers").then().statusCode(422)
                .contentType("application/problem+json").body("type", equalTo("urn:batterytrace:problem:receiver-not-qualified"));

        // A qualification that has lapsed does not count.
        Platform.admin().body(Map.of("qualified", true, "validUntil", java.time.LocalDate.now().minusDays(1).toString(), "reference", "MIIT-WL-6"))
                .put("/api/v1/organizations/" + backyard.id + "/qualification").then().statusCode(200);
        oem.auth().body(offer.toJson().toString()).post("/api/v1/transfers").then().statusCode(422)
                .body("type", equalTo("urn:batterytrace:problem:receiver-not-qualified"));

        // Once white-listed, the same enterprise may take it.
        Platform.admin().body(Map.of("qualified", true, "validUntil", "2030-12-31", "reference", "MIIT-WL-7")).put("/api/v1/organizations/" + backyard.id + "/qualification")
                .then().statusCode(200).body("qualified", equalTo(true));
        oem.transfer(pack, backyard);
        backyard.auth().get("/api/v1/batteries/" + pack).then().body("custodian", equalTo(backyard.id));
    }

    @Test
    void receiverMayRejectAndTheCustodianKeepsTheBattery() {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        Org oem = Platform.organization(SignatureAlgorithm.ED25519, false, Role.VEHICLE_MAKER);
        String pack = Platform.newPackCode();
        maker.record(pack, "PRODUCED", null);
        SignedRecord offer = maker.prepareAndSign(pack, "TRANSFERRED", data("to", oem.id));
        String id = maker.auth().body(offer.toJson().toString()).post("/api/v1/transfers").then().statusCode(201).extract().path("id");
        oem.auth().get("/api/v1/transfers?status=PENDING").then().statusCode(200).body("id", hasItem(id));
        // The same offer again is a retry and gets the pending transfer; a different one waits for it to be decided.
        maker.auth().body(offer.toJson().toString()).post("/api/v1/transfers").then().statusCode(200).body("id", equalTo(id));
        Org other = Platform.organization(SignatureAlgorithm.ED25519, false, Role.VEHICLE_MAKER);
        maker.auth().body(maker.prepareAndSign(pack, "TRANSFERRED", data("to", other.id)).toJson().toString()).post("/api/v1/transfers").then().statusCode(409)
                .body("type", equalTo("urn:batterytrace:problem:transfer-pending"));
        oem.auth().post("/api/v1/transfers/" + id + "/reject").then().statusCode(200).body("status", equalTo("REJECTED"));
        oem.auth().body(oem.key.sign(offer.record()).toJson().toString()).post("/api/v1/transfers/" + id + "/accept").then().statusCode(409)
                .body("type", equalTo("urn:batterytrace:problem:transfer-closed"));
        maker.auth().get("/api/v1/batteries/" + pack).then().body("custodian", equalTo(maker.id)).body("headSeq", equalTo(1));
    }
}

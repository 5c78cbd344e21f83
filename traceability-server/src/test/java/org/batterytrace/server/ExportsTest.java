package org.batterytrace.server;

import static io.restassured.RestAssured.given;
import static org.batterytrace.server.Platform.data;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.Json;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.server.Platform.Org;
import org.junit.jupiter.api.Test;

/** EPCIS 2.0 export and the tiered EU battery-passport view of real chains. */
@QuarkusTest
public class ExportsTest {

    /** A pack tested and repurposed into a certified, deployed cascade product; returns {pack, product}. */
    static String[] cascadeProduct(Org cascade) {
        String[] pack = CascadeAndRecyclingTest.collectedPackWithModule(cascade);
        cascade.record(pack[0], "TESTED", Platform.tested(118_000, 150_000, "CASCADE"));
        cascade.record(pack[0], "REPURPOSED", null);
        String product = Platform.newCascadeCode();
        ObjectNode sources = Json.object().put("massGrams", 310_000);
        sources.set("sources", Json.array().add(pack[0]));
        cascade.record(product, "ASSEMBLED", sources);
        cascade.record(product, "CERTIFIED", CascadeAndRecyclingTest.certificate("2026-01-01", "2029-12-31"));
        cascade.record(product, "DEPLOYED", data("application", "BACKUP_POWER").put("site", "Yueyang base station 17"));
        return new String[] {pack[0], product};
    }

    @Test
    void epcisEventsMirrorTheSignedRecords() {
        Org cascade = Platform.organization(SignatureAlgorithm.ED25519, true, Role.CASCADE_ENTERPRISE);
        Org regulator = Platform.organization(SignatureAlgorithm.ED25519, false, Role.REGULATOR);
        Instant before = Instant.now().minus(1, ChronoUnit.MINUTES);
        String[] codes = cascadeProduct(cascade);
        String pack = codes[0], product = codes[1];

        JsonNode history = Json.parse(cascade.auth().get("/api/v1/batteries/" + pack + "/history").then().statusCode(200).extract().asByteArray());
        JsonNode doc = Json.parse(cascade.auth().get("/api/v1/batteries/" + pack + "/epcis").then().statusCode(200).extract().asByteArray());
        assertEquals("EPCISDocument", doc.get("type").asText());
        assertEquals("2.0", doc.get("schemaVersion").asText());
        JsonNode events = doc.get("epcisBody").get("eventList");
        assertEquals(history.size(), events.size(), "one event per record");
        for (int i = 0; i < events.size(); i++) {
            assertEquals("ni:///sha-256;" + history.get(i).get("hash").asText() + "?ver=CBV2.0", events.get(i).get("eventID").asText());
            assertEquals(history.get(i).get("logIndex").asLong(), events.get(i).get("bt:logIndex").asLong());
        }
        assertEquals(List.of("commissioning", "installing", "removing", "shipping", "collecting", "inspecting", "decommissioning"),
                events.findValuesAsText("bizStep"));
        assertEquals("AssociationEvent", events.get(1).get("type").asText());
        assertEquals("urn:batterytrace:vehicle:LSVAU218XN2183294", events.get(1).get("parentID").asText());
        assertEquals("DELETE", events.get(6).get("action").asText());

        cascade.auth().get("/api/v1/batteries/" + product + "/epcis").then().statusCode(200)
                .body("epcisBody.eventList[0].type", equalTo("TransformationEvent"))
                .body("epcisBody.eventList[0].inputEPCList", equalTo(List.of("urn:batterytrace:battery:" + pack)))
                .body("epcisBody.eventList[0].outputEPCList", equalTo(List.of("urn:batterytrace:battery:" + product)))
                .body("epcisBody.eventList[2]['bt:application']", equalTo("BACKUP_POWER"));

        regulator.auth().get("/api/v1/epcis/events?from=" + before + "&limit=10000").then().statusCode(200)
                .body("epcisBody.eventList.eventID", hasItems(events.get(0).get("eventID").asText(), events.get(6).get("eventID").asText()));
        CascadeAndRecyclingTest.problem(cascade.auth().get("/api/v1/epcis/events"), 403, "regulator-required");
        given().get("/api/v1/batteries/" + pack + "/epcis").then().statusCode(401);
    }

    @Test
    void passportTierFollowsTheCallersRole() {
        Org cascade = Platform.organization(SignatureAlgorithm.ED25519, true, Role.CASCADE_ENTERPRISE);
        Org recycler = Platform.organization(SignatureAlgorithm.ED25519, true, Role.RECYCLER);
        Org stranger = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        Org regulator = Platform.organization(SignatureAlgorithm.ED25519, false, Role.REGULATOR);
        String[] codes = cascadeProduct(cascade);
        String pack = codes[0], product = codes[1];

        given().get("/api/v1/batteries/" + pack + "/passport").then().statusCode(200)
                .body("accessTier", equalTo("public")).body("passportStatus", equalTo("SUPERSEDED"))
                .body("generalProductInformation.batteryStatus", equalTo("Repurposed")).body("generalProductInformation.batteryCategory", equalTo("ev"))
                .body("circularity.successors", equalTo(List.of(product))).body("$", not(hasKey("legitimateInterest")));
        stranger.auth().get("/api/v1/batteries/" + pack + "/passport").then().body("accessTier", equalTo("public"));
        recycler.auth().get("/api/v1/batteries/" + pack + "/passport").then().statusCode(200)
                .body("accessTier", equalTo("legitimate-interest"))
                .body("legitimateInterest.stateOfHealth.capacityRatioPercent", equalTo("78.66"))
                .body("legitimateInterest.usage.transferred", equalTo(1))
                .body("$", not(hasKey("authority")));
        regulator.auth().get("/api/v1/batteries/" + product + "/passport").then().statusCode(200)
                .body("accessTier", equalTo("authority")).body("passportStatus", equalTo("ACTIVE"))
                .body("generalProductInformation.batteryCategory", equalTo("stationary"))
                .body("generalProductInformation.batteryStatus", equalTo("Repurposed"))
                .body("generalProductInformation.batteryMassGrams", equalTo(310_000))
                .body("circularity.predecessors", equalTo(List.of(pack)))
                .body("authority.certificates.certificateNumber", hasItem("CQC-26-ES-0042"))
                .body("authority.records.type", equalTo(List.of("ASSEMBLED", "CERTIFIED", "DEPLOYED")));
        Platform.admin().get("/api/v1/batteries/" + product + "/passport").then().body("accessTier", equalTo("authority"));
        CascadeAndRecyclingTest.problem(given().get("/api/v1/batteries/" + Platform.newPackCode() + "/passport"), 404, "battery-not-found");
    }
}

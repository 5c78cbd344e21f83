package org.batterytrace.server;

import static io.restassured.RestAssured.given;
import static org.batterytrace.server.Platform.data;
import static org.batterytrace.server.Platform.tested;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.Json;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.server.Platform.Org;
import org.junit.jupiter.api.Test;

/**
 * The read policy's reasoning beyond the matrix: linked chains one step away, parties that handed a
 * battery on, time-bounded and revoked auditor grants (and their log entries), regulators' region
 * scopes, searches that list only readable batteries, and a public summary without custody data.
 */
@QuarkusTest
public class ReadPolicyTest {
    private static final String B = "/api/v1/batteries/";

    @Test
    void theMakerOfASourcePackFollowsItIntoTheCascadeProductButAStrangerCannot() {
        Org cascade = Platform.organization(SignatureAlgorithm.ED25519, true, Role.CASCADE_ENTERPRISE);
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER, Role.VEHICLE_MAKER);
        Org stranger = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        String pack = Platform.newPackCode();
        maker.record(pack, "PRODUCED", null);
        maker.record(pack, "INSTALLED", data("vin", "LSVAU218XN2183294"));
        maker.record(pack, "RETIRED", null);
        maker.transfer(pack, cascade);
        cascade.record(pack, "COLLECTED", null);
        cascade.record(pack, "TESTED", tested(118_000, 150_000, "CASCADE"));
        cascade.record(pack, "REPURPOSED", null);
        String product = Platform.newCascadeCode();
        ObjectNode sources = Json.object();
        sources.set("sources", Json.array().add(pack));
        cascade.auth().body(Platform.bulkBody(cascade.prepareAndSign(product, "ASSEMBLED", sources))).post("/api/v1/batteries").then().statusCode(201);

        // The maker never acted on the product, but it is one step from the pack it made.
        maker.auth().get(B + product + "/history").then().statusCode(200);
        // The former holder still reads the records written after it handed the pack on.
        maker.auth().get(B + pack + "/history").then().statusCode(200).body("size()", equalTo(7));
        stranger.auth().get(B + product + "/history").then().statusCode(403).body("type", equalTo("urn:batterytrace:problem:not-a-party"));
        stranger.auth().get(B + pack).then().statusCode(403);
    }

    @Test
    void anAuditorReadsWhileItsGrantLastsAndEveryGrantIsLogged() {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        Org auditor = Platform.organization("110000", SignatureAlgorithm.ED25519, false, null, Role.AUDITOR);
        Org notAnAuditor = Platform.organization(SignatureAlgorithm.ED25519, false, Role.RECYCLER);
        String pack = Platform.newPackCode();
        maker.record(pack, "PRODUCED", null);
        String grants = "/api/v1/organizations/" + maker.id + "/auditor-grants";

        auditor.auth().get(B + pack).then().statusCode(403);
        // Only auditors can be granted access, only by the organization itself, and a window must be a window.
        maker.auth().body(Map.of("auditor", notAnAuditor.id)).post(grants).then().statusCode(422).body("type", equalTo("urn:batterytrace:problem:not-an-auditor"));
        Platform.admin().body(Map.of("auditor", auditor.id)).post(grants).then().statusCode(403);
        maker.auth().body(Map.of("auditor", auditor.id, "validFrom", "2026-01-02T00:00:00Z", "validUntil", "2026-01-01T00:00:00Z")).post(grants)
                .then().statusCode(400);
        // A grant that has already run out gives nothing.
        maker.auth().body(Map.of("auditor", auditor.id, "validFrom", "2025-01-01T00:00:00+08:00", "validUntil", "2025-12-31T00:00:00+08:00")).post(grants)
                .then().statusCode(201);
        auditor.auth().get(B + pack + "/evidence").then().statusCode(403);

        JsonNode grant = Json.parse(maker.auth().body(Map.of("auditor", auditor.id, "validUntil", Instant.now().plusSeconds(3600).toString())).post(grants)
                .then().statusCode(201).extract().asByteArray());
        auditor.auth().get(B + pack + "/evidence").then().statusCode(200);
        assertTrue(given().header("Authorization", "Bearer " + auditor.token).get("/api/v1/batteries?maker=" + maker.id).asString().contains(pack));

        maker.auth().post(grants + "/" + grant.get("id").textValue() + "/revoke").then().statusCode(200).body("revokedAt", not(equalTo(null)));
        auditor.auth().get(B + pack + "/evidence").then().statusCode(403);
        assertEquals(0, Json.parse(auditor.auth().get("/api/v1/batteries?maker=" + maker.id).then().statusCode(200).extract().asByteArray()).get("total").intValue());

        // Grant and revocation are log entries the grantor can read, signed by the log.
        JsonNode revoked = Json.parse(maker.auth().get(grants).then().statusCode(200).extract().asByteArray());
        JsonNode last = StreamSupport.stream(revoked.spliterator(), false).filter(g -> g.get("id").equals(grant.get("id"))).findFirst().orElseThrow();
        long granted = last.get("logIndex").longValue();
        long revocation = last.get("revocationLogIndex").longValue();
        List<String> types = StreamSupport.stream(Json.parse(maker.auth().get("/api/v1/log/entries?start=" + granted + "&end=" + (revocation + 1))
                .then().statusCode(200).extract().asByteArray()).spliterator(), false)
                .filter(e -> e.hasNonNull("entry") && e.get("entry").get("record").get("subject").textValue().equals("ACCESS-" + maker.id))
                .map(e -> e.get("entry").get("record").get("type").textValue()).toList();
        assertEquals(List.of("AUDITOR_GRANTED", "AUDITOR_GRANT_REVOKED"), types);
        // A stranger sees the same entries as hashes only.
        given().get("/api/v1/log/entries?start=" + granted + "&end=" + (granted + 1)).then().statusCode(200)
                .body("[0]", not(hasKey("entry"))).body("[0].leafHash", org.hamcrest.Matchers.matchesPattern("[0-9a-f]{64}"));
    }

    @Test
    void regulatorsReadWhatWasRegisteredOrIsHeldInTheirRegion() {
        Org changshaMaker = Platform.organization("430100", SignatureAlgorithm.ED25519, false, null, Role.BATTERY_MAKER, Role.VEHICLE_MAKER);
        Org shenzhenRecycler = Platform.organization("440300", SignatureAlgorithm.ED25519, true, null, Role.RECYCLER);
        Org changsha = Platform.regulator("430100", null);
        Org hunan = Platform.regulator("430000", null);
        Org zhuzhou = Platform.regulator("430200", null);
        Org shenzhen = Platform.regulator("440300", null);
        Org national = Platform.regulator("110000", "CN");
        String pack = Platform.newPackCode();
        changshaMaker.record(pack, "PRODUCED", null);

        for (Org reader : List.of(changsha, hunan, national)) {
            reader.auth().get(B + pack).then().statusCode(200);
        }
        zhuzhou.auth().get(B + pack).then().statusCode(403);
        shenzhen.auth().get(B + pack).then().statusCode(403);
        // Once Shenzhen holds it, Shenzhen's regulator reads it too; Changsha still does (registered there).
        changshaMaker.record(pack, "INSTALLED", data("vin", "LSVAU218XN2183294"));
        changshaMaker.record(pack, "RETIRED", null);
        changshaMaker.transfer(pack, shenzhenRecycler);
        shenzhen.auth().get(B + pack + "/history").then().statusCode(200);
        changsha.auth().get(B + pack + "/history").then().statusCode(200);
        zhuzhou.auth().get(B + pack + "/history").then().statusCode(403);
        given().get("/api/v1/organizations/" + changsha.id).then().body("regionScope", equalTo("4301"));
        given().get("/api/v1/organizations/" + national.id).then().body("regionScope", equalTo("CN"));
    }

    @Test
    void regionScopesAreCheckedAtRegistration() {
        String body = Json.object().put("id", Platform.newOrgId()).put("name", "Bad scope").put("region", "430000").put("regionScope", "4")
                .set("roles", Json.array().add("REGULATOR")).toString();
        Platform.admin().body(body).post("/api/v1/organizations").then().statusCode(400).body("type", equalTo("urn:batterytrace:problem:invalid-region-scope"));
        String notARegulator = Json.object().put("id", Platform.newOrgId()).put("name", "Recycler").put("region", "430000").put("regionScope", "43")
                .set("roles", Json.array().add("RECYCLER")).toString();
        Platform.admin().body(notARegulator).post("/api/v1/organizations").then().statusCode(400);
    }

    @Test
    void thePublicSummaryCarriesNoCustodyData() {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        String pack = Platform.newPackCode();
        maker.record(pack, "PRODUCED", null);
        given().get(B + pack + "/summary").then().statusCode(200).body("code", equalTo(pack)).body("maker", equalTo(maker.id))
                .body("$", not(hasKey("state"))).body("$", not(hasKey("custodian"))).body("$", not(hasKey("records")));
        maker.auth().get(B + pack).then().statusCode(200).body("state", equalTo("PRODUCED")).body("custodian", equalTo(maker.id));
    }
}

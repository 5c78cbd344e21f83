package org.batterytrace.server;

import static io.restassured.RestAssured.given;
import static org.batterytrace.server.Platform.data;
import static org.batterytrace.server.Platform.tested;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import org.batterytrace.audit.EvidenceBundle;
import org.batterytrace.audit.VerificationReport;
import org.batterytrace.audit.Verifier;
import org.batterytrace.identity.ProductLevel;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.log.NoteKey;
import org.batterytrace.record.Json;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.server.Platform.Org;
import org.junit.jupiter.api.Test;

/** Cascade use, dismantling and recycling lots through the REST API: every rule with an allowed and a rejected case. */
@QuarkusTest
public class CascadeAndRecyclingTest {

    public static io.restassured.response.ValidatableResponse problem(Response response, int status, String kind) {
        return response.then().statusCode(status).contentType("application/problem+json").body("type", equalTo("urn:batterytrace:problem:" + kind));
    }

    /** A retired pack (with one module) in stock at {@code holder}. */
    public static String[] collectedPackWithModule(Org holder) {
        Org oem = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER, Role.VEHICLE_MAKER);
        String pack = Platform.newPackCode();
        String module = Platform.newCode(ProductLevel.MODULE);
        oem.record(pack, "PRODUCED", null);
        oem.record(module, "PRODUCED", data("parent", pack));
        oem.record(pack, "INSTALLED", data("vin", "LSVAU218XN2183294"));
        oem.record(pack, "RETIRED", null);
        oem.transfer(pack, holder);
        holder.record(pack, "COLLECTED", null);
        return new String[] {pack, module};
    }

    static ObjectNode certificate(String from, String until) {
        return Json.object().put("certificateNumber", "CQC-26-ES-0042").put("certificationBody", "CQC").put("validFrom", from).put("validUntil", until);
    }

    static void verifiesOffline(Org reader, String path) {
        byte[] json = reader.auth().get(path).then().statusCode(200).extract().asByteArray();
        String key = given().get("/api/v1/log/key").then().statusCode(200).extract().path("verifierKey");
        VerificationReport report = Verifier.pinning(NoteKey.parse(key)).verify(EvidenceBundle.parse(json));
        assertTrue(report.ok(), () -> path + ": " + report.findings());
    }

    /**
     * The bundle carries the chains its link rules read (docs/record-format.md §9.2), whole: {@code linked}
     * among them; leaving out the newest entry of one is caught against the map.
     */
    static void carriesLinkedChains(Org reader, String path, String... linked) {
        ObjectNode bundle = (ObjectNode) Json.parse(reader.auth().get(path).then().statusCode(200).extract().asByteArray());
        java.util.Set<String> subjects = new java.util.HashSet<>();
        bundle.get("linkedRecords").forEach(e -> subjects.add(e.at("/entry/record/subject").asText()));
        assertTrue(subjects.containsAll(List.of(linked)), path + " links " + subjects);
        ((com.fasterxml.jackson.databind.node.ArrayNode) bundle.get("linkedRecords")).remove(bundle.get("linkedRecords").size() - 1);
        String key = given().get("/api/v1/log/key").then().statusCode(200).extract().path("verifierKey");
        VerificationReport report = Verifier.pinning(NoteKey.parse(key)).verify(EvidenceBundle.fromJson(bundle));
        assertTrue(report.has(org.batterytrace.audit.Failure.NOT_LATEST), () -> path + " without its last linked record: " + report.findings());
    }

    @Test
    void cascadeProductFromTestToCertifiedDeployment() {
        Org cascade = Platform.organization(SignatureAlgorithm.SM2, true, Role.CASCADE_ENTERPRISE);
        String[] a = collectedPackWithModule(cascade);
        String[] b = collectedPackWithModule(cascade);

        // GB/T 34015 fields are checked at prepare time already: a ratio that does not match the capacities is refused.
        problem(cascade.auth().body(Json.object().put("subject", a[0]).put("type", "TESTED").set("data", tested(118_000, 150_000, "CASCADE").put("capacityRatioBp", 9_100)).toString())
                .post("/api/v1/records/prepare"), 422, "invalid-event-data");
        cascade.record(a[0], "TESTED", tested(118_000, 150_000, "CASCADE"));
        cascade.record(b[0], "TESTED", tested(71_000, 150_000, "RECYCLE"));
        // Only the latest decision counts: b was judged for recycling.
        problem(cascade.submit(cascade.prepareAndSign(b[0], "REPURPOSED", null)), 422, "invalid-event-data");
        cascade.record(b[0], "TESTED", tested(121_000, 150_000, "CASCADE"));
        cascade.record(a[0], "REPURPOSED", null);
        cascade.record(b[0], "REPURPOSED", null);

        String product = Platform.newCascadeCode();
        ObjectNode sources = Json.object();
        sources.set("sources", Json.array().add(a[0]).add(b[0]));
        cascade.auth().body(Platform.bulkBody(cascade.prepareAndSign(product, "ASSEMBLED", sources))).post("/api/v1/batteries").then().statusCode(201);
        cascade.auth().get("/api/v1/batteries/" + product).then().statusCode(200).body("sources", containsInAnyOrder(a[0], b[0]))
                .body("cascadeProduct", equalTo(true));
        cascade.auth().get("/api/v1/batteries/" + a[0]).then().body("reusedIn", equalTo(List.of(product))).body("state", equalTo("REPURPOSED"));
        // A closed source chain takes no more records.
        problem(cascade.auth().body(Json.object().put("subject", a[0]).put("type", "RETIRED").toString()).post("/api/v1/records/prepare"), 422, "lifecycle-violation");

        ObjectNode deployment = data("application", "ENERGY_STORAGE").put("site", "Changsha Yuelu substation 3");
        problem(cascade.auth().body(Json.object().put("subject", product).put("type", "DEPLOYED").set("data", deployment).toString())
                .post("/api/v1/records/prepare"), 422, "lifecycle-violation");
        problem(cascade.auth().body(Json.object().put("subject", product).put("type", "DEPLOYED").set("data", data("application", "GRID").put("site", "x")).toString())
                .post("/api/v1/records/prepare"), 422, "invalid-event-data");
        cascade.record(product, "CERTIFIED", certificate("2020-01-01", "2021-12-31"));
        problem(cascade.submit(cascade.prepareAndSign(product, "DEPLOYED", deployment)), 422, "invalid-event-data");
        cascade.record(product, "CERTIFIED", certificate("2026-01-01", "2029-12-31"));
        cascade.record(product, "DEPLOYED", deployment);
        cascade.auth().get("/api/v1/batteries/" + product).then().body("state", equalTo("DEPLOYED"));
        verifiesOffline(cascade, "/api/v1/batteries/" + product + "/evidence");
        carriesLinkedChains(cascade, "/api/v1/batteries/" + product + "/evidence", a[0], b[0]);
        verifiesOffline(cascade, "/api/v1/batteries/" + a[0] + "/evidence");
    }

    @Test
    void dismantledPackPartsAndARecyclingLotWithRecoveryRates() {
        Org recycler = Platform.organization(SignatureAlgorithm.ED25519, true, Role.RECYCLER, Role.DISMANTLER);
        Org rival = Platform.organization(SignatureAlgorithm.ED25519, true, Role.RECYCLER, Role.DISMANTLER);
        String[] parts = collectedPackWithModule(recycler);
        String pack = parts[0], module = parts[1];
        String stranger = Platform.newCode(ProductLevel.MODULE);
        Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER).record(stranger, "PRODUCED", null);

        problem(recycler.submit(recycler.prepareAndSign(pack, "DISMANTLED", components(stranger))), 422, "part-not-registered");
        problem(recycler.submit(recycler.prepareAndSign(module, "SEPARATED", data("parent", pack))), 422, "parent-not-dismantled");
        recycler.record(pack, "DISMANTLED", components(module));
        problem(rival.submit(rival.prepareAndSign(module, "SEPARATED", data("parent", pack))), 422, "parent-not-dismantled");
        recycler.record(module, "SEPARATED", data("parent", pack));
        recycler.auth().get("/api/v1/batteries/" + module).then().body("state", equalTo("COLLECTED")).body("custodian", equalTo(recycler.id));

        String lot = Platform.newLotId(recycler);
        problem(rival.auth().body(Json.object().put("subject", lot).put("type", "LOT_OPENED").set("data", data("process", "HYDROMETALLURGY")).toString())
                .post("/api/v1/records/prepare"), 422, "invalid-event-data");
        recycler.record(lot, "LOT_OPENED", data("process", "HYDROMETALLURGY"));
        String rivalLot = Platform.newLotId(rival);
        rival.record(rivalLot, "LOT_OPENED", data("process", "PYROMETALLURGY"));
        // A lot id carries its recycler's credit code: the rival's lot is refused already when the record is prepared.
        problem(recycler.auth().body(Json.object().put("subject", pack).put("type", "RECYCLED").set("data", data("lot", rivalLot).put("massGrams", 300_000)).toString())
                .post("/api/v1/records/prepare"), 422, "invalid-event-data");
        recycler.record(pack, "RECYCLED", data("lot", lot).put("massGrams", 300_000));
        recycler.record(module, "RECYCLED", data("lot", lot).put("massGrams", 28_500));
        recycler.auth().get("/api/v1/lots/" + lot).then().statusCode(200).body("state", equalTo("LOT_OPEN")).body("inputBatteries", equalTo(2))
                .body("inputMassGrams", equalTo(328_500)).body("recovery", hasSize(0));

        ObjectNode tooMuch = outcome(12_000, 11_000, 50_000, 49_500, 9_000, 9_100);
        problem(recycler.auth().body(Json.object().put("subject", lot).put("type", "LOT_CLOSED").set("data", tooMuch).toString()).post("/api/v1/records/prepare"),
                422, "invalid-event-data");
        // Li 91.66 %, Ni 99.00 %, Co 97.77 %, Mn 98.75 %: Co misses China's 98 %; Cu was never assayed, so the EU targets are not shown as met.
        recycler.record(lot, "LOT_CLOSED", outcome(12_000, 11_000, 50_000, 49_500, 9_000, 8_800));
        recycler.auth().get("/api/v1/lots/" + lot).then().statusCode(200).body("state", equalTo("LOT_CLOSED"))
                .body("recovery.find { it.metal == 'Li' }.rate", equalTo("91.66"))
                .body("recovery.find { it.metal == 'Co' }.rate", equalTo("97.77"))
                .body("targets.find { it.target == 'CN_2024' }.met", equalTo(false))
                .body("targets.find { it.target == 'CN_2024' }.shortfalls.metal", equalTo(List.of("Co")))
                .body("targets.find { it.target == 'EU_2027' }.shortfalls[0].metal", equalTo("Cu"))
                .body("targets.find { it.target == 'EU_2027' }.shortfalls[0].actual", nullValue())
                .body("targets.find { it.target == 'EU_2031' }.shortfalls.metal", equalTo(List.of("Cu")));
        recycler.auth().get("/api/v1/lots/" + lot + "/inputs").then().statusCode(200).body("battery", equalTo(List.of(pack, module).stream().sorted().toList()));
        String[] late = collectedPackWithModule(recycler);
        problem(recycler.submit(recycler.prepareAndSign(late[0], "RECYCLED", data("lot", lot).put("massGrams", 1_000))), 422, "lot-not-open");

        verifiesOffline(recycler, "/api/v1/lots/" + lot + "/evidence");
        verifiesOffline(recycler, "/api/v1/batteries/" + module + "/evidence");
        carriesLinkedChains(recycler, "/api/v1/batteries/" + module + "/evidence", pack, lot);
        carriesLinkedChains(recycler, "/api/v1/batteries/" + pack + "/evidence", module, lot);
        problem(recycler.auth().get("/api/v1/lots/LOT-nope"), 400, "invalid-identifier");
        problem(recycler.auth().get("/api/v1/lots/" + Platform.newLotId(recycler)), 404, "lot-not-found");
        given().get("/api/v1/lots/" + lot).then().statusCode(401);
    }

    @Test
    void cascadeCodesAreIssuedUnderTheEnterprisesOwnManufacturerCode() {
        String alphabet = "0123456789ABCDEFGHJKLMNPRSTUVWXY";
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        String manufacturer = "Q" + alphabet.charAt(random.nextInt(alphabet.length())) + alphabet.charAt(random.nextInt(alphabet.length()));
        Org cascade = Platform.organization("430300", List.of(manufacturer), SignatureAlgorithm.ED25519, true, null, Role.CASCADE_ENTERPRISE);
        String request = Json.object().put("level", "MODULE").put("chemistry", "NCM").put("spec", "02").put("extension", "PACK").put("count", 3).toString();
        List<String> first = cascade.auth().body(request).post("/api/v1/batteries/cascade-codes").then().statusCode(201).extract().path("codes");
        List<String> second = cascade.auth().body(request).post("/api/v1/batteries/cascade-codes").then().statusCode(201).extract().path("codes");
        assertEquals(3, first.size());
        for (String code : first) {
            org.batterytrace.identity.BatteryCode parsed = org.batterytrace.identity.BatteryCode.parse(code);
            assertTrue(parsed.isCascade() && parsed.manufacturer().equals(manufacturer) && code.endsWith("RP"), code);
        }
        assertTrue(java.util.Collections.disjoint(first, second), "every request gets fresh serials: " + first + " " + second);
        cascade.auth().get("/api/v1/organizations/" + cascade.id).then().body("manufacturerCodes", equalTo(List.of(manufacturer)));

        String[] source = collectedPackWithModule(cascade);
        cascade.record(source[0], "TESTED", tested(121_000, 150_000, "CASCADE"));
        cascade.record(source[0], "REPURPOSED", null);
        ObjectNode sources = Json.object();
        sources.set("sources", Json.array().add(source[0]));
        problem(cascade.submit(cascade.prepareAndSign(Platform.newCascadeCode(), "ASSEMBLED", sources)), 422, "manufacturer-code-mismatch");
        cascade.record(first.get(0), "ASSEMBLED", sources);

        Org impostor = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        String borrowed = org.batterytrace.identity.BatteryCode.of(manufacturer, ProductLevel.PACK, org.batterytrace.identity.Chemistry.LFP, "A1", "HN24L01",
                java.time.LocalDate.of(2026, 3, 14), 77).value();
        problem(impostor.submit(impostor.prepareAndSign(borrowed, "PRODUCED", null)), 422, "manufacturer-code-mismatch");
        problem(Platform.admin().body(Json.object().put("id", Platform.newOrgId()).put("name", "Copycat").put("region", "430100")
                .<ObjectNode>set("roles", Json.array().add("CASCADE_ENTERPRISE")).set("manufacturerCodes", Json.array().add(manufacturer)).toString())
                .post("/api/v1/organizations"), 409, "manufacturer-code-taken");
        problem(impostor.auth().body(request).post("/api/v1/batteries/cascade-codes"), 403, "role-not-allowed");
        Org unfiled = Platform.organization(SignatureAlgorithm.ED25519, true, Role.CASCADE_ENTERPRISE);
        problem(unfiled.auth().body(request).post("/api/v1/batteries/cascade-codes"), 422, "manufacturer-code-mismatch");
        problem(cascade.auth().body(request.replace("\"count\":3", "\"count\":0")).post("/api/v1/batteries/cascade-codes"), 400, "invalid-request");
    }

    public static ObjectNode components(String... codes) {
        ObjectNode data = Json.object();
        var list = Json.array();
        for (String code : codes) {
            list.add(code);
        }
        data.set("components", list);
        return data;
    }

    static ObjectNode outcome(long liIn, long liOut, long niIn, long niOut, long coIn, long coOut) {
        ObjectNode data = Json.object();
        data.set("contained", Json.object().put("Li", liIn).put("Ni", niIn).put("Co", coIn).put("Mn", 8_000));
        data.set("recovered", Json.object().put("Li", liOut).put("Ni", niOut).put("Co", coOut).put("Mn", 7_900));
        data.set("products", Json.array().add(Json.object().put("form", "Li2CO3").put("massGrams", 58_000)).add(Json.object().put("form", "NiSO4").put("massGrams", 221_000)));
        return data;
    }
}

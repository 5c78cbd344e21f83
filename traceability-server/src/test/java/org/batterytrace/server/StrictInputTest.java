package org.batterytrace.server;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.Json;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.server.Platform.Org;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Input the parsers once let through or answered with a 5xx, each a regression test: I-JSON (no
 * duplicate members, nothing after the document), no coercion of numbers into enums, bounded paging
 * and record sizes, one rule for lower-case battery codes, 400 for malformed query values, problems for
 * every HTTP-level error, no Java class names in any detail, and authentication before the body is read.
 */
@QuarkusTest
public class StrictInputTest {
    private static final String PROBLEM = "application/problem+json";
    /** A fully qualified Java name, e.g. {@code org.example.Foo} or {@code java.lang.Long}. */
    private static final String CLASS_NAME = "(?s).*\\b(java|javax|jakarta|org|com|io|sun)\\.[a-z]+\\.[A-Za-z].*";

    private Org maker;
    private String pack;

    @BeforeEach
    void battery() {
        maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER, Role.VEHICLE_MAKER);
        pack = Platform.newPackCode();
        maker.record(pack, "PRODUCED", null);
    }

    static ValidatableResponse problem(Response response, int status) {
        return response.then().statusCode(status).contentType(PROBLEM).body("status", equalTo(status)).body("detail", not(matchesPattern(CLASS_NAME)));
    }

    static ValidatableResponse problem(Response response, int status, String kind) {
        return problem(response, status).body("type", equalTo("urn:batterytrace:problem:" + kind));
    }

    private String newOrg(String rolesJson) {
        return "{\"id\":\"" + Platform.newOrgId() + "\",\"name\":\"Strict Co\",\"region\":\"430100\",\"roles\":" + rolesJson + "}";
    }

    @Test
    void duplicateMembersAreRefusedEverywhereEvenInsideASignedRecord() {
        String body = "{\"id\":\"" + Platform.newOrgId() + "\",\"name\":\"A\",\"name\":\"B\",\"region\":\"430100\",\"roles\":[\"RECYCLER\"]}";
        problem(Platform.admin().body(body).post("/api/v1/organizations"), 400, "malformed-json");
        // The signature covers the canonical form of one value; a second "data" member would be silently dropped by a lenient parser.
        SignedRecord signed = maker.prepareAndSign(pack, "INSTALLED", Platform.data("vin", "LSVAU218XN2183294"));
        String json = signed.toJson().toString().replace("\"data\":{", "\"data\":{\"vin\":\"LSVAU218XN2183295\"},\"data\":{");
        problem(maker.auth().body(json).post("/api/v1/records"), 400, "malformed-json");
        maker.auth().get("/api/v1/batteries/" + pack).then().body("headSeq", equalTo(1));
    }

    @Test
    void trailingContentAndNumbersForEnumsAreRefused() {
        problem(Platform.admin().body(newOrg("[\"RECYCLER\"]") + " {}").post("/api/v1/organizations"), 400, "malformed-json");
        problem(Platform.admin().body(newOrg("[8]")).post("/api/v1/organizations"), 400, "malformed-json");
        problem(Platform.admin().body(newOrg("\"RECYCLER\"")).post("/api/v1/organizations"), 400, "malformed-json");
    }

    @Test
    void unauthenticatedWritesAre401WhateverTheirBody() {
        for (String body : new String[] {"{", "{\"a\":1,\"a\":2}", "[]", "null", "x".repeat(10_000)}) {
            problem(given().contentType(ContentType.JSON).body(body).post("/api/v1/organizations"), 401, "unauthorized");
            problem(given().contentType(ContentType.JSON).body(body).post("/api/v1/records"), 401, "unauthorized");
            problem(given().header("Authorization", "Bearer wrong").contentType(ContentType.JSON).body(body).post("/api/v1/records/bulk"), 401, "unauthorized");
        }
    }

    @Test
    void pagingIsBounded() {
        problem(given().get("/api/v1/organizations?page=2147483647&size=500"), 400, "invalid-request");
        problem(maker.auth().get("/api/v1/batteries?page=5000000&size=500"), 400, "invalid-request");
        maker.auth().get("/api/v1/batteries?page=0&size=500").then().statusCode(200);
    }

    @Test
    void oversizedRecordsAreRefusedWithoutAServerError() {
        String fresh = Platform.newPackCode();
        TraceRecord big = TraceRecord.fromJson(Json.parse(maker.auth().body(Json.object().put("subject", fresh).put("type", "PRODUCED").toString())
                .post("/api/v1/records/prepare").then().statusCode(200).extract().asByteArray()).get("record"));
        com.fasterxml.jackson.databind.node.ObjectNode json = (com.fasterxml.jackson.databind.node.ObjectNode) big.toJson();
        ((com.fasterxml.jackson.databind.node.ObjectNode) json.get("data")).put("note", "x".repeat(1_000_000));
        SignedRecord signed = SignedRecord.sign(TraceRecord.fromJson(json), maker.key);
        problem(maker.submit(signed), 413, "record-too-large");
        SignedRecord small = maker.prepareAndSign(Platform.newPackCode(), "PRODUCED", null);
        problem(maker.auth().body(Platform.bulkBody(signed, small)).post("/api/v1/records/bulk"), 422, "batch-rejected")
                .body("errors.size()", equalTo(1)).body("errors[0].type", equalTo("urn:batterytrace:problem:record-too-large"));
        problem(maker.auth().get("/api/v1/batteries/" + fresh), 404, "battery-not-found");
    }

    @Test
    void lowerCaseBatteryCodesAreRefusedAtPrepareAndAtSubmit() {
        String lower = Platform.newPackCode().toLowerCase(java.util.Locale.ROOT);
        problem(maker.auth().body(Json.object().put("subject", lower).put("type", "PRODUCED").toString()).post("/api/v1/records/prepare"), 400, "invalid-identifier");
        TraceRecord record = TraceRecord.of(lower, 1, null, "PRODUCED", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), maker.id, Json.object());
        problem(maker.submit(SignedRecord.sign(record, maker.key)), 400, "invalid-identifier");
        problem(given().get("/api/v1/batteries/" + pack.toLowerCase(java.util.Locale.ROOT) + "/summary"), 400, "invalid-identifier");
    }

    @Test
    void malformedQueryValuesAre400() {
        problem(maker.auth().get("/api/v1/batteries?state=NOT_A_STATE"), 400, "invalid-request");
        problem(maker.auth().get("/api/v1/batteries?page=abc"), 400, "invalid-request");
        problem(given().get("/api/v1/log/proofs/inclusion?index=abc"), 400, "invalid-request");
        problem(given().get("/api/v1/organizations?role=8"), 400, "invalid-request");
        problem(given().get("/api/v1/organizations?qualified=maybe"), 400, "invalid-request");
    }

    @Test
    void httpLevelErrorsAreProblemsToo() throws Exception {
        problem(given().get("/api/v1/no-such-thing"), 404);
        problem(given().get("/nothing-here"), 404);
        problem(given().delete("/api/v1/organizations"), 405);
        problem(given().accept("application/xml").get("/api/v1/organizations"), 406);
        problem(Platform.admin().contentType("text/plain").body("hello").post("/api/v1/organizations"), 415);
        String longPath = "/api/v1/batteries/" + "A".repeat(10_000) + "/summary";
        RawHttp.Answer tooLong = RawHttp.get(null, longPath, null);
        assertEquals(414, tooLong.status());
        assertEquals(PROBLEM, tooLong.header("Content-Type"));
        problem(given().get("/api/v1/batteries/" + "A".repeat(3_000) + "/summary"), 400, "invalid-identifier");
    }
}

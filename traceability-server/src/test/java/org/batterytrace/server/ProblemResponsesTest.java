package org.batterytrace.server;

import static io.restassured.RestAssured.given;
import static org.batterytrace.server.Platform.data;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.Json;
import org.batterytrace.record.RecordSignature;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.SigningKey;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.server.Platform.Org;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every client mistake gets an RFC 9457 problem with a specific type, and changes nothing. */
@QuarkusTest
public class ProblemResponsesTest {
    private static final String PROBLEM = "application/problem+json";
    private Org maker;
    private String pack;

    @BeforeEach
    void battery() {
        maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER, Role.VEHICLE_MAKER);
        pack = Platform.newPackCode();
        maker.record(pack, "PRODUCED", null);
    }

    private static ValidatableResponse problem(Response response, int status, String kind) {
        return response.then().statusCode(status).contentType(PROBLEM).body("status", equalTo(status))
                .body("type", equalTo("urn:batterytrace:problem:" + kind)).body("title", org.hamcrest.Matchers.notNullValue());
    }

    private long logSize() {
        return Long.parseLong(maker.auth().get("/api/v1/batteries/" + pack).then().extract().path("headSeq").toString());
    }

    @Test
    void missingOrBadTokensAre401() {
        problem(given().contentType(ContentType.JSON).body("{}").post("/api/v1/records"), 401, "unauthorized");
        problem(given().header("Authorization", "Bearer nope").get("/api/v1/batteries"), 401, "unauthorized")
                .body("detail", containsString("unknown or revoked"));
        problem(given().header("Authorization", "Basic abc").get("/api/v1/batteries"), 401, "unauthorized");
    }

    @Test
    void revokedTokensStopWorking() {
        Map<String, Object> issued = Platform.admin().body("{}").post("/api/v1/organizations/" + maker.id + "/tokens").then().statusCode(201).extract().as(Map.class);
        String token = (String) issued.get("token");
        given().header("Authorization", "Bearer " + token).get("/api/v1/batteries").then().statusCode(200);
        maker.auth().post("/api/v1/organizations/" + maker.id + "/tokens/" + issued.get("id") + "/revoke").then().statusCode(200);
        problem(given().header("Authorization", "Bearer " + token).get("/api/v1/batteries"), 401, "unauthorized");
    }

    @Test
    void onlyTheAdminRegistersOrganizations() {
        problem(maker.auth().body(Map.of("id", Platform.newOrgId(), "name", "x", "roles", List.of("RECYCLER"), "region", "430100"))
                .post("/api/v1/organizations"), 403, "admin-required");
    }

    @Test
    void malformedJsonAndInvalidFieldsAre400() {
        // instance: the request's own path, which a client resolves to the request (not the path below /api/v1)
        problem(maker.auth().body("{\"record\": ").post("/api/v1/records"), 400, "malformed-json").body("instance", equalTo("/api/v1/records"));
        problem(maker.auth().body("{\"record\": {}, \"signatures\": []}").post("/api/v1/records"), 400, "malformed-record");
        problem(Platform.admin().body(Map.of("id", "91430100MA4L0001X0", "name", "x", "roles", List.of("RECYCLER"), "region", "430100"))
                .post("/api/v1/organizations"), 400, "invalid-identifier").body("detail", containsString("check"));
        problem(Platform.admin().body(Map.of("id", Platform.newOrgId(), "name", "", "roles", List.of(), "region", "43"))
                .post("/api/v1/organizations"), 400, "invalid-request").body("detail", containsString("region"));
        problem(Platform.admin().body("{\"id\":\"" + Platform.newOrgId() + "\",\"name\":\"x\",\"roles\":[\"ALCHEMIST\"],\"region\":\"430100\"}")
                .post("/api/v1/organizations"), 400, "malformed-json");
        problem(maker.auth().body(Map.of("subject", "H5NPXA7HN24L01F3K0000521", "type", "PRODUCED")).post("/api/v1/records/prepare"), 400, "invalid-identifier")
                .body("detail", containsString("battery type"));
        problem(maker.auth().body(Map.of("subject", pack, "type", "LAUNCHED")).post("/api/v1/records/prepare"), 400, "unknown-event-type");
        problem(given().get("/api/v1/batteries/NOT-A-CODE/summary"), 400, "invalid-identifier");
    }

    @Test
    void unknownThingsAre404() {
        problem(given().get("/api/v1/batteries/" + Platform.newPackCode() + "/summary"), 404, "battery-not-found");
        problem(given().get("/api/v1/organizations/" + Platform.newOrgId()), 404, "organization-not-found");
        problem(given().get("/api/v1/no-such-endpoint"), 404, "no-such-path");
        problem(maker.auth().get("/api/v1/records/" + "0".repeat(64)), 404, "record-not-found");
        // Hashes are stored as bytes: text that is no hash in hex finds nothing rather than failing to convert.
        problem(maker.auth().get("/api/v1/records/not-a-hash"), 404, "record-not-found");
        problem(maker.auth().get("/api/v1/records/" + "ab".repeat(33)), 404, "record-not-found");
        problem(given().get("/api/v1/log/proofs/inclusion?hash=xyz"), 404, "record-not-found");
    }

    @Test
    void staleSequenceIs409AndChangesNothing() {
        SignedRecord first = maker.prepareAndSign(pack, "INSTALLED", data("vin", "LSVAU218XN2183294"));
        SignedRecord rival = maker.prepareAndSign(pack, "INSTALLED", data("vin", "LFV2A21K8N3000019"));
        maker.submit(first).then().statusCode(201);
        problem(maker.submit(rival), 409, "seq-conflict");
        maker.auth().get("/api/v1/batteries/" + pack).then().body("state", equalTo("INSTALLED")).body("headSeq", equalTo(2));
    }

    @Test
    void signatureProblemsAre422() {
        SignedRecord good = maker.prepareAndSign(pack, "INSTALLED", data("vin", "LSVAU218XN2183294"));
        SigningKey stranger = SigningKey.generate(SignatureAlgorithm.ED25519);
        problem(maker.submit(SignedRecord.sign(good.record(), stranger)), 422, "unknown-key");

        RecordSignature real = good.signatures().get(0);
        byte[] flipped = real.value().clone();
        flipped[5] ^= 1;
        problem(maker.submit(SignedRecord.of(good.record(), List.of(new RecordSignature(real.keyId(), real.alg(), flipped)))), 422, "signature-invalid");
        problem(maker.submit(SignedRecord.of(good.record(), List.of(new RecordSignature(real.keyId(), SignatureAlgorithm.ES256, real.value())))), 422, "algorithm-mismatch");

        ObjectNode tampered = good.toJson();
        ((ObjectNode) tampered.get("record").get("data")).put("vin", "LSVAU2181N2183295");
        problem(maker.auth().body(tampered.toString()).post("/api/v1/records"), 422, "signature-invalid");

        Org other = Platform.organization(SignatureAlgorithm.ED25519, false, Role.VEHICLE_MAKER);
        problem(maker.submit(SignedRecord.sign(good.record(), maker.key).withSignature(other.key.sign(good.record()))), 422, "signer-not-party");
        maker.auth().get("/api/v1/batteries/" + pack).then().body("headSeq", equalTo(1));
    }

    @Test
    void custodyRolesAndLifecycleRulesAreEnforced() {
        Org outsider = Platform.organization(SignatureAlgorithm.ED25519, false, Role.VEHICLE_MAKER);
        SignedRecord mine = maker.prepareAndSign(pack, "INSTALLED", data("vin", "LSVAU218XN2183294"));
        problem(outsider.submit(mine), 403, "actor-mismatch");
        TraceRecord foreign = TraceRecord.of(pack, 2, mine.record().prev(), "INSTALLED", Instant.now().truncatedTo(ChronoUnit.MILLIS), outsider.id, data("vin", "LSVAU218XN2183294"));
        problem(outsider.submit(SignedRecord.sign(foreign, outsider.key)), 403, "not-custodian");
        problem(maker.auth().body(Map.of("subject", pack, "type", "SOLD")).post("/api/v1/records/prepare"), 422, "lifecycle-violation")
                .body("detail", containsString("not allowed in state PRODUCED"));
        Org dealer = Platform.organization(SignatureAlgorithm.ED25519, false, Role.DEALER);
        problem(dealer.auth().body(Map.of("subject", Platform.newPackCode(), "type", "PRODUCED")).post("/api/v1/records/prepare"), 403, "role-not-allowed");
        problem(maker.auth().body(Map.of("subject", pack, "type", "PRODUCED")).post("/api/v1/records/prepare"), 409, "battery-exists");
    }

    @Test
    void vehicleBindingNeedsARealVin() {
        problem(maker.auth().body(Map.of("subject", pack, "type", "INSTALLED")).post("/api/v1/records/prepare"), 422, "invalid-event-data")
                .body("detail", containsString("data.vin"));
        problem(maker.auth().body(Map.of("subject", pack, "type", "INSTALLED", "data", Map.of("vin", "LSVAU2180N2183294"))).post("/api/v1/records/prepare"),
                422, "invalid-event-data").body("detail", containsString("check digit"));
        TraceRecord unbound = TraceRecord.of(pack, 2, maker.auth().get("/api/v1/batteries/" + pack).then().extract().path("headHash"), "INSTALLED",
                Instant.now().truncatedTo(ChronoUnit.MILLIS), maker.id, Json.object());
        problem(maker.submit(SignedRecord.sign(unbound, maker.key)), 422, "invalid-event-data");
    }

    @Test
    void recordsFromTheFutureAreRejected() {
        SignedRecord prepared = maker.prepareAndSign(pack, "INSTALLED", data("vin", "LSVAU218XN2183294"));
        TraceRecord r = prepared.record();
        TraceRecord future = TraceRecord.of(r.subject(), r.seq(), r.prev(), r.type(), Instant.now().plus(1, ChronoUnit.DAYS), r.actor(), r.data());
        problem(maker.submit(SignedRecord.sign(future, maker.key)), 422, "time-in-future");
    }

    @Test
    void aBulkWithOneBadItemStoresNothingAndReportsEveryFailure() {
        String a = Platform.newPackCode();
        String b = Platform.newPackCode();
        SignedRecord okA = maker.prepareAndSign(a, "PRODUCED", null);
        SignedRecord okB = maker.prepareAndSign(b, "PRODUCED", null);
        SignedRecord badSignature = SignedRecord.sign(maker.prepareAndSign(pack, "INSTALLED", data("vin", "LSVAU218XN2183294")).record(), SigningKey.generate(SignatureAlgorithm.ED25519));
        String body = Platform.bulkBody(okA, badSignature, okB, okA);
        problem(maker.auth().body(body).post("/api/v1/records/bulk"), 422, "batch-rejected")
                .body("errors", hasSize(2))
                .body("errors[0].index", equalTo(1)).body("errors[0].type", equalTo("urn:batterytrace:problem:unknown-key"))
                .body("errors[1].index", equalTo(3)).body("errors[1].type", equalTo("urn:batterytrace:problem:battery-exists"));
        problem(given().get("/api/v1/batteries/" + a + "/summary"), 404, "battery-not-found");

        String malformed = "{\"records\":[" + okA.toJson() + ",{\"record\":{}},42]}";
        problem(maker.auth().body(malformed).post("/api/v1/records/bulk"), 400, "records-malformed").body("errors.index", equalTo(List.of(1, 2)));
        problem(maker.auth().body("{\"records\":[]}").post("/api/v1/records/bulk"), 400, "empty-batch");
        problem(maker.auth().body("[1,2]").post("/api/v1/records/bulk"), 400, "malformed-batch");

        maker.auth().body(Platform.bulkBody(okA, okB)).post("/api/v1/records/bulk").then().statusCode(201).body("accepted", equalTo(2));
    }

    @Test
    void registrationEndpointTakesOnlyGenesisRecords() {
        SignedRecord install = maker.prepareAndSign(pack, "INSTALLED", data("vin", "LSVAU218XN2183294"));
        problem(maker.auth().body(Platform.bulkBody(install)).post("/api/v1/batteries"), 400, "not-a-registration");
    }

    @Test
    void keysOfOtherOrganizationsCannotBeChanged() {
        Org other = Platform.organization(SignatureAlgorithm.ED25519, false, Role.RECYCLER);
        problem(other.auth().body(Map.of("publicKeyPem", SigningKey.generate(SignatureAlgorithm.ED25519).publicKey().toPem()))
                .post("/api/v1/organizations/" + maker.id + "/keys"), 403, "not-your-organization");
        problem(maker.auth().body(Map.of("publicKeyPem", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"))
                .post("/api/v1/organizations/" + maker.id + "/keys"), 400, "invalid-key");
        problem(maker.auth().body(Map.of("publicKeyPem", maker.key.publicKey().toPem())).post("/api/v1/organizations/" + maker.id + "/keys"), 409, "key-exists");
    }

    @Test
    void lifecycleDepthEndpointsAnswerBadInputWithProblems() {
        Org cascade = Platform.organization("430300", List.of(), SignatureAlgorithm.ED25519, true, null, Role.CASCADE_ENTERPRISE, Role.REGULATOR);
        for (String body : List.of("{\"level\":\"XX\",\"chemistry\":\"LFP\",\"spec\":\"02\",\"extension\":\"PACK\"}",
                "{\"level\":\"PACK\",\"chemistry\":\"LFP\",\"spec\":\"!!\",\"extension\":\"PACK\"}", "not json", "{}")) {
            Response response = cascade.auth().body(body).post("/api/v1/batteries/cascade-codes");
            response.then().contentType("application/problem+json");
            int status = response.statusCode();
            org.junit.jupiter.api.Assertions.assertTrue(status == 400 || status == 422, body + " -> " + status);
        }
        for (String path : List.of("/api/v1/reports/events?groupBy=type&type=BOGUS", "/api/v1/epcis/events?perPage=abc", "/api/v1/epcis/events?perPage=0",
                "/api/v1/epcis/events?nextPageToken=%25", "/api/v1/batteries/NOT-A-CODE/qr", "/api/v1/passports/NOT-A-CODE",
                "/api/v1/compliance/late-reports?actor=" + cascade.id + "&limit=99999", "/api/v1/lots/LOT-" + cascade.id + "-lower%20case",
                "/api/v1/batteries/NOT-A-CODE/passport", "/api/v1/batteries/NOT-A-CODE/epcis")) {
            Response response = cascade.auth().get(path);
            response.then().contentType("application/problem+json");
            org.junit.jupiter.api.Assertions.assertTrue(response.statusCode() >= 400 && response.statusCode() < 500, path + " -> " + response.statusCode());
        }
        problem(cascade.auth().get("/api/v1/compliance/late-reports?actor=91430100MA4L0009XX"), 400, "invalid-identifier");
    }

    /**
     * A single-record request is parsed on the HTTP event loop: a body far larger than any record could be is
     * refused without being parsed, so no caller can stall the connections that loop serves with one. It is
     * read (and dropped) first, so a client that writes its whole body before reading gets the answer.
     */
    @Test
    void aSingleRecordBodyLargerThanAnyRecordIsRefusedUnparsed() {
        String huge = "{\"record\":{\"note\":\"" + "x".repeat(2 * 1024 * 1024) + "\"},\"signatures\":[]}";
        problem(maker.auth().body(huge).post("/api/v1/records"), 413, "record-too-large")
                .body("detail", org.hamcrest.Matchers.containsString("a single record's may have at most"));
        maker.auth().get("/api/v1/batteries/" + pack).then().statusCode(200).body("headSeq", equalTo(1));
    }

    @Test
    void aSingleRecordWithAChunkedBodyIsRefusedUnparsed() throws Exception {
        // No Content-Length: its size is unknown until it is read, and it would be parsed on the event loop whatever its size.
        String record = "{\"record\":{\"note\":\"" + "x".repeat(1_000_000) + "\"},\"signatures\":[]}";
        for (String body : List.of("{}", record)) {
            byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            java.io.ByteArrayOutputStream request = new java.io.ByteArrayOutputStream();
            request.writeBytes(("POST /api/v1/records HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + maker.token
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            for (int from = 0; from < bytes.length; from += 65_536) {
                int length = Math.min(65_536, bytes.length - from);
                request.writeBytes((Integer.toHexString(length) + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                request.write(bytes, from, length);
                request.writeBytes("\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            request.writeBytes("0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            RawHttp.Answer answer = RawHttp.send(null, request.toByteArray());
            org.junit.jupiter.api.Assertions.assertEquals(411, answer.status(), answer.head());
            org.junit.jupiter.api.Assertions.assertEquals("application/problem+json", answer.header("Content-Type"));
            org.junit.jupiter.api.Assertions.assertEquals("urn:batterytrace:problem:length-required",
                    new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body()).path("type").asText(), answer.body());
        }
        maker.auth().get("/api/v1/batteries/" + pack).then().statusCode(200).body("headSeq", equalTo(1));
    }

    @Test
    void anOversizedBodyIsRefusedWithAProblem() throws Exception {
        // A body declared just over the 64 MiB limit is refused before it is read: nothing is stored.
        try (java.net.Socket socket = new java.net.Socket("localhost", io.restassured.RestAssured.port)) {
            socket.setSoTimeout(10_000);
            String head = "POST /api/v1/records/bulk HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + maker.token
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + (64L * 1024 * 1024 + 1) + "\r\n\r\n{\"records\":[";
            socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            org.junit.jupiter.api.Assertions.assertTrue(response.startsWith("HTTP/1.1 413"), response);
            org.junit.jupiter.api.Assertions.assertTrue(response.contains("application/problem+json") && response.contains("urn:batterytrace:problem:body-too-large"), response);
        }
        maker.auth().get("/api/v1/batteries/" + pack).then().statusCode(200).body("headSeq", equalTo(1));
    }
}

package org.batterytrace.server;

import static io.restassured.RestAssured.given;
import static org.batterytrace.server.CascadeAndRecyclingTest.problem;
import static org.batterytrace.server.Platform.data;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.batterytrace.identity.ProductLevel;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.Json;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.server.Platform.Org;
import org.junit.jupiter.api.Test;

/**
 * The problem kinds no feature test reaches on its way, each provoked once through the REST API with
 * the status, media type and kind it must have ({@code ProblemKindsTest} checks that every kind is
 * asserted somewhere).
 */
@QuarkusTest
public class ProblemKindCoverageTest {
    private static final String API = "/api/v1";

    @Inject
    EntityManager em;

    @Test
    void organizationsKeysTokensAndGrants() {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        ObjectNode again = Json.object().put("id", maker.id).put("name", "again").put("region", "430100");
        again.putArray("roles").add("BATTERY_MAKER");
        problem(Platform.admin().body(again.toString()).post(API + "/organizations"), 409, "organization-exists");
        ObjectNode admin = Json.object().put("id", Platform.newOrgId()).put("name", "x").put("region", "430100");
        admin.putArray("roles").add("PLATFORM_ADMIN");
        problem(Platform.admin().body(admin.toString()).post(API + "/organizations"), 400, "invalid-role");

        String missing = "0".repeat(64);
        problem(maker.auth().post(API + "/organizations/" + maker.id + "/keys/" + missing + "/revoke"), 404, "key-not-found");
        problem(maker.auth().post(API + "/organizations/" + maker.id + "/tokens/999999999/revoke"), 404, "token-not-found");
        problem(maker.auth().post(API + "/organizations/" + maker.id + "/auditor-grants/999999999/revoke"), 404, "grant-not-found");
        String spare = maker.rotatedKeyPem();
        String spareId = maker.auth().body(Map.of("publicKeyPem", spare)).post(API + "/organizations/" + maker.id + "/keys").then().statusCode(201).extract().path("keyId");
        maker.auth().post(API + "/organizations/" + maker.id + "/keys/" + spareId + "/revoke").then().statusCode(200);
        problem(maker.auth().post(API + "/organizations/" + maker.id + "/keys/" + spareId + "/revoke"), 409, "key-already-revoked");
    }

    @Test
    void httpLevelRefusals() {
        problem(given().delete(API + "/organizations"), 405, "method-not-allowed");
        problem(given().accept("image/png").get(API + "/organizations"), 406, "not-acceptable");
        problem(Platform.admin().contentType("text/plain").body("x").post(API + "/organizations"), 415, "unsupported-media-type");
        problem(given().get(API + "/organizations?name=" + "a".repeat(9 * 1024)), 414, "uri-too-long");
        problem(Platform.admin().get(API + "/transfers"), 403, "organization-required");
        problem(given().contentType("text/plain; charset=utf-8").body("not a checkpoint\n").post(API + "/witness/add-checkpoint"), 400, "witness-malformed");
        problem(given().get(API + "/log/proofs/inclusion?index=0&treeSize=999999999999"), 404, "no-checkpoint");
    }

    @Test
    void regionsOfRegulators() {
        Org regulator = Platform.regulator("430100", "4301");
        problem(regulator.auth().get(API + "/reports/batteries?region=4401"), 403, "outside-your-region");
    }

    @Test
    void registrationsAndLinks() {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        String pack = Platform.newPackCode();
        maker.record(pack, "PRODUCED", null);
        problem(maker.submit(maker.prepareAndSign(Platform.newCode(ProductLevel.MODULE), "PRODUCED", data("parent", Platform.newPackCode()))), 422, "parent-not-registered");
        problem(maker.submit(maker.prepareAndSign(Platform.newPackCode(), "PRODUCED", data("parent", pack))), 422, "level-mismatch");
        problem(maker.submit(maker.prepareAndSign(Platform.newCascadeCode(), "PRODUCED", null)), 422, "code-kind-mismatch");

        // Batteries and lots are registered once.
        Org recycler = Platform.organization(SignatureAlgorithm.ED25519, true, Role.RECYCLER, Role.DISMANTLER);
        String lot = Platform.newLotId(recycler);
        recycler.record(lot, "LOT_OPENED", data("process", "HYDROMETALLURGY"));
        problem(recycler.auth().body(Json.object().put("subject", lot).put("type", "LOT_OPENED").set("data", data("process", "HYDROMETALLURGY")).toString())
                .post(API + "/records/prepare"), 409, "lot-exists");

        // A part separated from a parent it does not belong to.
        String[] a = CascadeAndRecyclingTest.collectedPackWithModule(recycler);
        String[] b = CascadeAndRecyclingTest.collectedPackWithModule(recycler);
        recycler.record(a[0], "DISMANTLED", CascadeAndRecyclingTest.components(a[1]));
        recycler.record(b[0], "DISMANTLED", CascadeAndRecyclingTest.components(b[1]));
        problem(recycler.submit(recycler.prepareAndSign(a[1], "SEPARATED", data("parent", b[0]))), 422, "part-of-another-parent");
        // Batteries go only into the recycler's own open lots.
        String[] c = CascadeAndRecyclingTest.collectedPackWithModule(recycler);
        problem(recycler.submit(recycler.prepareAndSign(c[0], "RECYCLED", data("lot", Platform.newLotId(recycler)).put("massGrams", 1_000))), 422, "lot-not-open");
    }

    @Test
    void cascadeSourcesAndSerials() {
        Org cascade = Platform.organization(SignatureAlgorithm.ED25519, true, Role.CASCADE_ENTERPRISE);
        String[] collected = CascadeAndRecyclingTest.collectedPackWithModule(cascade);
        ObjectNode unknown = Json.object();
        unknown.set("sources", Json.array().add(Platform.newPackCode()));
        problem(cascade.submit(cascade.prepareAndSign(Platform.newCascadeCode(), "ASSEMBLED", unknown)), 422, "source-not-registered");
        ObjectNode notRepurposed = Json.object();
        notRepurposed.set("sources", Json.array().add(collected[0]));
        problem(cascade.submit(cascade.prepareAndSign(Platform.newCascadeCode(), "ASSEMBLED", notRepurposed)), 422, "source-not-repurposed");

        String manufacturer = "Q" + Platform.newOrgId().substring(14, 16).replace('I', 'J').replace('O', 'P').replace('Z', 'Y').replace('Q', 'R');
        Org issuer = Platform.organization("430300", List.of(manufacturer), SignatureAlgorithm.ED25519, true, null, Role.CASCADE_ENTERPRISE);
        QuarkusTransaction.requiringNew().run(() -> em.createQuery("update ManufacturerCodeEntity set lastSerial = 9999999 where code = :c")
                .setParameter("c", manufacturer).executeUpdate());
        String request = Json.object().put("level", "MODULE").put("chemistry", "NCM").put("spec", "02").put("extension", "PACK").put("count", 1).toString();
        problem(issuer.auth().body(request).post(API + "/batteries/cascade-codes"), 409, "serials-exhausted");
    }

    @Test
    void signaturesAndTransfers() {
        Org oem = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER, Role.VEHICLE_MAKER);
        Org dealer = Platform.organization(SignatureAlgorithm.ED25519, false, Role.VEHICLE_MAKER);
        Org regulator = Platform.regulator("430100", "43");
        String pack = Platform.newPackCode();
        oem.record(pack, "PRODUCED", null);

        SignedRecord installed = oem.prepareAndSign(pack, "INSTALLED", data("vin", "LSVAU218XN2183294"));
        ObjectNode twice = installed.toJson();
        twice.withArray("signatures").add(twice.withArray("signatures").get(0).deepCopy());
        problem(oem.auth().body(twice.toString()).post(API + "/records"), 422, "duplicate-signer");

        // Signed at a time before the key was registered.
        TraceRecord r = installed.record();
        TraceRecord early = TraceRecord.of(r.subject(), r.seq(), r.prev(), r.type(), Instant.parse("2020-01-01T00:00:00Z"), r.actor(), r.data());
        problem(oem.submit(SignedRecord.sign(early, oem.key)), 422, "key-not-valid");

        // A transfer needs the receiver's signature; offers carry only the custodian's.
        SignedRecord offer = oem.prepareAndSign(pack, "TRANSFERRED", data("to", dealer.id));
        problem(oem.submit(offer), 422, "missing-signature");
        problem(oem.auth().body(offer.withSignature(dealer.key.sign(offer.record())).toJson().toString()).post(API + "/transfers"), 422, "offer-signatures");
        problem(oem.auth().body(installed.toJson().toString()).post(API + "/transfers"), 400, "not-a-transfer");
        problem(oem.auth().body(oem.prepareAndSign(pack, "TRANSFERRED", data("to", Platform.newOrgId())).toJson().toString()).post(API + "/transfers"),
                422, "unknown-receiver");
        problem(oem.auth().body(oem.prepareAndSign(pack, "TRANSFERRED", data("to", regulator.id)).toJson().toString()).post(API + "/transfers"),
                422, "receiver-cannot-hold");

        String id = oem.auth().body(offer.toJson().toString()).post(API + "/transfers").then().statusCode(201).extract().path("id");
        problem(oem.auth().body(oem.key.sign(offer.record()).toJson().toString()).post(API + "/transfers/" + id + "/accept"), 403, "not-the-receiver");
        problem(dealer.auth().get(API + "/transfers/999999999"), 404, "transfer-not-found");
    }

    @Test
    void batchesOverTheLimit() {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        SignedRecord one = maker.prepareAndSign(Platform.newPackCode(), "PRODUCED", null);
        problem(maker.auth().body(Platform.bulkBody(java.util.Collections.nCopies(10_001, one))).post(API + "/records/bulk"), 400, "batch-too-large");
    }
}

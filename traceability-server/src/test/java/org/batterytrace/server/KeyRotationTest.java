package org.batterytrace.server;

import static io.restassured.RestAssured.given;
import static org.batterytrace.server.Platform.data;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.batterytrace.audit.EvidenceBundle;
import org.batterytrace.audit.VerificationReport;
import org.batterytrace.audit.Verifier;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.log.NoteKey;
import org.batterytrace.record.Json;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.SigningKey;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.server.Platform.Org;
import org.junit.jupiter.api.Test;

/** Keys rotate without breaking old evidence; a revoked key signs nothing new. */
@QuarkusTest
public class KeyRotationTest {

    @Test
    void rotatedKeysKeepOldRecordsVerifiableAndStopSigningNewOnes() {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER, Role.VEHICLE_MAKER);
        String pack = Platform.newPackCode();
        maker.record(pack, "PRODUCED", null);
        SigningKey old = maker.key;
        SigningKey fresh = SigningKey.generate(SignatureAlgorithm.SM2);

        maker.auth().body(Map.of("publicKeyPem", fresh.publicKey().toPem())).post("/api/v1/organizations/" + maker.id + "/keys/" + old.keyId() + "/rotate")
                .then().statusCode(201).body("keyId", equalTo(fresh.keyId())).body("alg", equalTo("SM2"));
        given().get("/api/v1/organizations/" + maker.id + "/keys").then().statusCode(200)
                .body("find { it.keyId == '" + old.keyId() + "' }.revokedAt", notNullValue());

        SignedRecord withOldKey = maker.prepareAndSign(pack, "INSTALLED", data("vin", "LSVAU218XN2183294"));
        maker.submit(withOldKey).then().statusCode(422).body("type", equalTo("urn:batterytrace:problem:key-revoked"));
        maker.key = fresh;
        maker.record(pack, "INSTALLED", data("vin", "LSVAU218XN2183294"));

        maker.auth().post("/api/v1/organizations/" + maker.id + "/keys/" + old.keyId() + "/revoke").then().statusCode(409)
                .body("type", equalTo("urn:batterytrace:problem:key-already-revoked"));

        byte[] json = maker.auth().get("/api/v1/batteries/" + pack + "/evidence").then().statusCode(200).extract().asByteArray();
        EvidenceBundle bundle = EvidenceBundle.parse(json);
        assertEquals(3, bundle.keyEvents().size(), "register old, register new, revoke old");
        NoteKey logKey = NoteKey.parse(given().get("/api/v1/log/key").then().extract().path("verifierKey"));
        VerificationReport report = Verifier.pinning(logKey).verify(bundle);
        assertTrue(report.ok(), () -> report.findings().toString());
    }

    @Test
    void aRevokedKeyCannotBackDateARecordToBeforeItsRevocation() {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER, Role.VEHICLE_MAKER);
        String pack = Platform.newPackCode();
        JsonNode produced = maker.record(pack, "PRODUCED", null);
        SignedRecord first = SignedRecord.fromJson(Json.parse(maker.auth().get("/api/v1/records/" + produced.get("hash").textValue()).then().statusCode(200)
                .extract().asByteArray()).get("entry"));
        maker.auth().post("/api/v1/organizations/" + maker.id + "/keys/" + maker.key.keyId() + "/revoke").then().statusCode(200);

        // The thief dates the record at the battery's previous record, when the key was still valid.
        TraceRecord backDated = TraceRecord.of(pack, 2, produced.get("hash").textValue(), "INSTALLED", first.record().instant(), maker.id,
                data("vin", "LSVAU218XN2183294"));
        maker.submit(SignedRecord.sign(backDated, maker.key)).then().statusCode(422).body("type", equalTo("urn:batterytrace:problem:key-revoked"));
        maker.auth().get("/api/v1/batteries/" + pack).then().body("headSeq", equalTo(1));
    }
}

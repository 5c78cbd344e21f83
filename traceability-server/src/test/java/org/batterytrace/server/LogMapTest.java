package org.batterytrace.server;

import static io.restassured.RestAssured.given;
import static org.batterytrace.server.Platform.data;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.batterytrace.audit.EvidenceBundle;
import org.batterytrace.audit.Failure;
import org.batterytrace.audit.KeyEvents;
import org.batterytrace.audit.VerificationReport;
import org.batterytrace.audit.Verifier;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.log.Checkpoint;
import org.batterytrace.log.NoteKey;
import org.batterytrace.log.SignedNotes;
import org.batterytrace.log.map.LogMap;
import org.batterytrace.log.map.MapCheckpoints;
import org.batterytrace.log.map.MapLabels;
import org.batterytrace.log.map.MapProof;
import org.batterytrace.log.map.MapValue;
import org.batterytrace.record.Hashes;
import org.batterytrace.record.Json;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.server.Platform.Org;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The log-derived map as an auditor meets it over REST: checkpoints name its root, evidence bundles
 * prove their battery's head and their keys' statuses against it, and a server that withholds the last
 * records, a revocation or everything is caught offline. The public proof endpoint answers "never
 * registered" with a non-membership proof, and the root can be recomputed from the log's entries.
 */
@QuarkusTest
public class LogMapTest {
    private NoteKey logKey;

    @BeforeEach
    void pinLogKey() {
        logKey = NoteKey.parse(given().get("/api/v1/log/key").then().statusCode(200).extract().path("verifierKey"));
    }

    /** A pack through production, sale and retirement by one maker, then its key revoked. */
    private static String lifeThenRevocation(Org maker) {
        String pack = Platform.newPackCode();
        maker.record(pack, "PRODUCED", null);
        maker.record(pack, "INSTALLED", data("vin", "LSVAU218XN2183294"));
        maker.record(pack, "SOLD", null);
        maker.record(pack, "RETIRED", null);
        maker.auth().post("/api/v1/organizations/" + maker.id + "/keys/" + maker.key.keyId() + "/revoke").then().statusCode(200);
        return pack;
    }

    private VerificationReport verify(JsonNode bundle) {
        return Verifier.pinning(logKey).verify(EvidenceBundle.fromJson(bundle));
    }

    @Test
    void bundlesProveTheirHeadAndKeyStatusesAndWithholdingIsCaught() {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER, Role.VEHICLE_MAKER);
        String revoked = maker.key.keyId();
        String pack = lifeThenRevocation(maker);
        awaitProof(MapLabels.key(revoked), 0); // a checkpoint covers the revocation
        ObjectNode bundle = (ObjectNode) Json.parse(maker.auth().get("/api/v1/batteries/" + pack + "/evidence").then().statusCode(200).extract().asByteArray());
        assertEquals(EvidenceBundle.FORMAT, bundle.get("format").asText());
        VerificationReport report = verify(bundle);
        assertTrue(report.ok(), () -> report.findings().toString());
        assertTrue(report.latestProven());
        Checkpoint checkpoint = SignedNotes.verify(bundle.get("checkpoint").asText(), logKey);
        assertTrue(MapCheckpoints.mapRoot(checkpoint).isPresent(), "the checkpoint commits to the map");

        // The server leaves off the last record, or the last three.
        for (int dropped : new int[] {1, 3}) {
            ObjectNode shorter = bundle.deepCopy();
            ArrayNode records = (ArrayNode) shorter.get("records");
            for (int i = 0; i < dropped; i++) {
                records.remove(records.size() - 1);
            }
            assertFailsWith(Failure.NOT_LATEST, verify(shorter));
        }
        // … withholds the revocation of the key that signed the records …
        ObjectNode withheld = bundle.deepCopy();
        ArrayNode events = (ArrayNode) withheld.get("keyEvents");
        assertEquals(KeyEvents.REVOKED, events.get(events.size() - 1).get("entry").get("record").get("type").asText());
        events.remove(events.size() - 1);
        assertFailsWith(Failure.KEY_STATUS_MISMATCH, verify(withheld));
        // … or hands out nothing at all.
        ObjectNode empty = bundle.deepCopy();
        ((ArrayNode) empty.get("records")).removeAll();
        assertFailsWith(Failure.EMPTY_BUNDLE, verify(empty));
        // Stripping the map proofs (a trace-evidence/1 bundle) does not help either.
        ObjectNode v1 = bundle.deepCopy();
        v1.remove("mapProofs");
        v1.remove("organizationFacts");
        v1.remove("linkedRecords");
        v1.put("format", EvidenceBundle.FORMAT_V1);
        VerificationReport old = verify(v1);
        assertFalse(old.ok());
        assertEquals(java.util.Set.of(Failure.MAP_PROOF_MISSING, Failure.ORGANIZATION_FACTS_MISSING),
                old.findings().stream().map(f -> f.failure()).collect(java.util.stream.Collectors.toSet()));
    }

    private static void assertFailsWith(Failure expected, VerificationReport report) {
        assertFalse(report.ok(), "expected " + expected);
        assertTrue(report.findings().stream().allMatch(f -> f.failure() == expected), () -> "only " + expected + ": " + report.findings());
    }

    @Test
    void lotBundlesProveTheirHeadToo() {
        Org recycler = Platform.organization(SignatureAlgorithm.ES256, true, Role.RECYCLER);
        String lot = Platform.newLotId(recycler);
        recycler.record(lot, "LOT_OPENED", data("process", "HYDROMETALLURGY"));
        JsonNode bundle = Json.parse(recycler.auth().get("/api/v1/lots/" + lot + "/evidence").then().statusCode(200).extract().asByteArray());
        VerificationReport report = verify(bundle);
        assertTrue(report.ok(), () -> report.findings().toString());
        assertTrue(report.latestProven());
    }

    @Test
    void theProofEndpointIsPublicAndProvesPresenceAbsenceAndKeyStatus() {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER, Role.VEHICLE_MAKER);
        String revokedKey = maker.key.keyId();
        String pack = lifeThenRevocation(maker);
        JsonNode head = awaitProof(MapLabels.head(pack), 4);
        assertTrue(head.get("present").asBoolean());
        Optional<MapValue> value = verifyProof(head);
        MapValue.Head h = (MapValue.Head) value.orElseThrow();
        assertEquals(4, h.seq());
        String historyHead = maker.auth().get("/api/v1/batteries/" + pack).then().statusCode(200).extract().path("headHash");
        assertEquals(historyHead, h.hash());

        // "This code was never registered": a non-membership proof against a signed checkpoint.
        String never = Platform.newPackCode();
        JsonNode absent = given().get("/api/v1/log/map/proof?key=" + MapLabels.head(never)).then().statusCode(200).body("present", equalTo(false))
                .extract().as(JsonNode.class);
        assertTrue(verifyProof(absent).isEmpty());

        JsonNode key = awaitProof(MapLabels.key(revokedKey), 0);
        MapValue.KeyStatus status = (MapValue.KeyStatus) verifyProof(key).orElseThrow();
        assertTrue(status.revoked());

        given().get("/api/v1/log/map/proof?key=battery:" + pack).then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:batterytrace:problem:invalid-map-key"));
        given().get("/api/v1/log/map/proof").then().statusCode(400).contentType("application/problem+json");
        given().get("/api/v1/log/map/proof?key=key:ABC").then().statusCode(400).contentType("application/problem+json");
        given().get("/api/v1/log/map/proof?key=" + MapLabels.head(pack) + "&treeSize=1").then().statusCode(404)
                .contentType("application/problem+json").body("type", equalTo("urn:batterytrace:problem:map-proof-unavailable"));
    }

    /** Waits until the map covers a head with at least {@code seq} records (or any key status, for 0). */
    private JsonNode awaitProof(String label, long seq) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            JsonNode proof = given().get("/api/v1/log/map/proof?key=" + label).then().statusCode(200).extract().as(JsonNode.class);
            JsonNode value = proof.get("proof").get("value");
            if (proof.get("present").asBoolean() && (seq == 0 || value.get("seq").asLong() >= seq)
                    && (!label.startsWith(MapLabels.KEY) || value.get("status").asText().equals("revoked"))) {
                return proof;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the map did not cover " + label + " within 5 s: " + proof);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Checks the response's checkpoint against the pinned key, its map line against mapRoot, and the proof against it. */
    private Optional<MapValue> verifyProof(JsonNode response) {
        Checkpoint checkpoint = SignedNotes.verify(response.get("checkpoint").asText(), logKey);
        assertEquals(response.get("treeSize").asLong(), checkpoint.size());
        byte[] root = MapCheckpoints.mapRoot(checkpoint).orElseThrow();
        assertEquals(response.get("mapRoot").asText(), Hashes.hex(root));
        MapProof proof = MapProof.fromJson(response.get("proof"), "proof");
        assertEquals(response.get("key").asText(), proof.label());
        return proof.verify(root);
    }

    @Test
    void anyoneWhoReplaysTheLogRecomputesTheCheckpointsMapRoot() {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER, Role.VEHICLE_MAKER);
        lifeThenRevocation(maker);
        JsonNode latest = awaitProof(MapLabels.key(maker.key.keyId()), 0);
        Checkpoint checkpoint = SignedNotes.verify(latest.get("checkpoint").asText(), logKey);
        List<SignedRecord> entries = new ArrayList<>();
        for (long start = 0; start < checkpoint.size(); start += 1000) {
            long end = Math.min(checkpoint.size(), start + 1000);
            // Entry contents follow the read policy: the administrator reads every chain.
            JsonNode page = Json.parse(Platform.admin().get("/api/v1/log/entries?start=" + start + "&end=" + end).then().statusCode(200).extract().asByteArray());
            page.forEach(e -> entries.add(SignedRecord.fromJson(e.get("entry"))));
        }
        assertEquals(checkpoint.size(), entries.size());
        assertArrayEquals(MapCheckpoints.mapRoot(checkpoint).orElseThrow(), LogMap.rootOf(entries));
        assertTrue(Set.of(latest.get("mapRoot").asText()).contains(Hashes.hex(LogMap.rootOf(entries))));
    }

    @Test
    void theMonitorRecomputesTheMapRootOverHttp() throws java.io.IOException {
        Org other = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        other.record(Platform.newPackCode(), "PRODUCED", null);
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER, Role.VEHICLE_MAKER);
        lifeThenRevocation(maker);
        awaitProof(MapLabels.key(maker.key.keyId()), 0);
        String base = "http://localhost:" + io.restassured.RestAssured.port;
        org.batterytrace.monitor.MonitorState fresh = org.batterytrace.monitor.MonitorState.fresh(logKey.verifierKey());
        org.batterytrace.monitor.Monitor.Result replayed = new org.batterytrace.monitor.Monitor(logKey, List.of(),
                new org.batterytrace.monitor.HttpLogClient(base + "/tlog", base + "/api/v1", Platform.ADMIN), java.time.Clock.systemUTC()).poll(fresh);
        assertTrue(replayed.ok(), replayed.lines().toString());
        assertTrue(replayed.lines().stream().anyMatch(l -> l.startsWith("map         recomputed from the ")), replayed.lines().toString());
        // A maker reads its own chains only: the other entries come as leaf hashes, and the map is not recomputed.
        org.batterytrace.monitor.Monitor.Result partial = new org.batterytrace.monitor.Monitor(logKey, List.of(),
                new org.batterytrace.monitor.HttpLogClient(base + "/tlog", base + "/api/v1", maker.token), java.time.Clock.systemUTC()).poll(fresh);
        assertTrue(partial.ok(), partial.lines().toString());
        assertTrue(partial.lines().stream().anyMatch(l -> l.startsWith("map         not recomputed")), partial.lines().toString());
    }
}

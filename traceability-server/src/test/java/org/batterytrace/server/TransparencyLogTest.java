package org.batterytrace.server;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.log.Checkpoint;
import org.batterytrace.log.NoteKey;
import org.batterytrace.log.Proofs;
import org.batterytrace.log.SignedNotes;
import org.batterytrace.log.TreeHash;
import org.batterytrace.record.Hashes;
import org.batterytrace.record.Json;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.server.Platform.Org;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The log as an auditor sees it: signed checkpoints, inclusion and consistency proofs that verify with the core. */
@QuarkusTest
public class TransparencyLogTest {
    private NoteKey logKey;

    @BeforeEach
    void pinLogKey() {
        logKey = NoteKey.parse(given().get("/api/v1/log/key").then().statusCode(200).extract().path("verifierKey"));
    }

    private Checkpoint awaitCheckpointCovering(long index) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            var response = given().accept("text/plain").get("/api/v1/log/checkpoint");
            if (response.statusCode() == 200) {
                Checkpoint checkpoint = SignedNotes.verify(response.asString(), logKey);
                if (checkpoint.size() > index) {
                    return checkpoint;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no checkpoint covered log index " + index + " within 5 s");
    }

    @Test
    void acceptedRecordsAreCoveredByASignedCheckpointWithinASecondAndProvablyIncluded() throws Exception {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        SignedRecord produced = maker.prepareAndSign(Platform.newPackCode(), "PRODUCED", null);
        JsonNode accepted = Json.parse(maker.submit(produced).then().statusCode(201).extract().asByteArray());
        long index = accepted.get("logIndex").asLong();
        long start = System.nanoTime();
        Checkpoint checkpoint = awaitCheckpointCovering(index);
        long waitedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waitedMs < 2_000, "checkpoint took " + waitedMs + " ms");
        assertEquals(logKey.name(), checkpoint.origin());

        JsonNode proof = Json.parse(given().get("/api/v1/log/proofs/inclusion?hash=" + produced.hash() + "&treeSize=" + checkpoint.size())
                .then().statusCode(200).extract().asByteArray());
        assertEquals(index, proof.get("logIndex").asLong());
        byte[] leaf = TreeHash.leaf(produced.canonicalBytes());
        assertEquals(Hashes.hex(leaf), proof.get("leafHash").asText());
        List<byte[]> path = new java.util.ArrayList<>();
        proof.get("proof").forEach(h -> path.add(Hashes.fromHex(h.asText())));
        Proofs.verifyInclusion(leaf, index, checkpoint.size(), path, checkpoint.rootHash());
        SignedNotes.verify(proof.get("checkpoint").asText(), logKey);

        given().get("/api/v1/log/proofs/inclusion?index=" + index).then().statusCode(200).body("logIndex", equalTo((int) index));
    }

    @Test
    void newerCheckpointsAreConsistentWithOlderOnes() throws Exception {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        long first = Json.parse(maker.submit(maker.prepareAndSign(Platform.newPackCode(), "PRODUCED", null)).then().statusCode(201).extract().asByteArray())
                .get("logIndex").asLong();
        Checkpoint older = awaitCheckpointCovering(first);
        long second = first;
        for (int i = 0; i < 5; i++) {
            second = Json.parse(maker.submit(maker.prepareAndSign(Platform.newPackCode(), "PRODUCED", null)).then().statusCode(201).extract().asByteArray())
                    .get("logIndex").asLong();
        }
        Checkpoint newer = awaitCheckpointCovering(second);
        JsonNode consistency = Json.parse(given().get("/api/v1/log/proofs/consistency?first=" + older.size() + "&second=" + newer.size())
                .then().statusCode(200).extract().asByteArray());
        List<byte[]> proof = new java.util.ArrayList<>();
        consistency.get("proof").forEach(h -> proof.add(Hashes.fromHex(h.asText())));
        Proofs.verifyConsistency(older.size(), newer.size(), older.rootHash(), newer.rootHash(), proof);
    }

    @Test
    void entriesShowRecordsOnlyToReadersOfTheirChainAndMatchTheirLeafHashes() throws Exception {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        SignedRecord produced = maker.prepareAndSign(Platform.newPackCode(), "PRODUCED", null);
        long index = Json.parse(maker.submit(produced).then().statusCode(201).extract().asByteArray()).get("logIndex").asLong();
        // Without a right to read the chain, an entry is its leaf hash only.
        given().get("/api/v1/log/entries?start=" + index + "&end=" + (index + 1)).then().statusCode(200)
                .body("[0].leafHash", org.hamcrest.Matchers.matchesPattern("[0-9a-f]{64}")).body("[0]", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("entry")));
        JsonNode entries = Json.parse(maker.auth().get("/api/v1/log/entries?start=" + index + "&end=" + (index + 1)).then().statusCode(200).extract().asByteArray());
        assertEquals(produced, SignedRecord.fromJson(entries.get(0).get("entry")));
        assertEquals(org.batterytrace.record.Hashes.hex(org.batterytrace.log.TreeHash.leaf(produced.canonicalBytes())), entries.get(0).get("leafHash").textValue());
        maker.auth().get("/api/v1/log/entries?start=5&end=5000").then().statusCode(400).body("type", startsWith("urn:batterytrace:problem:invalid-range"));
        given().get("/api/v1/log/proofs/inclusion?index=999999999").then().statusCode(404).body("type", equalTo("urn:batterytrace:problem:not-yet-covered"));
        given().get("/api/v1/log/proofs/inclusion").then().statusCode(400);
        given().get("/api/v1/log/proofs/consistency?first=0").then().statusCode(400);
    }
}

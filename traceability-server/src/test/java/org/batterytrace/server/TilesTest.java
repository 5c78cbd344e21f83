package org.batterytrace.server;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.log.Checkpoint;
import org.batterytrace.log.MerkleTree;
import org.batterytrace.log.NoteKey;
import org.batterytrace.log.Proofs;
import org.batterytrace.log.SignedNotes;
import org.batterytrace.log.Tile;
import org.batterytrace.log.TileNodeStore;
import org.batterytrace.record.Hashes;
import org.batterytrace.record.Json;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.server.Platform.Org;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The log as a monitor sees it without a token: C2SP tlog-tiles under /tlog, from which the root of
 * the signed checkpoint and consistency proofs are recomputed; full tiles immutable and cacheable,
 * partial ones short-lived; entry bundles not public.
 */
@QuarkusTest
public class TilesTest {
    private NoteKey logKey;

    @BeforeEach
    void pinLogKey() {
        logKey = NoteKey.parse(given().get("/api/v1/log/key").then().statusCode(200).extract().path("verifierKey"));
    }

    /** Logs {@code count} new batteries in one bulk request; returns the highest log index. */
    static long produce(Org maker, int count) {
        Instant time = Instant.now().truncatedTo(ChronoUnit.MILLIS); // not before the key became valid
        List<SignedRecord> records = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            records.add(SignedRecord.sign(TraceRecord.of(Platform.newPackCode(), 1, null, "PRODUCED", time, maker.id, Json.object()), maker.key));
        }
        List<Long> indexes = maker.auth().body(Platform.bulkBody(records)).post("/api/v1/records/bulk").then().statusCode(201).extract().jsonPath()
                .getList("records.logIndex", Long.class);
        return indexes.stream().mapToLong(Long::longValue).max().orElseThrow();
    }

    Checkpoint awaitTiledCheckpointCovering(long index) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            Response r = given().get("/tlog/checkpoint");
            if (r.statusCode() == 200) {
                Checkpoint c = SignedNotes.verify(r.asString(), logKey);
                if (c.size() > index) {
                    return c;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no checkpoint covered " + index);
    }

    static byte[] tile(Tile tile) {
        return given().get("/tlog/" + tile.path()).then().statusCode(200).contentType("application/octet-stream").extract().asByteArray();
    }

    @Test
    void theSignedRootAndConsistencyFollowFromPublicTiles() throws Exception {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        Checkpoint older = awaitTiledCheckpointCovering(produce(maker, 5));
        Checkpoint newer = awaitTiledCheckpointCovering(Math.max(produce(maker, 300), 256 + 1));

        Response checkpoint = given().get("/tlog/checkpoint");
        checkpoint.then().statusCode(200).header("Cache-Control", "no-cache").contentType("text/plain; charset=utf-8");
        assertTrue(SignedNotes.verify(checkpoint.asString(), logKey).size() >= newer.size());

        TileNodeStore tiles = new TileNodeStore(newer.size(), TilesTest::tile);
        MerkleTree tree = tiles.tree();
        assertArrayEquals(newer.rootHash(), tree.root(), "the tiles reproduce the signed root");
        List<byte[]> proof = tree.consistencyProof(older.size(), newer.size());
        Proofs.verifyConsistency(older.size(), newer.size(), older.rootHash(), newer.rootHash(), proof);
        List<String> served = given().get("/api/v1/log/proofs/consistency?first=" + older.size() + "&second=" + newer.size()).then().statusCode(200)
                .extract().jsonPath().getList("proof");
        assertEquals(served, proof.stream().map(Hashes::hex).toList(), "the same proof as the proofs endpoint");
    }

    @Test
    void fullTilesAreImmutablePartialOnesShortLived() throws Exception {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        Checkpoint c = awaitTiledCheckpointCovering(Math.max(produce(maker, 260), 256 + 1));
        Response full = given().get("/tlog/tile/0/000");
        full.then().statusCode(200).header("Cache-Control", "public, max-age=31536000, immutable").contentType("application/octet-stream");
        assertEquals(8_192, full.asByteArray().length);
        String etag = full.header("ETag");
        given().header("If-None-Match", etag).get("/tlog/tile/0/000").then().statusCode(304);

        Tile partial = Tile.holding(0, c.size() - 1, c.size());
        if (!partial.isFull()) {
            given().get("/tlog/" + partial.path()).then().statusCode(200).header("Cache-Control", "public, max-age=60");
        }
        Tile top = Tile.holding(1, Tile.hashesAt(1, c.size()) - 1, c.size());
        assertEquals(top.byteLength(), tile(top).length);
    }

    @Test
    void tilesOutsideTheCheckpointEntriesAndMalformedPathsAre404Problems() throws Exception {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        long produced = produce(maker, 2);
        Checkpoint c = awaitTiledCheckpointCovering(produced);
        Tile beyond = new Tile(0, Tile.hashesAt(0, c.size()) / 256 + 1, 1);
        given().get("/tlog/" + beyond.path()).then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("urn:batterytrace:problem:no-such-tile"));
        given().get("/tlog/tile/entries/000").then().statusCode(404).body("type", equalTo("urn:batterytrace:problem:entries-not-public"));
        given().get("/tlog/tile/entries/000.p/1").then().statusCode(404).body("type", equalTo("urn:batterytrace:problem:entries-not-public"));
        for (String bad : List.of("tile/0/0", "tile/0/x000/000", "tile/00/000", "tile/0/000.p/256", "tile/0/000.p/0", "tile/99/000", "tile/0", "tile/a/b/c")) {
            given().get("/tlog/" + bad).then().statusCode(404).contentType("application/problem+json");
        }
        // Record contents stay behind the read policy: without a token, entries are leaf hashes only.
        String entries = given().get("/api/v1/log/entries?start=" + produced + "&end=" + (produced + 1)).then().statusCode(200).extract().asString();
        assertTrue(entries.contains("leafHash") && !entries.contains("signedRecord"), entries);
    }
}

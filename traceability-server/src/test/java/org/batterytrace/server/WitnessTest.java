package org.batterytrace.server;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.batterytrace.log.AddCheckpoint;
import org.batterytrace.log.Checkpoint;
import org.batterytrace.log.CosignerKey;
import org.batterytrace.log.Cosignatures;
import org.batterytrace.log.MerkleTree;
import org.batterytrace.log.Note;
import org.batterytrace.log.NoteKey;
import org.batterytrace.log.SignedNotes;
import org.batterytrace.log.TreeHash;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SigningKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server as a C2SP tlog-witness for the log {@code witnessed.example/log} (configured in the test
 * profile): it cosigns a checkpoint that extends the last one it cosigned, and refuses everything else
 * with the spec's status, never a 5xx, changing nothing. The witnessed tree is always a prefix of
 * "leaf-0", "leaf-1", …, so the tests can pick up from whatever size earlier tests left.
 */
@QuarkusTest
public class WitnessTest {
    /** The signer key of the witnessed test log; its verifier key is in application.properties. */
    static final NoteKey.Signer LOG = NoteKey.parseSigner("PRIVATE+KEY+witnessed.example/log+ce4cac71+ASeS4G90AXpV7lU/jYyh3kc3NmKGVzfSCqVNbPhUI3L7");

    private final MerkleTree tree = MerkleTree.inMemory();
    private CosignerKey witness;

    @BeforeEach
    void pinWitness() {
        witness = CosignerKey.parse(given().get("/api/v1/witness/key").then().statusCode(200).extract().path("cosignerKey"));
    }

    MerkleTree grow(long size) {
        while (tree.size() < size) {
            tree.append(TreeHash.leaf(("leaf-" + tree.size()).getBytes()));
        }
        return tree;
    }

    static String note(MerkleTree tree, long size, NoteKey.Signer signer) {
        return SignedNotes.sign(new Checkpoint(signer.name(), size, tree.root(size)), signer.name(), signer.key());
    }

    static Response post(String body) {
        return given().contentType("text/plain; charset=utf-8").body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/api/v1/witness/add-checkpoint");
    }

    static Response post(long old, List<byte[]> proof, String note) {
        return post(new AddCheckpoint(old, proof, note).format());
    }

    /** The size the witness last cosigned, from its 409 answer to a request claiming a size it cannot have. */
    long witnessedSize() {
        Response r = post(1_000_000_007L, List.of(), SignedNotes.sign(new Checkpoint(LOG.name(), 1_000_000_008L, new byte[32]), LOG.name(), LOG.key()));
        assertEquals(409, r.statusCode(), r.asString());
        assertTrue(r.contentType().startsWith("text/x.tlog.size"), r.contentType());
        return Long.parseLong(r.asString().trim());
    }

    /** Brings the witness to a size of at least {@code size}, honestly. */
    long advanceTo(long size) {
        long at = witnessedSize();
        long target = Math.max(size, at + 1);
        grow(target);
        List<byte[]> proof = at == 0 ? List.of() : tree.consistencyProof(at, target);
        Response r = post(at, proof, note(tree, target, LOG));
        assertEquals(200, r.statusCode(), r.asString());
        return target;
    }

    @Test
    void cosignsACheckpointThatExtendsTheLastOne() {
        long first = advanceTo(5);
        long second = first + 7;
        grow(second);
        String note = note(tree, second, LOG);
        long before = Instant.now().getEpochSecond();
        Response r = post(first, tree.consistencyProof(first, second), note);
        assertEquals(200, r.statusCode(), r.asString());
        assertTrue(r.contentType().startsWith("text/plain"), r.contentType());
        String[] lines = r.asString().split("\n");
        assertEquals(1, lines.length, r.asString());
        Note cosigned = Note.parse(note).with(List.of(Note.Signature.parseLine(lines[0])));
        Cosignatures.Cosigned c = Cosignatures.verify(cosigned, witness).orElseThrow();
        assertTrue(c.timestamp() >= before && c.timestamp() <= Instant.now().getEpochSecond() + 1, "timestamped now: " + c.time());
        assertEquals(second, witnessedSize());
        // The same checkpoint again, with any cosignatures it already carries, is cosigned again.
        assertEquals(200, post(second, List.of(), cosigned.format()).statusCode());
    }

    @Test
    void refusesWithTheSpecsStatusesAndChangesNothing() {
        long at = advanceTo(3);
        long next = at + 4;
        grow(next);
        List<byte[]> proof = tree.consistencyProof(at, next);

        // unknown log: 404
        NoteKey.Signer stranger = new NoteKey.Signer("stranger.example/log", SigningKey.generate(SignatureAlgorithm.ED25519));
        post(at, proof, note(tree, next, stranger)).then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("urn:batterytrace:problem:witness-unknown-log"));
        // signed by a key the witness does not trust for this origin, or altered after signing: 403
        NoteKey.Signer impostor = new NoteKey.Signer(LOG.name(), SigningKey.generate(SignatureAlgorithm.ED25519));
        post(at, proof, note(tree, next, impostor)).then().statusCode(403).body("type", equalTo("urn:batterytrace:problem:witness-untrusted-signature"));
        post(at, proof, note(tree, next, LOG).replace("\n" + next + "\n", "\n" + (next + 1) + "\n")).then().statusCode(403);
        // old size larger than the checkpoint's: 400
        post(next + 1, List.of(), note(tree, next, LOG)).then().statusCode(400).body("type", equalTo("urn:batterytrace:problem:witness-old-size-too-large"));
        // old size that is not the witnessed one: 409 with the witnessed size
        Response stale = post(at - 1, tree.consistencyProof(at - 1, next), note(tree, next, LOG));
        assertEquals(409, stale.statusCode());
        assertEquals(at + "\n", stale.asString());
        // a proof that does not verify: 422
        List<byte[]> damaged = new ArrayList<>(proof);
        damaged.set(0, damaged.get(0).clone());
        damaged.get(0)[0] ^= 1;
        post(at, damaged, note(tree, next, LOG)).then().statusCode(422).body("type", equalTo("urn:batterytrace:problem:witness-bad-proof"));
        // a fork: another tree, same first entries
        MerkleTree fork = MerkleTree.inMemory();
        for (long i = 0; i < next; i++) {
            fork.append(TreeHash.leaf((i < at - 1 ? "leaf-" + i : "forked-" + i).getBytes()));
        }
        post(at, List.of(), note(fork, at, LOG)).then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:batterytrace:problem:witness-fork"));
        post(at, fork.consistencyProof(at, next), note(fork, next, LOG)).then().statusCode(422);
        // malformed requests: 400, never a 5xx
        for (String body : List.of("", "old x\n\n", "old 1\n", "old 01\n\n" + note(tree, next, LOG), "old " + at + "\n!!!!\n\n" + note(tree, next, LOG),
                "old " + at + "\n\nnot a note", "old " + at + "\n\n" + note(tree, next, LOG).replace("\u2014", "--"), "x".repeat(AddCheckpoint.MAX_CHARS + 1))) {
            Response r = post(body);
            assertEquals(400, r.statusCode(), body + " -> " + r.asString());
            assertTrue(r.contentType().startsWith("application/problem+json"));
        }
        given().get("/api/v1/witness/add-checkpoint").then().statusCode(405);

        // Nothing changed: the witness still stands at the size it had, with the honest root.
        assertEquals(at, witnessedSize());
        assertEquals(200, post(at, List.of(), note(tree, at, LOG)).statusCode());
        assertEquals(200, post(at, proof, note(tree, next, LOG)).statusCode());
    }
}

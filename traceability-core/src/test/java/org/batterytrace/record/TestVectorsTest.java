package org.batterytrace.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.batterytrace.log.Checkpoint;
import org.batterytrace.log.MerkleTree;
import org.batterytrace.log.NoteKey;
import org.batterytrace.log.Proofs;
import org.batterytrace.log.SignedNotes;
import org.batterytrace.log.TreeHash;
import org.junit.jupiter.api.Test;

/**
 * Checks the published, language-neutral vectors in {@code docs/test-vectors.json}. Ed25519 and
 * ECDSA (RFC 6979) signatures are deterministic and must match byte for byte; SM2 signatures are
 * randomized, so the SM2 vector is verified only. Regenerate with {@link #main} after a deliberate
 * format change (see docs/record-format.md).
 */
public class TestVectorsTest {
    static final Path FILE = Path.of(System.getProperty("vectors.file", "../docs/test-vectors.json"));

    @Test
    void publishedVectorsHold() throws IOException {
        JsonNode v = Json.parse(Files.readAllBytes(FILE));

        // Canonicalization and hashing of a record given in arbitrary member order.
        TraceRecord record = TraceRecord.fromJson(v.get("record").get("input"));
        assertEquals(v.get("record").get("canonical").asText(), new String(record.canonicalBytes(), StandardCharsets.UTF_8));
        assertEquals(v.get("record").get("canonicalSha256").asText(), Hashes.hex(Hashes.sha256(record.canonicalBytes())));

        for (JsonNode sig : v.get("signatures")) {
            SigningKey key = SigningKey.fromPem(sig.get("privateKeyPem").asText());
            VerificationKey pub = VerificationKey.fromPem(sig.get("publicKeyPem").asText());
            assertEquals(pub, key.publicKey());
            assertEquals(sig.get("keyId").asText(), pub.keyId());
            // The file holds keys in the form the core writes (Ed25519: PKCS#8 v1, which OpenSSL 3.0 reads; PrivateKeyInteropTest).
            assertEquals(key.toPem(), sig.get("privateKeyPem").asText(), sig.get("alg").asText());
            byte[] value = Hashes.fromBase64Url(sig.get("value").asText());
            assertTrue(pub.verify(record.canonicalBytes(), value), sig.get("alg").asText());
            if (sig.get("deterministic").asBoolean()) {
                assertArrayEquals(value, key.sign(record.canonicalBytes()), sig.get("alg").asText());
            }
        }

        JsonNode signed = v.get("signedRecord");
        SignedRecord envelope = SignedRecord.fromJson(signed.get("input"));
        assertEquals(signed.get("canonical").asText(), new String(envelope.canonicalBytes(), StandardCharsets.UTF_8));
        assertEquals(signed.get("hash").asText(), envelope.hash());

        JsonNode merkle = v.get("merkle");
        MerkleTree tree = MerkleTree.inMemory();
        for (JsonNode leaf : merkle.get("leaves")) {
            tree.append(TreeHash.leaf(leaf.asText().getBytes(StandardCharsets.UTF_8)));
        }
        assertEquals(merkle.get("root").asText(), Hashes.hex(tree.root()));
        JsonNode inclusion = merkle.get("inclusion");
        List<byte[]> path = hashes(inclusion.get("proof"));
        Proofs.verifyInclusion(tree.leafHash(inclusion.get("index").asLong()), inclusion.get("index").asLong(), tree.size(), path, tree.root());
        assertEquals(inclusion.get("proof"), hexArray(tree.inclusionProof(inclusion.get("index").asLong(), tree.size())));
        JsonNode consistency = merkle.get("consistency");
        long first = consistency.get("first").asLong();
        assertEquals(consistency.get("firstRoot").asText(), Hashes.hex(tree.root(first)));
        assertEquals(consistency.get("proof"), hexArray(tree.consistencyProof(first, tree.size())));

        JsonNode cp = v.get("checkpoint");
        NoteKey.Signer signer = NoteKey.parseSigner(cp.get("signerKey").asText());
        assertEquals(cp.get("verifierKey").asText(), signer.noteKey().verifierKey());
        Checkpoint checkpoint = SignedNotes.verify(cp.get("note").asText(), NoteKey.parse(cp.get("verifierKey").asText()));
        assertArrayEquals(tree.root(), checkpoint.rootHash());
        assertEquals(cp.get("note").asText(), SignedNotes.sign(checkpoint, signer.name(), signer.key()));
    }

    private static List<byte[]> hashes(JsonNode array) {
        List<byte[]> out = new ArrayList<>();
        array.forEach(h -> out.add(Hashes.fromHex(h.asText())));
        return out;
    }

    private static ArrayNode hexArray(List<byte[]> hashes) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        hashes.forEach(h -> array.add(Hashes.hex(h)));
        return array;
    }

    /** Writes the vectors file: {@code ./mvnw -q -pl traceability-core test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=org.batterytrace.record.TestVectorsTest}. */
    public static void main(String[] args) throws IOException {
        ObjectNode root = Json.object();
        root.put("description", "Test vectors for trace-record/1, see docs/record-format.md. Keys are for testing only.");
        ObjectNode input = Json.object();
        ObjectNode data = input.putObject("data");
        data.put("vin", "LSVAU2180N2183294");
        data.put("odometerKm", 182345);
        data.put("note", "退役 — retired at 80 % SOH");
        data.putNull("siteId");
        input.put("type", "RETIRED");
        input.put("time", "2026-09-01T08:00:00Z");
        input.put("actor", "91430100MA4L0002XB");
        input.put("subject", "H5NPBA7HN24L01F3K0000521");
        input.put("seq", 5);
        input.put("prev", "78b0b9172c7e40dab53fbf73f68b06c9c63382437d48785e97be3c72f1a648b8");
        input.put("format", TraceRecord.FORMAT);
        TraceRecord record = TraceRecord.fromJson(input);
        ObjectNode rec = root.putObject("record");
        rec.set("input", input);
        rec.put("canonical", new String(record.canonicalBytes(), StandardCharsets.UTF_8));
        rec.put("canonicalSha256", Hashes.hex(Hashes.sha256(record.canonicalBytes())));

        SigningKey ed = SigningKey.ed25519(Hashes.sha256("batterytrace test vector Ed25519".getBytes(StandardCharsets.UTF_8)));
        List<SigningKey> keys = List.of(ed, SigningKey.generate(SignatureAlgorithm.ES256), SigningKey.generate(SignatureAlgorithm.SM2));
        ArrayNode sigs = root.putArray("signatures");
        List<RecordSignature> recordSignatures = new ArrayList<>();
        for (SigningKey key : keys) {
            RecordSignature signature = key.sign(record);
            recordSignatures.add(signature);
            ObjectNode s = sigs.addObject();
            s.put("alg", key.algorithm().jsonName());
            s.put("deterministic", key.algorithm() != SignatureAlgorithm.SM2);
            s.put("privateKeyPem", key.toPem());
            s.put("publicKeyPem", key.publicKey().toPem());
            s.put("keyId", key.keyId());
            s.put("value", Hashes.base64Url(signature.value()));
        }
        SignedRecord envelope = SignedRecord.of(record, recordSignatures.subList(0, 2));
        ObjectNode signed = root.putObject("signedRecord");
        signed.set("input", envelope.toJson());
        signed.put("canonical", new String(envelope.canonicalBytes(), StandardCharsets.UTF_8));
        signed.put("hash", envelope.hash());

        ObjectNode merkle = root.putObject("merkle");
        ArrayNode leaves = merkle.putArray("leaves");
        MerkleTree tree = MerkleTree.inMemory();
        for (int i = 0; i < 7; i++) {
            String leaf = "leaf-" + i;
            leaves.add(leaf);
            tree.append(TreeHash.leaf(leaf.getBytes(StandardCharsets.UTF_8)));
        }
        merkle.put("root", Hashes.hex(tree.root()));
        ObjectNode inclusion = merkle.putObject("inclusion");
        inclusion.put("index", 5);
        inclusion.set("proof", hexArray(tree.inclusionProof(5, 7)));
        ObjectNode consistency = merkle.putObject("consistency");
        consistency.put("first", 3);
        consistency.put("firstRoot", Hashes.hex(tree.root(3)));
        consistency.set("proof", hexArray(tree.consistencyProof(3, 7)));

        NoteKey.Signer log = new NoteKey.Signer("trace.example/log",
                SigningKey.ed25519(Hashes.sha256("batterytrace test vector log".getBytes(StandardCharsets.UTF_8))));
        ObjectNode cp = root.putObject("checkpoint");
        cp.put("signerKey", log.signerKey());
        cp.put("verifierKey", log.noteKey().verifierKey());
        cp.put("note", SignedNotes.sign(new Checkpoint(log.name(), tree.size(), tree.root()), log.name(), log.key()));

        Files.writeString(FILE, Json.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root) + "\n");
        System.out.println("wrote " + FILE.toAbsolutePath());
    }
}

package org.batterytrace.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.batterytrace.record.KeyFormatException;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SigningKey;
import org.junit.jupiter.api.Test;

/** tlog-cosignature v1 (Ed25519): key IDs, the signed message, and verification, checked against the JDK's own Ed25519. */
class CosignaturesTest {
    /** The checkpoint body and timestamp of the specification's example signed message. */
    static final String BODY = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
    static final long TIME = 1_679_315_147L;

    static NoteKey.Signer witness() {
        byte[] seed = new byte[32];
        for (int i = 0; i < seed.length; i++) {
            seed[i] = (byte) i;
        }
        return new NoteKey.Signer("witness.example/w1", SigningKey.ed25519(seed));
    }

    @Test
    void keyIdsFollowTheSpecificationAndGosVectors() {
        // A type-0x04 verifier key published in transparency-dev/formats' tests.
        CosignerKey remora = CosignerKey.parse("remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2");
        assertEquals("da77ade7", HexFormat.of().formatHex(remora.keyId()));
        assertEquals("remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2", remora.verifierKey());
        // The same Ed25519 key under type 0x01 (a log key) has another key ID: the two never collide.
        CosignerKey cosigner = CosignerKey.of(witness());
        assertTrue(!Arrays.equals(cosigner.keyId(), witness().noteKey().keyHash()));
        assertEquals(cosigner, CosignerKey.parse(cosigner.verifierKey()));
        assertThrows(KeyFormatException.class, () -> CosignerKey.parse(witness().noteKey().verifierKey()), "a type-0x01 key is not a cosigner key");
        assertThrows(KeyFormatException.class, () -> CosignerKey.parse("remora.n621.de+da77ade8+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2"));
        assertThrows(KeyFormatException.class, () -> CosignerKey.parse("remora.n621.de+da77ade7"));
    }

    @Test
    void theSignedMessageIsTheSpecificationsExample() throws Exception {
        String expected = "cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
        assertEquals(expected, new String(Cosignatures.message(BODY, TIME), StandardCharsets.UTF_8));

        Note.Signature line = Cosignatures.sign(BODY, witness(), TIME);
        byte[] value = line.signature();
        assertEquals(8 + 64, value.length);
        assertEquals(TIME, ByteBuffer.wrap(value).getLong());
        assertArrayEquals(CosignerKey.of(witness()).keyId(), line.keyId());
        // An independent Ed25519 (the JDK's) accepts the signature over the message.
        PublicKey jdkKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(witness().key().publicKey().spki()));
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(jdkKey);
        verifier.update(expected.getBytes(StandardCharsets.UTF_8));
        assertTrue(verifier.verify(Arrays.copyOfRange(value, 8, value.length)));
        // Ed25519 is deterministic: this line is a known answer.
        assertEquals(line, Cosignatures.sign(BODY, witness(), TIME));
    }

    @Test
    void timestampsReadLikeGos() {
        // transparency-dev/formats TestCoSigV1Timestamp: this signature carries time 1727964367.
        Note.Signature sig = Note.Signature.parseLine("\u2014 w ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9uL+8qT7S5gxEHWWOworDcFiEBYJXORmnFBOBA==");
        assertEquals(1_727_964_367L, ByteBuffer.wrap(sig.signature()).getLong());
    }

    @Test
    void verifiesCosignedCheckpointsAndIgnoresOtherKeys() {
        NoteKey.Signer log = new NoteKey.Signer("example.com/behind-the-sofa", SigningKey.generate(SignatureAlgorithm.ED25519));
        NoteKey.Signer other = new NoteKey.Signer("witness.example/w2", SigningKey.generate(SignatureAlgorithm.ED25519));
        Note signed = Note.parse(SignedNotes.sign(BODY, log.name(), log.key()));
        Note cosigned = signed.with(List.of(Cosignatures.sign(BODY, witness(), TIME), Cosignatures.sign(BODY, other, TIME + 5)));
        String text = cosigned.format();
        assertEquals(BODY, SignedNotes.verifiedText(text, log.noteKey()), "the log's signature still verifies");

        CosignerKey w1 = CosignerKey.of(witness());
        CosignerKey w2 = CosignerKey.of(other);
        assertEquals(TIME, Cosignatures.verify(Note.parse(text), w1).orElseThrow().timestamp());
        assertEquals(TIME + 5, Cosignatures.verify(Note.parse(text), w2).orElseThrow().timestamp());
        assertTrue(Cosignatures.verify(signed, w1).isEmpty());
        List<String> invalid = new ArrayList<>();
        assertEquals(2, Cosignatures.verifyAll(Note.parse(text), List.of(w1, w2, w1), invalid).size(), "one per distinct witness");
        assertTrue(invalid.isEmpty());

        // A cosignature over another text, a flipped bit, a cut line: each is refused for its key.
        Note tampered = new Note(BODY.replace("20852163", "20852164"), cosigned.signatures());
        assertThrows(CheckpointException.class, () -> Cosignatures.verify(tampered, w1));
        byte[] flipped = Cosignatures.sign(BODY, witness(), TIME).signature();
        flipped[20] ^= 1;
        Note bad = signed.with(List.of(new Note.Signature(w1.name(), w1.keyId(), flipped)));
        assertThrows(CheckpointException.class, () -> Cosignatures.verify(bad, w1));
        Note cut = signed.with(List.of(new Note.Signature(w1.name(), w1.keyId(), Arrays.copyOf(flipped, 40))));
        assertThrows(CheckpointException.class, () -> Cosignatures.verify(cut, w1));
        invalid.clear();
        assertEquals(0, Cosignatures.verifyAll(bad, List.of(w1), invalid).size());
        assertEquals(1, invalid.size());
    }

    @Test
    void notesAreParsedStrictly() {
        NoteKey.Signer log = new NoteKey.Signer("example.com/behind-the-sofa", SigningKey.generate(SignatureAlgorithm.ED25519));
        String note = SignedNotes.sign(BODY, log.name(), log.key());
        assertEquals(note, Note.parse(note).format());
        for (String bad : List.of(note.replace("\n\n", "\n"), note.substring(0, note.length() - 1), note + "\n", note.replace("sofa\n", "sofa\t\n"),
                note + ("\u2014 x AAAAAAA=\n".repeat(Note.MAX_SIGNATURES)), BODY + "\n\u2014 a+b AAAAAAA=\n", BODY + "\n\u2014 ab AAAA\n")) {
            assertThrows(CheckpointException.class, () -> Note.parse(bad), bad);
        }
    }
}

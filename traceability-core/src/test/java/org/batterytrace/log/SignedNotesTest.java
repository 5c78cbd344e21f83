package org.batterytrace.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.batterytrace.record.KeyFormatException;
import org.batterytrace.record.SigningKey;
import org.junit.jupiter.api.Test;

/** Known-answer tests from the Go sumdb note package and the C2SP signed-note specification. */
class SignedNotesTest {
    private static final String PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    private static final String PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    private static final String PETER_TEXT = "If you think cryptography is the answer to your problem,\n"
            + "then you don't know what your problem is.\n";
    private static final String PETER_NOTE = PETER_TEXT + "\n\u2014 PeterNeumann "
            + "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

    @Test
    void signsExactlyLikeTheGoReference() {
        NoteKey.Signer signer = NoteKey.parseSigner(PETER_SKEY);
        assertEquals("PeterNeumann", signer.name());
        assertEquals(PETER_VKEY, signer.noteKey().verifierKey());
        assertEquals(PETER_SKEY, signer.signerKey());
        assertEquals(PETER_NOTE, SignedNotes.sign(PETER_TEXT, signer.name(), signer.key()));
        assertEquals(PETER_TEXT, SignedNotes.verifiedText(PETER_NOTE, NoteKey.parse(PETER_VKEY)));
    }

    @Test
    void verifiesTheSpecificationExample() {
        NoteKey key = NoteKey.parse("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k");
        String note = "This is an example message.\n\n\u2014 example.com/foo "
                + "Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";
        assertEquals("This is an example message.\n", SignedNotes.verifiedText(note, key));
    }

    @Test
    void rejectsTamperedTextWrongKeyAndMalformedNotes() {
        NoteKey peter = NoteKey.parse(PETER_VKEY);
        assertThrows(CheckpointException.class,
                () -> SignedNotes.verifiedText(PETER_NOTE.replace("cryptography", "Cryptography"), peter));
        NoteKey other = new NoteKey("PeterNeumann", SigningKey.generate(org.batterytrace.record.SignatureAlgorithm.ED25519).publicKey());
        assertThrows(CheckpointException.class, () -> SignedNotes.verifiedText(PETER_NOTE, other));
        assertThrows(CheckpointException.class, () -> SignedNotes.verifiedText(PETER_TEXT, peter));
        assertThrows(CheckpointException.class,
                () -> SignedNotes.verifiedText(PETER_NOTE.replace("\u2014 ", "- "), peter));
        assertThrows(CheckpointException.class,
                () -> SignedNotes.verifiedText(PETER_NOTE.substring(0, PETER_NOTE.length() - 1), peter));
        assertThrows(CheckpointException.class,
                () -> SignedNotes.verifiedText(PETER_NOTE.replace("x08go", "x08g!"), peter));
    }

    @Test
    void rejectsMalformedVerifierKeys() {
        assertThrows(KeyFormatException.class, () -> NoteKey.parse("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"));
        assertThrows(KeyFormatException.class, () -> NoteKey.parse("PeterNeumann+c74f20a3"));
        assertThrows(KeyFormatException.class, () -> NoteKey.parse("PeterNeumann+c74f20a3+AhpcNgcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"));
    }

    @Test
    void checkpointRoundTripsAndOriginMustBeTheLogKeyName() {
        NoteKey.Signer signer = new NoteKey.Signer("trace.example/log", SigningKey.generate(org.batterytrace.record.SignatureAlgorithm.ED25519));
        MerkleTree tree = MerkleTree.inMemory();
        tree.append(TreeHash.leaf(new byte[] {1}));
        Checkpoint checkpoint = new Checkpoint(signer.name(), tree.size(), tree.root(), List.of());
        String note = SignedNotes.sign(checkpoint, signer.name(), signer.key());
        Checkpoint back = SignedNotes.verify(note, signer.noteKey());
        assertEquals(1, back.size());
        assertArrayEquals(tree.root(), back.rootHash());

        Checkpoint foreign = new Checkpoint("other.example/log", 1, tree.root(), List.of());
        String foreignNote = SignedNotes.sign(foreign, signer.name(), signer.key());
        assertThrows(CheckpointException.class, () -> SignedNotes.verify(foreignNote, signer.noteKey()));
        assertThrows(CheckpointException.class, () -> Checkpoint.parseBody("origin\nnot-a-number\nAAAA\n"));
    }
}

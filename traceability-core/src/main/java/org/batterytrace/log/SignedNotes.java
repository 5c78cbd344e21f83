package org.batterytrace.log;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SigningKey;

/**
 * C2SP signed notes: the text, a blank line, then signature lines {@code — <name> <base64(key hash ||
 * signature)>}. Used here for checkpoints signed by the log's Ed25519 key.
 */
public final class SignedNotes {
    private SignedNotes() {
    }

    /** Signs a checkpoint with the log key and returns the complete note. */
    public static String sign(Checkpoint checkpoint, String keyName, SigningKey key) {
        return sign(checkpoint.body(), keyName, key);
    }

    /** Signs note text (non-empty lines, each ending in a newline) with an Ed25519 key. */
    public static String sign(String text, String keyName, SigningKey key) {
        if (key.algorithm() != SignatureAlgorithm.ED25519) {
            throw new IllegalArgumentException("note keys are Ed25519");
        }
        if (text.isEmpty() || !text.endsWith("\n") || text.contains("\n\n")) {
            throw new CheckpointException("note text must be non-empty lines, each ending in a newline");
        }
        NoteKey noteKey = new NoteKey(keyName, key.publicKey());
        byte[] signature = key.sign(text.getBytes(StandardCharsets.UTF_8));
        return new Note(text, List.of(new Note.Signature(keyName, noteKey.keyHash(), signature))).format();
    }

    /**
     * Verifies a checkpoint note against the pinned key and returns its checkpoint, whose origin must
     * be the key's name.
     */
    public static Checkpoint verify(String note, NoteKey pinned) {
        Checkpoint checkpoint = Checkpoint.parseBody(verifiedText(note, pinned));
        if (!checkpoint.origin().equals(pinned.name())) {
            throw new CheckpointException("checkpoint origin " + checkpoint.origin() + " is not the pinned log " + pinned.name());
        }
        return checkpoint;
    }

    /**
     * Verifies a signed note and returns its text. Signature lines of other keys are ignored, as the
     * note format allows (c2sp.org/signed-note, "Signatures"); the pinned key must have signed, and a
     * line by the pinned key that does not verify rejects the whole note.
     */
    public static String verifiedText(String note, NoteKey pinned) {
        Note parsed = Note.parse(note);
        byte[] text = parsed.textBytes();
        boolean signedByPinned = false;
        for (Note.Signature signature : parsed.signatures()) {
            if (!signature.isBy(pinned.name(), pinned.keyHash())) {
                continue;
            }
            if (!pinned.key().verify(text, signature.signature())) {
                throw new CheckpointException("checkpoint signature by " + pinned.name() + " does not verify");
            }
            signedByPinned = true;
        }
        if (!signedByPinned) {
            throw new CheckpointException("checkpoint carries no signature by the pinned log key " + pinned.name());
        }
        return parsed.text();
    }
}

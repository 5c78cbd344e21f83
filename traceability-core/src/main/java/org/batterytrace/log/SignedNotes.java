package org.batterytrace.log;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SigningKey;

/**
 * C2SP signed notes: the text, a blank line, then signature lines {@code — <name> <base64(key hash ||
 * signature)>}. Used here for checkpoints signed by the log's Ed25519 key.
 */
public final class SignedNotes {
    private static final String DASH = "\u2014 ";

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
        byte[] line = Arrays.copyOf(noteKey.keyHash(), 4 + signature.length);
        System.arraycopy(signature, 0, line, 4, signature.length);
        return text + "\n" + DASH + keyName + " " + Base64.getEncoder().encodeToString(line) + "\n";
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
     * note format allows; the pinned key must have signed.
     */
    public static String verifiedText(String note, NoteKey pinned) {
        int split = note.indexOf("\n\n");
        if (split < 0) {
            throw new CheckpointException("signed note has no blank line between text and signatures");
        }
        String body = note.substring(0, split + 1);
        String[] lines = note.substring(split + 2).split("\n", -1);
        if (lines.length < 2 || !lines[lines.length - 1].isEmpty()) {
            throw new CheckpointException("signed note must end with a newline after its signature lines");
        }
        boolean signedByPinned = false;
        for (int i = 0; i < lines.length - 1; i++) {
            String line = lines[i];
            if (!line.startsWith(DASH)) {
                throw new CheckpointException("signature line must start with an em dash and a space");
            }
            int space = line.indexOf(' ', DASH.length());
            if (space < 0) {
                throw new CheckpointException("signature line must be '— <name> <base64>'");
            }
            String name = line.substring(DASH.length(), space);
            byte[] blob;
            try {
                blob = Base64.getDecoder().decode(line.substring(space + 1));
            } catch (IllegalArgumentException e) {
                throw new CheckpointException("signature line is not base64");
            }
            if (blob.length < 5) {
                throw new CheckpointException("signature line is too short");
            }
            if (!name.equals(pinned.name()) || !MessageDigest.isEqual(Arrays.copyOf(blob, 4), pinned.keyHash())) {
                continue;
            }
            if (!pinned.key().verify(body.getBytes(StandardCharsets.UTF_8), Arrays.copyOfRange(blob, 4, blob.length))) {
                throw new CheckpointException("checkpoint signature by " + pinned.name() + " does not verify");
            }
            signedByPinned = true;
        }
        if (!signedByPinned) {
            throw new CheckpointException("checkpoint carries no signature by the pinned log key " + pinned.name());
        }
        return body;
    }
}

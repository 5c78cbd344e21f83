package org.batterytrace.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.batterytrace.record.SignatureAlgorithm;

/**
 * Ed25519 witness cosignatures, <a href="https://c2sp.org/tlog-cosignature">c2sp.org/tlog-cosignature</a>
 * ("Format", "Ed25519 signed message"). A cosignature is a note signature line whose bytes are
 * {@code key ID(4) || u64 big-endian timestamp || Ed25519 signature(64)}, the signature being over
 * {@code "cosignature/v1\ntime <timestamp>\n" + note text}. It states that, at that time, this was the
 * largest tree the witness had seen consistent for the origin.
 */
public final class Cosignatures {
    static final int SIGNATURE_BYTES = 8 + 64;

    private Cosignatures() {
    }

    /** A cosignature that verified: who, and when (POSIX seconds) the witness signed. */
    public record Cosigned(CosignerKey witness, long timestamp) {
        public Instant time() {
            return Instant.ofEpochSecond(timestamp);
        }
    }

    /** The signed message: header line, timestamp line, then the whole note text. */
    public static byte[] message(String noteText, long timestamp) {
        requireTimestamp(timestamp);
        return ("cosignature/v1\ntime " + timestamp + "\n" + noteText).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Cosigns note text (a checkpoint body, extension lines included) at {@code timestamp} seconds.
     * Precondition: the text is a checkpoint body of at least three lines.
     */
    public static Note.Signature sign(String noteText, NoteKey.Signer witness, long timestamp) {
        if (witness.key().algorithm() != SignatureAlgorithm.ED25519) {
            throw new IllegalArgumentException("cosigner keys are Ed25519");
        }
        Checkpoint.parseBody(noteText);
        CosignerKey key = CosignerKey.of(witness);
        byte[] signature = witness.key().sign(message(noteText, timestamp));
        byte[] value = ByteBuffer.allocate(SIGNATURE_BYTES).putLong(timestamp).put(signature).array();
        return new Note.Signature(key.name(), key.keyId(), value);
    }

    /**
     * The cosignature of {@code witness} on the note, if it carries one. Lines of other keys are
     * ignored; a line by this key (name and key ID) that does not verify is an error
     * ({@link CheckpointException}), as signed-note asks of known keys.
     */
    public static Optional<Cosigned> verify(Note note, CosignerKey witness) {
        Cosigned found = null;
        for (Note.Signature line : note.signatures()) {
            if (!line.isBy(witness.name(), witness.keyId())) {
                continue;
            }
            byte[] value = line.signature();
            if (value.length != SIGNATURE_BYTES) {
                throw new CheckpointException("cosignature by " + witness.name() + " is not 8 timestamp bytes and a 64-byte signature");
            }
            long timestamp = ByteBuffer.wrap(value, 0, 8).getLong();
            if (timestamp < 0 || !witness.key().verify(message(note.text(), timestamp), Arrays.copyOfRange(value, 8, value.length))) {
                throw new CheckpointException("cosignature by " + witness.name() + " does not verify");
            }
            if (found == null || timestamp > found.timestamp()) {
                found = new Cosigned(witness, timestamp);
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * Every valid cosignature by one of {@code witnesses}, one per witness; lines by a listed
     * witness that do not verify are reported in {@code invalid} (their witness counts as not having
     * cosigned).
     */
    public static List<Cosigned> verifyAll(Note note, List<CosignerKey> witnesses, List<String> invalid) {
        List<Cosigned> valid = new ArrayList<>();
        for (CosignerKey witness : witnesses.stream().distinct().toList()) {
            try {
                verify(note, witness).ifPresent(valid::add);
            } catch (CheckpointException e) {
                invalid.add(e.getMessage());
            }
        }
        return valid;
    }

    private static void requireTimestamp(long timestamp) {
        if (timestamp < 0) {
            throw new IllegalArgumentException("a cosignature timestamp is between 0 and 2^63 - 1");
        }
    }
}

package org.batterytrace.log;

import java.security.MessageDigest;
import java.util.List;
import java.util.function.Function;

/**
 * The rules of a transparency-log witness, <a href="https://c2sp.org/tlog-witness">c2sp.org/tlog-witness</a>
 * ("add-checkpoint"), as two pure steps. {@link #verify} needs no state: it finds the log by origin and
 * checks the log's signature. {@link #advance} is the state transition, which the caller runs atomically
 * with storing its result (under a lock on the origin), so two requests cannot roll the witness back.
 * Each refusal carries the HTTP status the spec gives it; a refused request must change nothing.
 */
public final class Witness {
    private Witness() {
    }

    /** Why a witness refuses a checkpoint. */
    public enum Refusal {
        /** The request or its checkpoint is not well-formed. */
        MALFORMED,
        /** No log with this origin is configured. */
        UNKNOWN_LOG,
        /** No signature by a trusted key of the log verifies. */
        UNTRUSTED_SIGNATURE,
        /** The old size is larger than the checkpoint's. */
        OLD_SIZE_TOO_LARGE,
        /** The old size is not the size the witness last cosigned; the answer carries that size. */
        OLD_SIZE_MISMATCH,
        /** The consistency proof does not lead from the witnessed tree to the new one. */
        BAD_PROOF,
        /** Same size as the witnessed tree, different root: the log forked. */
        FORK;

        /** The HTTP status tlog-witness prescribes. */
        public int status() {
            return switch (this) {
                case MALFORMED, OLD_SIZE_TOO_LARGE -> 400;
                case UNTRUSTED_SIGNATURE -> 403;
                case UNKNOWN_LOG -> 404;
                case OLD_SIZE_MISMATCH, FORK -> 409;
                case BAD_PROOF -> 422;
            };
        }
    }

    /** A refused request; {@link #latestSize()} is the witnessed size for {@link Refusal#OLD_SIZE_MISMATCH}. */
    public static final class RefusedException extends RuntimeException {
        private final Refusal refusal;
        private final long latestSize;

        public RefusedException(Refusal refusal, String detail) {
            this(refusal, detail, -1);
        }

        RefusedException(Refusal refusal, String detail, long latestSize) {
            super(detail);
            this.refusal = refusal;
            this.latestSize = latestSize;
        }

        public Refusal refusal() {
            return refusal;
        }

        public long latestSize() {
            return latestSize;
        }
    }

    /** The latest checkpoint a witness cosigned for one origin; size 0 (no root) when it never did. */
    public record Witnessed(long size, byte[] rootHash) {
        public static final Witnessed NONE = new Witnessed(0, null);

        public Witnessed {
            if (size < 0 || (size > 0 && (rootHash == null || rootHash.length != TreeHash.SIZE))) {
                throw new IllegalArgumentException("a witnessed tree of size > 0 has a 32-byte root");
            }
        }
    }

    /**
     * Finds the log by the checkpoint's origin among {@code logs} (origin → the log's trusted keys,
     * empty when unknown) and returns the checkpoint once a trusted key's signature verifies.
     * Signatures by other keys, such as other witnesses' cosignatures, are ignored.
     */
    public static Checkpoint verify(AddCheckpoint request, Function<String, List<NoteKey>> logs) {
        Note note;
        Checkpoint unverified;
        try {
            note = Note.parse(request.checkpoint());
            unverified = Checkpoint.parseBody(note.text());
        } catch (CheckpointException e) {
            throw new RefusedException(Refusal.MALFORMED, e.getMessage());
        }
        List<NoteKey> keys = logs.apply(unverified.origin());
        if (keys == null || keys.isEmpty()) {
            throw new RefusedException(Refusal.UNKNOWN_LOG, "this witness does not witness a log with origin " + unverified.origin());
        }
        for (NoteKey key : keys) {
            try {
                Checkpoint checkpoint = SignedNotes.verify(request.checkpoint(), key);
                if (request.oldSize() > checkpoint.size()) {
                    throw new RefusedException(Refusal.OLD_SIZE_TOO_LARGE, "old size " + request.oldSize() + " is larger than the checkpoint's " + checkpoint.size());
                }
                return checkpoint;
            } catch (CheckpointException e) {
                // try the log's next key
            }
        }
        throw new RefusedException(Refusal.UNTRUSTED_SIGNATURE, "no signature by a trusted key of " + unverified.origin() + " verifies");
    }

    /**
     * Checks that {@code checkpoint} (already {@link #verify verified}) extends {@code witnessed} by the
     * request's consistency proof. Returns the new witnessed state, which the caller stores before it
     * cosigns.
     */
    public static Witnessed advance(AddCheckpoint request, Checkpoint checkpoint, Witnessed witnessed) {
        if (request.oldSize() != witnessed.size()) {
            throw new RefusedException(Refusal.OLD_SIZE_MISMATCH, "this witness last cosigned size " + witnessed.size() + ", not " + request.oldSize(),
                    witnessed.size());
        }
        if (witnessed.size() == 0) {
            if (!request.proof().isEmpty()) {
                throw new RefusedException(Refusal.BAD_PROOF, "the consistency proof from size 0 must be empty");
            }
        } else if (witnessed.size() == checkpoint.size()) {
            if (!request.proof().isEmpty()) {
                throw new RefusedException(Refusal.BAD_PROOF, "the consistency proof between equal sizes must be empty");
            }
            if (!MessageDigest.isEqual(witnessed.rootHash(), checkpoint.rootHash())) {
                throw new RefusedException(Refusal.FORK, "a different root for size " + checkpoint.size() + " was cosigned before: the log forked");
            }
        } else {
            try {
                Proofs.verifyConsistency(witnessed.size(), checkpoint.size(), witnessed.rootHash(), checkpoint.rootHash(), request.proof());
            } catch (ProofException e) {
                throw new RefusedException(Refusal.BAD_PROOF, "consistency proof from the witnessed size " + witnessed.size() + " does not verify: " + e.getMessage());
            }
        }
        return new Witnessed(checkpoint.size(), checkpoint.rootHash());
    }
}

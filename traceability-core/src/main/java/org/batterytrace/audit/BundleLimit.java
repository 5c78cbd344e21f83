package org.batterytrace.audit;

/**
 * Caps the verifier applies while it reads a bundle, each checked before the part it bounds is parsed, so
 * that a hostile bundle cannot make an auditor's machine spend unbounded memory or time (a million
 * signatures on one record, a proof of a billion hashes) before any check can fail it.
 */
public enum BundleLimit {
    /** Bundle file size; the server never sends more than its own 64 MiB body limit. */
    BUNDLE_BYTES(64L << 20, Failure.BUNDLE_TOO_LARGE),
    /** Records plus key events (and as many map proofs): far above any chain's length. */
    ENTRIES(100_000, Failure.TOO_MANY_ENTRIES),
    /** Signatures on one record: an actor and a receiver sign, each with at most a few keys. */
    SIGNATURES_PER_RECORD(org.batterytrace.record.SignedRecord.MAX_SIGNATURES, Failure.TOO_MANY_SIGNATURES),
    /** An RFC 9162 inclusion proof in a tree of fewer than 2^64 leaves has at most 64 hashes. */
    INCLUSION_PROOF_HASHES(64, Failure.PROOF_TOO_LONG),
    /** An RFC 9162 consistency proof between trees below 2^64 leaves has fewer than 2 × 64 hashes. */
    CONSISTENCY_PROOF_HASHES(128, Failure.PROOF_TOO_LONG);

    private final long max;
    private final Failure failure;

    BundleLimit(long max, Failure failure) {
        this.max = max;
        this.failure = failure;
    }

    public long max() {
        return max;
    }

    public Failure failure() {
        return failure;
    }

    /** Throws {@link Exceeded} when {@code count} is above this cap. */
    public void check(long count, String where) {
        if (count > max) {
            throw new Exceeded(this, where + " holds " + count + ", above the verifier's cap of " + max);
        }
    }

    /** A bundle over one of the caps: reported as the cap's failure kind, not as a malformed bundle. */
    public static final class Exceeded extends IllegalArgumentException {
        private final BundleLimit limit;

        Exceeded(BundleLimit limit, String message) {
            super(message);
            this.limit = limit;
        }

        public BundleLimit limit() {
            return limit;
        }
    }
}

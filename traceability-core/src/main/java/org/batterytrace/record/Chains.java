package org.batterytrace.record;

import java.time.Instant;
import java.util.List;

/** Chain continuity: seq counts up from 1 and each prev is the hash of the record before. */
public final class Chains {
    private Chains() {
    }

    /**
     * Checks that {@code next} directly follows the record whose chain hash is {@code previousHash}
     * at {@code previousSeq} ({@code null}/0 when {@code next} must open the chain).
     */
    public static void checkNext(String subject, long previousSeq, String previousHash, TraceRecord next) {
        checkNext(subject, previousSeq, previousHash, null, next);
    }

    /**
     * The same, and that {@code next} is not dated before the previous record ({@code previousTime}, null
     * for none): the server and the offline verifier both apply this.
     */
    public static void checkNext(String subject, long previousSeq, String previousHash, Instant previousTime, TraceRecord next) {
        if (!next.subject().equals(subject)) {
            throw new ChainException(ChainException.Kind.SUBJECT_MISMATCH, "record is about " + next.subject() + ", not " + subject);
        }
        if (next.seq() != previousSeq + 1) {
            throw new ChainException(ChainException.Kind.SEQ_GAP, "expected seq " + (previousSeq + 1) + " for " + subject + ", got " + next.seq());
        }
        if (previousSeq > 0 && !previousHash.equals(next.prev())) {
            throw new ChainException(ChainException.Kind.PREV_MISMATCH, "record " + subject + "#" + next.seq() + " names prev " + next.prev() + " but the previous record hashes to " + previousHash);
        }
        if (previousTime != null && next.instant().isBefore(previousTime)) {
            throw new ChainException(ChainException.Kind.TIME_BEFORE_PREVIOUS, "record.time " + next.time() + " is before the previous record's " + previousTime);
        }
    }

    /** Checks a whole chain, first record first. */
    public static void validate(List<SignedRecord> chain) {
        if (chain.isEmpty()) {
            return;
        }
        String subject = chain.get(0).record().subject();
        long seq = 0;
        String hash = null;
        Instant time = null;
        for (SignedRecord signed : chain) {
            checkNext(subject, seq, hash, time, signed.record());
            seq = signed.record().seq();
            hash = signed.hash();
            time = signed.record().instant();
        }
    }
}

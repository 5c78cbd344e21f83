package org.batterytrace.record;

/** A record that does not continue its subject's chain (wrong seq, wrong prev hash, other subject, time running backwards). */
public final class ChainException extends RuntimeException {
    public enum Kind {
        SUBJECT_MISMATCH, SEQ_GAP, PREV_MISMATCH,
        /** The record's time is earlier than the previous record's: a chain's events happen in order. */
        TIME_BEFORE_PREVIOUS
    }

    private final Kind kind;

    public ChainException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}

package org.batterytrace.record;

/** A record that does not continue its subject's chain (wrong seq, wrong prev hash, other subject). */
public final class ChainException extends RuntimeException {
    public enum Kind {
        SUBJECT_MISMATCH, SEQ_GAP, PREV_MISMATCH
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

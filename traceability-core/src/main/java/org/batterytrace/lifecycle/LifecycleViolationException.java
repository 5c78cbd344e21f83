package org.batterytrace.lifecycle;

/** A record that the lifecycle or custody rules do not allow. */
public final class LifecycleViolationException extends RuntimeException {
    public enum Kind {
        ILLEGAL_TRANSITION, ROLE_NOT_ALLOWED, NOT_CUSTODIAN, TERMINAL_STATE, BAD_TRANSFER,
        /** A recycling lot closed before any battery was recycled into it. */
        EMPTY_LOT
    }

    private final Kind kind;

    public LifecycleViolationException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}

package org.batterytrace.lifecycle;

/** A record whose {@code data} lacks what its event type requires, or holds it in the wrong form. */
public final class EventDataException extends RuntimeException {
    private final String field;

    public EventDataException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The offending {@code data} member, e.g. {@code data.vin}. */
    public String field() {
        return field;
    }
}

package org.batterytrace.identity;

/** A battery code, credit code or VIN that does not follow its standard. Names the offending segment. */
public final class InvalidIdentifierException extends IllegalArgumentException {
    private final String segment;

    public InvalidIdentifierException(String segment, String message) {
        super(message);
        this.segment = segment;
    }

    /** Which part of the identifier is wrong, e.g. {@code "productionDate.month"} or {@code "length"}. */
    public String segment() {
        return segment;
    }
}

package org.batterytrace.record;

/** A record, signature or bundle that does not follow the published format. */
public final class RecordFormatException extends IllegalArgumentException {
    public RecordFormatException(String message) {
        super(message);
    }
}

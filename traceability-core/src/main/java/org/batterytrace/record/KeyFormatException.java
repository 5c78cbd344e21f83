package org.batterytrace.record;

/** A public or private key that cannot be read, or is of an unsupported kind. */
public final class KeyFormatException extends IllegalArgumentException {
    public KeyFormatException(String message) {
        super(message);
    }

    public KeyFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}

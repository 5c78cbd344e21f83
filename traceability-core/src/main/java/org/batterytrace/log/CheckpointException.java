package org.batterytrace.log;

/** A checkpoint or signed note that is malformed, or not signed by the pinned log key. */
public final class CheckpointException extends RuntimeException {
    public CheckpointException(String message) {
        super(message);
    }
}

package org.batterytrace.log;

/** An inclusion or consistency proof that does not verify. */
public final class ProofException extends RuntimeException {
    public ProofException(String message) {
        super(message);
    }
}

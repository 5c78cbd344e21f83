package org.batterytrace.record;

/** JSON that has no RFC 8785 canonical form under record format v1 (fractions, lone surrogates, huge integers). */
public final class CanonicalizationException extends IllegalArgumentException {
    public CanonicalizationException(String message) {
        super(message);
    }
}

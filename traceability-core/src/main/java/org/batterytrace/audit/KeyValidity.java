package org.batterytrace.audit;

import java.time.Instant;
import org.batterytrace.record.VerificationKey;

/** A registered key, its owner, and the half-open interval [validFrom, revokedAt) in which it may sign. */
public record KeyValidity(VerificationKey key, String owner, Instant validFrom, Instant revokedAt) {
    public boolean validAt(Instant time) {
        return !time.isBefore(validFrom) && (revokedAt == null || time.isBefore(revokedAt));
    }

    KeyValidity revoke(Instant at) {
        return new KeyValidity(key, owner, validFrom, at);
    }
}

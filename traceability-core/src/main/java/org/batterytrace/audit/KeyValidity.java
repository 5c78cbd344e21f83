package org.batterytrace.audit;

import java.time.Instant;
import org.batterytrace.record.VerificationKey;

/**
 * A registered key, its owner, the half-open interval [validFrom, revokedAt) in which it may sign, and
 * the log indexes of its registration and revocation (-1 = not revoked): a record logged after the
 * revocation entry is refused whatever time it claims.
 */
public record KeyValidity(VerificationKey key, String owner, Instant validFrom, Instant revokedAt, long registeredIndex, long revokedIndex) {
    public boolean validAt(Instant time) {
        return !time.isBefore(validFrom) && (revokedAt == null || time.isBefore(revokedAt));
    }

    KeyValidity revoke(Instant at, long logIndex) {
        return new KeyValidity(key, owner, validFrom, at, registeredIndex, logIndex);
    }
}

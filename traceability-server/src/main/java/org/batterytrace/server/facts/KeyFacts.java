package org.batterytrace.server.facts;

import java.time.Instant;
import org.batterytrace.record.VerificationKey;
import org.batterytrace.server.key.OrgKeyEntity;

/** A registered key as the record rules read it: owner, parsed public key and validity. */
public record KeyFacts(String keyId, String orgId, VerificationKey key, Instant validFrom, Instant revokedAt) {
    static KeyFacts of(OrgKeyEntity entity) {
        return new KeyFacts(entity.keyId, entity.orgId, entity.verificationKey(), entity.validFrom, entity.revokedAt);
    }

    public boolean validAt(Instant time) {
        return !time.isBefore(validFrom) && (revokedAt == null || time.isBefore(revokedAt));
    }
}

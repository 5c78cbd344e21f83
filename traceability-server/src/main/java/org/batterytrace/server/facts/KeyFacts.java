package org.batterytrace.server.facts;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.batterytrace.record.VerificationKey;
import org.batterytrace.server.key.OrgKeyEntity;

/** A registered key as the record rules read it: owner, parsed public key and validity. */
public record KeyFacts(String keyId, String orgId, VerificationKey key, Instant validFrom, Instant revokedAt) {
    /** Parsed public keys by id: a key id names its key forever, so this never goes stale when the facts change. */
    private static final Map<String, VerificationKey> PARSED = new ConcurrentHashMap<>();

    static KeyFacts of(OrgKeyEntity entity) {
        return new KeyFacts(entity.keyId, entity.orgId, PARSED.computeIfAbsent(entity.keyId, id -> entity.verificationKey()), entity.validFrom, entity.revokedAt);
    }

    public boolean validAt(Instant time) {
        return !time.isBefore(validFrom) && (revokedAt == null || time.isBefore(revokedAt));
    }
}

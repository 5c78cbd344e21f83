package org.batterytrace.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.batterytrace.record.Hashes;
import org.batterytrace.record.Json;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.SigningKey;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.record.VerificationKey;

/**
 * Key registrations and revocations are records too: subject = the organization, actor = the log
 * (platform) origin, signed by the log key, and appended to the same log as battery records. Data:
 * {@code {"keyId", "alg", "publicKey": base64url SubjectPublicKeyInfo DER}}.
 */
public final class KeyEvents {
    public static final String REGISTERED = "KEY_REGISTERED";
    public static final String REVOKED = "KEY_REVOKED";

    private KeyEvents() {
    }

    public static TraceRecord registration(String organization, long seq, String prev, Instant validFrom, String platform, VerificationKey key) {
        return TraceRecord.of(organization, seq, prev, REGISTERED, validFrom, platform, describe(key));
    }

    public static TraceRecord revocation(String organization, long seq, String prev, Instant revokedAt, String platform, VerificationKey key) {
        return TraceRecord.of(organization, seq, prev, REVOKED, revokedAt, platform, describe(key));
    }

    public static SignedRecord signed(TraceRecord event, SigningKey logKey) {
        return SignedRecord.sign(event, logKey);
    }

    private static ObjectNode describe(VerificationKey key) {
        ObjectNode data = Json.object();
        data.put("keyId", key.keyId());
        data.put("alg", key.algorithm().jsonName());
        data.put("publicKey", Hashes.base64Url(key.spki()));
        return data;
    }
}

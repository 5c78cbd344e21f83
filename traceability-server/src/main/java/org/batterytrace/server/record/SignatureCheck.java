package org.batterytrace.server.record;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.batterytrace.record.RecordSignature;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.record.VerificationKey;
import org.batterytrace.server.key.OrgKeyEntity;
import org.batterytrace.server.problem.ProblemException;
import org.batterytrace.server.problem.ProblemKind;

/**
 * Checks record signatures the way the offline verifier will: the key named by keyId (no fallback),
 * of the signature's algorithm, valid at the record's time, owned by a party to the record.
 */
@ApplicationScoped
public class SignatureCheck {
    /** Parsed public keys by id; a key id names its key forever, so this never goes stale. */
    private final Map<String, VerificationKey> parsed = new ConcurrentHashMap<>();

    /** The registered keys among those the records name, with their current validity. */
    public Map<String, OrgKeyEntity> keysFor(Collection<SignedRecord> records) {
        Set<String> ids = new HashSet<>();
        for (SignedRecord record : records) {
            for (RecordSignature signature : record.signatures()) {
                ids.add(signature.keyId());
            }
        }
        Map<String, OrgKeyEntity> keys = new HashMap<>();
        List<String> all = new ArrayList<>(ids);
        for (int from = 0; from < all.size(); from += 500) {
            List<OrgKeyEntity> found = OrgKeyEntity.list("keyId in ?1", all.subList(from, Math.min(all.size(), from + 500)));
            found.forEach(k -> keys.put(k.keyId, k));
        }
        return keys;
    }

    /**
     * Verifies each record; returns one failure (or null) per record. Large batches verify on all
     * cores: signature checks dominate ingest cost and need no database.
     */
    public ProblemException[] check(List<SignedRecord> records, List<String> receivers, Map<String, OrgKeyEntity> keys) {
        ProblemException[] failures = new ProblemException[records.size()];
        IntStream indexes = IntStream.range(0, records.size());
        (records.size() >= 64 ? indexes.parallel() : indexes).forEach(i -> {
            failures[i] = check(records.get(i), receivers.get(i), keys);
            records.get(i).hash(); // canonical form and chain hash now, on all cores, rather than later under the log lock
        });
        return failures;
    }

    public ProblemException check(SignedRecord signed, String receiver, Map<String, OrgKeyEntity> keys) {
        TraceRecord record = signed.record();
        Set<String> signers = new HashSet<>();
        byte[] message = null;
        for (RecordSignature signature : signed.signatures()) {
            OrgKeyEntity key = keys.get(signature.keyId());
            if (key == null) {
                return new ProblemException(ProblemKind.UNKNOWN_KEY, "no registered key has id " + signature.keyId());
            }
            if (!key.alg.equals(signature.alg().jsonName())) {
                return new ProblemException(ProblemKind.ALGORITHM_MISMATCH, "signature says " + signature.alg().jsonName() + " but key " + key.keyId + " is " + key.alg);
            }
            if (!key.orgId.equals(record.actor()) && !key.orgId.equals(receiver)) {
                return new ProblemException(ProblemKind.SIGNER_NOT_PARTY, "key " + key.keyId + " belongs to " + key.orgId + ", who is not a party to this record");
            }
            if (key.revokedAt != null) {
                // Whatever time the record claims: a stolen key must not sign the past after its revocation.
                return new ProblemException(ProblemKind.KEY_REVOKED, "key " + key.keyId + " of " + key.orgId + " was revoked at " + key.revokedAt
                        + "; nothing signed with it is accepted after that, whatever the record's time");
            }
            if (!key.validAt(record.instant())) {
                return new ProblemException(ProblemKind.KEY_NOT_VALID, "key " + key.keyId + " is not valid at " + record.time() + " (valid from " + key.validFrom
                        + (key.revokedAt == null ? "" : ", revoked " + key.revokedAt) + ")");
            }
            if (message == null) {
                message = record.canonicalBytes();
            }
            if (!parsed.computeIfAbsent(key.keyId, id -> key.verificationKey()).verify(message, signature.value())) {
                return new ProblemException(ProblemKind.SIGNATURE_INVALID, "signature by key " + key.keyId + " of " + key.orgId + " does not verify over the record's canonical bytes");
            }
            if (!signers.add(key.orgId)) {
                return new ProblemException(ProblemKind.DUPLICATE_SIGNER, key.orgId + " signed twice");
            }
        }
        if (!signers.contains(record.actor())) {
            return new ProblemException(ProblemKind.MISSING_SIGNATURE, "no valid signature by the actor " + record.actor());
        }
        if (receiver != null && !signers.contains(receiver)) {
            return new ProblemException(ProblemKind.MISSING_SIGNATURE, "a transfer needs the receiver's (" + receiver + ") acceptance signature");
        }
        return null;
    }
}

package org.batterytrace.server.record;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.batterytrace.record.RecordSignature;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignatureRules;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.server.facts.Facts;
import org.batterytrace.server.facts.KeyFacts;
import org.batterytrace.server.problem.ProblemException;
import org.batterytrace.server.problem.ProblemKind;

/**
 * Checks record signatures the way the offline verifier will: the key named by keyId (no fallback),
 * of the signature's algorithm, valid at the record's time, owned by a party to the record.
 */
@ApplicationScoped
public class SignatureCheck {
    /** The registered keys among those the records name, with their validity as of {@code facts}. */
    public Map<String, KeyFacts> keysFor(Collection<SignedRecord> records, Facts facts) {
        Set<String> ids = new HashSet<>();
        for (SignedRecord record : records) {
            for (RecordSignature signature : record.signatures()) {
                ids.add(signature.keyId());
            }
        }
        return facts.keys(ids);
    }

    /**
     * Verifies each record; returns one failure (or null) per record. Large batches verify on all
     * cores: signature checks dominate ingest cost and need no database.
     */
    public ProblemException[] check(List<SignedRecord> records, List<String> receivers, Map<String, KeyFacts> keys) {
        ProblemException[] failures = new ProblemException[records.size()];
        IntStream indexes = IntStream.range(0, records.size());
        (records.size() >= 64 ? indexes.parallel() : indexes).forEach(i -> {
            failures[i] = check(records.get(i), receivers.get(i), keys);
            // Canonical form, chain hash and leaf hash now, on all cores, rather than later under the log lock.
            records.get(i).hash();
            records.get(i).leafHash();
        });
        return failures;
    }

    /** The shared signature rules ({@link SignatureRules}) for a record not logged yet; the first violation, or null. */
    public ProblemException check(SignedRecord signed, String receiver, Map<String, KeyFacts> keys) {
        List<SignatureRules.Finding> findings = SignatureRules.check(signed, receiver, SignatureRules.NOT_LOGGED, id -> {
            KeyFacts key = keys.get(id);
            return key == null ? null : new RegisteredKey(key);
        });
        if (findings.isEmpty()) {
            return null;
        }
        SignatureRules.Finding first = findings.get(0);
        return new ProblemException(KINDS.get(first.violation()), first.message());
    }

    private static final Map<SignatureRules.Violation, ProblemKind> KINDS = Map.of(
            SignatureRules.Violation.UNKNOWN_KEY, ProblemKind.UNKNOWN_KEY,
            SignatureRules.Violation.ALGORITHM_MISMATCH, ProblemKind.ALGORITHM_MISMATCH,
            SignatureRules.Violation.SIGNER_NOT_PARTY, ProblemKind.SIGNER_NOT_PARTY,
            SignatureRules.Violation.SIGNED_AFTER_REVOCATION, ProblemKind.KEY_REVOKED,
            SignatureRules.Violation.KEY_NOT_VALID_AT_TIME, ProblemKind.KEY_NOT_VALID,
            SignatureRules.Violation.SIGNATURE_INVALID, ProblemKind.SIGNATURE_INVALID,
            SignatureRules.Violation.DUPLICATE_SIGNER, ProblemKind.DUPLICATE_SIGNER,
            SignatureRules.Violation.MISSING_SIGNATURE, ProblemKind.MISSING_SIGNATURE);

    /** A key as the database holds it: any logged revocation precedes a record being ingested now. */
    private record RegisteredKey(KeyFacts key) implements SignatureRules.Key {
        @Override
        public SignatureAlgorithm algorithm() {
            return key.key().algorithm();
        }

        @Override
        public String owner() {
            return key.orgId();
        }

        @Override
        public boolean revokedBefore(long logIndex) {
            return key.revokedAt() != null;
        }

        @Override
        public boolean validAt(Instant time) {
            return key.validAt(time);
        }

        @Override
        public String validity() {
            return "valid from " + key.validFrom() + (key.revokedAt() == null ? "" : ", revoked " + key.revokedAt());
        }

        @Override
        public boolean verify(byte[] message, byte[] signature) {
            return key.key().verify(message, signature);
        }
    }
}

package org.batterytrace.record;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * When a record's signatures make it acceptable: the one rule the server applies at ingest and the offline
 * verifier applies to a bundle (docs/record-format.md §4). Each signature names its key by id (no
 * fallback); the key must be of the signature's algorithm, belong to a party (the actor, or the receiver
 * of a transfer), not be revoked before the record's place in the log, be valid at the record's time and
 * verify; one organization signs once; the actor signs, and for a transfer the receiver too.
 */
public final class SignatureRules {
    /** The log index of a record that is not logged yet: every revocation already logged comes before it. */
    public static final long NOT_LOGGED = Long.MAX_VALUE;

    private SignatureRules() {
    }

    /** What the rules need to know of a registered key. */
    public interface Key {
        SignatureAlgorithm algorithm();

        /** The organization that registered it. */
        String owner();

        /** Whether its revocation was logged before the entry at {@code logIndex}. */
        boolean revokedBefore(long logIndex);

        /** Whether {@code time} lies in [validFrom, revokedAt). */
        boolean validAt(Instant time);

        /** "valid from …, revoked …", for messages. */
        String validity();

        boolean verify(byte[] message, byte[] signature);
    }

    public enum Violation {
        UNKNOWN_KEY, ALGORITHM_MISMATCH, SIGNER_NOT_PARTY, SIGNED_AFTER_REVOCATION, KEY_NOT_VALID_AT_TIME, SIGNATURE_INVALID, DUPLICATE_SIGNER, MISSING_SIGNATURE
    }

    public record Finding(Violation violation, String message) {
    }

    /**
     * Every violation of {@code signed}: at most one per signature, in signature order, then a missing
     * actor's or receiver's signature.
     *
     * @param receiver the receiver of a transfer, else {@code null}
     * @param logIndex the record's log index, or {@link #NOT_LOGGED}
     * @param keys     registered keys by id; {@code null} for an unknown id
     */
    public static List<Finding> check(SignedRecord signed, String receiver, long logIndex, Function<String, ? extends Key> keys) {
        TraceRecord record = signed.record();
        List<Finding> findings = new ArrayList<>();
        Set<String> signers = new HashSet<>();
        byte[] message = null;
        for (RecordSignature signature : signed.signatures()) {
            String id = signature.keyId();
            Key key = keys.apply(id);
            if (key == null) {
                findings.add(new Finding(Violation.UNKNOWN_KEY, "no registered key has id " + id));
                continue;
            }
            if (key.algorithm() != signature.alg()) {
                findings.add(new Finding(Violation.ALGORITHM_MISMATCH, "signature says " + signature.alg().jsonName() + " but key " + id + " is " + key.algorithm().jsonName()));
                continue;
            }
            if (!key.owner().equals(record.actor()) && !key.owner().equals(receiver)) {
                findings.add(new Finding(Violation.SIGNER_NOT_PARTY, "key " + id + " belongs to " + key.owner() + ", who is not a party to this record"));
                continue;
            }
            if (key.revokedBefore(logIndex)) {
                // Whatever time the record claims: a stolen key must not sign the past after its revocation.
                findings.add(new Finding(Violation.SIGNED_AFTER_REVOCATION, "key " + id + " of " + key.owner() + " was revoked ("
                        + key.validity() + ") before this record was logged; nothing signed with it is accepted after that, whatever the record's time"));
                continue;
            }
            if (!key.validAt(record.instant())) {
                findings.add(new Finding(Violation.KEY_NOT_VALID_AT_TIME, "key " + id + " of " + key.owner() + " is not valid at " + record.time() + " (" + key.validity() + ")"));
                continue;
            }
            if (message == null) {
                message = record.canonicalBytes();
            }
            if (!key.verify(message, signature.value())) {
                findings.add(new Finding(Violation.SIGNATURE_INVALID, "signature by key " + id + " of " + key.owner() + " does not verify over the record's canonical bytes"));
                continue;
            }
            if (!signers.add(key.owner())) {
                findings.add(new Finding(Violation.DUPLICATE_SIGNER, key.owner() + " signed twice"));
            }
        }
        if (!signers.contains(record.actor())) {
            findings.add(new Finding(Violation.MISSING_SIGNATURE, "no valid signature by the actor " + record.actor()));
        }
        if (receiver != null && !signers.contains(receiver)) {
            findings.add(new Finding(Violation.MISSING_SIGNATURE, "a transfer needs the receiver's (" + receiver + ") acceptance signature"));
        }
        return findings;
    }
}

package org.batterytrace.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.batterytrace.lifecycle.CustodyStatus;
import org.batterytrace.lifecycle.EventType;
import org.batterytrace.lifecycle.ChainFacts;
import org.batterytrace.lifecycle.EventData;
import org.batterytrace.lifecycle.EventDataException;
import org.batterytrace.lifecycle.Lifecycle;
import org.batterytrace.lifecycle.LifecycleViolationException;
import org.batterytrace.log.Checkpoint;
import org.batterytrace.log.CheckpointException;
import org.batterytrace.log.CosignerKey;
import org.batterytrace.log.Cosignatures;
import org.batterytrace.log.Note;
import org.batterytrace.log.NoteKey;
import org.batterytrace.log.ProofException;
import org.batterytrace.log.Proofs;
import org.batterytrace.log.SignedNotes;
import org.batterytrace.log.TreeHash;
import org.batterytrace.record.ChainException;
import org.batterytrace.record.Chains;
import org.batterytrace.record.Hashes;
import org.batterytrace.record.RecordFormatException;
import org.batterytrace.record.RecordSignature;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.record.VerificationKey;

/**
 * The auditor's offline verifier. Trusts nothing but the pinned log key (and, when given, pinned
 * witness keys with a quorum): it checks the checkpoint signature and cosignatures, derives every organization key from log-signed key events, and then checks each record's
 * signatures (key chosen by key id and validity at the record's time; an unknown key id fails, with no
 * fallback), chain continuity, lifecycle legality and custody, and inclusion in the checkpoint. All
 * problems are collected, not just the first.
 */
public final class Verifier {
    private final NoteKey logKey;
    private final List<CosignerKey> witnesses;
    private final int quorum;

    private Verifier(NoteKey logKey, List<CosignerKey> witnesses, int quorum) {
        this.logKey = logKey;
        this.witnesses = witnesses;
        this.quorum = quorum;
    }

    public static Verifier pinning(NoteKey logKey) {
        return new Verifier(logKey, List.of(), 0);
    }

    /**
     * Also requires the bundle's checkpoint to carry valid tlog-cosignatures by at least {@code quorum}
     * of these witnesses (c2sp.org/tlog-cosignature); a line by one of them that does not verify fails
     * the bundle. Precondition: 1 ≤ quorum ≤ the number of distinct witnesses.
     */
    public Verifier requiringCosignatures(List<CosignerKey> witnesses, int quorum) {
        List<CosignerKey> distinct = witnesses.stream().distinct().toList();
        if (quorum < 1 || quorum > distinct.size()) {
            throw new IllegalArgumentException("quorum must be between 1 and the number of distinct witnesses (" + distinct.size() + "), got " + quorum);
        }
        return new Verifier(logKey, distinct, quorum);
    }

    /**
     * Another checkpoint the auditor trusts (older or newer than the bundle's) and the consistency proof
     * between the two tree sizes, smaller to larger.
     */
    public record PreviousCheckpoint(String note, List<byte[]> consistencyProof) {
    }

    public VerificationReport verify(EvidenceBundle bundle) {
        return verify(bundle, null);
    }

    public VerificationReport verify(EvidenceBundle bundle, PreviousCheckpoint previous) {
        VerificationReport report = new VerificationReport();
        Checkpoint checkpoint = checkCheckpoint(bundle, previous, report);
        Map<String, KeyValidity> keys = checkKeyEvents(bundle.keyEvents(), checkpoint, report);
        checkRecords(bundle, keys, checkpoint, report);
        report.counts(bundle.keyEvents().size(), bundle.records().size());
        return report;
    }

    private Checkpoint checkCheckpoint(EvidenceBundle bundle, PreviousCheckpoint previous, VerificationReport report) {
        Checkpoint checkpoint;
        try {
            checkpoint = SignedNotes.verify(bundle.checkpoint(), logKey);
        } catch (CheckpointException e) {
            report.fail(Failure.CHECKPOINT_INVALID, "checkpoint", e.getMessage());
            return null;
        }
        report.checkpoint(checkpoint);
        if (!witnesses.isEmpty()) {
            checkCosignatures(Note.parse(bundle.checkpoint()), report);
        }
        if (previous != null) {
            try {
                Checkpoint other = SignedNotes.verify(previous.note(), logKey);
                Checkpoint older = other.size() <= checkpoint.size() ? other : checkpoint;
                Checkpoint newer = older == other ? checkpoint : other;
                Proofs.verifyConsistency(older.size(), newer.size(), older.rootHash(), newer.rootHash(), previous.consistencyProof());
            } catch (CheckpointException | ProofException e) {
                report.fail(Failure.CONSISTENCY_INVALID, "previousCheckpoint", e.getMessage());
            }
        }
        return checkpoint;
    }

    private void checkCosignatures(Note note, VerificationReport report) {
        List<String> invalid = new ArrayList<>();
        List<Cosignatures.Cosigned> valid = Cosignatures.verifyAll(note, witnesses, invalid);
        invalid.forEach(problem -> report.fail(Failure.COSIGNATURE_INVALID, "checkpoint", problem));
        report.cosignatures(valid);
        if (valid.size() < quorum) {
            report.fail(Failure.WITNESS_QUORUM_NOT_MET, "checkpoint", valid.size() + " of the " + witnesses.size()
                    + " pinned witnesses cosigned the checkpoint; " + quorum + " required");
        }
    }

    private Map<String, KeyValidity> checkKeyEvents(List<LoggedRecord> events, Checkpoint checkpoint, VerificationReport report) {
        Map<String, KeyValidity> keys = new HashMap<>();
        Map<String, SignedRecord> lastByOrg = new LinkedHashMap<>();
        String logKeyId = logKey.key().keyId();
        for (int i = 0; i < events.size(); i++) {
            String where = "keyEvents[" + i + "]";
            LoggedRecord logged = events.get(i);
            SignedRecord signed = logged.entry();
            TraceRecord event = signed.record();
            checkInclusion(logged, checkpoint, where, report);
            SignedRecord last = lastByOrg.get(event.subject());
            try {
                Chains.checkNext(event.subject(), last == null ? 0 : last.record().seq(), last == null ? null : last.hash(), event);
            } catch (ChainException e) {
                report.fail(Failure.KEY_EVENT_INVALID, where, "key-event chain broken: " + e.getMessage());
            }
            lastByOrg.put(event.subject(), signed);
            if (signed.signatures().size() != 1 || !signed.signatures().get(0).keyId().equals(logKeyId)
                    || !logKey.key().verify(event.canonicalBytes(), signed.signatures().get(0).value())) {
                report.fail(Failure.KEY_EVENT_INVALID, where, "key event must carry exactly one valid signature by the log key " + logKeyId);
                continue;
            }
            if (!event.actor().equals(logKey.name())) {
                report.fail(Failure.KEY_EVENT_INVALID, where, "key event actor must be the log " + logKey.name());
                continue;
            }
            VerificationKey key;
            try {
                key = VerificationKey.fromSpki(Hashes.fromBase64Url(text(event.dataField("publicKey"))));
            } catch (IllegalArgumentException e) {
                report.fail(Failure.KEY_EVENT_INVALID, where, "key event holds no readable public key: " + e.getMessage());
                continue;
            }
            if (!key.keyId().equals(text(event.dataField("keyId")))) {
                report.fail(Failure.KEY_EVENT_INVALID, where, "key event keyId does not match its public key");
                continue;
            }
            KeyValidity known = keys.get(key.keyId());
            switch (event.type()) {
                case KeyEvents.REGISTERED -> {
                    if (known != null) {
                        report.fail(Failure.KEY_EVENT_INVALID, where, "key " + key.keyId() + " registered twice");
                    } else {
                        keys.put(key.keyId(), new KeyValidity(key, event.subject(), event.instant(), null));
                    }
                }
                case KeyEvents.REVOKED -> {
                    if (known == null || !known.owner().equals(event.subject())) {
                        report.fail(Failure.KEY_EVENT_INVALID, where, "revocation of key " + key.keyId() + " that " + event.subject() + " never registered");
                    } else {
                        keys.put(key.keyId(), known.revoke(event.instant()));
                    }
                }
                default -> report.fail(Failure.KEY_EVENT_INVALID, where, "unknown key event type " + event.type());
            }
        }
        return keys;
    }

    private void checkRecords(EvidenceBundle bundle, Map<String, KeyValidity> keys, Checkpoint checkpoint, VerificationReport report) {
        long previousSeq = 0;
        String previousHash = null;
        CustodyStatus status = null;
        ChainFacts facts = new ChainFacts();
        boolean replayable = true;
        for (int i = 0; i < bundle.records().size(); i++) {
            String where = "records[" + i + "]";
            LoggedRecord logged = bundle.records().get(i);
            SignedRecord signed = logged.entry();
            TraceRecord record = signed.record();
            int before = report.findings().size();
            if (!record.subject().equals(bundle.subject())) {
                report.fail(Failure.SUBJECT_MISMATCH, where, "record is about " + record.subject() + ", the bundle about " + bundle.subject());
            } else {
                try {
                    Chains.checkNext(bundle.subject(), previousSeq, previousHash, record);
                } catch (ChainException e) {
                    report.fail(Failure.CHAIN_BROKEN, where, e.getMessage());
                }
            }
            previousSeq = record.seq();
            previousHash = signed.hash();
            checkInclusion(logged, checkpoint, where, report);
            String receiver = null;
            Optional<EventType> type = EventType.fromName(record.type());
            if (type.isEmpty()) {
                report.fail(Failure.LIFECYCLE_VIOLATION, where, "unknown event type " + record.type());
                replayable = false;
            } else if (type.get() == EventType.TRANSFERRED) {
                receiver = text(record.dataField("to"));
            }
            checkSignatures(signed, receiver, keys, where, report);
            if (replayable && type.isPresent()) {
                try {
                    status = Lifecycle.apply(status, type.get(), record.actor(), null, receiver);
                } catch (LifecycleViolationException e) {
                    report.fail(Failure.LIFECYCLE_VIOLATION, where, e.getMessage());
                    replayable = false;
                }
            }
            if (type.isPresent()) {
                try {
                    EventData.check(type.get(), record);
                    facts.apply(type.get(), record);
                } catch (EventDataException e) {
                    report.fail(Failure.EVENT_DATA_INVALID, where, e.getMessage());
                }
            }
            List<Finding> all = report.findings();
            report.recordLine(recordLine(record, all.size() == before ? "ok" : "FAIL " + all.get(before).failure()));
        }
        if (replayable && status != null) {
            report.finalStatus(status);
        }
    }

    private void checkSignatures(SignedRecord signed, String receiver, Map<String, KeyValidity> keys, String where, VerificationReport report) {
        TraceRecord record = signed.record();
        byte[] message = null;
        Set<String> signers = new HashSet<>();
        for (RecordSignature signature : signed.signatures()) {
            KeyValidity key = keys.get(signature.keyId());
            if (key == null) {
                report.fail(Failure.UNKNOWN_KEY, where, "no key event in the bundle registers key " + signature.keyId());
                continue;
            }
            if (key.key().algorithm() != signature.alg()) {
                report.fail(Failure.ALGORITHM_MISMATCH, where, "signature says " + signature.alg().jsonName() + " but key " + signature.keyId() + " is " + key.key().algorithm().jsonName());
                continue;
            }
            if (!key.validAt(record.instant())) {
                report.fail(Failure.KEY_NOT_VALID_AT_TIME, where, "key " + signature.keyId() + " of " + key.owner() + " is not valid at " + record.time()
                        + " (valid from " + key.validFrom() + (key.revokedAt() == null ? "" : ", revoked " + key.revokedAt()) + ")");
                continue;
            }
            if (!key.owner().equals(record.actor()) && !key.owner().equals(receiver)) {
                report.fail(Failure.SIGNER_NOT_PARTY, where, "key " + signature.keyId() + " belongs to " + key.owner() + ", who is not a party to this record");
                continue;
            }
            if (message == null) {
                message = record.canonicalBytes();
            }
            if (!key.key().verify(message, signature.value())) {
                report.fail(Failure.SIGNATURE_INVALID, where, "signature by " + key.owner() + " key " + signature.keyId() + " does not verify");
                continue;
            }
            signers.add(key.owner());
        }
        if (!signers.contains(record.actor())) {
            report.fail(Failure.MISSING_SIGNATURE, where, "no valid signature by the actor " + record.actor());
        }
        if (receiver != null && !signers.contains(receiver)) {
            report.fail(Failure.MISSING_SIGNATURE, where, "transfer lacks the receiver's (" + receiver + ") acceptance signature");
        }
    }

    private void checkInclusion(LoggedRecord logged, Checkpoint checkpoint, String where, VerificationReport report) {
        if (checkpoint == null) {
            report.fail(Failure.INCLUSION_PROOF_INVALID, where, "cannot prove inclusion without a valid checkpoint");
            return;
        }
        try {
            byte[] leaf = TreeHash.leaf(logged.entry().canonicalBytes());
            Proofs.verifyInclusion(leaf, logged.logIndex(), checkpoint.size(), logged.proof(), checkpoint.rootHash());
        } catch (ProofException | RecordFormatException e) {
            report.fail(Failure.INCLUSION_PROOF_INVALID, where, e.getMessage());
        }
    }

    /** Same layout as "%-4d %-12s", without String.format's parsing cost on every record. */
    private static String recordLine(TraceRecord record, String outcome) {
        StringBuilder line = new StringBuilder(96).append('#').append(record.seq());
        pad(line, 5);
        line.append(' ').append(record.type());
        pad(line, 18);
        return line.append(' ').append(record.time()).append(" by ").append(record.actor()).append(' ').append(outcome).toString();
    }

    private static void pad(StringBuilder line, int width) {
        while (line.length() < width) {
            line.append(' ');
        }
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() ? node.textValue() : "";
    }
}

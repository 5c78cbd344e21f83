package org.batterytrace.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.batterytrace.compliance.ChinaTime;
import org.batterytrace.identity.BatteryCode;
import org.batterytrace.lifecycle.ChainFacts;
import org.batterytrace.lifecycle.CodeKinds;
import org.batterytrace.lifecycle.CustodyStatus;
import org.batterytrace.lifecycle.EventData;
import org.batterytrace.lifecycle.EventDataException;
import org.batterytrace.lifecycle.EventType;
import org.batterytrace.lifecycle.Lifecycle;
import org.batterytrace.lifecycle.LinkRules;
import org.batterytrace.lifecycle.LifecycleViolationException;
import org.batterytrace.log.Checkpoint;
import org.batterytrace.log.CheckpointException;
import org.batterytrace.log.Cosignatures;
import org.batterytrace.log.CosignerKey;
import org.batterytrace.log.Note;
import org.batterytrace.log.NoteKey;
import org.batterytrace.log.ProofException;
import org.batterytrace.log.Proofs;
import org.batterytrace.log.SignedNotes;
import org.batterytrace.log.TreeHash;
import org.batterytrace.log.map.MapCheckpoints;
import org.batterytrace.log.map.MapLabels;
import org.batterytrace.log.map.MapProof;
import org.batterytrace.log.map.MapValue;
import org.batterytrace.organization.OrganizationEvents;
import org.batterytrace.organization.OrganizationFacts;
import org.batterytrace.organization.OrganizationRules;
import org.batterytrace.record.ChainException;
import org.batterytrace.record.Chains;
import org.batterytrace.record.Hashes;
import org.batterytrace.record.RecordFormatException;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignatureRules;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.record.VerificationKey;
import org.batterytrace.recycling.LotId;

/**
 * The auditor's offline verifier. Trusts nothing but the pinned log key (and, when given, pinned
 * witness keys with a quorum): it checks the checkpoint signature and cosignatures (on the checkpoint, or
 * on a later cosigned checkpoint the bundle shows it is consistent with), derives every organization key
 * from log-signed key events, and then checks each record's signatures (key chosen by key id and validity at the record's time; an unknown key id fails, with no
 * fallback; a record logged after its key's revocation entry fails whatever its time), chain continuity,
 * lifecycle legality and custody, and inclusion in the checkpoint. Against the map root the checkpoint
 * commits to ({@code trace-map/1}), it checks that the bundle ends at the subject's latest record and
 * that each signing key's status (registered, or revoked at which log index) is the one the bundle's
 * key events show, so records left off the end and withheld revocations are caught. The organization facts
 * the bundle carries (roles, white-list qualification, filed manufacturer codes; each facts chain proven
 * complete by its map head) feed the same rules the server applied at ingest: {@link Lifecycle} roles and
 * {@link OrganizationRules}. All problems are collected, not just the first.
 */
public final class Verifier {
    /** How far a record's time may run ahead of a witness's cosignature: the server's default {@code trace.records.max-clock-skew}. */
    public static final java.time.Duration CLOCK_SKEW = java.time.Duration.ofMinutes(5);
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
     * of these witnesses (c2sp.org/tlog-cosignature), counting for a witness that did not cosign it its
     * cosignature on the bundle's witnessed checkpoint; a line by one of them that does not verify fails
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
        MapView map = checkMapProofs(bundle, checkpoint, report);
        OrganizationLedger organizations = checkOrganizationFacts(bundle, checkpoint, report);
        LinkedChains linked = bundle.linkedRecords() == null ? null
                : LinkedChains.read(bundle.linkedRecords(), (logged, where) -> checkInclusion(logged, checkpoint, where, report), report);
        checkRecords(bundle, keys, map, organizations, linked, checkpoint, report);
        checkHead(bundle, map, checkpoint, report);
        checkKeyStatuses(bundle, keys, map, report);
        report.counts(bundle.keyEvents().size(), bundle.records().size());
        return report;
    }

    /**
     * What the bundle's map proofs established: for each proven label its value, or empty when proven
     * absent; labels whose proof failed are remembered so that they are not also reported missing.
     * Null when there is no map to check against (the failure is reported already).
     */
    private record MapView(Map<String, Optional<MapValue>> proven, Set<String> invalid) {
        /** The proven status of a key, or null when the bundle has no valid proof for it. */
        Optional<MapValue> get(String label) {
            return proven.get(label);
        }
    }

    private MapView checkMapProofs(EvidenceBundle bundle, Checkpoint checkpoint, VerificationReport report) {
        if (bundle.mapProofs() == null) {
            report.fail(Failure.MAP_PROOF_MISSING, "bundle", EvidenceBundle.FORMAT_V1 + " bundles carry no map proofs, so they cannot show that they end at the"
                    + " latest record or that no key was revoked; fetch a " + EvidenceBundle.FORMAT + " bundle");
            return null;
        }
        if (checkpoint == null) {
            return null;
        }
        Optional<byte[]> root;
        try {
            root = MapCheckpoints.mapRoot(checkpoint);
        } catch (CheckpointException e) {
            report.fail(Failure.CHECKPOINT_INVALID, "checkpoint", e.getMessage());
            return null;
        }
        if (root.isEmpty()) {
            report.fail(Failure.MAP_PROOF_MISSING, "checkpoint", "the checkpoint commits to no map (no " + MapCheckpoints.PREFIX.trim() + " line)");
            return null;
        }
        Map<String, Optional<MapValue>> proven = new HashMap<>();
        Set<String> invalid = new HashSet<>();
        for (int i = 0; i < bundle.mapProofs().size(); i++) {
            MapProof proof = bundle.mapProofs().get(i);
            try {
                proven.put(proof.label(), proof.verify(root.get()));
            } catch (ProofException e) {
                invalid.add(proof.label());
                report.fail(Failure.MAP_PROOF_INVALID, "mapProofs[" + i + "]", proof.label() + ": " + e.getMessage());
            }
        }
        report.mapRoot(root.get());
        return new MapView(proven, invalid);
    }

    /** The bundle must hold records, and its last one must be the subject's head in the map. */
    private void checkHead(EvidenceBundle bundle, MapView map, Checkpoint checkpoint, VerificationReport report) {
        if (bundle.records().isEmpty()) {
            report.fail(Failure.EMPTY_BUNDLE, "records", "the bundle holds no record of " + bundle.subject());
            return;
        }
        String label = MapLabels.head(bundle.subject());
        if (map == null || map.invalid().contains(label)) {
            return;
        }
        Optional<MapValue> head = map.get(label);
        if (head == null) {
            report.fail(Failure.MAP_PROOF_MISSING, "mapProofs", "no map proof for " + label);
            return;
        }
        LoggedRecord last = bundle.records().get(bundle.records().size() - 1);
        if (head.isEmpty()) {
            report.fail(Failure.NOT_LATEST, "records", "the map at checkpoint size " + checkpoint.size() + " holds no record of " + bundle.subject());
            return;
        }
        MapValue.Head h = (MapValue.Head) head.get();
        if (h.seq() != last.entry().record().seq() || h.logIndex() != last.logIndex() || !h.hash().equals(last.entry().hash())) {
            report.fail(Failure.NOT_LATEST, "records[" + (bundle.records().size() - 1) + "]", "the bundle ends at #" + last.entry().record().seq()
                    + " (log index " + last.logIndex() + ") but the latest record of " + bundle.subject() + " at checkpoint size " + checkpoint.size()
                    + " is #" + h.seq() + " (log index " + h.logIndex() + ")");
            return;
        }
        report.latestProven(true);
    }

    /** Each signing key's status in the map must be what the bundle's key events show. */
    private void checkKeyStatuses(EvidenceBundle bundle, Map<String, KeyValidity> keys, MapView map, VerificationReport report) {
        if (map == null) {
            return;
        }
        Set<String> signing = new LinkedHashSet<>();
        bundle.records().forEach(r -> r.entry().signatures().forEach(s -> signing.add(s.keyId())));
        for (String keyId : signing) {
            String label = MapLabels.key(keyId);
            if (map.invalid().contains(label)) {
                continue;
            }
            Optional<MapValue> status = map.get(label);
            KeyValidity key = keys.get(keyId);
            if (status == null) {
                report.fail(Failure.MAP_PROOF_MISSING, "mapProofs", "no map proof for the status of signing key " + keyId);
            } else if (status.isEmpty()) {
                if (key != null) {
                    report.fail(Failure.KEY_STATUS_MISMATCH, "keyEvents", "the bundle registers key " + keyId + " but the map holds no status for it");
                }
            } else {
                MapValue.KeyStatus s = (MapValue.KeyStatus) status.get();
                String bundleSays = key == null ? "holds no key event for it" : key.revokedIndex() >= 0 ? "shows it revoked at log index " + key.revokedIndex()
                        : "shows it active since log index " + key.registeredIndex();
                boolean agrees = key != null && (s.revoked() ? key.revokedIndex() == s.logIndex() : key.revokedIndex() < 0 && key.registeredIndex() == s.logIndex());
                if (!agrees) {
                    report.fail(Failure.KEY_STATUS_MISMATCH, "keyEvents", "the map says key " + keyId + " is " + (s.revoked() ? "revoked" : "active")
                            + " since log index " + s.logIndex() + ", the bundle " + bundleSays);
                }
            }
        }
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
        Checkpoint witnessed = checkWitnessedCheckpoint(bundle, checkpoint, report);
        if (!witnesses.isEmpty()) {
            checkCosignatures(bundle, witnessed, report);
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

    /**
     * The bundle's witnessed checkpoint, once it is shown to be signed by the log and to extend the
     * bundle's checkpoint; null when there is none or it fails.
     */
    private Checkpoint checkWitnessedCheckpoint(EvidenceBundle bundle, Checkpoint checkpoint, VerificationReport report) {
        EvidenceBundle.WitnessedCheckpoint witnessed = bundle.witnessedCheckpoint();
        if (witnessed == null) {
            return null;
        }
        Checkpoint later;
        try {
            later = SignedNotes.verify(witnessed.note(), logKey);
        } catch (CheckpointException e) {
            report.fail(Failure.CHECKPOINT_INVALID, "witnessedCheckpoint", e.getMessage());
            return null;
        }
        try {
            if (later.size() < checkpoint.size()) {
                throw new ProofException("the witnessed checkpoint (size " + later.size() + ") is smaller than the bundle's (size " + checkpoint.size() + ")");
            }
            Proofs.verifyConsistency(checkpoint.size(), later.size(), checkpoint.rootHash(), later.rootHash(), witnessed.consistencyProof());
        } catch (ProofException e) {
            report.fail(Failure.CONSISTENCY_INVALID, "witnessedCheckpoint", e.getMessage());
            return null;
        }
        report.witnessedCheckpoint(later);
        return later;
    }

    /**
     * Cosignatures by pinned witnesses on the bundle's checkpoint or, for a witness that did not cosign
     * it, on the witnessed checkpoint that extends it (c2sp.org/tlog-cosignature: each is a witness's
     * statement that the tree it signs is consistent with everything it saw, so the smaller tree is too).
     */
    private void checkCosignatures(EvidenceBundle bundle, Checkpoint witnessed, VerificationReport report) {
        List<String> invalid = new ArrayList<>();
        List<Cosignatures.Cosigned> valid = new ArrayList<>(Cosignatures.verifyAll(Note.parse(bundle.checkpoint()), witnesses, invalid));
        invalid.forEach(problem -> report.fail(Failure.COSIGNATURE_INVALID, "checkpoint", problem));
        if (witnessed != null) {
            List<String> invalidLater = new ArrayList<>();
            List<CosignerKey> missing = witnesses.stream().filter(w -> valid.stream().noneMatch(c -> c.witness().equals(w))).toList();
            valid.addAll(Cosignatures.verifyAll(Note.parse(bundle.witnessedCheckpoint().note()), missing, invalidLater));
            invalidLater.forEach(problem -> report.fail(Failure.COSIGNATURE_INVALID, "witnessedCheckpoint", problem));
        }
        report.cosignatures(valid);
        if (valid.size() < quorum) {
            report.fail(Failure.WITNESS_QUORUM_NOT_MET, "checkpoint", valid.size() + " of the " + witnesses.size()
                    + " pinned witnesses cosigned the checkpoint" + (witnessed == null ? "" : " or the witnessed checkpoint that extends it") + "; "
                    + quorum + " required");
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
                Chains.checkNext(event.subject(), last == null ? 0 : last.record().seq(), last == null ? null : last.hash(), last == null ? null : last.record().instant(), event);
            } catch (ChainException e) {
                report.fail(Failure.KEY_EVENT_INVALID, where, "key-event chain broken: " + e.getMessage());
            }
            lastByOrg.put(event.subject(), signed);
            if (!signedByLogKey(signed)) {
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
                        keys.put(key.keyId(), new KeyValidity(key, event.subject(), event.instant(), null, logged.logIndex(), -1));
                    }
                }
                case KeyEvents.REVOKED -> {
                    if (known == null || !known.owner().equals(event.subject())) {
                        report.fail(Failure.KEY_EVENT_INVALID, where, "revocation of key " + key.keyId() + " that " + event.subject() + " never registered");
                    } else {
                        keys.put(key.keyId(), known.revoke(event.instant(), logged.logIndex()));
                    }
                }
                default -> report.fail(Failure.KEY_EVENT_INVALID, where, "unknown key event type " + event.type());
            }
        }
        return keys;
    }

    /** Key events and organization facts carry exactly one signature, a valid one by the pinned log key. */
    private boolean signedByLogKey(SignedRecord signed) {
        return signed.signatures().size() == 1 && signed.signatures().get(0).keyId().equals(logKey.key().keyId())
                && logKey.key().verify(signed.record().canonicalBytes(), signed.signatures().get(0).value());
    }

    /** The bundle's organization facts, or null when it carries none (reported). */
    private OrganizationLedger checkOrganizationFacts(EvidenceBundle bundle, Checkpoint checkpoint, VerificationReport report) {
        if (bundle.organizationFacts() == null) {
            report.fail(Failure.ORGANIZATION_FACTS_MISSING, "bundle", bundle.format() + " bundles carry no organization facts and no linked records, so"
                    + " roles, white-list qualifications, filed manufacturer codes and the chains of sources, parents, parts and lots cannot be checked; fetch a "
                    + EvidenceBundle.FORMAT + " bundle");
            return null;
        }
        String logKeyId = logKey.key().keyId();
        return OrganizationLedger.read(bundle.organizationFacts(), signed -> {
            if (!signedByLogKey(signed)) {
                throw new RecordFormatException("an organization fact must carry exactly one valid signature by the log key " + logKeyId);
            }
            if (!signed.record().actor().equals(logKey.name())) {
                throw new RecordFormatException("an organization fact's actor must be the log " + logKey.name());
            }
        }, (logged, where) -> checkInclusion(logged, checkpoint, where, report), report);
    }

    /**
     * The facts of {@code organization} as of the entry at {@code logIndex} (empty: the log had not registered
     * it), when the bundle shows its whole facts chain; else null, with what is missing reported once.
     */
    private static Optional<OrganizationFacts> factsAt(OrganizationLedger organizations, MapView map, String organization, long logIndex, VerificationReport report) {
        if (organizations == null || map == null
                || !organizations.complete(OrganizationEvents.factsSubject(organization), map.proven(), map.invalid(), report)) {
            return null;
        }
        return Optional.ofNullable(organizations.at(organization, logIndex));
    }

    private void checkRecords(EvidenceBundle bundle, Map<String, KeyValidity> keys, MapView map, OrganizationLedger organizations, LinkedChains linked,
            Checkpoint checkpoint, VerificationReport report) {
        long previousSeq = 0;
        String previousHash = null;
        Instant previousTime = null;
        CustodyStatus status = null;
        ChainFacts facts = new ChainFacts();
        boolean replayable = true;
        String ownParent = null;
        // A pinned witness's cosignature time bounds every record in the tree it signed: the earliest is the tightest.
        Cosignatures.Cosigned witnessedBy = report.cosignatures().stream().min(java.util.Comparator.comparingLong(Cosignatures.Cosigned::timestamp)).orElse(null);
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
                    Chains.checkNext(bundle.subject(), previousSeq, previousHash, previousTime, record);
                } catch (ChainException e) {
                    report.fail(e.kind() == ChainException.Kind.TIME_BEFORE_PREVIOUS ? Failure.TIME_BEFORE_PREVIOUS : Failure.CHAIN_BROKEN, where, e.getMessage());
                }
            }
            previousSeq = record.seq();
            previousHash = signed.hash();
            previousTime = record.instant();
            if (i == 0) {
                ownParent = text(record.dataField("parent"));
            }
            checkInclusion(logged, checkpoint, where, report);
            if (witnessedBy != null && datedAfter(record.instant(), witnessedBy.timestamp())) {
                report.fail(Failure.TIME_IN_FUTURE, where, "dated " + record.time() + ", but witness " + witnessedBy.witness().name()
                        + " cosigned a tree that holds it at " + witnessedBy.timestamp() + " s after the epoch (" + CLOCK_SKEW.toMinutes() + " min allowed)");
            }
            Optional<OrganizationFacts> actor = factsAt(organizations, map, record.actor(), logged.logIndex(), report);
            if (actor != null && actor.isEmpty()) {
                report.fail(Failure.ACTOR_NOT_REGISTERED, where, record.actor() + " was not a registered organization before log index " + logged.logIndex());
            }
            String receiver = null;
            Optional<EventType> type = EventType.fromName(record.type());
            if (type.isEmpty()) {
                report.fail(Failure.LIFECYCLE_VIOLATION, where, "unknown event type " + record.type());
                replayable = false;
            } else if (type.get() == EventType.TRANSFERRED) {
                receiver = text(record.dataField("to"));
                Optional<OrganizationFacts> to = receiver.isEmpty() ? null : factsAt(organizations, map, receiver, logged.logIndex(), report);
                if (to != null) {
                    OrganizationRules.receiver(record.subject(), receiver, to.orElse(null), status == null ? null : status.state(), ChinaTime.date(record.instant()))
                            .ifPresent(f -> report.fail(Failure.valueOf(f.violation().name()), where, f.message()));
                }
            } else if (i == 0 && !LotId.looksLikeLot(record.subject())) {
                try {
                    BatteryCode code = BatteryCode.parse(record.subject());
                    CodeKinds.mismatch(type.get(), code).ifPresent(why -> report.fail(Failure.CODE_KIND_MISMATCH, where, why));
                    checkManufacturerCode(code, type.get(), actor, organizations, map, logged.logIndex(), where, report);
                    String parent = type.get() == EventType.PRODUCED ? text(record.dataField("parent")) : "";
                    if (!parent.isEmpty()) {
                        CodeKinds.partMismatch(code, BatteryCode.parse(parent)).ifPresent(why -> report.fail(Failure.LEVEL_MISMATCH, where, why));
                    }
                } catch (IllegalArgumentException e) {
                    report.fail(Failure.EVENT_DATA_INVALID, where, "the subject is not a GB/T 34014 battery code: " + e.getMessage());
                }
            }
            checkSignatures(logged, receiver, keys, map, where, report);
            CustodyStatus statusBefore = status;
            if (replayable && type.isPresent()) {
                try {
                    status = Lifecycle.apply(status, type.get(), record.actor(), actor == null || actor.isEmpty() ? null : actor.get().roles(), receiver);
                } catch (LifecycleViolationException e) {
                    report.fail(e.kind() == LifecycleViolationException.Kind.ROLE_NOT_ALLOWED ? Failure.ROLE_NOT_ALLOWED : Failure.LIFECYCLE_VIOLATION, where, e.getMessage());
                    replayable = false;
                }
            }
            if (type.isPresent()) {
                try {
                    EventData.check(type.get(), record);
                    facts.apply(type.get(), record, statusBefore);
                    checkLinks(record, type.get(), ownParent, linked, map, logged.logIndex(), where, report);
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

    /** The rules that read another chain ({@link LinkRules}), once the bundle shows each linked chain whole. */
    private static void checkLinks(TraceRecord record, EventType type, String ownParent, LinkedChains linked, MapView map, long logIndex, String where,
            VerificationReport report) {
        if (linked == null || map == null || !LinkRules.reads(type)) {
            return;
        }
        boolean whole = true;
        for (String subject : LinkRules.linkedSubjects(record, type)) {
            whole &= linked.complete(subject, map.proven(), map.invalid(), report);
        }
        if (whole) {
            LinkRules.check(record, type, ownParent.isEmpty() ? null : ownParent, linked.before(logIndex))
                    .ifPresent(f -> report.fail(Failure.valueOf(f.violation().name()), where, f.message()));
        }
    }

    /** A chain opened with PRODUCED or ASSEMBLED: its manufacturer code against who filed it ({@link OrganizationRules#manufacturerCode}). */
    private static void checkManufacturerCode(BatteryCode code, EventType type, Optional<OrganizationFacts> actor, OrganizationLedger organizations, MapView map,
            long logIndex, String where, VerificationReport report) {
        if (actor == null || actor.isEmpty() || (type != EventType.PRODUCED && type != EventType.ASSEMBLED)) {
            return;
        }
        String manufacturer = OrganizationRules.manufacturerOf(code.value());
        if (organizations.complete(OrganizationEvents.codeSubject(manufacturer), map.proven(), map.invalid(), report)) {
            OrganizationRules.manufacturerCode(manufacturer, organizations.filerAt(manufacturer, logIndex), actor.get())
                    .ifPresent(f -> report.fail(Failure.valueOf(f.violation().name()), where, f.message()));
        }
    }

    /** Whether {@code time} is more than {@link #CLOCK_SKEW} after {@code cosignedAt} (POSIX seconds, possibly near the top of the range). */
    private static boolean datedAfter(Instant time, long cosignedAt) {
        long skew = CLOCK_SKEW.toSeconds();
        if (cosignedAt > Long.MAX_VALUE - skew) {
            return false;
        }
        long limit = cosignedAt + skew;
        return time.getEpochSecond() > limit || time.getEpochSecond() == limit && time.getNano() > 0;
    }

    /** The shared signature rules ({@link SignatureRules}), each violation reported as its failure kind. */
    private void checkSignatures(LoggedRecord logged, String receiver, Map<String, KeyValidity> keys, MapView map, String where, VerificationReport report) {
        for (SignatureRules.Finding f : SignatureRules.check(logged.entry(), receiver, logged.logIndex(), id -> {
            KeyValidity key = keys.get(id);
            return key == null ? null : new BundleKey(key, revocationIndex(key, map));
        })) {
            report.fail(Failure.valueOf(f.violation().name()), where, f.message());
        }
    }

    /** A key as the bundle's key events and the map show it. */
    private record BundleKey(KeyValidity key, long revokedIndex) implements SignatureRules.Key {
        @Override
        public SignatureAlgorithm algorithm() {
            return key.key().algorithm();
        }

        @Override
        public String owner() {
            return key.owner();
        }

        @Override
        public boolean revokedBefore(long logIndex) {
            return revokedIndex >= 0 && logIndex > revokedIndex;
        }

        @Override
        public boolean validAt(Instant time) {
            return key.validAt(time);
        }

        @Override
        public String validity() {
            return "valid from " + key.validFrom() + (key.revokedAt() == null ? "" : ", revoked " + key.revokedAt())
                    + (revokedIndex < 0 ? "" : " at log index " + revokedIndex);
        }

        @Override
        public boolean verify(byte[] message, byte[] signature) {
            return key.key().verify(message, signature);
        }
    }

    /** The log index of the key's revocation: from the bundle's key events, else from the map (a withheld revocation), else -1. */
    private static long revocationIndex(KeyValidity key, MapView map) {
        if (key.revokedIndex() >= 0) {
            return key.revokedIndex();
        }
        Optional<MapValue> status = map == null ? null : map.get(MapLabels.key(key.key().keyId()));
        if (status != null && status.isPresent() && status.get() instanceof MapValue.KeyStatus s && s.revoked()) {
            return s.logIndex();
        }
        return -1;
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

package org.batterytrace.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.batterytrace.identity.CreditCode;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.log.Checkpoint;
import org.batterytrace.log.MerkleTree;
import org.batterytrace.log.NoteKey;
import org.batterytrace.log.SignedNotes;
import org.batterytrace.log.TreeHash;
import org.batterytrace.log.map.LogMap;
import org.batterytrace.log.map.MapCheckpoints;
import org.batterytrace.log.map.MapLabels;
import org.batterytrace.log.map.MapProof;
import org.batterytrace.organization.OrganizationEvents;
import org.batterytrace.organization.OrganizationFacts;
import org.batterytrace.record.Json;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.SigningKey;
import org.batterytrace.record.TraceRecord;

/**
 * A small in-memory platform for tests and benchmarks: a log with its key, organizations registered with
 * log-signed facts (roles, qualification, manufacturer codes) and keys (key events), battery chains
 * appended to the same Merkle tree, and the log-derived map, which checkpoints commit to and bundles
 * prove against.
 */
public final class Scenario {
    public static final String LOG = "trace.example/log";
    public static final String MAKER = CreditCode.withCheckCharacter("91430100MA4L0001X").value();
    public static final String OEM = CreditCode.withCheckCharacter("91430100MA4L0002X").value();
    public static final String RECYCLER = CreditCode.withCheckCharacter("91430300MA4L0003X").value();

    public final NoteKey.Signer log;
    public final MerkleTree tree = MerkleTree.inMemory();
    public final List<SignedRecord> entries = new ArrayList<>();
    public final LogMap map = LogMap.inMemory();
    public final Map<String, SigningKey> keys = new HashMap<>();
    private final Map<String, SignedRecord> lastKeyEvent = new HashMap<>();
    private final Map<String, List<LoggedRef>> chains = new HashMap<>();
    private final List<LoggedRef> keyEventRefs = new ArrayList<>();
    /** Facts chains (ORG- and MFR- subjects) in log order, and the last entry of each. */
    private final List<LoggedRef> factRefs = new ArrayList<>();
    private final Map<String, SignedRecord> lastFact = new HashMap<>();

    private record LoggedRef(SignedRecord entry, long index) {
    }

    public Scenario() {
        this(SigningKey.generate(SignatureAlgorithm.ED25519));
    }

    /** A scenario whose log signs with {@code logKey} (deterministic test vectors). */
    public Scenario(SigningKey logKey) {
        this.log = new NoteKey.Signer(LOG, logKey);
    }

    /** Maker (Ed25519), OEM (SM2) and recycler (ECDSA P-256), keys valid from 2026-01-01. */
    public static Scenario standard() {
        Scenario s = new Scenario();
        Instant from = Instant.parse("2026-01-01T00:00:00Z");
        s.register(MAKER, SigningKey.generate(SignatureAlgorithm.ED25519), from);
        s.register(OEM, SigningKey.generate(SignatureAlgorithm.SM2), from);
        s.register(RECYCLER, SigningKey.generate(SignatureAlgorithm.ES256), from);
        return s;
    }

    /** The roles {@link #register} gives the three standard organizations when they were not registered before. */
    public static Set<Role> defaultRoles(String org) {
        if (org.equals(MAKER)) {
            return EnumSet.of(Role.BATTERY_MAKER);
        }
        if (org.equals(OEM)) {
            return EnumSet.of(Role.VEHICLE_MAKER, Role.DEALER);
        }
        return EnumSet.of(Role.RECYCLER, Role.CASCADE_ENTERPRISE, Role.DISMANTLER);
    }

    /** Logs an organization's registration (and its filings of {@code manufacturerCodes}), and a qualification when given. */
    public void organization(String org, Set<Role> roles, OrganizationFacts.Qualification qualification, Instant at, String... manufacturerCodes) {
        appendFact(OrganizationEvents.registration(org, at, LOG, "Org " + org.substring(org.length() - 4), roles, "430100", null, Set.of(manufacturerCodes)));
        for (String code : manufacturerCodes) {
            appendFact(OrganizationEvents.codeFiling(code, at, LOG, org));
        }
        if (qualification != null) {
            qualify(org, qualification, at);
        }
    }

    /** Logs a new white-list decision for a registered organization. */
    public void qualify(String org, OrganizationFacts.Qualification qualification, Instant at) {
        SignedRecord last = lastFact.get(OrganizationEvents.factsSubject(org));
        appendFact(OrganizationEvents.qualification(org, last.record().seq() + 1, last.hash(), at, LOG, qualification));
    }

    private void appendFact(TraceRecord event) {
        appendFact(SignedRecord.sign(event, log.key()));
    }

    /** Appends a facts entry as given (a forged one, for negative fixtures). */
    public void appendFact(SignedRecord signed) {
        factRefs.add(append(signed));
        lastFact.put(signed.record().subject(), signed);
    }

    /** The last entry of a facts chain ({@code ORG-} or {@code MFR-} subject). */
    public SignedRecord lastFact(String subject) {
        return lastFact.get(subject);
    }

    /** Registers a key; an organization registered for the first time also gets its facts ({@link #defaultRoles}, qualified). */
    public SigningKey register(String org, SigningKey key, Instant validFrom) {
        if (!lastFact.containsKey(OrganizationEvents.factsSubject(org))) {
            organization(org, defaultRoles(org), defaultRoles(org).contains(Role.RECYCLER) ? new OrganizationFacts.Qualification(true, null, "MIIT-2026-001") : null,
                    validFrom);
        }
        return registerKey(org, key, validFrom);
    }

    /** Registers a key without logging the organization's facts (an organization the log never registered). */
    public SigningKey registerKey(String org, SigningKey key, Instant validFrom) {
        SignedRecord last = lastKeyEvent.get(org);
        TraceRecord event = KeyEvents.registration(org, last == null ? 1 : last.record().seq() + 1, last == null ? null : last.hash(),
                validFrom, LOG, key.publicKey());
        keyEventRefs.add(append(KeyEvents.signed(event, log.key())));
        keys.put(org, key);
        return key;
    }

    public void revoke(String org, Instant at) {
        SignedRecord last = lastKeyEvent.get(org);
        TraceRecord event = KeyEvents.revocation(org, last.record().seq() + 1, last.hash(), at, LOG, keys.get(org).publicKey());
        keyEventRefs.add(append(KeyEvents.signed(event, log.key())));
    }

    private LoggedRef append(SignedRecord entry) {
        long index = tree.append(TreeHash.leaf(entry.canonicalBytes()));
        entries.add(entry);
        map.append(List.of(entry));
        if (KeyEvents.REGISTERED.equals(entry.record().type()) || KeyEvents.REVOKED.equals(entry.record().type())) {
            lastKeyEvent.put(entry.record().subject(), entry);
        }
        return new LoggedRef(entry, index);
    }

    /** Builds the next record of a battery's chain (not yet signed). */
    public TraceRecord next(String battery, String type, String time, String actor, ObjectNode data) {
        List<LoggedRef> chain = chains.getOrDefault(battery, List.of());
        SignedRecord last = chain.isEmpty() ? null : chain.get(chain.size() - 1).entry();
        return TraceRecord.of(battery, chain.size() + 1, last == null ? null : last.hash(), type, Instant.parse(time), actor,
                data == null ? Json.object() : data);
    }

    /** Signs by the actor (and receiver, for a transfer) and appends to the chain and the log. */
    public SignedRecord record(String battery, String type, String time, String actor, ObjectNode data) {
        TraceRecord record = next(battery, type, time, actor, data);
        SignedRecord signed = SignedRecord.sign(record, keys.get(actor));
        if (record.dataField("to") != null && keys.containsKey(record.dataField("to").asText())) {
            signed = signed.withSignature(keys.get(record.dataField("to").asText()).sign(record));
        }
        return add(battery, signed);
    }

    public SignedRecord add(String battery, SignedRecord signed) {
        chains.computeIfAbsent(battery, b -> new ArrayList<>()).add(append(signed));
        return signed;
    }

    public SignedRecord transfer(String battery, String time, String from, String to) {
        ObjectNode data = Json.object();
        data.put("to", to);
        return record(battery, "TRANSFERRED", time, from, data);
    }

    /** The data of a PRODUCED record: a 150 Ah pack (a fresh object each call). */
    public static ObjectNode produced() {
        ObjectNode data = Json.object();
        data.put("ratedCapacityAh", 150);
        return data;
    }

    /** Production at the maker, vehicle installation and sale by the OEM, retirement, transfer to the recycler. */
    public Scenario standardLife(String battery) {
        record(battery, "PRODUCED", "2026-02-01T08:00:00Z", MAKER, produced());
        return standardLifeAfterProduction(battery);
    }

    public Scenario standardLifeAfterProduction(String battery) {
        transfer(battery, "2026-02-10T08:00:00Z", MAKER, OEM);
        ObjectNode installed = Json.object();
        installed.put("vin", "LSVAU218XN2183294");
        record(battery, "INSTALLED", "2026-02-20T08:00:00Z", OEM, installed);
        record(battery, "SOLD", "2026-03-01T08:00:00Z", OEM, null);
        record(battery, "RETIRED", "2026-09-01T08:00:00Z", OEM, null);
        transfer(battery, "2026-09-05T08:00:00Z", OEM, RECYCLER);
        record(battery, "COLLECTED", "2026-09-06T08:00:00Z", RECYCLER, null);
        return this;
    }

    /** The signed checkpoint of the whole log, committing to the map. */
    public String checkpoint() {
        return SignedNotes.sign(MapCheckpoints.withMapRoot(new Checkpoint(LOG, tree.size(), tree.root()), map.root()), LOG, log.key());
    }

    /** The signed checkpoint of the first {@code size} entries, committing to the map recomputed over them. */
    public String checkpoint(long size) {
        byte[] mapRoot = LogMap.rootOf(entries.subList(0, (int) size));
        return SignedNotes.sign(MapCheckpoints.withMapRoot(new Checkpoint(LOG, size, tree.root(size)), mapRoot), LOG, log.key());
    }

    /** The evidence bundle for a battery against the current tree head, with an optional edit of its JSON. */
    public EvidenceBundle bundle(String battery) {
        long size = tree.size();
        List<LoggedRecord> events = keyEventRefs.stream().map(r -> logged(r, size)).toList();
        List<LoggedRecord> facts = factRefs.stream().map(r -> logged(r, size)).toList();
        List<LoggedRecord> records = chains.getOrDefault(battery, List.of()).stream().map(r -> logged(r, size)).toList();
        List<LoggedRecord> linked = EvidenceBundle.linkedSubjects(battery, entries(records)).stream().flatMap(s -> chains.getOrDefault(s, List.of()).stream())
                .sorted(java.util.Comparator.comparingLong(LoggedRef::index)).map(r -> logged(r, size)).toList();
        return new EvidenceBundle(battery, checkpoint(), events, facts, records, linked, mapProofs(battery, records));
    }


    /**
     * The map proofs a bundle carries: the subject's head, the status of every key that signed its records,
     * and the head of every facts chain the rules read (actors, receivers, the filing of a new code).
     */
    public List<MapProof> mapProofs(String subject, List<LoggedRecord> records) {
        List<MapProof> proofs = new ArrayList<>();
        proofs.add(map.prove(MapLabels.head(subject)));
        records.stream().flatMap(r -> r.entry().signatures().stream()).map(sig -> sig.keyId()).distinct()
                .forEach(keyId -> proofs.add(map.prove(MapLabels.key(keyId))));
        EvidenceBundle.factSubjects(entries(records)).forEach(f -> proofs.add(map.prove(MapLabels.head(f))));
        EvidenceBundle.linkedSubjects(subject, entries(records)).forEach(l -> proofs.add(map.prove(MapLabels.head(l))));
        return proofs;
    }

    private static List<SignedRecord> entries(List<LoggedRecord> records) {
        return records.stream().map(LoggedRecord::entry).toList();
    }

    public EvidenceBundle edited(String battery, UnaryOperator<ObjectNode> edit) {
        return EvidenceBundle.fromJson(edit.apply(bundle(battery).toJson()));
    }

    private LoggedRecord logged(LoggedRef ref, long size) {
        return new LoggedRecord(ref.entry(), ref.index(), tree.inclusionProof(ref.index(), size));
    }
}

package org.batterytrace.examples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.batterytrace.audit.EvidenceBundle;
import org.batterytrace.audit.KeyEvents;
import org.batterytrace.audit.LoggedRecord;
import org.batterytrace.audit.VerificationReport;
import org.batterytrace.audit.Verifier;
import org.batterytrace.identity.BatteryCode;
import org.batterytrace.identity.Chemistry;
import org.batterytrace.identity.CreditCode;
import org.batterytrace.identity.ProductLevel;
import org.batterytrace.lifecycle.CustodyStatus;
import org.batterytrace.lifecycle.EventType;
import org.batterytrace.lifecycle.Lifecycle;
import org.batterytrace.lifecycle.LifecycleViolationException;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.log.Checkpoint;
import org.batterytrace.log.MerkleTree;
import org.batterytrace.log.NoteKey;
import org.batterytrace.log.Proofs;
import org.batterytrace.log.SignedNotes;
import org.batterytrace.log.TreeHash;
import org.batterytrace.log.map.LogMap;
import org.batterytrace.log.map.MapCheckpoints;
import org.batterytrace.log.map.MapLabels;
import org.batterytrace.log.map.MapProof;
import org.batterytrace.organization.OrganizationEvents;
import org.batterytrace.organization.OrganizationFacts;
import org.batterytrace.organization.OrganizationRules;
import org.batterytrace.record.Json;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.SigningKey;
import org.batterytrace.record.TraceRecord;

/**
 * An integrator's tour of traceability-core without any server: battery codes, lifecycle rules,
 * signed records, a Merkle log with a signed checkpoint that commits to the log-derived map, and the
 * auditor's verifier.
 * Run: {@code ./mvnw -q -pl examples/embedding-core -am install -DskipTests && ./mvnw -q -pl examples/embedding-core exec:java}
 */
public final class EmbeddingCore {
    private EmbeddingCore() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    static boolean run(PrintStream out) {
        // 1. Identity: a GB/T 34014 pack code and two enterprises' unified social credit codes.
        BatteryCode pack = BatteryCode.of("H5N", ProductLevel.PACK, Chemistry.NCM, "A7", "HN24L01", LocalDate.of(2026, 3, 14), 521);
        out.printf("pack %s: %s %s, made %s%n", pack, pack.level(), pack.chemistry().description(), pack.productionDate());
        String maker = CreditCode.withCheckCharacter("91430100MA4L0001X").value();
        String recycler = CreditCode.withCheckCharacter("91430300MA4L0003X").value();

        // 2. Keys: the log's Ed25519 note key, an Ed25519 key for the maker and an SM2 key for the recycler.
        NoteKey.Signer log = new NoteKey.Signer("example.org/log", SigningKey.generate(SignatureAlgorithm.ED25519));
        SigningKey makerKey = SigningKey.generate(SignatureAlgorithm.ED25519);
        SigningKey recyclerKey = SigningKey.generate(SignatureAlgorithm.SM2);
        MerkleTree tree = MerkleTree.inMemory();
        Instant t0 = Instant.parse("2026-03-14T08:00:00Z");
        // The log's own entries about organizations: their facts (roles, white-list qualification), then their keys.
        List<SignedRecord> facts = new ArrayList<>();
        facts.add(log(OrganizationEvents.registration(maker, t0, log.name(), "Maker", Set.of(Role.BATTERY_MAKER, Role.VEHICLE_MAKER), "430100", null, Set.of()), log));
        SignedRecord recyclerRegistered = log(OrganizationEvents.registration(recycler, t0, log.name(), "Recycler", Set.of(Role.RECYCLER), "430300", null, Set.of()), log);
        facts.add(recyclerRegistered);
        facts.add(log(OrganizationEvents.qualification(recycler, 2, recyclerRegistered.hash(), t0, log.name(),
                new OrganizationFacts.Qualification(true, null, "MIIT-2026-001")), log));
        List<Long> factIndexes = new ArrayList<>();
        facts.forEach(f -> factIndexes.add(tree.append(TreeHash.leaf(f.canonicalBytes()))));
        List<LoggedRecord> keyEvents = new ArrayList<>();
        List<Long> keyIndexes = new ArrayList<>();
        for (var org : List.of(new Object[] {maker, makerKey}, new Object[] {recycler, recyclerKey})) {
            SignedRecord event = KeyEvents.signed(KeyEvents.registration((String) org[0], 1, null, t0, log.name(), ((SigningKey) org[1]).publicKey()), log.key());
            keyIndexes.add(tree.append(TreeHash.leaf(event.canonicalBytes())));
            keyEvents.add(new LoggedRecord(event, keyIndexes.get(keyIndexes.size() - 1), List.of()));
        }

        // 3. Records: production, a two-party transfer, collection — each checked against the lifecycle table first.
        List<SignedRecord> chain = new ArrayList<>();
        CustodyStatus status = null;
        Set<Role> makerRoles = Set.of(Role.BATTERY_MAKER, Role.VEHICLE_MAKER);
        status = append(chain, status, pack, "PRODUCED", t0.plusSeconds(3600), maker, makerRoles, null, out, makerKey);
        ObjectNode vehicle = Json.object();
        vehicle.put("vin", "LSVAU218XN2183294");
        status = append(chain, status, pack, "INSTALLED", t0.plusSeconds(7200), maker, makerRoles, vehicle, out, makerKey);
        status = append(chain, status, pack, "RETIRED", t0.plusSeconds(10800), maker, makerRoles, null, out, makerKey);
        ObjectNode to = Json.object();
        to.put("to", recycler);
        status = append(chain, status, pack, "TRANSFERRED", t0.plusSeconds(14400), maker, makerRoles, to, out, makerKey, recyclerKey);
        status = append(chain, status, pack, "COLLECTED", t0.plusSeconds(18000), recycler, Set.of(Role.RECYCLER), null, out, recyclerKey);
        try {
            Lifecycle.apply(status, EventType.SOLD, recycler, Set.of(Role.RECYCLER), null);
        } catch (LifecycleViolationException e) {
            out.println("rejected as expected: " + e.getMessage());
        }

        // 4. Log: append, derive the map (chain heads, key statuses), sign a checkpoint (C2SP note) naming both roots, prove inclusion.
        List<Long> indexes = new ArrayList<>();
        for (SignedRecord record : chain) {
            indexes.add(tree.append(TreeHash.leaf(record.canonicalBytes())));
        }
        List<SignedRecord> entries = new ArrayList<>(facts);
        keyEvents.forEach(e -> entries.add(e.entry()));
        entries.addAll(chain);
        LogMap map = LogMap.inMemory();
        byte[] mapRoot = map.append(entries);
        int transfer = 3;
        String note = SignedNotes.sign(MapCheckpoints.withMapRoot(new Checkpoint(log.name(), tree.size(), tree.root()), mapRoot), log.name(), log.key());
        out.print("checkpoint:\n" + note);
        List<byte[]> proof = tree.inclusionProof(indexes.get(transfer), tree.size());
        Proofs.verifyInclusion(TreeHash.leaf(chain.get(transfer).canonicalBytes()), indexes.get(transfer), tree.size(), proof, tree.root());
        out.printf("inclusion of the transfer (log index %d) proven with %d hashes%n", indexes.get(transfer), proof.size());

        // 5. Audit: a bundle as the server would hand it out, verified against the pinned log key only.
        List<LoggedRecord> events = new ArrayList<>();
        for (int i = 0; i < keyEvents.size(); i++) {
            events.add(new LoggedRecord(keyEvents.get(i).entry(), keyIndexes.get(i), tree.inclusionProof(keyIndexes.get(i), tree.size())));
        }
        List<LoggedRecord> factEntries = new ArrayList<>();
        for (int i = 0; i < facts.size(); i++) {
            factEntries.add(new LoggedRecord(facts.get(i), factIndexes.get(i), tree.inclusionProof(factIndexes.get(i), tree.size())));
        }
        List<LoggedRecord> records = new ArrayList<>();
        for (int i = 0; i < chain.size(); i++) {
            records.add(new LoggedRecord(chain.get(i), indexes.get(i), tree.inclusionProof(indexes.get(i), tree.size())));
        }
        // The map proves that the chain ends here, what each signing key's status is, that the bundle holds every
        // fact of the two organizations, and that nobody filed the pack's manufacturer code.
        List<MapProof> mapProofs = List.of(map.prove(MapLabels.head(pack.value())), map.prove(MapLabels.key(makerKey.keyId())),
                map.prove(MapLabels.key(recyclerKey.keyId())), map.prove(MapLabels.head(OrganizationEvents.factsSubject(maker))),
                map.prove(MapLabels.head(OrganizationEvents.factsSubject(recycler))),
                map.prove(MapLabels.head(OrganizationEvents.codeSubject(OrganizationRules.manufacturerOf(pack.value())))));
        VerificationReport report = Verifier.pinning(NoteKey.parse(log.noteKey().verifierKey()))
                .verify(new EvidenceBundle(pack.value(), note, events, factEntries, records, List.of(), mapProofs));
        out.println(report.ok() ? "offline verification: VERIFIED" : "offline verification FAILED: " + report.findings());
        return report.ok();
    }

    private static SignedRecord log(TraceRecord entry, NoteKey.Signer log) {
        return SignedRecord.sign(entry, log.key());
    }

    private static CustodyStatus append(List<SignedRecord> chain, CustodyStatus status, BatteryCode subject, String type, Instant time, String actor,
            Set<Role> roles, ObjectNode data, PrintStream out, SigningKey... signers) {
        EventType event = EventType.valueOf(type);
        String receiver = data != null && data.has("to") ? data.get("to").asText() : null;
        CustodyStatus next = Lifecycle.apply(status, event, actor, roles, receiver);
        SignedRecord previous = chain.isEmpty() ? null : chain.get(chain.size() - 1);
        TraceRecord record = TraceRecord.of(subject.value(), chain.size() + 1, previous == null ? null : previous.hash(), type, time, actor,
                data == null ? Json.object() : data);
        SignedRecord signed = SignedRecord.sign(record, signers);
        chain.add(signed);
        out.printf("#%d %-11s by %s -> %s at %s, %d signature(s), hash %s%n", record.seq(), type, actor, next.state(), next.custodian(),
                signed.signatures().size(), signed.hash().substring(0, 16));
        return next;
    }
}

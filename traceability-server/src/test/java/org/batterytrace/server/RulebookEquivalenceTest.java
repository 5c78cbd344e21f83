package org.batterytrace.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.batterytrace.audit.EvidenceBundle;
import org.batterytrace.audit.Failure;
import org.batterytrace.audit.KeyEvents;
import org.batterytrace.audit.LoggedRecord;
import org.batterytrace.audit.VerificationReport;
import org.batterytrace.audit.Verifier;
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
import org.batterytrace.record.RecordSignature;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.SigningKey;
import org.batterytrace.record.TraceRecord;
import org.batterytrace.server.Platform.Org;
import org.junit.jupiter.api.Test;

/**
 * One rulebook, tested: random lives of a battery, each broken at a random step by a random mutation, go
 * to the server record by record and, as a bundle from a log that accepted the broken record (a dishonest
 * server), to the offline verifier. Both must judge alike: the server accepts exactly the records before
 * the mutation, and refuses the mutated one with the problem kind that corresponds to the verifier's
 * first failure.
 */
@QuarkusTest
public class RulebookEquivalenceTest {
    private static final Instant START = Instant.parse("2026-02-01T08:00:00Z");
    private static final int LIVES = 40;

    enum Mutation {
        NONE(null, null),
        TIME_BACKWARDS("time-before-previous", Failure.TIME_BEFORE_PREVIOUS),
        DUPLICATE_SIGNATURE("duplicate-signer", Failure.DUPLICATE_SIGNER),
        FLIPPED_SIGNATURE("signature-invalid", Failure.SIGNATURE_INVALID),
        NO_RECEIVER_SIGNATURE("missing-signature", Failure.MISSING_SIGNATURE),
        WRONG_PREV("seq-conflict", Failure.CHAIN_BROKEN),
        THIRD_PARTY_SIGNS("signer-not-party", Failure.SIGNER_NOT_PARTY),
        UNREGISTERED_KEY_SIGNS("unknown-key", Failure.UNKNOWN_KEY),
        WRONG_ALGORITHM("algorithm-mismatch", Failure.ALGORITHM_MISMATCH),
        BEFORE_KEY_VALIDITY("key-not-valid", Failure.KEY_NOT_VALID_AT_TIME),
        // The rules that read organization facts from the log.
        ACTOR_WITHOUT_ROLE("role-not-allowed", Failure.ROLE_NOT_ALLOWED),
        RECEIVER_OFF_WHITE_LIST("receiver-not-qualified", Failure.RECEIVER_NOT_QUALIFIED),
        CODE_FILED_BY_ANOTHER("manufacturer-code-mismatch", Failure.MANUFACTURER_CODE_MISMATCH),
        // A rule that reads another chain: the bundle carries the lot's chain.
        LOT_NEVER_OPENED("lot-not-open", Failure.LOT_NOT_OPEN);

        final String problem;
        final Failure failure;

        Mutation(String problem, Failure failure) {
            this.problem = problem;
            this.failure = failure;
        }
    }

    /** One step of a life: who records what, and who receives (for a transfer). */
    record Step(String type, Org actor, Org receiver, ObjectNode data) {
    }

    /** An organization registered on the server, and the facts the dishonest log gives it: the same. */
    record Member(Org org, java.util.Set<Role> roles, boolean qualified, List<String> codes) {
    }

    private final Random random = new Random(20261126);

    private int random(int bound) {
        return random.nextInt(bound);
    }

    @Test
    void serverAndVerifierJudgeEveryLifeAlike() {
        Instant keysFrom = Instant.parse("2026-01-01T00:00:00Z");
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, keysFrom, Role.BATTERY_MAKER);
        Org oem = Platform.organization(SignatureAlgorithm.SM2, false, keysFrom, Role.VEHICLE_MAKER);
        Org recycler = Platform.organization(SignatureAlgorithm.ES256, true, keysFrom, Role.RECYCLER);
        Org unqualified = Platform.organization(SignatureAlgorithm.ED25519, false, keysFrom, Role.RECYCLER);
        String filedCode = "Z" + (char) ('A' + random(26)) + (char) ('A' + random(26));
        Org filer = Platform.organization("430100", List.of(filedCode), SignatureAlgorithm.ED25519, false, keysFrom, Role.BATTERY_MAKER);
        List<Member> members = List.of(new Member(maker, java.util.Set.of(Role.BATTERY_MAKER), false, List.of()),
                new Member(oem, java.util.Set.of(Role.VEHICLE_MAKER), false, List.of()), new Member(recycler, java.util.Set.of(Role.RECYCLER), true, List.of()),
                new Member(unqualified, java.util.Set.of(Role.RECYCLER), false, List.of()), new Member(filer, java.util.Set.of(Role.BATTERY_MAKER), false, List.of(filedCode)));
        int refusals = 0;
        java.util.EnumSet<Mutation> seen = java.util.EnumSet.noneOf(Mutation.class);
        for (int life = 0; life < LIVES; life++) {
            // The recycler's lot, opened on the server and in the dishonest log alike.
            String lot = Platform.newLotId(recycler);
            SignedRecord opened = recycler.prepareAndSign(lot, "LOT_OPENED", Platform.data("process", "HYDROMETALLURGY"));
            recycler.submit(opened).then().statusCode(201);
            List<Step> steps = List.of(
                    new Step("PRODUCED", maker, null, null),
                    new Step("TRANSFERRED", maker, oem, Platform.data("to", oem.id)),
                    new Step("INSTALLED", oem, null, Platform.data("vin", "LSVAU218XN2183294")),
                    new Step("RETIRED", oem, null, null),
                    new Step("TRANSFERRED", oem, recycler, Platform.data("to", recycler.id)),
                    new Step("COLLECTED", recycler, null, null),
                    new Step("RECYCLED", recycler, null, Platform.data("lot", lot).put("massGrams", 300_000)));
            // Every mutation in turn, at a random step where it applies.
            Mutation mutation = Mutation.values()[life % Mutation.values().length];
            List<Integer> where = new ArrayList<>();
            for (int k = 0; k < steps.size(); k++) {
                boolean applies = switch (mutation) {
                    case NO_RECEIVER_SIGNATURE -> steps.get(k).receiver() != null;
                    case TIME_BACKWARDS, WRONG_PREV -> k > 0;
                    case BEFORE_KEY_VALIDITY -> k == 0; // later records would also run backwards
                    case ACTOR_WITHOUT_ROLE, CODE_FILED_BY_ANOTHER -> k == 0;
                    case RECEIVER_OFF_WHITE_LIST -> k == 4; // the retired battery's transfer to a recycler
                    case LOT_NEVER_OPENED -> k == 6;
                    default -> true;
                };
                if (applies) {
                    where.add(k);
                }
            }
            int at = where.get(random.nextInt(where.size()));
            seen.add(mutation);
            String battery = Platform.newPackCode();
            if (mutation == Mutation.CODE_FILED_BY_ANOTHER) {
                battery = filedCode + battery.substring(3); // the maker registers a pack under the filer's code
            }
            List<Step> lived = steps;
            if (mutation == Mutation.ACTOR_WITHOUT_ROLE) {
                lived = new ArrayList<>(steps);
                lived.set(0, new Step("PRODUCED", oem, null, null)); // a vehicle maker producing a pack
                lived.set(1, new Step("TRANSFERRED", oem, maker, Platform.data("to", maker.id)));
            }
            if (mutation == Mutation.LOT_NEVER_OPENED) {
                lived = new ArrayList<>(steps);
                lived.set(6, new Step("RECYCLED", recycler, null, Platform.data("lot", Platform.newLotId(recycler)).put("massGrams", 300_000)));
            }
            if (mutation == Mutation.RECEIVER_OFF_WHITE_LIST) {
                lived = new ArrayList<>(steps);
                lived.set(4, new Step("TRANSFERRED", oem, unqualified, Platform.data("to", unqualified.id)));
            }
            refusals += live(battery, lived, at, mutation, members, opened) ? 0 : 1;
        }
        org.junit.jupiter.api.Assertions.assertTrue(refusals > LIVES / 2, "most lives carry a mutation: " + refusals);
        assertEquals(java.util.EnumSet.allOf(Mutation.class), seen, "the seeded lives try every mutation");
    }

    /** Runs one life on both sides; returns whether everything was accepted. */
    private boolean live(String battery, List<Step> steps, int at, Mutation mutation, List<Member> members, SignedRecord lotOpened) {
        DishonestLog log = new DishonestLog(members);
        log.append(lotOpened);
        List<Org> orgs = members.stream().map(Member::org).toList();
        String description = battery + ": " + mutation + " at step " + at + " (" + steps.get(at).type() + ")";
        String prev = null;
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            Mutation here = i == at ? mutation : Mutation.NONE;
            Instant time = START.plus(i, ChronoUnit.DAYS);
            if (here == Mutation.TIME_BACKWARDS) {
                time = START.plus(i - 1, ChronoUnit.DAYS).minus(1, ChronoUnit.HOURS);
            }
            if (here == Mutation.BEFORE_KEY_VALIDITY) {
                time = Instant.parse("2025-12-31T23:00:00Z");
            }
            TraceRecord record = TraceRecord.of(battery, i + 1, here == Mutation.WRONG_PREV ? "00".repeat(32) : prev, step.type(), time, step.actor().id,
                    step.data() == null ? Json.object() : step.data());
            List<RecordSignature> signatures = new ArrayList<>(List.of(step.actor().key.sign(record)));
            if (step.receiver() != null && here != Mutation.NO_RECEIVER_SIGNATURE) {
                signatures.add(step.receiver().key.sign(record));
            }
            if (here == Mutation.DUPLICATE_SIGNATURE) {
                signatures.add(signatures.get(0));
            }
            if (here == Mutation.THIRD_PARTY_SIGNS) {
                Org third = orgs.stream().filter(o -> o != step.actor() && o != step.receiver()).findFirst().orElseThrow();
                signatures.add(third.key.sign(record));
            }
            if (here == Mutation.UNREGISTERED_KEY_SIGNS) {
                signatures.add(SigningKey.generate(SignatureAlgorithm.ED25519).sign(record));
            }
            if (here == Mutation.WRONG_ALGORITHM) {
                RecordSignature first = signatures.get(0);
                signatures.set(0, new RecordSignature(first.keyId(), first.alg() == SignatureAlgorithm.ED25519 ? SignatureAlgorithm.ES256 : SignatureAlgorithm.ED25519, first.value()));
            }
            if (here == Mutation.FLIPPED_SIGNATURE) {
                byte[] value = signatures.get(0).value().clone();
                value[value.length / 2] ^= 1;
                signatures.set(0, new RecordSignature(signatures.get(0).keyId(), signatures.get(0).alg(), value));
            }
            SignedRecord signed = SignedRecord.of(record, signatures);
            log.append(signed);

            Response answer = step.actor().auth().body(signed.toJson().toString()).post("/api/v1/records");
            VerificationReport report = Verifier.pinning(log.noteKey()).verify(log.bundle(battery));
            if (here == Mutation.NONE) {
                assertEquals(201, answer.statusCode(), description + ": the server refused step " + i + ": " + answer.asString());
                assertEquals(List.of(), report.findings(), description + ": the verifier failed step " + i);
                prev = signed.hash();
                continue;
            }
            JsonNode problem = Json.parse(answer.asByteArray());
            assertEquals("urn:batterytrace:problem:" + mutation.problem, problem.path("type").asText(), description + ": the server's answer " + answer.asString());
            assertEquals(mutation.failure, report.findings().get(0).failure(), description + ": the verifier's findings " + report.findings());
            return false;
        }
        return true;
    }

    /** A log that appends whatever it is given: what a dishonest server could sign. */
    static final class DishonestLog {
        private final SigningKey key = SigningKey.generate(SignatureAlgorithm.ED25519);
        private final String origin = "dishonest.example/log";
        private final MerkleTree tree = MerkleTree.inMemory();
        private final LogMap map = LogMap.inMemory();
        private final List<LoggedRef> keyEvents = new ArrayList<>();
        private final List<LoggedRef> facts = new ArrayList<>();
        private final List<LoggedRef> records = new ArrayList<>();

        private record LoggedRef(SignedRecord entry, long index) {
        }

        DishonestLog(List<Member> members) {
            Instant from = Instant.parse("2026-01-01T00:00:00Z");
            for (Member m : members) {
                TraceRecord registered = OrganizationEvents.registration(m.org().id, from, origin, "Org " + m.org().id, m.roles(), "430100", null,
                        java.util.Set.copyOf(m.codes()));
                SignedRecord signed = SignedRecord.sign(registered, key);
                facts.add(add(signed));
                m.codes().forEach(code -> facts.add(add(SignedRecord.sign(OrganizationEvents.codeFiling(code, from, origin, m.org().id), key))));
                facts.add(add(SignedRecord.sign(OrganizationEvents.qualification(m.org().id, 2, signed.hash(), from, origin,
                        new OrganizationFacts.Qualification(m.qualified(), null, "MIIT-2026-001")), key)));
                TraceRecord event = KeyEvents.registration(m.org().id, 1, null, from, origin, m.org().key.publicKey());
                keyEvents.add(add(KeyEvents.signed(event, key)));
            }
        }

        NoteKey noteKey() {
            return new NoteKey.Signer(origin, key).noteKey();
        }

        void append(SignedRecord record) {
            records.add(add(record));
        }

        private LoggedRef add(SignedRecord entry) {
            long index = tree.append(TreeHash.leaf(entry.canonicalBytes()));
            map.append(List.of(entry));
            return new LoggedRef(entry, index);
        }

        EvidenceBundle bundle(String subject) {
            long size = tree.size();
            List<LoggedRecord> events = keyEvents.stream().map(r -> new LoggedRecord(r.entry(), r.index(), tree.inclusionProof(r.index(), size))).toList();
            List<LoggedRecord> factEntries = facts.stream().map(r -> new LoggedRecord(r.entry(), r.index(), tree.inclusionProof(r.index(), size))).toList();
            List<LoggedRecord> chain = records.stream().filter(r -> r.entry().record().subject().equals(subject))
                    .map(r -> new LoggedRecord(r.entry(), r.index(), tree.inclusionProof(r.index(), size))).toList();
            List<SignedRecord> signed = chain.stream().map(LoggedRecord::entry).toList();
            java.util.Set<String> linkedSubjects = EvidenceBundle.linkedSubjects(subject, signed);
            List<LoggedRecord> linked = records.stream().filter(r -> linkedSubjects.contains(r.entry().record().subject()))
                    .map(r -> new LoggedRecord(r.entry(), r.index(), tree.inclusionProof(r.index(), size))).toList();
            List<MapProof> proofs = new ArrayList<>();
            proofs.add(map.prove(MapLabels.head(subject)));
            chain.stream().flatMap(r -> r.entry().signatures().stream()).map(RecordSignature::keyId).distinct().forEach(id -> proofs.add(map.prove(MapLabels.key(id))));
            EvidenceBundle.factSubjects(signed).forEach(f -> proofs.add(map.prove(MapLabels.head(f))));
            linkedSubjects.forEach(l -> proofs.add(map.prove(MapLabels.head(l))));
            String checkpoint = SignedNotes.sign(MapCheckpoints.withMapRoot(new Checkpoint(origin, size, tree.root()), map.root()), origin, key);
            return new EvidenceBundle(subject, checkpoint, events, factEntries, chain, linked, proofs);
        }
    }
}

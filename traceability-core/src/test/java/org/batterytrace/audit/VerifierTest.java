package org.batterytrace.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.batterytrace.lifecycle.BatteryState;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.log.CosignerKey;
import org.batterytrace.log.Cosignatures;
import org.batterytrace.log.Note;
import org.batterytrace.log.NoteKey;
import org.batterytrace.organization.OrganizationEvents;
import org.batterytrace.organization.OrganizationFacts;
import org.batterytrace.record.Json;
import org.batterytrace.record.RecordFormatException;
import org.batterytrace.record.RecordSignature;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.SigningKey;
import org.batterytrace.record.TraceRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A valid bundle passes; one negative fixture per {@link Failure} proves each check bites. */
class VerifierTest {
    static final String PACK = "H5NPBA7HN24L01F3K0000521";
    private static final Set<Failure> PROVEN = EnumSet.noneOf(Failure.class);

    private static VerificationReport verify(Scenario s, EvidenceBundle bundle) {
        return Verifier.pinning(s.log.noteKey()).verify(bundle);
    }

    /** Asserts the bundle fails with exactly this failure kind (possibly several findings of it). */
    private static void failsWith(Failure expected, Scenario s, EvidenceBundle bundle) {
        failsWith(expected, Verifier.pinning(s.log.noteKey()), bundle);
    }

    private static void failsWith(Failure expected, Verifier verifier, EvidenceBundle bundle) {
        VerificationReport report = verifier.verify(bundle);
        assertFalse(report.ok(), "expected " + expected);
        assertTrue(report.has(expected), "expected " + expected + " but got " + report.findings());
        assertTrue(report.findings().stream().allMatch(f -> f.failure() == expected), "only " + expected + " expected: " + report.findings());
        PROVEN.add(expected);
    }

    private static UnaryOperator<ObjectNode> editRecord(int index, UnaryOperator<ObjectNode> edit) {
        return bundle -> {
            ArrayNode records = (ArrayNode) bundle.get("records");
            records.set(index, edit.apply((ObjectNode) records.get(index)));
            return bundle;
        };
    }

    @Test
    void acceptsACompleteLifeWithThreeSignatureAlgorithms() {
        Scenario s = Scenario.standard().standardLife(PACK);
        VerificationReport report = verify(s, s.bundle(PACK));
        assertTrue(report.ok(), report.findings().toString());
        assertEquals(7, report.recordsChecked());
        assertEquals(3, report.keyEventsChecked());
        assertEquals(BatteryState.COLLECTED, report.finalStatus().orElseThrow().state());
        assertEquals(Scenario.RECYCLER, report.finalStatus().orElseThrow().custodian());
        // The bundle survives a JSON round trip byte for byte.
        byte[] json = org.batterytrace.record.Jcs.canonicalize(s.bundle(PACK).toJson());
        assertTrue(verify(s, EvidenceBundle.parse(json)).ok());
    }

    @Test
    void malformedBundleIsRejectedBeforeVerification() {
        Scenario s = Scenario.standard().standardLife(PACK);
        ObjectNode json = s.bundle(PACK).toJson();
        json.put("format", "trace-evidence/4");
        assertThrows(RecordFormatException.class, () -> EvidenceBundle.fromJson(json));
        assertThrows(RecordFormatException.class, () -> EvidenceBundle.parse("{\"format\":\"trace-evidence/1\",\"format\":1}".getBytes()));
        for (String witnessed : List.of("\"note\"", "{\"note\":1,\"consistencyProof\":[]}", "{\"note\":\"n\",\"consistencyProof\":[\"zz\"]}",
                "{\"note\":\"n\",\"consistencyProof\":[],\"cosignatures\":[]}")) {
            ObjectNode v2 = s.bundle(PACK).toJson();
            v2.set("witnessedCheckpoint", Json.parse(witnessed.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            assertThrows(RecordFormatException.class, () -> EvidenceBundle.fromJson(v2), witnessed);
        }
        ObjectNode v1 = s.bundle(PACK).toJson();
        v1.put("format", "trace-evidence/1");
        v1.remove("mapProofs");
        v1.putObject("witnessedCheckpoint").put("note", "n").putArray("consistencyProof");
        assertThrows(RecordFormatException.class, () -> EvidenceBundle.fromJson(v1), "trace-evidence/1 has no witnessed checkpoint");
        PROVEN.add(Failure.MALFORMED_BUNDLE); // the CLI maps this exception to MALFORMED_BUNDLE; see AuditCliTest
    }

    /** Each cap fires before the part it bounds is parsed, and names its own failure kind. */
    @Test
    void bundlesOverTheVerifiersCapsAreRefusedBeforeDeepParsing() {
        Scenario s = Scenario.standard().standardLife(PACK);
        ObjectNode manySignatures = s.bundle(PACK).toJson();
        ArrayNode signatures = (ArrayNode) manySignatures.withArray("records").get(0).get("entry").get("signatures");
        while (signatures.size() <= SignedRecord.MAX_SIGNATURES) {
            signatures.add(signatures.get(0).deepCopy());
        }
        assertCapped(BundleLimit.SIGNATURES_PER_RECORD, manySignatures);

        ObjectNode longProof = s.bundle(PACK).toJson();
        ArrayNode proof = (ArrayNode) longProof.withArray("records").get(1).get("proof");
        while (proof.size() <= 64) {
            proof.add("00".repeat(32));
        }
        assertCapped(BundleLimit.INCLUSION_PROOF_HASHES, longProof);

        ObjectNode longConsistency = s.bundle(PACK).toJson();
        ArrayNode consistency = longConsistency.putObject("witnessedCheckpoint").put("note", "n").putArray("consistencyProof");
        for (int i = 0; i <= 128; i++) {
            consistency.add("00".repeat(32));
        }
        assertCapped(BundleLimit.CONSISTENCY_PROOF_HASHES, longConsistency);

        // 100,001 references to one record: refused on the array's length, without parsing one of them.
        ObjectNode manyRecords = s.bundle(PACK).toJson();
        ArrayNode records = manyRecords.withArray("records");
        while (records.size() + manyRecords.withArray("keyEvents").size() <= BundleLimit.ENTRIES.max()) {
            records.add(records.get(0));
        }
        assertCapped(BundleLimit.ENTRIES, manyRecords);

        byte[] huge = new byte[(int) BundleLimit.BUNDLE_BYTES.max() + 1];
        BundleLimit.Exceeded tooLarge = assertThrows(BundleLimit.Exceeded.class, () -> EvidenceBundle.parse(huge));
        assertEquals(Failure.BUNDLE_TOO_LARGE, tooLarge.limit().failure());
        PROVEN.add(Failure.BUNDLE_TOO_LARGE);
    }

    private static void assertCapped(BundleLimit limit, ObjectNode bundle) {
        BundleLimit.Exceeded exceeded = assertThrows(BundleLimit.Exceeded.class, () -> EvidenceBundle.fromJson(bundle), limit.name());
        assertEquals(limit, exceeded.limit());
        PROVEN.add(limit.failure()); // the CLI reports the cap's failure kind; see AuditCliTest
    }

    @Test
    void checkpointSignedByAnotherKeyFails() {
        Scenario s = Scenario.standard().standardLife(PACK);
        NoteKey impostor = new NoteKey(Scenario.LOG, SigningKey.generate(SignatureAlgorithm.ED25519).publicKey());
        VerificationReport report = Verifier.pinning(impostor).verify(s.bundle(PACK));
        assertTrue(report.has(Failure.CHECKPOINT_INVALID));
        assertFalse(report.ok());
        PROVEN.add(Failure.CHECKPOINT_INVALID);
    }

    @Test
    void consistencyWithAnOlderCheckpoint() {
        Scenario s = Scenario.standard();
        s.record(PACK, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, null);
        long oldSize = s.tree.size();
        String old = s.checkpoint();
        s.standardLifeAfterProduction(PACK);
        Verifier verifier = Verifier.pinning(s.log.noteKey());
        var proof = s.tree.consistencyProof(oldSize, s.tree.size());
        assertTrue(verifier.verify(s.bundle(PACK), new Verifier.PreviousCheckpoint(old, proof)).ok());

        // A forked history: same size, different root.
        Scenario fork = Scenario.standard();
        fork.record(PACK, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, null);
        String forked = fork.log.key() == s.log.key() ? old
                : org.batterytrace.log.SignedNotes.sign(new org.batterytrace.log.Checkpoint(Scenario.LOG, oldSize, fork.tree.root()), Scenario.LOG, s.log.key());
        VerificationReport report = verifier.verify(s.bundle(PACK), new Verifier.PreviousCheckpoint(forked, proof));
        assertTrue(report.has(Failure.CONSISTENCY_INVALID), report.findings().toString());
        assertEquals(1, report.findings().size());
        PROVEN.add(Failure.CONSISTENCY_INVALID);
    }

    static final NoteKey.Signer WITNESS_1 = new NoteKey.Signer("witness.example/w1", SigningKey.generate(SignatureAlgorithm.ED25519));
    static final NoteKey.Signer WITNESS_2 = new NoteKey.Signer("witness.example/w2", SigningKey.generate(SignatureAlgorithm.ED25519));
    static final List<CosignerKey> PINNED = List.of(CosignerKey.of(WITNESS_1), CosignerKey.of(WITNESS_2));

    /** The bundle with its checkpoint note carrying these extra signature lines. */
    static EvidenceBundle withLines(EvidenceBundle bundle, List<Note.Signature> lines) {
        return bundle.withCheckpoint(Note.parse(bundle.checkpoint()).with(lines).format(), bundle.witnessedCheckpoint());
    }

    static Note.Signature cosign(EvidenceBundle bundle, NoteKey.Signer witness) {
        return Cosignatures.sign(Note.parse(bundle.checkpoint()).text(), witness, 1_800_000_000L);
    }

    /** A witness's cosignature time is a clock the log does not control: a record dated after it (a 2099 record) is caught. */
    @Test
    void aRecordDatedAfterAWitnessCosignedItFails() {
        Scenario s = Scenario.standard().standardLife(PACK);
        s.record(PACK, "TESTED", "2099-01-01T00:00:00Z", Scenario.RECYCLER, test(118_000, 150_000, "RECYCLE"));
        EvidenceBundle cosigned = withLines(s.bundle(PACK), List.of(cosign(s.bundle(PACK), WITNESS_1)));
        Verifier pinned = Verifier.pinning(s.log.noteKey()).requiringCosignatures(PINNED, 1);
        failsWith(Failure.TIME_IN_FUTURE, pinned, cosigned);
        // Without a pinned witness there is no clock to judge it by.
        assertTrue(verify(s, cosigned).ok());
        // Within the allowed skew of the cosignature it passes.
        Scenario near = Scenario.standard().standardLife(PACK);
        near.record(PACK, "TESTED", Instant.ofEpochSecond(1_800_000_000L).plus(Verifier.CLOCK_SKEW).toString(), Scenario.RECYCLER, test(118_000, 150_000, "RECYCLE"));
        VerificationReport inSkew = Verifier.pinning(near.log.noteKey()).requiringCosignatures(PINNED, 1).verify(withLines(near.bundle(PACK), List.of(cosign(near.bundle(PACK), WITNESS_1))));
        assertTrue(inSkew.ok(), inSkew.findings().toString());
    }

    @Test
    void aQuorumOfPinnedWitnessesMustHaveCosigned() {
        Scenario s = Scenario.standard().standardLife(PACK);
        EvidenceBundle plain = s.bundle(PACK);
        EvidenceBundle byOne = withLines(plain, List.of(cosign(plain, WITNESS_1)));
        EvidenceBundle byBoth = withLines(byOne, List.of(cosign(plain, WITNESS_2)));
        Verifier one = Verifier.pinning(s.log.noteKey()).requiringCosignatures(PINNED, 1);
        Verifier two = Verifier.pinning(s.log.noteKey()).requiringCosignatures(PINNED, 2);
        assertTrue(verify(s, byBoth).ok(), "cosignatures do not disturb a verifier that pins no witness");
        assertTrue(one.verify(byOne).ok());
        VerificationReport both = two.verify(byBoth);
        assertTrue(both.ok(), both.findings().toString());
        assertEquals(List.of(WITNESS_1.name(), WITNESS_2.name()), both.cosignatures().stream().map(c -> c.witness().name()).toList());
        assertEquals(Instant.parse("2027-01-15T08:00:00Z"), both.cosignatures().get(0).time());

        PROVEN.add(Failure.WITNESS_QUORUM_NOT_MET);
        for (EvidenceBundle short_ : List.of(plain, byOne, withLines(byOne, List.of(cosign(plain, WITNESS_1))),
                withLines(plain, List.of(cosign(plain, new NoteKey.Signer("witness.example/w3", SigningKey.generate(SignatureAlgorithm.ED25519))))))) {
            VerificationReport report = two.verify(short_);
            assertTrue(report.findings().stream().allMatch(f -> f.failure() == Failure.WITNESS_QUORUM_NOT_MET), report.findings().toString());
            assertFalse(report.ok());
        }
        assertThrows(IllegalArgumentException.class, () -> Verifier.pinning(s.log.noteKey()).requiringCosignatures(PINNED, 3));
        assertThrows(IllegalArgumentException.class, () -> Verifier.pinning(s.log.noteKey()).requiringCosignatures(List.of(PINNED.get(0), PINNED.get(0)), 2));
    }

    @Test
    void aForgedCosignatureFails() {
        Scenario s = Scenario.standard().standardLife(PACK);
        EvidenceBundle plain = s.bundle(PACK);
        // Signed by someone else's key, under witness 1's name and key ID.
        NoteKey.Signer forger = new NoteKey.Signer(WITNESS_1.name(), SigningKey.generate(SignatureAlgorithm.ED25519));
        Note.Signature forged = cosign(plain, forger);
        Note.Signature claimed = new Note.Signature(WITNESS_1.name(), CosignerKey.of(WITNESS_1).keyId(), forged.signature());
        Verifier verifier = Verifier.pinning(s.log.noteKey()).requiringCosignatures(PINNED, 1);
        VerificationReport report = verifier.verify(withLines(plain, List.of(claimed, cosign(plain, WITNESS_2))));
        assertEquals(1, report.cosignatures().size());
        failsWith(Failure.COSIGNATURE_INVALID, verifier, withLines(plain, List.of(claimed, cosign(plain, WITNESS_2))));
    }

    @Test
    void aLaterCosignedCheckpointThatExtendsTheBundlesCountsForItsWitnesses() {
        Scenario s = Scenario.standard().standardLife(PACK);
        EvidenceBundle atHead = s.bundle(PACK);
        long size = s.tree.size();
        s.record("X12MCPM27KLPCLX2M2382320", "PRODUCED", "2026-06-01T08:00:00Z", Scenario.MAKER, null);
        Note later = Note.parse(s.checkpoint());
        String cosignedLater = later.with(List.of(Cosignatures.sign(later.text(), WITNESS_1, 1_800_000_000L))).format();
        List<byte[]> proof = s.tree.consistencyProof(size, s.tree.size());
        EvidenceBundle bundle = atHead.withCheckpoint(atHead.checkpoint(), new EvidenceBundle.WitnessedCheckpoint(cosignedLater, proof));
        EvidenceBundle reread = EvidenceBundle.parse(org.batterytrace.record.Jcs.canonicalize(bundle.toJson()));
        Verifier one = Verifier.pinning(s.log.noteKey()).requiringCosignatures(PINNED, 1);
        VerificationReport report = one.verify(reread);
        assertTrue(report.ok(), report.findings().toString());
        assertTrue(report.latestProven(), "the map proofs still hold at the bundle's own checkpoint");
        assertEquals(s.tree.size(), report.witnessedCheckpoint().orElseThrow().size());
        assertEquals(List.of(WITNESS_1.name()), report.cosignatures().stream().map(c -> c.witness().name()).toList());
        assertTrue(verify(s, reread).ok(), "a verifier that pins no witness checks the witnessed checkpoint too, and accepts it");

        // A cosignature on the bundle's own checkpoint and one on the later checkpoint make a quorum of two.
        EvidenceBundle both = withLines(bundle, List.of(cosign(atHead, WITNESS_2)));
        assertTrue(Verifier.pinning(s.log.noteKey()).requiringCosignatures(PINNED, 2).verify(both).ok());

        // The witnessed checkpoint of a fork: consistent with nothing the bundle holds.
        Scenario fork = Scenario.standard().standardLife(PACK);
        fork.record("X12MCPM27KLPCLX2M2382320", "PRODUCED", "2026-06-01T08:00:00Z", Scenario.MAKER, null);
        String forkNote = org.batterytrace.log.SignedNotes.sign(new org.batterytrace.log.Checkpoint(Scenario.LOG, fork.tree.size(), fork.tree.root()),
                Scenario.LOG, s.log.key());
        Note forkParsed = Note.parse(forkNote);
        String cosignedFork = forkParsed.with(List.of(Cosignatures.sign(forkParsed.text(), WITNESS_1, 1_800_000_000L))).format();
        EvidenceBundle forked = atHead.withCheckpoint(atHead.checkpoint(), new EvidenceBundle.WitnessedCheckpoint(cosignedFork, proof));
        VerificationReport refused = one.verify(forked);
        assertTrue(refused.has(Failure.CONSISTENCY_INVALID), refused.findings().toString());
        assertTrue(refused.findings().stream().allMatch(f -> f.failure() == Failure.CONSISTENCY_INVALID || f.failure() == Failure.WITNESS_QUORUM_NOT_MET),
                refused.findings().toString());
        failsWith(Failure.CONSISTENCY_INVALID, s, forked);
        // A witnessed checkpoint smaller than the bundle's proves nothing about it.
        failsWith(Failure.CONSISTENCY_INVALID, s, atHead.withCheckpoint(atHead.checkpoint(), new EvidenceBundle.WitnessedCheckpoint(s.checkpoint(size - 1), List.of())));
        // Not signed by the log.
        failsWith(Failure.CHECKPOINT_INVALID, s, atHead.withCheckpoint(atHead.checkpoint(),
                new EvidenceBundle.WitnessedCheckpoint(cosignedLater.replace("\n\n", "\nextra\n\n"), proof)));
    }

    @Test
    void aNewerTrustedCheckpointMustExtendTheBundles() {
        Scenario s = Scenario.standard();
        s.record(PACK, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, null);
        EvidenceBundle early = s.bundle(PACK);
        long earlySize = s.tree.size();
        s.standardLifeAfterProduction(PACK);
        Verifier verifier = Verifier.pinning(s.log.noteKey());
        var proof = s.tree.consistencyProof(earlySize, s.tree.size());
        assertTrue(verifier.verify(early, new Verifier.PreviousCheckpoint(s.checkpoint(), proof)).ok());
        // A bundle from a fork of the log: same size as the early one, other entries.
        Scenario fork = Scenario.standard();
        fork.record(PACK, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, null);
        String forkNote = org.batterytrace.log.SignedNotes.sign(new org.batterytrace.log.Checkpoint(Scenario.LOG, earlySize, fork.tree.root()), Scenario.LOG, s.log.key());
        EvidenceBundle forked = new EvidenceBundle(PACK, forkNote, early.keyEvents(), early.records());
        VerificationReport report = verifier.verify(forked, new Verifier.PreviousCheckpoint(s.checkpoint(), proof));
        assertTrue(report.has(Failure.CONSISTENCY_INVALID), report.findings().toString());
    }

    @Test
    void recordAboutAnotherBatteryFails() {
        Scenario s = Scenario.standard().standardLife(PACK);
        String other = "X12MCPM27KLPCLX2M2382320";
        EvidenceBundle good = s.bundle(PACK);
        // The records of one battery offered as another's, with a valid map proof for the other code.
        EvidenceBundle relabelled = new EvidenceBundle(other, good.checkpoint(), good.keyEvents(), good.organizationFacts(), good.records(), good.linkedRecords(),
                s.mapProofs(other, good.records()));
        VerificationReport report = verify(s, relabelled);
        assertTrue(report.has(Failure.SUBJECT_MISMATCH), report.findings().toString());
        assertTrue(report.findings().stream().allMatch(f -> f.failure() == Failure.SUBJECT_MISMATCH || f.failure() == Failure.NOT_LATEST), report.findings().toString());
        PROVEN.add(Failure.SUBJECT_MISMATCH);
    }

    @Test
    void forgedKeyEventFails() {
        Scenario s = Scenario.standard().standardLife(PACK);
        // An attacker registers their own key for the maker, signing the event with their own key.
        SigningKey attacker = SigningKey.generate(SignatureAlgorithm.ED25519);
        TraceRecord event = KeyEvents.registration(Scenario.MAKER, 2, s.entries.get(0).hash(), Instant.parse("2026-01-01T00:00:00Z"),
                Scenario.LOG, attacker.publicKey());
        EvidenceBundle good = s.bundle(PACK);
        LoggedRecord forged = new LoggedRecord(SignedRecord.sign(event, attacker), 0, good.keyEvents().get(0).proof());
        var events = new java.util.ArrayList<>(good.keyEvents());
        events.add(forged);
        VerificationReport report = verify(s, new EvidenceBundle(PACK, good.checkpoint(), events, good.organizationFacts(), good.records(), good.linkedRecords(), good.mapProofs()));
        assertTrue(report.has(Failure.KEY_EVENT_INVALID), report.findings().toString());
        PROVEN.add(Failure.KEY_EVENT_INVALID);
    }

    @Test
    void signatureByAnUnregisteredKeyFails() {
        Scenario s = Scenario.standard();
        SigningKey unregistered = SigningKey.generate(SignatureAlgorithm.ED25519);
        s.add(PACK, SignedRecord.sign(s.next(PACK, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, Json.object()), unregistered));
        VerificationReport report = verify(s, s.bundle(PACK));
        assertTrue(report.has(Failure.UNKNOWN_KEY));
        assertTrue(report.has(Failure.MISSING_SIGNATURE));
        PROVEN.add(Failure.UNKNOWN_KEY);
    }

    @Test
    void signatureAfterRevocationOrBeforeRegistrationFails() {
        Scenario s = Scenario.standard();
        s.revoke(Scenario.MAKER, Instant.parse("2026-01-15T00:00:00Z"));
        s.record(PACK, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, null);
        VerificationReport report = verify(s, s.bundle(PACK));
        // Logged after the revocation: the server's rule (SignatureRules) names that first, whatever the time.
        assertTrue(report.has(Failure.SIGNED_AFTER_REVOCATION), report.findings().toString());

        Scenario early = Scenario.standard();
        early.record(PACK, "PRODUCED", "2025-12-31T23:59:59Z", Scenario.MAKER, null);
        assertTrue(verify(early, early.bundle(PACK)).has(Failure.KEY_NOT_VALID_AT_TIME));
        PROVEN.add(Failure.KEY_NOT_VALID_AT_TIME);
    }

    @Test
    void signatureClaimingTheWrongAlgorithmFails() {
        Scenario s = Scenario.standard().standardLife(PACK);
        failsWithRecordSignatureEdit(s, Failure.ALGORITHM_MISMATCH, sig -> sig.put("alg", "SM2"));
    }

    @Test
    void flippedSignatureByteFails() {
        Scenario s = Scenario.standard().standardLife(PACK);
        failsWithRecordSignatureEdit(s, Failure.SIGNATURE_INVALID, sig -> {
            byte[] value = org.batterytrace.record.Hashes.fromBase64Url(sig.get("value").asText());
            value[5] ^= 1;
            return sig.put("value", org.batterytrace.record.Hashes.base64Url(value));
        });
    }

    private static void failsWithRecordSignatureEdit(Scenario s, Failure expected, UnaryOperator<ObjectNode> edit) {
        EvidenceBundle bundle = s.edited(PACK, editRecord(0, rec -> {
            ObjectNode sig = (ObjectNode) rec.get("entry").get("signatures").get(0);
            edit.apply(sig);
            return rec;
        }));
        // The signature is part of the logged leaf, so the edit also breaks inclusion; the
        // signature-level finding must be there and name the record.
        VerificationReport report = verify(s, bundle);
        assertTrue(report.has(expected), report.findings().toString());
        assertTrue(report.findings().stream().anyMatch(f -> f.failure() == expected && f.where().equals("records[0]")));
        PROVEN.add(expected);
    }

    @Test
    void signatureByAThirdPartyFails() {
        Scenario s = Scenario.standard();
        TraceRecord produced = s.next(PACK, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, Json.object());
        RecordSignature byMaker = s.keys.get(Scenario.MAKER).sign(produced);
        RecordSignature byRecycler = s.keys.get(Scenario.RECYCLER).sign(produced);
        s.add(PACK, SignedRecord.of(produced, java.util.List.of(byMaker, byRecycler)));
        failsWith(Failure.SIGNER_NOT_PARTY, s, s.bundle(PACK));
    }

    @Test
    void transferWithoutTheReceiversSignatureFails() {
        Scenario s = Scenario.standard();
        s.record(PACK, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, null);
        ObjectNode data = Json.object();
        data.put("to", Scenario.OEM);
        TraceRecord transfer = s.next(PACK, "TRANSFERRED", "2026-02-10T08:00:00Z", Scenario.MAKER, data);
        s.add(PACK, SignedRecord.sign(transfer, s.keys.get(Scenario.MAKER)));
        failsWith(Failure.MISSING_SIGNATURE, s, s.bundle(PACK));
    }

    /** Rules the server applied at ingest and the verifier now applies too (one rulebook): each a log-signed, otherwise valid bundle. */
    @Test
    void timeRunningBackwardsFails() {
        Scenario s = Scenario.standard();
        s.record(PACK, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, Scenario.produced());
        s.transfer(PACK, "2026-01-20T08:00:00Z", Scenario.MAKER, Scenario.OEM);
        failsWith(Failure.TIME_BEFORE_PREVIOUS, s, s.bundle(PACK));
    }

    @Test
    void producedOnACascadeProductCodeFails() {
        Scenario s = Scenario.standard();
        String cascade = org.batterytrace.identity.BatteryCode.cascade("H5N", org.batterytrace.identity.ProductLevel.MODULE,
                org.batterytrace.identity.Chemistry.LFP, "02", LocalDate.of(2026, 1, 8), 7, org.batterytrace.identity.ProductLevel.PACK).value();
        s.record(cascade, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, Scenario.produced());
        failsWith(Failure.CODE_KIND_MISMATCH, s, s.bundle(cascade));
    }

    @Test
    void aPackProducedAsPartOfAPackFails() {
        Scenario s = Scenario.standard();
        s.record(PACK, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, Scenario.produced());
        String other = "H5NPBA7HN24L01F3K0000530";
        ObjectNode part = Scenario.produced();
        part.put("parent", PACK);
        s.record(other, "PRODUCED", "2026-02-01T09:00:00Z", Scenario.MAKER, part);
        failsWith(Failure.LEVEL_MISMATCH, s, s.bundle(other));
    }

    @Test
    void aKeyEventDatedBeforeItsOrganizationsPreviousOneFails() {
        Scenario s = Scenario.standard();
        s.register(Scenario.MAKER, SigningKey.generate(SignatureAlgorithm.ED25519), Instant.parse("2025-06-01T00:00:00Z"));
        s.record(PACK, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, Scenario.produced());
        failsWith(Failure.KEY_EVENT_INVALID, s, s.bundle(PACK));
    }

    @Test
    void theSameOrganizationSigningTwiceFails() {
        Scenario s = Scenario.standard();
        TraceRecord record = s.next(PACK, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, Scenario.produced());
        RecordSignature once = s.keys.get(Scenario.MAKER).sign(record);
        s.add(PACK, SignedRecord.of(record, List.of(once, once)));
        failsWith(Failure.DUPLICATE_SIGNER, s, s.bundle(PACK));
    }

    @Test
    void gapInTheChainFails() {
        Scenario s = Scenario.standard().standardLife(PACK);
        EvidenceBundle good = s.bundle(PACK);
        var records = new java.util.ArrayList<>(good.records());
        records.remove(3);
        failsWith(Failure.CHAIN_BROKEN, s, new EvidenceBundle(PACK, good.checkpoint(), good.keyEvents(), good.organizationFacts(), records, good.linkedRecords(), good.mapProofs()));
    }

    @Test
    void recordByANonCustodianFails() {
        Scenario s = Scenario.standard();
        s.record(PACK, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, null);
        // The OEM installs a battery it never received.
        s.record(PACK, "INSTALLED", "2026-02-20T08:00:00Z", Scenario.OEM, Json.object().put("vin", "LSVAU218XN2183294"));
        failsWith(Failure.LIFECYCLE_VIOLATION, s, s.bundle(PACK));
    }

    @Test
    void illegalTransitionFails() {
        Scenario s = Scenario.standard();
        s.record(PACK, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, null);
        s.record(PACK, "RECYCLED", "2026-02-02T08:00:00Z", Scenario.MAKER, null);
        VerificationReport report = verify(s, s.bundle(PACK));
        assertTrue(report.has(Failure.LIFECYCLE_VIOLATION));
    }

    @Test
    void wrongInclusionProofFails() {
        Scenario s = Scenario.standard().standardLife(PACK);
        failsWith(Failure.INCLUSION_PROOF_INVALID, s, s.edited(PACK, editRecord(2, rec -> rec.put("logIndex", rec.get("logIndex").asLong() + 1))));
        failsWith(Failure.INCLUSION_PROOF_INVALID, s, s.edited(PACK, editRecord(2, rec -> {
            ((ArrayNode) rec.get("proof")).remove(0);
            return rec;
        })));
    }

    @Test
    void tamperedRecordDataBreaksItsSignatureAndItsInclusion() {
        Scenario s = Scenario.standard().standardLife(PACK);
        VerificationReport report = verify(s, s.edited(PACK, editRecord(0, rec -> {
            ((ObjectNode) rec.get("entry").get("record").get("data")).put("ratedCapacityAh", 160);
            return rec;
        })));
        assertTrue(report.has(Failure.SIGNATURE_INVALID));
        assertTrue(report.has(Failure.INCLUSION_PROOF_INVALID));
        assertTrue(report.has(Failure.CHAIN_BROKEN), "the next record's prev no longer matches");
    }

    static final String CASCADE_PRODUCT = "H5NMB02G580000007RP";
    static final String LOT = "LOT-" + Scenario.RECYCLER + "-2026A7";

    static ObjectNode test(long measuredMah, long ratedMah, String decision) {
        return Json.object().put("measuredCapacityMah", measuredMah).put("ratedCapacityMah", ratedMah).put("measuredEnergyWh", measuredMah * 3200 / 1_000_000)
                .put("capacityRatioBp", measuredMah * 10_000 / ratedMah).put("internalResistanceMicroOhm", 820).put("decision", decision);
    }

    static ObjectNode certificate(String from, String until) {
        return Json.object().put("certificateNumber", "CQC-2026-ES-00421").put("certificationBody", "CQC").put("validFrom", from).put("validUntil", until);
    }

    @Test
    void acceptsCascadeUseAndARecyclingLot() {
        Scenario s = Scenario.standard().standardLife(PACK);
        s.record(PACK, "TESTED", "2026-09-10T08:00:00Z", Scenario.RECYCLER, test(118_000, 150_000, "CASCADE"));
        s.record(PACK, "REPURPOSED", "2026-09-11T08:00:00Z", Scenario.RECYCLER, null);
        s.record(CASCADE_PRODUCT, "ASSEMBLED", "2026-09-12T08:00:00Z", Scenario.RECYCLER, Json.object().set("sources", Json.array().add(PACK)));
        s.record(CASCADE_PRODUCT, "CERTIFIED", "2026-09-20T08:00:00Z", Scenario.RECYCLER, certificate("2026-09-20", "2029-09-19"));
        s.record(CASCADE_PRODUCT, "DEPLOYED", "2026-10-01T08:00:00Z", Scenario.RECYCLER,
                Json.object().put("application", "ENERGY_STORAGE").put("site", "Changsha Yuelu substation 3"));
        s.record(LOT, "LOT_OPENED", "2026-10-02T08:00:00Z", Scenario.RECYCLER, Json.object().put("process", "HYDROMETALLURGY"));
        ObjectNode outcome = Json.object();
        outcome.set("contained", Json.object().put("Li", 12_000).put("Ni", 50_000).put("Co", 9_000));
        outcome.set("recovered", Json.object().put("Li", 11_000).put("Ni", 49_500).put("Co", 8_900));
        s.record(LOT, "LOT_CLOSED", "2026-10-09T08:00:00Z", Scenario.RECYCLER, outcome);
        for (String subject : List.of(PACK, CASCADE_PRODUCT, LOT)) {
            VerificationReport report = verify(s, s.bundle(subject));
            assertTrue(report.ok(), subject + ": " + report.findings());
        }
        assertEquals(BatteryState.DEPLOYED, verify(s, s.bundle(CASCADE_PRODUCT)).finalStatus().orElseThrow().state());
        assertEquals(BatteryState.LOT_CLOSED, verify(s, s.bundle(LOT)).finalStatus().orElseThrow().state());
    }

    @Test
    void malformedEventDataFails() {
        Scenario s = Scenario.standard().standardLife(PACK);
        ObjectNode wrongRatio = test(118_000, 150_000, "CASCADE").put("capacityRatioBp", 9_000);
        s.record(PACK, "TESTED", "2026-09-10T08:00:00Z", Scenario.RECYCLER, wrongRatio);
        failsWith(Failure.EVENT_DATA_INVALID, s, s.bundle(PACK));
    }

    @Test
    void repurposingAfterARecycleDecisionFails() {
        Scenario s = Scenario.standard().standardLife(PACK);
        s.record(PACK, "TESTED", "2026-09-10T08:00:00Z", Scenario.RECYCLER, test(60_000, 150_000, "RECYCLE"));
        s.record(PACK, "REPURPOSED", "2026-09-11T08:00:00Z", Scenario.RECYCLER, null);
        failsWith(Failure.EVENT_DATA_INVALID, s, s.bundle(PACK));
    }

    @Test
    void deploymentAfterTheCertificateExpiredFails() {
        Scenario s = Scenario.standard().standardLife(PACK);
        s.record(PACK, "TESTED", "2026-09-10T08:00:00Z", Scenario.RECYCLER, test(118_000, 150_000, "CASCADE"));
        s.record(PACK, "REPURPOSED", "2026-09-11T08:00:00Z", Scenario.RECYCLER, null);
        s.record(CASCADE_PRODUCT, "ASSEMBLED", "2026-09-12T08:00:00Z", Scenario.RECYCLER, Json.object().set("sources", Json.array().add(PACK)));
        s.record(CASCADE_PRODUCT, "CERTIFIED", "2026-09-20T08:00:00Z", Scenario.RECYCLER, certificate("2026-09-20", "2026-09-30"));
        s.record(CASCADE_PRODUCT, "DEPLOYED", "2026-10-01T08:00:00Z", Scenario.RECYCLER, Json.object().put("application", "BACKUP_POWER").put("site", "base station HN-0042"));
        failsWith(Failure.EVENT_DATA_INVALID, s, s.bundle(CASCADE_PRODUCT));
    }

    @Test
    void passportDataByTheMakerAndTheCustodianVerifiesAndByAnyoneElseFails() {
        Scenario s = Scenario.standard().standardLife(PACK);
        s.record(PACK, "PASSPORT_DECLARED", "2026-09-06T09:00:00Z", Scenario.MAKER, Json.object().put("gtin", "06901234567892"));
        s.record(PACK, "PASSPORT_UPDATED", "2026-09-06T10:00:00Z", Scenario.RECYCLER,
                Json.object().set("generalProductInformation", Json.object().put("batteryStatus", "Waste")));
        VerificationReport report = verify(s, s.bundle(PACK));
        assertTrue(report.ok(), report.findings().toString());

        Scenario forged = Scenario.standard().standardLife(PACK);
        // The recycler may declare passports of its own cascade products, but this pack's economic operator is its maker.
        forged.record(PACK, "PASSPORT_DECLARED", "2026-09-06T09:00:00Z", Scenario.RECYCLER, Json.object().put("gtin", "06901234567892"));
        failsWith(Failure.EVENT_DATA_INVALID, forged, forged.bundle(PACK));
    }

    @Test
    void cascadeProductOfAnotherChemistryFails() {
        Scenario s = Scenario.standard();
        String ternary = "H5NPEA7HN24L01F3K0000523";
        s.record(CASCADE_PRODUCT, "ASSEMBLED", "2026-09-12T08:00:00Z", Scenario.RECYCLER, Json.object().set("sources", Json.array().add(ternary)));
        failsWith(Failure.EVENT_DATA_INVALID, s, s.bundle(CASCADE_PRODUCT));
    }

    // ---- completeness against the log-derived map (trace-map/1) ----

    @Test
    void aCompleteBundleProvesItEndsAtTheLatestRecord() {
        Scenario s = Scenario.standard().standardLife(PACK);
        VerificationReport report = verify(s, s.bundle(PACK));
        assertTrue(report.ok(), report.findings().toString());
        assertTrue(report.latestProven());
        assertTrue(report.mapRoot().isPresent());
    }

    @Test
    void leavingOffTheLastRecordsFails() {
        Scenario s = Scenario.standard().standardLife(PACK);
        EvidenceBundle good = s.bundle(PACK);
        for (int dropped : new int[] {1, 3}) {
            List<LoggedRecord> shorter = good.records().subList(0, good.records().size() - dropped);
            failsWith(Failure.NOT_LATEST, s, new EvidenceBundle(PACK, good.checkpoint(), good.keyEvents(), good.organizationFacts(), shorter, good.linkedRecords(), good.mapProofs()));
        }
        // A bundle that the map says has no records at all: its head proof proves the code absent.
        Scenario other = Scenario.standard().standardLife(PACK);
        EvidenceBundle foreign = other.bundle(PACK);
        String never = "X12MCPM27KLPCLX2M2382320";
        VerificationReport report = verify(other, new EvidenceBundle(never, foreign.checkpoint(), foreign.keyEvents(), foreign.organizationFacts(), List.of(), foreign.linkedRecords(),
                other.mapProofs(never, List.of())));
        assertTrue(report.has(Failure.EMPTY_BUNDLE), report.findings().toString());
    }

    @Test
    void anEmptyBundleFails() {
        Scenario s = Scenario.standard().standardLife(PACK);
        EvidenceBundle good = s.bundle(PACK);
        failsWith(Failure.EMPTY_BUNDLE, s, new EvidenceBundle(PACK, good.checkpoint(), good.keyEvents(), good.organizationFacts(), List.of(), good.linkedRecords(), good.mapProofs()));
        failsWith(Failure.EMPTY_BUNDLE, s, s.bundle("X12MCPM27KLPCLX2M2382320"));
    }

    @Test
    void aWithheldRevocationFails() {
        Scenario s = Scenario.standard().standardLife(PACK);
        // The recycler's key is revoked after its records; the server leaves the revocation out.
        s.revoke(Scenario.RECYCLER, Instant.parse("2027-01-01T00:00:00Z"));
        assertTrue(verify(s, s.bundle(PACK)).ok(), verify(s, s.bundle(PACK)).findings().toString());
        failsWith(Failure.KEY_STATUS_MISMATCH, s, s.edited(PACK, withoutLastKeyEvent()));
    }

    private static UnaryOperator<ObjectNode> withoutLastKeyEvent() {
        return bundle -> {
            ArrayNode events = (ArrayNode) bundle.get("keyEvents");
            events.remove(events.size() - 1);
            return bundle;
        };
    }

    @Test
    void aRecordLoggedAfterItsKeysRevocationFailsWhateverItsTime() {
        // A stolen key back-dates: revoked (logged) first, then a record claiming an earlier time.
        Scenario s = Scenario.standard();
        s.revoke(Scenario.MAKER, Instant.parse("2026-06-01T00:00:00Z"));
        s.record(PACK, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, null);
        VerificationReport report = verify(s, s.bundle(PACK));
        assertTrue(report.has(Failure.SIGNED_AFTER_REVOCATION), report.findings().toString());
        assertFalse(report.has(Failure.KEY_NOT_VALID_AT_TIME), "the time alone looks valid");
        Set<Failure> expected = EnumSet.of(Failure.SIGNED_AFTER_REVOCATION, Failure.MISSING_SIGNATURE);
        assertTrue(report.findings().stream().allMatch(f -> expected.contains(f.failure())), report.findings().toString());
        // Withholding the revocation does not help: the map still knows it.
        VerificationReport withheld = verify(s, s.edited(PACK, bundle -> {
            ArrayNode events = (ArrayNode) bundle.get("keyEvents");
            for (int i = 0; i < events.size(); i++) {
                if (events.get(i).get("entry").get("record").get("type").asText().equals(KeyEvents.REVOKED)) {
                    events.remove(i);
                    break;
                }
            }
            return bundle;
        }));
        assertTrue(withheld.has(Failure.SIGNED_AFTER_REVOCATION), withheld.findings().toString());
        assertTrue(withheld.has(Failure.KEY_STATUS_MISMATCH), withheld.findings().toString());
        PROVEN.add(Failure.SIGNED_AFTER_REVOCATION);
    }

    @Test
    void aMapProofThatDoesNotLeadToTheRootFails() {
        Scenario s = Scenario.standard().standardLife(PACK);
        failsWith(Failure.MAP_PROOF_INVALID, s, s.edited(PACK, bundle -> {
            ObjectNode head = (ObjectNode) bundle.get("mapProofs").get(0);
            ArrayNode siblings = (ArrayNode) head.get("siblings");
            String first = siblings.get(0).asText();
            siblings.set(0, Json.MAPPER.getNodeFactory().textNode((first.charAt(0) == '0' ? "1" : "0") + first.substring(1)));
            return bundle;
        }));
        // A head value claiming fewer records than the map holds.
        failsWith(Failure.MAP_PROOF_INVALID, s, s.edited(PACK, bundle -> {
            ((ObjectNode) bundle.get("mapProofs").get(0).get("value")).put("seq", 6);
            return bundle;
        }));
    }

    @Test
    void missingMapProofsFail() {
        Scenario s = Scenario.standard().standardLife(PACK);
        // No head proof.
        failsWith(Failure.MAP_PROOF_MISSING, s, s.edited(PACK, bundle -> {
            ((ArrayNode) bundle.get("mapProofs")).remove(0);
            return bundle;
        }));
        // No proof of a signing key's status.
        failsWith(Failure.MAP_PROOF_MISSING, s, s.edited(PACK, bundle -> {
            ((ArrayNode) bundle.get("mapProofs")).remove(1);
            return bundle;
        }));
        // A trace-evidence/1 bundle: readable, every old check passes, but completeness is unproven.
        EvidenceBundle good = s.bundle(PACK);
        EvidenceBundle v1 = EvidenceBundle.fromJson(new EvidenceBundle(PACK, good.checkpoint(), good.keyEvents(), good.records()).toJson());
        assertEquals(EvidenceBundle.FORMAT_V1, v1.format());
        assertEquals(EnumSet.of(Failure.MAP_PROOF_MISSING, Failure.ORGANIZATION_FACTS_MISSING), failures(verify(s, v1)));
        // A checkpoint that commits to no map.
        String bare = org.batterytrace.log.SignedNotes.sign(new org.batterytrace.log.Checkpoint(Scenario.LOG, s.tree.size(), s.tree.root()), Scenario.LOG, s.log.key());
        failsWith(Failure.MAP_PROOF_MISSING, s, new EvidenceBundle(PACK, bare, good.keyEvents(), good.organizationFacts(), good.records(), good.linkedRecords(), good.mapProofs()));
    }

    @Test
    void olderCheckpointsCommitToTheMapOfTheirOwnSize() {
        Scenario s = Scenario.standard();
        s.record(PACK, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, null);
        long size = s.tree.size();
        byte[] rootThen = s.map.root();
        s.standardLifeAfterProduction(PACK);
        var checkpoint = org.batterytrace.log.SignedNotes.verify(s.checkpoint(size), s.log.noteKey());
        assertArrayEquals(rootThen, org.batterytrace.log.map.MapCheckpoints.mapRoot(checkpoint).orElseThrow());
    }

    @AfterAll
    static void everyFailureModeHasANegativeFixture() {
        assertEquals(EnumSet.allOf(Failure.class), PROVEN, "failure kinds without a negative fixture");
    }

    // ---- organization facts (roles, white list, manufacturer codes) in the log ----

    private static final Instant JAN_1 = Instant.parse("2026-01-01T00:00:00Z");

    private static Set<Failure> failures(VerificationReport report) {
        Set<Failure> kinds = EnumSet.noneOf(Failure.class);
        report.findings().forEach(f -> kinds.add(f.failure()));
        return kinds;
    }

    @Test
    void aTrace2BundleCannotShowOrganizationFacts() {
        Scenario s = Scenario.standard().standardLife(PACK);
        ObjectNode v2 = s.bundle(PACK).toJson();
        v2.put("format", EvidenceBundle.FORMAT_V2);
        v2.remove("organizationFacts");
        v2.remove("linkedRecords");
        failsWith(Failure.ORGANIZATION_FACTS_MISSING, s, EvidenceBundle.fromJson(v2));
    }





    /** Each rule that reads organization facts broken once (the cases of the bundle vectors): the bundle's facts show it. */
    @Test
    void brokenOrganizationRulesFail() {
        BundleVectorsTest.factScenarios().forEach((name, c) -> failsWith(c.failure(), c.log(), c.log().bundle(c.subject())));
    }

    @Test
    void aRecyclerQualifiedThroughTheTransfersBeijingDayVerifies() {
        Scenario valid = Scenario.standard();
        valid.qualify(Scenario.RECYCLER, new OrganizationFacts.Qualification(true, LocalDate.parse("2026-09-05"), "MIIT-2026-001"),
                Instant.parse("2026-01-02T00:00:00Z"));
        valid.standardLife(PACK);
        assertTrue(verify(valid, valid.bundle(PACK)).ok());
    }

    @Test
    void aBatteryUnderItsMakersOwnFiledCodeVerifies() {
        Scenario filed = new Scenario();
        filed.organization(Scenario.MAKER, EnumSet.of(Role.BATTERY_MAKER), null, JAN_1, "H5N");
        filed.register(Scenario.MAKER, SigningKey.generate(SignatureAlgorithm.ED25519), JAN_1);
        filed.record(PACK, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, Scenario.produced());
        assertTrue(verify(filed, filed.bundle(PACK)).ok(), verify(filed, filed.bundle(PACK)).findings().toString());
    }


    @Test
    void aWithheldQualificationWithdrawalIsCaughtByTheMap() {
        Scenario s = Scenario.standard();
        s.record(PACK, "PRODUCED", "2026-02-01T08:00:00Z", Scenario.MAKER, Scenario.produced());
        s.qualify(Scenario.RECYCLER, new OrganizationFacts.Qualification(false, null, null), Instant.parse("2026-08-01T00:00:00Z"));
        s.standardLifeAfterProduction(PACK);
        EvidenceBundle withheld = s.edited(PACK, bundle -> {
            ArrayNode facts = (ArrayNode) bundle.get("organizationFacts");
            facts.remove(facts.size() - 1);
            return bundle;
        });
        // The bundle without the withdrawal would pass the white-list rule; the map's head of the recycler's facts shows the newer entry.
        failsWith(Failure.NOT_LATEST, s, withheld);
        Scenario honest = Scenario.standard().standardLife(PACK);
        failsWith(Failure.MAP_PROOF_MISSING, honest, honest.edited(PACK, bundle -> {
            ArrayNode proofs = (ArrayNode) bundle.get("mapProofs");
            for (int i = 0; i < proofs.size(); i++) {
                if (proofs.get(i).get("key").asText().startsWith("head:ORG-")) {
                    proofs.remove(i);
                    break;
                }
            }
            return bundle;
        }));
    }

    // ---- rules that read another chain: the bundle carries the linked chains ----

    /** Each link rule broken once (the cases of the bundle vectors): the bundle's linked chains show it. */
    @Test
    void brokenLinksToOtherChainsFail() {
        BundleVectorsTest.linkScenarios().forEach((name, c) -> failsWith(c.failure(), c.log(), c.log().bundle(c.subject())));
    }

    @Test
    void aWithheldLinkedRecordIsCaughtByTheMap() {
        Scenario s = BundleVectorsTest.linkedLife();
        s.record(BundleVectorsTest.CASCADE, "ASSEMBLED", "2026-09-12T08:00:00Z", Scenario.RECYCLER, Json.object().set("sources", Json.array().add(PACK)));
        assertTrue(verify(s, s.bundle(BundleVectorsTest.CASCADE)).ok(), verify(s, s.bundle(BundleVectorsTest.CASCADE)).findings().toString());
        // Leaving out the source's REPURPOSED would make the source look never repurposed; the map's head shows the newer entry.
        failsWith(Failure.NOT_LATEST, s, s.edited(BundleVectorsTest.CASCADE, bundle -> {
            ArrayNode linked = (ArrayNode) bundle.get("linkedRecords");
            linked.remove(linked.size() - 1);
            return bundle;
        }));
    }
}

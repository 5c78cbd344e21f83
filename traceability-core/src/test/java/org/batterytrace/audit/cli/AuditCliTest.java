package org.batterytrace.audit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.batterytrace.audit.BundleLimit;
import org.batterytrace.audit.Scenario;
import org.batterytrace.record.Jcs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditCliTest {
    static final String PACK = "H5NPBA7HN24L01F3K0000521";

    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = AuditCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void verifiesAGoodBundleAndPrintsOneLinePerRecord() throws IOException {
        Scenario s = Scenario.standard().standardLife(PACK);
        Path bundle = dir.resolve("bundle.json");
        Files.write(bundle, Jcs.canonicalize(s.bundle(PACK).toJson()));
        Path key = dir.resolve("log.vkey");
        Files.writeString(key, s.log.noteKey().verifierKey() + "\n");

        Run run = run("verify", "--log-key", "@" + key, bundle.toString());
        assertEquals(0, run.status(), run.out() + run.err());
        assertTrue(run.out().contains("RESULT: VERIFIED (7 records)"), run.out());
        assertTrue(run.out().contains("final state COLLECTED, custodian " + Scenario.RECYCLER), run.out());
        assertEquals(7, run.out().lines().filter(l -> l.startsWith("#") && l.endsWith(" ok")).count(), run.out());

        Path older = dir.resolve("old.note");
        Files.writeString(older, s.checkpoint(3));
        Path proof = dir.resolve("proof.json");
        StringBuilder hashes = new StringBuilder();
        for (byte[] h : s.tree.consistencyProof(3, s.tree.size())) {
            hashes.append(hashes.length() == 0 ? "" : ",").append('"').append(org.batterytrace.record.Hashes.hex(h)).append('"');
        }
        Files.writeString(proof, "{\"proof\":[" + hashes + "]}");
        assertEquals(0, run("verify", "--log-key", s.log.noteKey().verifierKey(), "--previous-checkpoint", older.toString(),
                "--consistency-proof", proof.toString(), bundle.toString()).status());
    }

    @Test
    void bundlesOverACapFailWithTheCapsKindWithoutBeingRead() throws IOException {
        Scenario s = Scenario.standard().standardLife(PACK);
        String key = s.log.noteKey().verifierKey();
        // A sparse 65 MiB file: refused on its size, never read into memory.
        Path huge = dir.resolve("huge.json");
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength(BundleLimit.BUNDLE_BYTES.max() + 1);
        }
        Run run = run("verify", "--log-key", key, huge.toString());
        assertEquals(1, run.status());
        assertTrue(run.out().contains("FAIL BUNDLE_TOO_LARGE"), run.out());

        com.fasterxml.jackson.databind.node.ObjectNode json = s.bundle(PACK).toJson();
        com.fasterxml.jackson.databind.node.ArrayNode signatures = (com.fasterxml.jackson.databind.node.ArrayNode) json.withArray("records").get(0).get("entry").get("signatures");
        while (signatures.size() <= org.batterytrace.record.SignedRecord.MAX_SIGNATURES) {
            signatures.add(signatures.get(0).deepCopy());
        }
        Path bundle = dir.resolve("signatures.json");
        Files.write(bundle, org.batterytrace.record.Jcs.canonicalize(json));
        run = run("verify", "--log-key", key, bundle.toString());
        assertEquals(1, run.status());
        assertTrue(run.out().contains("FAIL TOO_MANY_SIGNATURES"), run.out());
    }

    @Test
    void aBundleWithoutItsLastRecordFailsNotLatest() throws IOException {
        Scenario s = Scenario.standard().standardLife(PACK);
        com.fasterxml.jackson.databind.node.ObjectNode json = s.bundle(PACK).toJson();
        ((com.fasterxml.jackson.databind.node.ArrayNode) json.get("records")).remove(6);
        Path bundle = dir.resolve("short.json");
        Files.write(bundle, Jcs.canonicalize(json));
        Run run = run("verify", "--log-key", s.log.noteKey().verifierKey(), bundle.toString());
        assertEquals(1, run.status(), run.out());
        assertTrue(run.out().contains("FAIL records[5]: NOT_LATEST"), run.out());
        Files.write(bundle, Jcs.canonicalize(s.bundle(PACK).toJson()));
        assertTrue(run("verify", "--log-key", s.log.noteKey().verifierKey(), bundle.toString()).out().contains("latest      the last record"));
    }

    @Test
    void mapProofResponsesVerifyOffline() throws IOException {
        Scenario s = Scenario.standard().standardLife(PACK);
        String key = s.log.noteKey().verifierKey();
        Path present = dir.resolve("present.json");
        Files.write(present, Jcs.canonicalize(response(s, org.batterytrace.log.map.MapLabels.head(PACK))));
        Run run = run("verify-map-proof", "--log-key", key, present.toString());
        assertEquals(0, run.status(), run.out() + run.err());
        assertTrue(run.out().contains("PRESENT     head:" + PACK + ": latest record #7"), run.out());

        Path absent = dir.resolve("absent.json");
        Files.write(absent, Jcs.canonicalize(response(s, org.batterytrace.log.map.MapLabels.head("X12MCPM27KLPCLX2M2382320"))));
        run = run("verify-map-proof", "--log-key", key, absent.toString());
        assertEquals(0, run.status(), run.out());
        assertTrue(run.out().contains("ABSENT      head:X12MCPM27KLPCLX2M2382320"), run.out());

        com.fasterxml.jackson.databind.node.ObjectNode forged = response(s, org.batterytrace.log.map.MapLabels.head(PACK));
        ((com.fasterxml.jackson.databind.node.ObjectNode) forged.get("proof").get("value")).put("seq", 5);
        Files.write(present, Jcs.canonicalize(forged));
        run = run("verify-map-proof", "--log-key", key, present.toString());
        assertEquals(1, run.status(), run.out());
        assertTrue(run.out().contains("RESULT: FAILED"), run.out());
        assertEquals(2, run("verify-map-proof", present.toString()).status());
    }

    /** What GET /api/v1/log/map/proof returns, built from the scenario's log. */
    private static com.fasterxml.jackson.databind.node.ObjectNode response(Scenario s, String label) {
        var proof = s.map.prove(label);
        com.fasterxml.jackson.databind.node.ObjectNode r = org.batterytrace.record.Json.object();
        r.put("key", label);
        r.put("present", proof.value() != null);
        r.put("treeSize", s.tree.size());
        r.put("mapRoot", org.batterytrace.record.Hashes.hex(s.map.root()));
        r.put("checkpoint", s.checkpoint());
        r.set("proof", proof.toJson());
        return r;
    }

    @Test
    void usageNamesTheConsistencyProofPathThatExists() {
        Run run = run();
        assertEquals(2, run.status());
        assertTrue(run.err().contains("/api/v1/log/proofs/consistency"), run.err());
    }

    @Test
    void witnessesAndAQuorumAreChecked() throws IOException {
        Scenario s = Scenario.standard().standardLife(PACK);
        org.batterytrace.audit.EvidenceBundle plain = s.bundle(PACK);
        Run keyRun = run("new-witness-key", "witness.example/w1");
        assertEquals(0, keyRun.status(), keyRun.err());
        org.batterytrace.log.NoteKey.Signer w1 = org.batterytrace.log.NoteKey.parseSigner(field(keyRun, "signer-key"));
        String w1Key = field(keyRun, "witness-key");
        assertEquals(org.batterytrace.log.CosignerKey.of(w1).verifierKey(), w1Key);
        String w2Key = field(run("new-witness-key", "witness.example/w2"), "witness-key");
        org.batterytrace.log.Note note = org.batterytrace.log.Note.parse(plain.checkpoint());
        String cosigned = note.with(java.util.List.of(org.batterytrace.log.Cosignatures.sign(note.text(), w1, 1_800_000_000L))).format();
        Path bundle = dir.resolve("cosigned.json");
        Files.write(bundle, Jcs.canonicalize(new org.batterytrace.audit.EvidenceBundle(PACK, cosigned, plain.keyEvents(), plain.organizationFacts(), plain.records(), plain.linkedRecords(), plain.mapProofs()).toJson()));
        String logKey = s.log.noteKey().verifierKey();

        Run one = run("verify", "--log-key", logKey, "--witness", w1Key, "--witness", w2Key, "--quorum", "1", bundle.toString());
        assertEquals(0, one.status(), one.out() + one.err());
        assertTrue(one.out().contains("cosigned    by witness.example/w1 at 2027-01-15T08:00:00Z"), one.out());
        Run all = run("verify", "--log-key", logKey, "--witness", w1Key, "--witness", w2Key, bundle.toString());
        assertEquals(1, all.status(), "the default quorum is every given witness");
        assertTrue(all.out().contains("WITNESS_QUORUM_NOT_MET"), all.out());
        assertEquals(2, run("verify", "--log-key", logKey, "--quorum", "1", bundle.toString()).status(), "a quorum needs witnesses");
        assertEquals(2, run("verify", "--log-key", logKey, "--witness", w1Key, "--quorum", "2", bundle.toString()).status());
        assertEquals(2, run("verify", "--log-key", logKey, "--witness", w1Key, "--quorum", "0", bundle.toString()).status());
        assertEquals(2, run("verify", "--log-key", logKey, "--witness", logKey, bundle.toString()).status(), "a log key is not a witness key");
        assertEquals(2, run("new-witness-key", "bad name").status());
    }

    private static String field(Run run, String name) {
        return run.out().lines().filter(l -> l.startsWith(name + " ")).findFirst().orElseThrow().split("\\s+")[1];
    }

    @Test
    void newLogKeyPrintsAMatchingSignerAndVerifierPair() {
        Run run = run("new-log-key", "trace.example.cn/log");
        assertEquals(0, run.status(), run.err());
        String signer = run.out().lines().filter(l -> l.startsWith("signer-key ")).findFirst().orElseThrow().split("\\s+")[1];
        String verifier = run.out().lines().filter(l -> l.startsWith("verifier-key ")).findFirst().orElseThrow().split("\\s+")[1];
        org.batterytrace.log.NoteKey.Signer parsed = org.batterytrace.log.NoteKey.parseSigner(signer);
        assertEquals(verifier, parsed.noteKey().verifierKey());
        String note = org.batterytrace.log.SignedNotes.sign(new org.batterytrace.log.Checkpoint("trace.example.cn/log", 0, new byte[32]), parsed.name(), parsed.key());
        assertEquals(0, org.batterytrace.log.SignedNotes.verify(note, org.batterytrace.log.NoteKey.parse(verifier)).size());
        assertEquals(2, run("new-log-key", "bad name").status());
    }

    @Test
    void tamperedBundleExitsOneAndNamesTheFailure() throws IOException {
        Scenario s = Scenario.standard().standardLife(PACK);
        Path bundle = dir.resolve("bundle.json");
        Files.writeString(bundle, new String(Jcs.canonicalize(s.bundle(PACK).toJson()), StandardCharsets.UTF_8).replace("LSVAU218XN2183294", "LSVAU218XN2183295"));
        Run run = run("verify", "--log-key", s.log.noteKey().verifierKey(), bundle.toString());
        assertEquals(1, run.status());
        assertTrue(run.out().contains("FAIL records[2]: SIGNATURE_INVALID"), run.out());
        assertTrue(run.out().contains("RESULT: FAILED"), run.out());
    }

    @Test
    void malformedBundleExitsOne() throws IOException {
        Scenario s = Scenario.standard();
        Path bundle = dir.resolve("bundle.json");
        Files.writeString(bundle, "{\"format\":\"trace-evidence/1\"}");
        Run run = run("verify", "--log-key", s.log.noteKey().verifierKey(), bundle.toString());
        assertEquals(1, run.status());
        assertTrue(run.out().contains("FAIL MALFORMED_BUNDLE"), run.out());
    }

    @Test
    void usageAndInputErrorsExitTwo() throws IOException {
        assertEquals(2, run().status());
        assertEquals(2, run("verify", "bundle.json").status());
        assertEquals(2, run("verify", "--log-key", "not-a-key", dir.resolve("missing.json").toString()).status());
        Scenario s = Scenario.standard();
        Run missing = run("verify", "--log-key", s.log.noteKey().verifierKey(), dir.resolve("missing.json").toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("cannot read input"), missing.err());
    }
}

package org.batterytrace.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.batterytrace.record.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/openssl-verify.sh}, the plain-openssl cross-check the docs promise auditors, on the published
 * vectors and on an evidence bundle whose records are signed with Ed25519, SM2 and ES256 (two signatures on each
 * transfer); and its refusals, so that its "Verified" lines mean something. Skipped with a message without
 * bash, openssl or jq (.ci/run installs them).
 */
class OpensslVerifyScriptTest {
    private static final Path SCRIPT = Path.of("..", "examples", "openssl-verify.sh");

    @TempDir
    Path dir;

    @BeforeAll
    static void toolsPresent() {
        for (String tool : List.of("bash", "openssl", "jq")) {
            assumeTrue(Run.of(List.of("bash", "-c", "command -v " + tool)).status == 0, tool + " not installed: openssl-verify.sh not run");
        }
    }

    @Test
    void publishedVectorsVerifyForEachAlgorithmAndTheCheckpoint() {
        Run run = Run.of(List.of("bash", SCRIPT.toString()));
        assertEquals(0, run.status, run.out);
        assertTrue(run.out.contains("Ed25519 signature (key id = SHA-256 of the SubjectPublicKeyInfo): Signature Verified Successfully"), run.out);
        assertTrue(run.out.contains("ES256 signature (key id = SHA-256 of the SubjectPublicKeyInfo): Verified OK"), run.out);
        assertTrue(run.out.contains("SM2 signature (key id = SHA-256 of the SubjectPublicKeyInfo): Signature Verified Successfully"), run.out);
        assertTrue(run.out.contains("signed by trace.example/log: Signature Verified Successfully"), run.out);
        assertEquals(4, run.out.split("refused, as it must be", -1).length - 1, run.out);
        assertTrue(run.out.endsWith("OK: 3 record signatures and the checkpoint verified with openssl\n"), run.out);
    }

    @Test
    void vectorsWithABrokenSm2SignatureFail() throws IOException {
        ObjectNode vectors = (ObjectNode) Json.parse(Files.readAllBytes(Path.of("..", "docs", "test-vectors.json")));
        ObjectNode sm2 = (ObjectNode) vectors.get("signatures").get(2);
        assertEquals("SM2", sm2.get("alg").asText());
        sm2.put("value", flipped(sm2.get("value").asText()));
        Run run = Run.of(List.of("bash", SCRIPT.toString(), write("vectors.json", vectors).toString()));
        assertEquals(1, run.status, run.out);
        assertTrue(run.out.contains("FAILED: SM2 signature"), run.out);
    }

    @Test
    void bundleWithEveryAlgorithmVerifies() throws IOException {
        Scenario s = Scenario.standard().standardLife(VerifierTest.PACK);
        Run run = bundle(s, s.bundle(VerifierTest.PACK).toJson());
        assertEquals(0, run.status, run.out);
        for (String alg : List.of("Ed25519", "SM2", "ES256")) {
            assertTrue(run.out.contains(" " + alg + " "), alg + " signature checked:\n" + run.out);
        }
        // 7 records, the two transfers signed by both parties; 3 keys registered by the log key.
        assertTrue(run.out.contains("OK: 9 signatures on 7 records, 3 key events and the checkpoint verified with openssl"), run.out);
        assertEquals(1 + 9, run.out.split("Signature Verified Successfully|Verified OK", -1).length - 1, run.out);
    }

    @Test
    void tamperedBundlesAndAnotherLogKeyFail() throws IOException {
        Scenario s = Scenario.standard().standardLife(VerifierTest.PACK);
        ObjectNode edited = s.bundle(VerifierTest.PACK).toJson();
        ((ObjectNode) edited.get("records").get(3).get("entry").get("record").get("data")).put("note", "edited afterwards");
        Run data = bundle(s, edited);
        assertEquals(1, data.status, data.out);
        assertTrue(data.out.contains("FAILED: record 3 SM2 signature"), data.out);

        ObjectNode reordered = s.bundle(VerifierTest.PACK).toJson();
        reordered.withArray("records").remove(2);
        Run chain = bundle(s, reordered);
        assertEquals(1, chain.status, chain.out);
        assertTrue(chain.out.contains("FAILED: record 2: prev is not the previous record's hash"), chain.out);

        Scenario other = Scenario.standard();
        Run key = Run.of(List.of("bash", SCRIPT.toString(), "--bundle", write("bundle.json", s.bundle(VerifierTest.PACK).toJson()).toString(),
                "--log-key", other.log.noteKey().verifierKey()));
        assertEquals(1, key.status, key.out);
        assertTrue(key.out.contains("FAILED: no signature line of trace.example/log+"), key.out);
    }

    private Run bundle(Scenario s, ObjectNode json) throws IOException {
        return Run.of(List.of("bash", SCRIPT.toString(), "--bundle", write("bundle.json", json).toString(), "--log-key", s.log.noteKey().verifierKey()));
    }

    private Path write(String name, ObjectNode json) throws IOException {
        return Files.write(dir.resolve(name), Json.MAPPER.writeValueAsBytes(json));
    }

    private static String flipped(String base64url) {
        char c = base64url.charAt(20);
        return base64url.substring(0, 20) + (c == 'A' ? 'B' : 'A') + base64url.substring(21);
    }

    private record Run(int status, String out) {
        static Run of(List<String> command) {
            try {
                Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + command);
                return new Run(p.exitValue(), out);
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}

package org.batterytrace.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs the shell examples (examples/lifecycle-walkthrough, examples/auditor) against the packaged server. */
class ExamplesIT {
    private static final Path EXAMPLES = Path.of("..", "examples");

    private static String run(Path script, Map<String, String> env, Path work) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().put("WORK", work.toAbsolutePath().toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), script + " timed out");
        assertEquals(0, process.exitValue(), script + " failed:\n" + output);
        return output;
    }

    @Test
    void walkthroughThenOfflineAudit() throws Exception {
        Path data = Path.of("target", "examples-it");
        CrashRecoveryIT.deleteRecursively(data.toFile());
        Path work = Files.createDirectories(data.resolve("work"));
        try (ServerProcess server = new ServerProcess(data)) {
            server.start();
            String walk = run(EXAMPLES.resolve("lifecycle-walkthrough/walkthrough.sh"), Map.of("API", server.api(), "ADMIN", Platform.ADMIN), work);
            assertTrue(walk.contains("DEPLOYED") && walk.contains("RECYCLED"), walk);

            Properties battery = new Properties();
            battery.load(Files.newBufferedReader(work.resolve("battery.env")));
            String audit = run(EXAMPLES.resolve("auditor/audit.sh"),
                    Map.of("API", server.api(), "TOKEN", battery.getProperty("TOKEN"), "BATTERY", battery.getProperty("BATTERY")), work);
            assertTrue(audit.contains("RESULT: VERIFIED (9 records)"), audit);
            assertEquals(2, audit.split("Signature Verified Successfully", -1).length - 1, "openssl checked a record and the checkpoint:\n" + audit);
            assertTrue(audit.contains("RESULT: FAILED") && audit.contains("audit complete"), audit);
        }
    }
}

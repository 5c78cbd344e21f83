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

/** Runs the examples that need a server (lifecycle walk-through, auditor, synthetic province) against the packaged server. */
class ExamplesIT {
    private static final Path EXAMPLES = Path.of("..", "examples");

    private static String run(Path script, Map<String, String> env, Path work) throws IOException, InterruptedException {
        return run(new ProcessBuilder("bash", script.toString()), env, work);
    }

    private static String run(ProcessBuilder builder, Map<String, String> env, Path work) throws IOException, InterruptedException {
        String script = String.join(" ", builder.command());
        builder.redirectErrorStream(true);
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
            // The lot's assay: Li 91.13 % meets China's 90 %, Co 98.18 % its 98 %; Mn 98.64 %, Ni 99.05 %, Cu 96.62 % (EU 2031 wants 95 %).
            assertTrue(walk.contains("recovery Li 91.13 %") && walk.contains("CN_2024: met") && walk.contains("EU_2031: met"), walk);

            Properties battery = new Properties();
            battery.load(Files.newBufferedReader(work.resolve("battery.env")));
            String audit = run(EXAMPLES.resolve("auditor/audit.sh"),
                    Map.of("API", server.api(), "TOKEN", battery.getProperty("TOKEN"), "BATTERY", battery.getProperty("BATTERY")), work);
            assertTrue(audit.contains("RESULT: VERIFIED (9 records)"), audit);
            assertEquals(2, audit.split("Signature Verified Successfully", -1).length - 1, "openssl checked a record and the checkpoint:\n" + audit);
            assertTrue(audit.contains("RESULT: FAILED") && audit.contains("audit complete"), audit);
            assertTrue(audit.contains(": NOT_LATEST:"), "the shortened bundle fails because the map names a later record:\n" + audit);
            assertTrue(audit.contains("ABSENT      head:") && audit.contains("PRESENT     head:"), "map proofs of absence and presence:\n" + audit);

            Path generator = EXAMPLES.resolve("synthetic-province/target/synthetic-province.jar");
            String province = run(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", generator.toString(),
                    "--api", server.api(), "--admin", Platform.ADMIN, "--batteries", "300", "--bulk", "100"), Map.of(), work);
            assertTrue(province.contains("registered 25 enterprises in 14 cities") && province.contains("== summary"), province);
            assertTrue(province.contains("RECYCLED=") && province.contains("REPURPOSED=") && province.contains("Xiangxi="), province);
            assertTrue(province.contains("lot Hengyang Metals Recycling") && province.contains("| EU_2027"), province);
            assertTrue(province.contains("batteries held per city") && province.contains("Changsha=") && province.contains("cascade enterprises repurposed"), province);
        }
    }
}

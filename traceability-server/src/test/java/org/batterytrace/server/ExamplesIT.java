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

    private static java.net.HttpURLConnection withAdmin(java.net.HttpURLConnection c) {
        c.setRequestProperty("Authorization", "Bearer " + Platform.ADMIN);
        return c;
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
            assertTrue(walk.contains("public passport ") && walk.contains("carbon footprint 61.4") && walk.contains("product passport "), walk);
            // The walk-through's pack is fully populated: at the authority tier all seven Battery Pass sections validate.
            try (java.io.InputStream in = java.net.URI.create(server.api() + "/batteries/" + battery.getProperty("BATTERY") + "/passport").toURL().openConnection()
                    instanceof java.net.HttpURLConnection c ? withAdmin(c).getInputStream() : null) {
                com.fasterxml.jackson.databind.JsonNode passport = org.batterytrace.record.Json.parse(in.readAllBytes());
                assertEquals(Map.of(), PassportTest.invalidSections(passport), "walk-through passport sections");
            }
            String audit = run(EXAMPLES.resolve("auditor/audit.sh"),
                    Map.of("API", server.api(), "TOKEN", battery.getProperty("TOKEN"), "BATTERY", battery.getProperty("BATTERY")), work);
            assertTrue(audit.contains("RESULT: VERIFIED (11 records)"), audit);
            assertEquals(2, audit.split("Signature Verified Successfully", -1).length - 1, "openssl checked a record and the checkpoint:\n" + audit);
            assertTrue(audit.contains("RESULT: FAILED") && audit.contains("audit complete"), audit);
            assertTrue(audit.contains(": NOT_LATEST:"), "the shortened bundle fails because the map names a later record:\n" + audit);
            assertTrue(audit.contains("ABSENT      head:") && audit.contains("PRESENT     head:"), "map proofs of absence and presence:\n" + audit);

            Path generator = EXAMPLES.resolve("synthetic-province/target/synthetic-province.jar");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            // --help prints the usage and exits 0 without contacting anything (this API address has no server).
            String help = run(new ProcessBuilder(java, "-jar", generator.toString(), "--api", "http://127.0.0.1:9/api/v1", "--help"), Map.of(), work);
            assertTrue(help.startsWith("usage: java -jar synthetic-province.jar") && help.contains("--months") && !help.contains("registered"), help);
            String province = run(new ProcessBuilder(java, "-jar", generator.toString(), "--api", server.api(), "--admin", Platform.ADMIN, "--batteries", "300",
                    "--bulk", "100"), Map.of(), work);
            assertTrue(province.contains("registered 25 enterprises in 14 cities") && province.contains("back-dated by the administrator") && province.contains("== summary"),
                    province);
            assertTrue(province.contains("RECYCLED=") && province.contains("REPURPOSED=") && province.contains("Xiangxi="), province);
            assertTrue(province.contains("lot Hengyang Metals Recycling") && province.contains("| EU_2027"), province);
            assertTrue(province.contains("batteries held per city") && province.contains("Changsha=") && province.contains("cascade enterprises repurposed"), province);
            // What a regulator sees over a back-dated history: months, stock at a past date, missing and late uploads, a flagged assay.
            assertTrue(province.contains("records per month of the event:") && province.contains("stock by state on ") && province.contains("where the vehicle was sold"),
                    province);
            assertTrue(province.contains("missing uploads today") && province.contains("RETIRED, expected COLLECTED"), province);
            assertTrue(province.contains("late uploads by stage and article") && province.contains("Art. 8") && province.contains("Art. 11"), province);
            assertTrue(province.contains("lot Loudi Resource Regeneration") && province.contains("mass balance IMPLAUSIBLE") && province.contains("mass balance plausible"),
                    province);
        }
    }
}

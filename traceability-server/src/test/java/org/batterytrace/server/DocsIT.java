package org.batterytrace.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.batterytrace.log.NoteKey;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SigningKey;
import org.junit.jupiter.api.Test;

/**
 * Every shell block (```sh, ```bash, ```shell) of README.md and docs/*.md runs as written, or is in
 * {@link #NOT_RUN} with the reason. A reader's checkout is imitated by a sandbox directory holding symbolic links
 * to the repository's modules, so paths like {@code traceability-core/target/…-cli.jar} and
 * {@code docs/test-vectors.json} resolve, while the files the commands write stay out of the work tree.
 *
 * <ul>
 *   <li>The server is the README's own start command ({@code TRACE_ADMIN_TOKEN=change-me java -jar …}), run in
 *       the sandbox; {@code config/application.properties} there gives it a free port, a log key the test pins,
 *       and two witnesses in this JVM ({@link FakeWitness}): the W1 and W2 of the auditor's guide.</li>
 *   <li>Each document is one bash session ({@code set -euo pipefail}), its blocks in order, so variables set in
 *       one block serve the next, as when a reader pastes them; sessions share the sandbox's files (the auditor
 *       reads the README's {@code bundle.json}). {@link #setup} is what a reader brings to a document.</li>
 *   <li>Only three rewrites: the example hosts ({@code http://localhost:8080}, {@code https://trace.example.cn})
 *       become the server under test; an assignment whose value is a placeholder ({@code LOG_KEY=…+AU…},
 *       {@code SMALL=<the smaller size>}) gets its value from {@link #placeholders}; a command that follows
 *       the log ({@code --every}) runs until its first poll ends and is then stopped.</li>
 *   <li>Checked: the session exits 0; every {@code # → output} line of a block appears in that block's output
 *       (its {@code …} elided parts aside, in order); no block's output holds a problem answer
 *       ({@code "status":4xx/5xx}, which {@code curl -s} does not turn into a failure); and, per document, what
 *       its commands are for ({@link #checkWhatTheyShow}).</li>
 * </ul>
 */
class DocsIT {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> MODULES = List.of("docs", "examples", "traceability-core", "traceability-server");
    private static final String ADMIN = "change-me"; // the README's
    private static final String ORG = "91430100MA4L0001XA"; // the README's maker
    private static final String BATTERY = "H5NPEA7HN24L01G3E0000001"; // the README's first battery

    /** A block not run: in {@code file}, every shell block containing {@code text}. Each entry must match a block. */
    record Skip(String file, String text, String why) {
    }

    static final List<Skip> NOT_RUN = List.of(
            new Skip("README.md", "./mvnw -B verify", "the build's test command: this test runs inside it"),
            new Skip("README.md", "QUARKUS_DATASOURCE_JDBC_URL=", "a production PostgreSQL and its secrets (…) to fill in; "
                    + "MultiInstanceIT and WitnessNetworkIT start this PostgreSQL build on a real PostgreSQL"),
            new Skip("README.md", "ArchiveClassesAtExit", "a training start against the production PostgreSQL of the block above; "
                    + "PostgresRestartBenchmark records such an archive and restarts with it"),
            new Skip("README.md", "Benchmark", "the JMH benchmark and a server benchmark: minutes each; run by hand, figures in the README"),
            new Skip("docs/benchmarks.md", "exec:exec@bench", "JMH benchmark, minutes; run by hand, figures in the README"),
            new Skip("docs/benchmarks.md", "Benchmark", "benchmarks with production-size PostgreSQL data (millions of rows), minutes to hours; run by hand"),
            new Skip("docs/record-format.md", "-Dexec.mainClass=", "regenerates the committed vectors (fresh random ES256/SM2 keys: a different "
                    + "file); TestVectorsTest, TlogVectorsTest and MapVectorsTest check the committed ones against the code"));

    /** The README block that starts the server: the part after {@code &&} is run as the server; before it is the build that made the jar. */
    private static final String SERVER_START = "quarkus-run.jar";

    record Block(String file, int line, String text) {
        String id() {
            return file + ":" + line;
        }
    }

    private final NoteKey.Signer log = new NoteKey.Signer("trace.example.cn/log", SigningKey.generate(SignatureAlgorithm.ED25519));
    private final FakeWitness w1 = new FakeWitness(log, "witness.cnrc.example/w1");
    private final FakeWitness w2 = new FakeWitness(log, "witness.catarc.example/w2");

    /** Values of placeholder assignments: what the auditor's guide pins out of band, and the sizes it says to fill in (kept checkpoint's, bundle's). */
    private Map<String, String> placeholders() {
        return Map.of(
                "LOG_KEY", "'" + log.noteKey().verifierKey() + "'",
                "W1", "'" + w1.cosignerKey().verifierKey() + "'",
                "W2", "'" + w2.cosignerKey().verifierKey() + "'",
                "SMALL", "$(sed -n 2p kept.note)",
                "LARGE", "$(jq -r '.checkpoint | split(\"\\n\")[1]' bundle.json)");
    }

    /** What a reader brings to a document before its first block (the README's walk-through has made the battery by then). */
    private Map<String, String> setup(String api) {
        return Map.of(
                "README.md", "printf %s " + ADMIN + " > monitor-token.txt   # the README's monitor replays every chain: the administrator's token\n",
                "docs/record-format.md", "LOG_KEY='" + log.noteKey().verifierKey() + "'   # pinned; bundle.json is the README's\n",
                "docs/auditing.md", String.join("\n",
                        "BATTERY=" + BATTERY,
                        "TOKEN=$(curl -sf -X POST " + api + "/organizations/" + ORG + "/tokens -H 'Authorization: Bearer " + ADMIN + "' \\",
                        "  -H 'Content-Type: application/json' -d '{\"label\":\"audit\"}' | jq -r .token)   # the maker's, which reads its battery",
                        "printf %s " + ADMIN + " > token.txt   # the monitor's --entries token: the administrator's reads every chain",
                        "curl -sf -H 'Accept: text/plain' " + api + "/log/checkpoint > kept.note   # a checkpoint kept earlier",
                        "# one more log entry (a second key of the maker), so that the bundle's checkpoint is larger than the kept one",
                        "openssl genpkey -algorithm ed25519 | openssl pkey -pubout > second.pub",
                        "jq -n --rawfile pem second.pub '{publicKeyPem: $pem}' | curl -sf -X POST " + api + "/organizations/" + ORG + "/keys \\",
                        "  -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' -d @- > /dev/null",
                        "grown() { [ \"$(curl -sf -H 'Accept: text/plain' " + api + "/log/checkpoint | sed -n 2p)\" -gt \"$(sed -n 2p kept.note)\" ]; }",
                        "for _ in $(seq 300); do grown && break; sleep 0.2; done; grown",
                        ""));
    }

    /** Stands in for a command that runs until stopped (the monitor's --every): its first poll must end CONSISTENT. */
    private static final String FOLLOW = """
            follow() {
              local out; out=$(mktemp)
              "$@" > "$out" 2>&1 &
              local pid=$!
              for _ in $(seq 900); do grep -q '^RESULT: ' "$out" && break; kill -0 $pid 2>/dev/null || break; sleep 0.2; done
              kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true
              cat "$out"; echo "(stopped after its first poll)"
              grep -q '^RESULT: CONSISTENT' "$out"
            }
            """;

    @Test
    void everyDocumentedCommandRuns() throws Exception {
        Map<String, List<Block>> blocks = new LinkedHashMap<>();
        for (String file : documents()) {
            blocks.put(file, shellBlocks(file));
        }
        List<String> report = new ArrayList<>();
        Map<Block, Skip> skipped = new LinkedHashMap<>();
        for (Skip skip : NOT_RUN) {
            List<Block> matching = blocks.getOrDefault(skip.file, List.of()).stream().filter(b -> b.text.contains(skip.text)).toList();
            assertTrue(!matching.isEmpty(), "NOT_RUN entry matches no block any more, remove it: " + skip);
            matching.forEach(b -> assertEquals(null, skipped.put(b, skip), b.id() + " is matched by two NOT_RUN entries"));
        }
        List<Block> starts = blocks.values().stream().flatMap(List::stream).filter(b -> b.text.contains(SERVER_START) && !skipped.containsKey(b)).toList();
        assertEquals(1, starts.size(), "one block starts the server: " + starts);
        Block start = starts.get(0);
        assertEquals("README.md", start.file);
        String startCommand = start.text.substring(start.text.indexOf("&& ") + 3).strip();

        Path sandbox = Path.of("target", "docs-it").toAbsolutePath();
        deleteSandbox(sandbox);
        Files.createDirectories(sandbox.resolve("config"));
        for (String module : MODULES) {
            Files.createSymbolicLink(sandbox.resolve(module), REPO.resolve(module));
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String base = "http://localhost:" + port;
        w1.start();
        w2.start();
        Process server = null;
        try {
            Files.writeString(sandbox.resolve("config/application.properties"), String.join("\n",
                    "# DocsIT: a free port, a log key the test pins, and the auditor's guide's two witnesses",
                    "quarkus.http.port=" + port,
                    "trace.log.origin=" + log.name(),
                    "trace.log.signer-key=" + log.signerKey(),
                    "trace.cosigning.witnesses.w1.url=" + w1.url(),
                    "trace.cosigning.witnesses.w1.key=" + w1.cosignerKey().verifierKey(),
                    "trace.cosigning.witnesses.w2.url=" + w2.url(),
                    "trace.cosigning.witnesses.w2.key=" + w2.cosignerKey().verifierKey(), ""));
            long t0 = System.nanoTime();
            ProcessBuilder starting = new ProcessBuilder("bash", "-c", startCommand).directory(sandbox.toFile())
                    .redirectErrorStream(true).redirectOutput(sandbox.resolve("server.log").toFile());
            starting.environment().put("PATH", path());
            server = starting.start();
            awaitReady(base, server, sandbox.resolve("server.log"));
            report.add(String.format("%-26s server started by the README's command (%d ms)", start.id(), (System.nanoTime() - t0) / 1_000_000));

            for (Map.Entry<String, List<Block>> doc : blocks.entrySet()) {
                List<Block> run = doc.getValue().stream().filter(b -> b != start && !skipped.containsKey(b)).toList();
                doc.getValue().stream().filter(skipped::containsKey).forEach(b -> report.add(String.format("%-26s not run: %s", b.id(), skipped.get(b).why)));
                if (run.isEmpty()) {
                    continue;
                }
                long t = System.nanoTime();
                Map<String, String> outputs = session(sandbox, base, doc.getKey(), run);
                for (Block b : run) {
                    String out = outputs.get(b.id());
                    checkExpectedOutput(b, out);
                    Matcher problem = Pattern.compile("\"status\"\\s*:\\s*[45]\\d\\d").matcher(out);
                    assertTrue(!problem.find(), b.id() + " got a problem answer:\n" + out);
                    report.add(String.format("%-26s ran", b.id()));
                }
                report.add(String.format("%-26s %d blocks in %d ms", doc.getKey(), run.size(), (System.nanoTime() - t) / 1_000_000));
                checkWhatTheyShow(doc.getKey(), run, outputs);
            }
        } finally {
            if (server != null) {
                server.descendants().forEach(ProcessHandle::destroyForcibly);
                server.destroyForcibly().waitFor();
            }
            w1.stop();
            w2.stop();
            for (String module : MODULES) {
                Files.deleteIfExists(sandbox.resolve(module)); // the links, not what they point to
            }
            System.out.println("DocsIT:\n  " + String.join("\n  ", report));
        }
    }

    /** Beyond exit statuses: what each document's commands are for. */
    private static void checkWhatTheyShow(String doc, List<Block> run, Map<String, String> outputs) {
        String all = String.join("\n", run.stream().map(b -> outputs.get(b.id())).toList());
        switch (doc) {
            case "README.md" -> {
                assertTrue(all.contains("RESULT: VERIFIED (1 records)"), all);
                assertTrue(all.contains("RESULT: CONSISTENT") && all.contains("(stopped after its first poll)"), "the monitor follows the log:\n" + all);
            }
            case "docs/record-format.md" -> {
                assertEquals(9, count(all, "Signature Verified Successfully") + count(all, "Verified OK"),
                        "3 signatures by hand; openssl-verify.sh: 3 and the checkpoint of the vectors, the record and the checkpoint of the README's bundle:\n" + all);
                assertTrue(all.contains("OK: 3 record signatures and the checkpoint verified with openssl"), all);
                assertTrue(all.contains("OK: 1 signatures on 1 records, 1 key events and the checkpoint verified with openssl"), "the README's bundle:\n" + all);
            }
            case "docs/auditing.md" -> {
                assertEquals(2, count(all, "RESULT: VERIFIED (1 records)"), "with a quorum of two witnesses, then against the kept checkpoint:\n" + all);
                assertTrue(all.contains("witness.cnrc.example/w1") && all.contains("witness.catarc.example/w2"), all);
                assertTrue(all.contains("PRESENT") && all.contains("head:" + BATTERY), all);
                assertTrue(all.contains("OK: 1 signatures on 1 records, 2 key events and the checkpoint verified with openssl"), all);
                assertEquals(3, count(all, "RESULT: CONSISTENT"), "one poll, then two followers:\n" + all);
            }
            default -> fail("no expectations for " + doc + "'s commands: add them here");
        }
    }

    private static int count(String text, String what) {
        return text.split(Pattern.quote(what), -1).length - 1;
    }

    /** Runs a document's blocks as one bash session and returns each block's output. */
    private Map<String, String> session(Path sandbox, String base, String doc, List<Block> run) throws IOException, InterruptedException {
        StringBuilder script = new StringBuilder("set -euo pipefail\n").append(FOLLOW);
        script.append(setup(base + "/api/v1").getOrDefault(doc, ""));
        for (Block b : run) {
            script.append("printf '\\n@@block ").append(b.id()).append("\\n'\n").append(rewrite(b, base)).append('\n');
        }
        script.append("printf '\\n@@end\\n'\n");
        Path file = sandbox.resolve(doc.replace('/', '_') + ".sh");
        Files.writeString(file, script);
        ProcessBuilder builder = new ProcessBuilder("bash", file.toString()).directory(sandbox.toFile()).redirectErrorStream(true);
        builder.environment().put("PATH", path());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), doc + " timed out");
        Files.writeString(sandbox.resolve(doc.replace('/', '_') + ".out"), out);
        assertEquals(0, process.exitValue(), doc + ": a command failed (script " + file + "); output:\n" + out);
        assertTrue(out.endsWith("@@end\n"), out);
        Map<String, String> outputs = new LinkedHashMap<>();
        String[] parts = out.split("\n@@block ");
        for (int i = 1; i < parts.length; i++) {
            int eol = parts[i].indexOf('\n');
            outputs.put(parts[i].substring(0, eol), parts[i].substring(eol + 1).replace("\n@@end\n", ""));
        }
        assertEquals(run.stream().map(Block::id).toList(), List.copyOf(outputs.keySet()));
        return outputs;
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("^\\s*[A-Z_][A-Z0-9_]*=(<[^>]*>|\\S*…)");
    private static final Pattern ASSIGNED = Pattern.compile("(?:^|;)\\s*([A-Z_][A-Z0-9_]*)=");

    /** The three rewrites of the class comment, per logical line (continuation lines joined). */
    private String rewrite(Block block, String base) {
        String text = block.text.replace("http://localhost:8080", base).replace("https://trace.example.cn", base);
        StringBuilder out = new StringBuilder();
        for (String line : text.split("(?<!\\\\)\n")) {
            if (PLACEHOLDER.matcher(line).find()) {
                Matcher names = ASSIGNED.matcher(line.replaceAll("\\s+#.*$", ""));
                while (names.find()) {
                    String value = placeholders().get(names.group(1));
                    assertTrue(value != null, block.id() + ": no value for the placeholder " + names.group(1) + " in: " + line);
                    out.append(names.group(1)).append('=').append(value).append('\n');
                }
                out.append("# placeholder given by DocsIT: ").append(line.strip()).append('\n');
            } else if (line.contains(" --every ") && !line.strip().startsWith("#")) {
                out.append("follow ").append(line.stripLeading()).append('\n');
            } else {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    /** Each {@code # → …} line's parts (split at "…") must appear in order in the block's output, after the previous line's; runs of blanks count as one. */
    private static void checkExpectedOutput(Block block, String output) {
        String out = output.replaceAll("[ \\t]+", " "); // columns aligned with several spaces read as one
        int at = 0;
        for (String line : block.text.split("\n")) {
            int arrow = line.indexOf("# → ");
            if (arrow < 0) {
                continue;
            }
            for (String part : line.substring(arrow + 4).split("…")) {
                String want = part.strip().replaceAll("[ \\t]+", " ");
                if (want.isEmpty()) {
                    continue;
                }
                int found = out.indexOf(want, at);
                assertTrue(found >= 0, block.id() + ": documented output '" + want + "' (" + line.strip() + ") not in:\n" + output);
                at = found + want.length();
            }
        }
    }

    /** The JDK running the tests first: the docs say {@code java}. */
    private static String path() {
        return Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH");
    }

    /** Deletes a previous run's sandbox without following its links into the repository. */
    private static void deleteSandbox(Path sandbox) throws IOException {
        if (!Files.exists(sandbox, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        for (String module : MODULES) {
            Files.deleteIfExists(sandbox.resolve(module));
        }
        try (Stream<Path> files = Files.walk(sandbox)) { // Files.walk does not follow links
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static List<String> documents() throws IOException {
        List<String> docs = new ArrayList<>(List.of("README.md", "docs/record-format.md", "docs/auditing.md")); // the order a reader follows
        try (Stream<Path> files = Files.list(REPO.resolve("docs"))) {
            files.map(p -> "docs/" + p.getFileName()).filter(f -> f.endsWith(".md") && !docs.contains(f)).sorted().forEach(docs::add);
        }
        return docs;
    }

    private static final Pattern FENCE = Pattern.compile("^```(\\w*)\\s*$");

    static List<Block> shellBlocks(String file) throws IOException {
        List<String> lines = Files.readAllLines(REPO.resolve(file));
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher fence = FENCE.matcher(lines.get(i));
            if (!fence.matches()) {
                continue;
            }
            int open = i;
            StringBuilder text = new StringBuilder();
            for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
                text.append(lines.get(i)).append('\n');
            }
            if (List.of("sh", "bash", "shell").contains(fence.group(1))) {
                blocks.add(new Block(file, open + 1, text.toString()));
            }
            assertTrue(!fence.group(1).equals("console"), file + ":" + (open + 1) + ": a console block (prompts and output mixed) cannot be run: use sh with '# → output' lines");
        }
        return blocks;
    }

    private static void awaitReady(String base, Process server, Path log) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                fail("the README's start command exited:\n" + Files.readString(log));
            }
            try {
                if (client.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        fail("server did not start; see " + log);
    }
}

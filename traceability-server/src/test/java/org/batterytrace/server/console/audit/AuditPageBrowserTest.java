package org.batterytrace.server.console.audit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.batterytrace.audit.BundleLimit;
import org.batterytrace.audit.EvidenceBundle;
import org.batterytrace.audit.Finding;
import org.batterytrace.audit.Verifier;
import org.batterytrace.audit.cli.AuditCli;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.log.CosignerKey;
import org.batterytrace.log.NoteKey;
import org.batterytrace.record.Json;
import org.batterytrace.record.RecordFormatException;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SigningKey;
import org.batterytrace.server.Browsers;
import org.batterytrace.server.Platform.Org;
import org.batterytrace.server.Platform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The auditor page (/console/audit/) in a real headless Chromium: for every bundle vector of
 * docs/test-vectors/bundles/ it shows the result and the failure kinds the Java Verifier produced (the vector's
 * {@code want}), the same failure kinds per record, and the command-line verifier's output line for line (each
 * failure to its kind; SM2 bundles, which a browser cannot check, show NOT VERIFIED instead of VERIFIED). A
 * saved copy verifies from file:// without a server, a bundle fetched from the API verifies in the page and in
 * the Java Verifier alike, bad input gets a message beside its field, and no page logs a console error.
 * Screenshots go to target/console-screenshots/audit-*.png.
 */
@QuarkusTest
public class AuditPageBrowserTest {
    static final Path VECTORS = Path.of("..", "docs", "test-vectors", "bundles");
    static final Path PAGE = Path.of("src", "main", "resources", "META-INF", "resources", "console", "audit");
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    static final Path WORK = Path.of("target", "audit-page");
    private static ChromeDriver browser;

    @TestHTTPResource("/console/audit/")
    URL page;

    @BeforeAll
    static void startBrowser() throws IOException {
        browser = Browsers.start(true, "1280,900");
        Files.createDirectories(SCREENSHOTS);
        Files.createDirectories(WORK);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    /** The pinned keys of a run: the log key, witness keys and the quorum (null = all). */
    record Pins(String logKey, List<String> witnesses, Integer quorum) {
        static Pins of(JsonNode vector) {
            List<String> witnesses = new ArrayList<>();
            vector.path("witnesses").forEach(w -> witnesses.add(w.asText()));
            return new Pins(vector.get("logKey").asText(), witnesses, vector.has("quorum") ? vector.get("quorum").asInt() : null);
        }
    }

    /** What the page showed: overall result, failure kinds, per-record kinds, SM2 rows, the CLI-format output. */
    record Shown(String result, TreeSet<String> failures, List<String> recordKinds, List<Boolean> sm2Rows, String cli) {
    }

    private Shown verifyInPage(String url, Path bundle, Pins pins, String shot) throws IOException {
        browser.get(url);
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-ready")));
        browser.findElement(By.id("bundle-file")).sendKeys(bundle.toAbsolutePath().toString());
        browser.findElement(By.id("log-key")).sendKeys(pins.logKey());
        if (!pins.witnesses().isEmpty()) {
            browser.findElement(By.id("witnesses")).sendKeys(String.join("\n", pins.witnesses()));
        }
        if (pins.quorum() != null) {
            browser.findElement(By.id("quorum")).sendKeys(pins.quorum().toString());
        }
        browser.findElement(By.id("verify")).click();
        WebElement result = browser.findElement(By.id("result"));
        new WebDriverWait(browser, Duration.ofSeconds(120)).until(d -> List.of("done", "error").contains(result.getAttribute("data-state")));
        assertEquals("done", result.getAttribute("data-state"), () -> "the page's verifier crashed: " + result.getText());
        if (shot != null) {
            screenshot(shot);
        }
        TreeSet<String> failures = new TreeSet<>();
        String listed = result.getAttribute("data-failures");
        if (!listed.isEmpty()) {
            failures.addAll(List.of(listed.split(",")));
        }
        List<String> recordKinds = new ArrayList<>();
        List<Boolean> sm2 = new ArrayList<>();
        for (WebElement row : browser.findElements(By.cssSelector("#records tbody tr"))) {
            recordKinds.add(row.getAttribute("data-kinds"));
            sm2.add(row.getAttribute("class").contains("unchecked"));
        }
        String cli = (String) browser.executeScript("return document.getElementById('cli-output').textContent");
        List<String> errors = Browsers.consoleErrors(browser);
        assertTrue(errors.isEmpty(), () -> bundle.getFileName() + ": console errors " + errors);
        return new Shown(result.getAttribute("data-result"), failures, recordKinds, sm2, cli);
    }

    /** The whole page (the window made as tall as the page for the shot). */
    private static void screenshot(String name) throws IOException {
        Dimension size = browser.manage().window().getSize();
        long height = (Long) browser.executeScript("return document.documentElement.scrollHeight");
        browser.manage().window().setSize(new Dimension(size.getWidth(), (int) Math.min(height + 100, 5000)));
        browser.executeScript("window.scrollTo(0, 0)");
        Files.write(SCREENSHOTS.resolve("audit-" + name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
        browser.manage().window().setSize(size);
    }

    /** The bundle of a vector file as the bytes an auditor would drop on the page. */
    static Path bundleFile(String name, JsonNode vector) throws IOException {
        Path file = WORK.resolve(name);
        Files.write(file, vector.has("bundleText") ? vector.get("bundleText").asText().getBytes(StandardCharsets.UTF_8)
                : Json.MAPPER.writeValueAsBytes(vector.get("bundle")));
        return file;
    }

    /** The command-line verifier's output for the same input, with each failure cut to its place and kind. */
    static String cli(Path bundle, Pins pins) {
        List<String> args = new ArrayList<>(List.of("verify", "--log-key", pins.logKey()));
        pins.witnesses().forEach(w -> args.addAll(List.of("--witness", w)));
        if (pins.quorum() != null) {
            args.addAll(List.of("--quorum", pins.quorum().toString()));
        }
        args.add(bundle.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = AuditCli.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
        assertTrue(status == 0 || status == 1, "the CLI refused the input: " + args);
        return comparable(out.toString(StandardCharsets.UTF_8));
    }

    private static final Pattern FAIL = Pattern.compile("^(FAIL \\S+: [A-Z_]+): .*$|^(FAIL [^:]*):.*$");

    /** Failure lines keep their place and kind only: the messages are each implementation's own words. */
    static String comparable(String output) {
        List<String> lines = new ArrayList<>();
        for (String line : output.strip().split("\n")) {
            Matcher m = FAIL.matcher(line);
            lines.add(m.matches() ? (m.group(1) != null ? m.group(1) : m.group(2)) : line.stripTrailing());
        }
        return String.join("\n", lines);
    }

    /** Per record, the Java Verifier's failure kinds ("" for none), as the page's rows list them. */
    static List<String> javaRecordKinds(Path bundle, Pins pins) throws IOException {
        EvidenceBundle parsed;
        try {
            parsed = EvidenceBundle.parse(Files.readAllBytes(bundle));
        } catch (BundleLimit.Exceeded | RecordFormatException e) {
            return List.of();
        }
        Verifier verifier = Verifier.pinning(NoteKey.parse(pins.logKey()));
        if (!pins.witnesses().isEmpty()) {
            List<CosignerKey> keys = pins.witnesses().stream().map(CosignerKey::parse).toList();
            verifier = verifier.requiringCosignatures(keys, pins.quorum() == null ? keys.size() : pins.quorum());
        }
        List<Finding> findings = verifier.verify(parsed).findings();
        List<String> kinds = new ArrayList<>();
        for (int i = 0; i < parsed.records().size(); i++) {
            String where = "records[" + i + "]";
            kinds.add(String.join(",", findings.stream().filter(f -> f.where().equals(where)).map(f -> f.failure().name()).collect(java.util.stream.Collectors.toCollection(TreeSet::new))));
        }
        return kinds;
    }

    static Map<String, JsonNode> vectors() throws IOException {
        Map<String, JsonNode> files = new TreeMap<>();
        try (Stream<Path> paths = Files.list(VECTORS)) {
            for (Path f : paths.filter(p -> p.toString().endsWith(".json")).toList()) {
                files.put(f.getFileName().toString(), Json.parse(Files.readAllBytes(f)));
            }
        }
        return files;
    }

    static boolean hasSm2(JsonNode vector) {
        return vector.has("bundle") && vector.get("bundle").findValuesAsText("alg").contains("SM2");
    }

    @Test
    void everyBundleVectorGetsTheJavaVerifiersResult() throws IOException {
        Map<String, JsonNode> vectors = vectors();
        assertTrue(vectors.size() >= 30, "the bundle vectors are there");
        List<String> mismatches = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : vectors.entrySet()) {
            String name = e.getKey();
            JsonNode v = e.getValue();
            Pins pins = Pins.of(v);
            Path bundle = bundleFile(name, v);
            String stem = name.replace(".json", "");
            Shown shown = verifyInPage(page.toString(), bundle, pins, List.of("valid-life", "valid-life-sm2", "valid-life-cosigned", "revocation-withheld",
                    "non-canonical-number", "last-record-withheld").contains(stem) ? stem : null);
            TreeSet<String> want = new TreeSet<>();
            v.at("/want/failures").forEach(f -> want.add(f.asText()));
            String wantResult = v.at("/want/result").asText();
            if (hasSm2(v)) {
                // The browser cannot check SM2: never VERIFIED, and the rows say which signatures it left unchecked.
                assertEquals("VERIFIED", wantResult, name);
                wantResult = "INCOMPLETE";
                if (!shown.sm2Rows().contains(true)) {
                    mismatches.add(name + ": no row says its SM2 signature was not checked");
                }
            }
            if (!wantResult.equals(shown.result()) || !want.equals(shown.failures())) {
                mismatches.add(name + ": page " + shown.result() + " " + shown.failures() + ", Java " + wantResult + " " + want);
            }
            List<String> javaRows = javaRecordKinds(bundle, pins);
            if (!javaRows.equals(shown.recordKinds())) {
                mismatches.add(name + ": per-record kinds: page " + shown.recordKinds() + ", Java " + javaRows);
            }
            if (!hasSm2(v) && !cli(bundle, pins).equals(comparable(shown.cli()))) {
                mismatches.add(name + ": output differs from the CLI's\n--- page:\n" + comparable(shown.cli()) + "\n--- cli:\n" + cli(bundle, pins));
            }
        }
        assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
    }

    @Test
    void theEnglishSwitchAndTheSm2Limitation() throws IOException {
        JsonNode v = vectors().get("valid-life-sm2.json");
        Shown shown = verifyInPage(page.toString(), bundleFile("valid-life-sm2.json", v), Pins.of(v), null);
        assertEquals("INCOMPLETE", shown.result());
        assertEquals("zh-CN", browser.findElement(By.tagName("html")).getAttribute("lang"));
        assertTrue(browser.findElement(By.id("result")).getText().startsWith("未完成核验"), browser.findElement(By.id("result")).getText());
        assertTrue(browser.findElement(By.id("records")).getText().contains("未在浏览器中校验 (SM2)"));
        browser.findElement(By.id("language")).click();
        assertEquals("en", browser.findElement(By.tagName("html")).getAttribute("lang"));
        String result = browser.findElement(By.id("result")).getText();
        assertTrue(result.startsWith("NOT VERIFIED (incomplete)") && !result.startsWith("VERIFIED"), result);
        assertTrue(browser.findElement(By.id("records")).getText().contains("not checked in the browser (SM2)"));
        assertTrue(shown.cli().contains("RESULT: NOT VERIFIED (incomplete: 2 SM2 signatures not checked in the browser)"), shown.cli());
        screenshot("sm2-en");
        assertTrue(Browsers.consoleErrors(browser).isEmpty());
    }

    @Test
    void aSavedCopyVerifiesFromFileWithoutAServer() throws IOException {
        Path copy = WORK.resolve("saved-copy");
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(PAGE)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        String url = copy.resolve("index.html").toAbsolutePath().toUri().toString();
        JsonNode v = vectors().get("valid-life.json");
        Path bundle = bundleFile("valid-life.json", v);
        Shown good = verifyInPage(url, bundle, Pins.of(v), "offline-valid-life");
        assertEquals("VERIFIED", good.result());
        assertEquals(7, good.recordKinds().size());
        assertTrue(good.recordKinds().stream().allMatch(String::isEmpty));

        // A log key the checkpoint is not signed by: the page fails it exactly as the Java verifier does.
        String wrong = new NoteKey(v.get("logKey").asText().split("\\+")[0], SigningKey.generate(SignatureAlgorithm.ED25519).publicKey()).verifierKey();
        Pins wrongPins = new Pins(wrong, List.of(), null);
        Shown refused = verifyInPage(url, bundle, wrongPins, "offline-wrong-log-key");
        assertEquals("FAILED", refused.result());
        assertTrue(refused.failures().contains("CHECKPOINT_INVALID"), refused.failures().toString());
        TreeSet<String> java = new TreeSet<>();
        Verifier.pinning(NoteKey.parse(wrong)).verify(EvidenceBundle.parse(Files.readAllBytes(bundle))).findings().forEach(f -> java.add(f.failure().name()));
        assertEquals(java, refused.failures());
        assertEquals(cli(bundle, wrongPins), comparable(refused.cli()));
    }

    @Test
    void aBundleFromTheApiVerifiesInTheBrowserAndInJavaAlike() throws IOException {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        Org oem = Platform.organization(SignatureAlgorithm.ES256, false, Role.VEHICLE_MAKER);
        String pack = Platform.newPackCode();
        maker.record(pack, "PRODUCED", null);
        maker.transfer(pack, oem);
        oem.record(pack, "INSTALLED", Platform.data("vin", "LSVAU218XN2183294"));
        byte[] json = maker.auth().get("/api/v1/batteries/" + pack + "/evidence").then().statusCode(200).extract().asByteArray();
        String logKey = given().get("/api/v1/log/key").then().statusCode(200).extract().path("verifierKey");
        assertTrue(Verifier.pinning(NoteKey.parse(logKey)).verify(EvidenceBundle.parse(json)).ok(), "the Java verifier accepts the live bundle");
        Path bundle = WORK.resolve("live-" + pack + ".json");
        Files.write(bundle, json);
        Pins pins = new Pins(logKey, List.of(), null);
        Shown shown = verifyInPage(page.toString(), bundle, pins, "live-bundle");
        assertEquals("VERIFIED", shown.result(), shown.cli());
        assertEquals(List.of("", "", ""), shown.recordKinds());
        assertEquals(cli(bundle, pins), comparable(shown.cli()));
    }

    @Test
    void badInputGetsAMessageBesideItsFieldAndVerifiesNothing() throws IOException {
        JsonNode v = vectors().get("valid-life.json");
        Path bundle = bundleFile("valid-life.json", v);
        browser.get(page.toString());
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-ready")));
        Browsers.consoleErrors(browser);
        browser.executeScript("console.error('probe: the console is watched')");
        assertTrue(Browsers.consoleErrors(browser).stream().anyMatch(m -> m.contains("probe: the console is watched")), "console errors are seen");
        browser.findElement(By.id("verify")).click();
        assertFalse(browser.findElement(By.id("bundle-error")).getText().isEmpty(), "no bundle chosen");
        assertFalse(browser.findElement(By.id("log-key-error")).getText().isEmpty(), "no log key");

        browser.findElement(By.id("bundle-file")).sendKeys(bundle.toAbsolutePath().toString());
        browser.findElement(By.id("log-key")).sendKeys(v.get("logKey").asText().replace("+AU", "+AV"));
        browser.findElement(By.id("witnesses")).sendKeys("witness.example/w1+00000000+BAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        browser.findElement(By.id("quorum")).sendKeys("3");
        browser.findElement(By.id("verify")).click();
        assertTrue(browser.findElement(By.id("bundle-error")).getText().isEmpty());
        assertTrue(browser.findElement(By.id("log-key-error")).getText().contains("does not match its name and key"), browser.findElement(By.id("log-key-error")).getText());
        assertTrue(browser.findElement(By.id("witnesses-error")).getText().contains("1"), browser.findElement(By.id("witnesses-error")).getText());
        assertFalse(browser.findElement(By.id("quorum-error")).getText().isEmpty());
        assertTrue(browser.findElement(By.id("result-section")).getAttribute("hidden") != null, "nothing was verified");
        screenshot("bad-input");
        assertTrue(Browsers.consoleErrors(browser).isEmpty());
    }

    /** Dropping a file on the page is the same as choosing it (a drop event with the file, as a desktop drag sends it). */
    @Test
    void aDroppedBundleVerifies() throws IOException {
        JsonNode v = vectors().get("valid-life-es256.json");
        browser.get(page.toString());
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-ready")));
        browser.executeScript("const data = new DataTransfer();"
                + "data.items.add(new File([arguments[0]], 'dropped.json', {type: 'application/json'}));"
                + "document.getElementById('drop').dispatchEvent(new DragEvent('drop', {dataTransfer: data, bubbles: true, cancelable: true}));",
                Json.MAPPER.writeValueAsString(v.get("bundle")));
        assertTrue(browser.findElement(By.id("bundle-name")).getText().startsWith("dropped.json"));
        browser.findElement(By.id("log-key")).sendKeys(v.get("logKey").asText());
        browser.findElement(By.id("verify")).click();
        WebElement result = browser.findElement(By.id("result"));
        new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> "done".equals(result.getAttribute("data-state")));
        assertEquals("VERIFIED", result.getAttribute("data-result"), result.getText());
        assertTrue(Browsers.consoleErrors(browser).isEmpty());
    }

    /** The bundle is the attacker's: markup in it is shown as text (and the page's CSP refuses inline handlers besides). */
    @Test
    void markupInABundleIsShownAsTextNeverRun() throws IOException {
        JsonNode v = vectors().get("valid-life.json");
        ObjectNode bundle = v.get("bundle").deepCopy();
        String hostile = "<img/src=x/onerror=document.title='pwned'>";
        ((ObjectNode) bundle.get("records").get(0).get("entry").get("record")).put("actor", hostile);
        Path file = WORK.resolve("hostile-markup.json");
        Files.write(file, Json.MAPPER.writeValueAsBytes(bundle));
        Shown shown = verifyInPage(page.toString(), file, Pins.of(v), "hostile-markup");
        assertEquals("FAILED", shown.result());
        assertNotEquals("pwned", browser.getTitle());
        assertTrue(browser.findElements(By.cssSelector("#result-section img")).isEmpty(), "no element was made from the bundle's text");
        assertTrue(browser.findElement(By.id("records")).getText().contains(hostile));
    }

    @Test
    void aBundleOverTheSizeCapIsRefusedUnread() throws IOException {
        Path huge = WORK.resolve("too-large.json");
        try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength(BundleLimit.BUNDLE_BYTES.max() + 1);
        }
        JsonNode v = vectors().get("valid-life.json");
        Pins pins = Pins.of(v);
        Shown shown = verifyInPage(page.toString(), huge, pins, null);
        assertEquals("FAILED", shown.result());
        assertEquals(new TreeSet<>(List.of("BUNDLE_TOO_LARGE")), shown.failures());
        assertEquals(cli(huge, pins), comparable(shown.cli()));
        Files.delete(huge);
    }
}

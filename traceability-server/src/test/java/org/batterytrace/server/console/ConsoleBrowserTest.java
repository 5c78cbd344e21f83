package org.batterytrace.server.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.Json;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SignedRecord;
import org.batterytrace.record.SigningKey;
import org.batterytrace.server.Browsers;
import org.batterytrace.server.Platform;
import org.batterytrace.server.Platform.Org;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real headless Chromium with JavaScript on: sign-in, accepting a transfer signed in the
 * browser with WebCrypto (an ES256 key, so the P1363 to DER conversion is exercised) and finding the record
 * in the battery's history, recording a collection by typed codes (Ed25519), wrong key files and codes told
 * beside their field with nothing changed, the regulator's CSV equal to the reports API, a non-party refused,
 * and every page free of console errors (CSP violations included) with its security headers. The private
 * key never appears in any request the browser sends (DevTools network log). Screenshots go to
 * target/console-screenshots/.
 */
@QuarkusTest
public class ConsoleBrowserTest {
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static ChromeDriver browser;
    private static final List<String> PAGES = List.of("/console/", "/console/batteries", "/console/transfers", "/console/collect", "/console/late-reports",
            "/console/lots");

    @TestHTTPResource("/")
    URL root;

    @BeforeAll
    static void startBrowser() throws IOException {
        browser = Browsers.start(options -> {
            options.addArguments("--window-size=1280,900", "--lang=zh-CN");
            LoggingPreferences logs = new LoggingPreferences();
            logs.enable(LogType.BROWSER, Level.ALL);
            logs.enable(LogType.PERFORMANCE, Level.ALL);
            options.setCapability("goog:loggingPrefs", logs);
        });
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private String url(String path) {
        return root.toString().replaceAll("/$", "") + path;
    }

    private static void shot(String name) throws IOException {
        Files.write(SCREENSHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    private static WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    private static String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    /** Signs in through the form; checks the cookie and that the token went nowhere it could be read back. */
    private void signIn(Org org) {
        browser.manage().deleteAllCookies();
        browser.get(url("/console/?lang=zh"));
        browser.findElement(By.id("token")).sendKeys(org.token);
        browser.findElement(By.id("sign-in-button")).click();
        waiting().until(d -> !d.findElements(By.id("organization")).isEmpty());
        assertTrue(text("organization").contains(org.id));
        Cookie cookie = browser.manage().getCookieNamed(ConsoleSessions.COOKIE);
        assertTrue(cookie.isHttpOnly());
        assertEquals("Strict", cookie.getSameSite());
        assertNotEquals(org.token, cookie.getValue());
        assertFalse(browser.getCurrentUrl().contains(org.token));
        assertFalse(browser.getPageSource().contains(org.token));
        assertEquals("", browser.executeScript("return document.cookie.split('; ').filter(c => c.startsWith('bt_console=')).join('')"), "HttpOnly: scripts cannot read it");
        assertEquals(0L, browser.executeScript("return localStorage.length + sessionStorage.length"));
        for (Cookie c : browser.manage().getCookies()) {
            assertFalse(c.getValue().contains(org.token));
        }
    }

    /** Forgets the console messages so far (a refused request of an earlier test is an error message by design). */
    private static void drainConsole() {
        browser.manage().logs().get(LogType.BROWSER);
    }

    /** The page's console messages since the last call; fails on errors (a CSP violation is one). */
    private static void noConsoleErrors(String page) {
        List<String> errors = new ArrayList<>();
        for (LogEntry e : browser.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add(e.getMessage());
            }
        }
        assertEquals(List.of(), errors, "console errors on " + page);
    }

    /** The security headers of the current page, as the browser received them (a same-origin fetch of it). */
    private static void securityHeaders(String page) {
        @SuppressWarnings("unchecked")
        Map<String, String> headers = (Map<String, String>) browser.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "fetch(location.href).then(r => done({csp: r.headers.get('content-security-policy') || '', nosniff: r.headers.get('x-content-type-options') || '',"
                + " referrer: r.headers.get('referrer-policy') || ''}));");
        String csp = headers.get("csp");
        assertTrue(csp.contains("script-src 'self'") && csp.contains("style-src 'self'") && csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"),
                page + ": " + csp);
        assertEquals("nosniff", headers.get("nosniff"), page);
        assertEquals("same-origin", headers.get("referrer"), page);
    }

    /** Request bodies the browser sent since the last call (DevTools Network.requestWillBeSent). */
    private static List<String> sentBodies() {
        List<String> bodies = new ArrayList<>();
        for (LogEntry e : browser.manage().logs().get(LogType.PERFORMANCE)) {
            JsonNode message = Json.parse(e.getMessage().getBytes(StandardCharsets.UTF_8)).path("message");
            if ("Network.requestWillBeSent".equals(message.path("method").asText())) {
                JsonNode request = message.path("params").path("request");
                bodies.add(request.path("url").asText() + "\n" + request.path("postData").asText(""));
            }
        }
        return bodies;
    }

    private static Path keyFile(String name, String content) throws IOException {
        Path file = Files.createTempFile(Files.createDirectories(Path.of("target", "tmp")), name, ".pem");
        Files.writeString(file, content);
        return file;
    }

    private static void chooseKey(Path file) {
        WebElement input = browser.findElement(By.id("key-file"));
        input.clear();
        input.sendKeys(file.toAbsolutePath().toString());
    }

    private static String waitForText(String id) {
        waiting().until(d -> d.findElement(By.id(id)).isDisplayed() && !d.findElement(By.id(id)).getText().isBlank());
        return text(id);
    }

    @Test
    void acceptATransferSignedInTheBrowserAndFindTheRecordInTheLog() throws IOException {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        Org oem = Platform.organization(SignatureAlgorithm.ES256, false, Role.VEHICLE_MAKER);
        String pack = Platform.newPackCode();
        maker.record(pack, "PRODUCED", null);
        SignedRecord offer = maker.prepareAndSign(pack, "TRANSFERRED", Platform.data("to", oem.id));
        String transfer = maker.auth().body(offer.toJson().toString()).post("/api/v1/transfers").then().statusCode(201).extract().path("id");

        signIn(oem);
        shot("home-zh");
        sentBodies();
        browser.get(url("/console/transfers"));
        Path key = keyFile("oem", oem.key.toPem());
        chooseKey(key);
        assertTrue(waitForText("key-status").contains("ES256"));
        shot("transfers-key-loaded");
        browser.findElement(By.cssSelector("button.accept[data-transfer='" + transfer + "']")).click();
        waiting().until(d -> d.findElement(By.id("message-" + transfer)).getText().matches(".*\\d+$"));
        shot("transfers-accepted");
        String logIndex = text("message-" + transfer).replaceAll(".*?(\\d+)$", "$1");

        JsonNode history = Json.parse(oem.auth().get("/api/v1/batteries/" + pack + "/history").then().statusCode(200).extract().asByteArray());
        JsonNode last = history.get(history.size() - 1);
        assertEquals("TRANSFERRED", last.path("entry").path("record").path("type").asText());
        assertEquals(logIndex, last.path("logIndex").asText(), "the log index the page showed");
        List<String> signers = new ArrayList<>();
        last.path("entry").path("signatures").forEach(s -> signers.add(s.path("keyId").asText() + " " + s.path("alg").asText()));
        assertEquals(List.of(maker.key.keyId() + " Ed25519", oem.key.keyId() + " ES256"), signers, "the custodian's and the receiver's in-browser signature");
        oem.auth().get("/api/v1/batteries/" + pack).then().statusCode(200).body("custodian", org.hamcrest.Matchers.equalTo(oem.id));

        String pem = oem.key.toPem();
        String keyBody = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        List<String> bodies = sentBodies();
        assertTrue(bodies.stream().anyMatch(b -> b.contains("/accept")), "the acceptance was seen going out");
        for (String body : bodies) {
            assertFalse(body.contains(keyBody) || body.contains(keyBody.substring(0, 40)) || body.contains("PRIVATE KEY"), "the private key left the browser: " + body);
        }

        browser.get(url("/console/batteries/" + pack));
        assertTrue(browser.findElement(By.id("timeline")).getText().contains("TRANSFERRED"));
        assertTrue(browser.findElements(By.cssSelector("#timeline .log-index")).stream().anyMatch(e -> e.getText().equals(logIndex)));
        shot("battery-timeline");
        browser.get(url("/console/batteries"));
        assertTrue(browser.findElement(By.id("batteries")).getText().contains(pack));
        shot("batteries");
        browser.findElement(By.id("sign-out")).click();
        waiting().until(d -> !d.findElements(By.id("sign-in")).isEmpty());
        shot("signed-out");
    }

    @Test
    void wrongKeyFilesAndCodesAreToldBesideTheFieldAndChangeNothing() throws IOException {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        Org oem = Platform.organization(SignatureAlgorithm.ED25519, false, Role.VEHICLE_MAKER);
        Org recycler = Platform.organization(SignatureAlgorithm.ED25519, true, Role.RECYCLER, Role.DISMANTLER);
        String pack = Platform.newPackCode();
        maker.record(pack, "PRODUCED", null);
        maker.transfer(pack, oem);
        oem.record(pack, "INSTALLED", Platform.data("vin", "LSVAU218XN2183294"));
        ObjectNode retired = Json.object();
        retired.put("odometerKm", 182_345);
        retired.put("sohBasisPoints", 7_850);
        oem.record(pack, "RETIRED", retired);
        oem.transfer(pack, recycler);

        signIn(recycler);
        browser.get(url("/console/collect?lang=en"));
        browser.findElement(By.id("codes")).sendKeys(pack);
        browser.findElement(By.id("collect-submit")).click();
        assertEquals("Choose your organization's private key file first.", waitForText("key-error"));
        chooseKey(keyFile("not-a-key", "hello"));
        assertTrue(waitForText("key-error").startsWith("This is not a PKCS#8 private key PEM file"));
        chooseKey(keyFile("sm2", SigningKey.generate(SignatureAlgorithm.SM2).toPem()));
        assertTrue(waitForText("key-error").startsWith("Browsers cannot sign with SM2"));
        shot("collect-sm2-refused");
        chooseKey(keyFile("stranger", SigningKey.generate(SignatureAlgorithm.ED25519).toPem()));
        assertEquals("This key is not an active registered key of your organization.", waitForText("key-error"));
        chooseKey(keyFile("recycler", recycler.key.toPem()));
        assertTrue(waitForText("key-status").contains("Ed25519"));

        // A scanner types codes and Enter; one malformed code stops the whole batch.
        browser.findElement(By.id("codes")).sendKeys("\nH5NPEA7HN24L01G3E00000X\n");
        browser.findElement(By.id("collect-submit")).click();
        assertEquals("Enter the collection site.", waitForText("site-error"));
        browser.findElement(By.id("site")).sendKeys("Changsha collection point 3");
        browser.findElement(By.id("collect-submit")).click();
        String error = waitForText("codes-error");
        assertTrue(error.startsWith("H5NPEA7HN24L01G3E00000X: Malformed code"), error);
        shot("collect-malformed-code");
        recycler.auth().get("/api/v1/batteries/" + pack).then().statusCode(200).body("state", org.hamcrest.Matchers.equalTo("RETIRED"));

        WebElement codes = browser.findElement(By.id("codes"));
        codes.clear();
        codes.sendKeys(pack + "\n");
        browser.findElement(By.id("collect-submit")).click();
        assertTrue(waitForText("collect-result").startsWith("Recorded: " + pack + " #"));
        shot("collect-recorded");
        recycler.auth().get("/api/v1/batteries/" + pack).then().statusCode(200).body("state", org.hamcrest.Matchers.equalTo("COLLECTED"));
        JsonNode history = Json.parse(recycler.auth().get("/api/v1/batteries/" + pack + "/history").then().extract().asByteArray());
        JsonNode collected = history.get(history.size() - 1).path("entry");
        assertEquals("COLLECTED", collected.path("record").path("type").asText());
        assertEquals("Changsha collection point 3", collected.path("record").path("data").path("site").asText());

        // Accepting a transfer without a key changes nothing either.
        Org other = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        String second = Platform.newPackCode();
        other.record(second, "PRODUCED", null);
        SignedRecord offer = other.prepareAndSign(second, "TRANSFERRED", Platform.data("to", maker.id));
        String transfer = other.auth().body(offer.toJson().toString()).post("/api/v1/transfers").then().statusCode(201).extract().path("id");
        signIn(maker);
        browser.get(url("/console/transfers?lang=en"));
        browser.findElement(By.cssSelector("button.accept[data-transfer='" + transfer + "']")).click();
        assertEquals("Choose your organization's private key file first.", waitForText("key-error"));
        maker.auth().get("/api/v1/transfers/" + transfer).then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("PENDING"));
        browser.findElement(By.cssSelector("button.reject[data-transfer='" + transfer + "']")).click();
        waiting().until(d -> d.findElement(By.cssSelector("#transfer-" + transfer + " .status")).getText().equals("REJECTED"));
        maker.auth().get("/api/v1/transfers/" + transfer).then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("REJECTED"));
        shot("transfers-rejected-en");
    }

    @Test
    void theRegulatorsCsvDownloadsEqualTheReportsApi() throws IOException {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        maker.record(Platform.newPackCode(), "PRODUCED", null);
        Org regulator = Platform.regulator("430000", "43");
        signIn(regulator);
        browser.get(url("/console/regulator"));
        assertEquals(14, browser.findElements(By.cssSelector("#chart-stock .tile")).size());
        shot("regulator-zh");
        List<WebElement> links = browser.findElements(By.cssSelector("a.csv"));
        assertEquals(5, links.size());
        for (WebElement link : links) {
            String href = link.getAttribute("href");
            // The bytes as the browser downloads them, hex-encoded in the page (WebDriver normalizes line ends in returned strings).
            String inBrowser = (String) browser.executeAsyncScript("const done = arguments[arguments.length - 1]; fetch(arguments[0]).then(r => r.arrayBuffer())"
                    + ".then(b => done(Array.from(new Uint8Array(b), x => x.toString(16).padStart(2, '0')).join('')));", href);
            byte[] api = regulator.auth().get(href.substring(href.indexOf("/api/v1"))).then().statusCode(200).extract().asByteArray();
            assertEquals(java.util.HexFormat.of().formatHex(api), inBrowser, "the CSV the page offers is the reports API's: " + href);
        }
        drainConsole();
        browser.get(url("/console/regulator?lang=en"));
        shot("regulator-en");
        noConsoleErrors("/console/regulator");
        securityHeaders("/console/regulator");
    }

    @Test
    void aNonPartyCannotSeeAnotherEnterprisesBatteryPage() throws IOException {
        Org maker = Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER);
        String pack = Platform.newPackCode();
        maker.record(pack, "PRODUCED", null);
        signIn(Platform.organization(SignatureAlgorithm.ED25519, false, Role.BATTERY_MAKER));
        browser.get(url("/console/batteries/" + pack));
        assertEquals("urn:batterytrace:problem:not-a-party", text("problem-type"));
        assertTrue(browser.findElements(By.id("timeline")).isEmpty());
        assertFalse(browser.getPageSource().contains("PRODUCED"));
        shot("battery-not-a-party");
    }

    @Test
    void everyPageLoadsWithoutConsoleErrorsAndWithItsSecurityHeaders() throws IOException {
        Org recycler = Platform.organization(SignatureAlgorithm.ED25519, true, Role.RECYCLER);
        browser.manage().deleteAllCookies();
        drainConsole();
        browser.get(url("/console/?lang=zh"));
        shot("sign-in-zh");
        noConsoleErrors("sign-in");
        securityHeaders("sign-in");
        signIn(recycler);
        for (String page : PAGES) {
            for (String lang : List.of("zh", "en")) {
                browser.get(url(page + "?lang=" + lang));
                assertEquals("zh".equals(lang) ? "zh-CN" : "en", browser.findElement(By.tagName("html")).getAttribute("lang"));
                noConsoleErrors(page);
                securityHeaders(page);
                shot(("page" + page.replace('/', '-') + "-" + lang).replace("--", "-").replaceAll("-$", ""));
            }
        }
    }
}

package org.batterytrace.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.batterytrace.lifecycle.Role;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.server.Platform.Org;
import org.batterytrace.server.passport.Symbols;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The passport page in a real headless Chromium (Debian packages chromium and chromium-driver) with
 * JavaScript switched off and a phone-sized window: each tier shows what it may, the language switch works,
 * and the QR code on the screen decodes back to the page's address. Screenshots go to target/passport-screenshots/.
 * Skipped, saying why, when no Chromium is installed on a developer machine ({@link Browsers}).
 */
@QuarkusTest
public class PassportBrowserTest {
    static final Path SCREENSHOTS = Path.of("target", "passport-screenshots");
    private static ChromeDriver browser;

    @TestHTTPResource("/")
    URL root;

    @BeforeAll
    static void startBrowser() throws IOException {
        // The page must work without script: the browser runs none.
        browser = Browsers.start(false, "390,844");
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    /** Sends the caller's API token with every request the page makes (DevTools protocol), or none. */
    private static void as(Org org, String token) {
        browser.executeCdpCommand("Network.enable", Map.of());
        browser.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", token == null ? Map.of() : Map.of("Authorization", "Bearer " + token)));
    }

    private void open(String code, String query, String shot) throws IOException {
        browser.manage().window().setSize(new Dimension(390, 844));
        browser.get(root.toString().replaceAll("/$", "") + "/p/" + code + query);
        Files.write(SCREENSHOTS.resolve(shot + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    private static String text() {
        return browser.findElement(By.tagName("body")).getText();
    }

    private static void fitsThePhone() {
        int width = browser.manage().window().getSize().getWidth();
        for (WebElement e : browser.findElements(By.cssSelector("h1, p, dt, dd, figure"))) {
            assertTrue(e.getRect().getX() + e.getRect().getWidth() <= width, "an element sticks out of a " + width + " px wide screen: " + e.getText());
        }
    }

    @Test
    void eachTierSeesItsPassportAndTheQrCodeLeadsBackToThePage() throws IOException {
        PassportTest.Battery b = PassportTest.walkthroughBattery();
        Org regulator = Platform.organization(SignatureAlgorithm.ED25519, false, Role.REGULATOR);
        String url = root.toString().replaceAll("/$", "") + "/p/" + b.pack();

        as(null, null);
        open(b.pack(), "", "public-zh");
        assertEquals("zh-CN", browser.findElement(By.tagName("html")).getAttribute("lang"));
        assertEquals("公开", browser.findElement(By.id("tier")).getText());
        assertEquals(b.pack(), browser.findElement(By.id("code")).getText());
        String page = text();
        for (String shown : List.of("产品基本信息", "碳足迹", "61.4", "供应链尽职调查", "材料与成分", "循环利用", "性能与耐久性", "标签与合规", "灭火剂")) {
            assertTrue(page.contains(shown), "public page shows " + shown);
        }
        for (String hidden : List.of("电池状态", "生命周期 (单体电池)", "A7-dismantling.pdf", "A7-test-reports.pdf", "完整充放电循环", b.oem().id)) {
            assertFalse(page.contains(hidden), "public page hides " + hidden);
        }
        assertTrue(browser.findElements(By.id("lifecycle")).isEmpty());
        assertTrue(browser.findElements(By.tagName("script")).isEmpty());
        fitsThePhone();
        WebElement qr = browser.findElement(By.id("qr"));
        assertTrue(qr.getRect().getWidth() > 100, "the QR image loaded");
        byte[] onScreen = qr.getScreenshotAs(OutputType.BYTES);
        Files.write(SCREENSHOTS.resolve("qr-on-screen.png"), onScreen);
        assertEquals(url, Symbols.decode(onScreen), "the QR code as rendered decodes to the page address");
        assertEquals(url, browser.findElement(By.id("page-url")).getText());
        browser.manage().window().setSize(new Dimension(390, 6000));
        Files.write(SCREENSHOTS.resolve("public-zh-full.png"), browser.getScreenshotAs(OutputType.BYTES));
        browser.manage().window().setSize(new Dimension(390, 844));

        browser.findElement(By.id("language")).click();
        Files.write(SCREENSHOTS.resolve("public-en.png"), browser.getScreenshotAs(OutputType.BYTES));
        assertEquals("en", browser.findElement(By.tagName("html")).getAttribute("lang"));
        assertEquals("Public", browser.findElement(By.id("tier")).getText());
        assertTrue(text().contains("Carbon footprint") && text().contains("Extinguishing agent"));

        as(b.oem(), b.oem().token);
        open(b.pack(), "", "legitimate-interest-zh");
        assertEquals("合法利益者", browser.findElement(By.id("tier")).getText());
        page = text();
        for (String shown : List.of("电池状态", "Original", "持有方", b.oem().id, "A7-dismantling.pdf", "完整充放电循环", "812", "rear collision")) {
            assertTrue(page.contains(shown), "legitimate-interest page shows " + shown);
        }
        assertFalse(page.contains("A7-test-reports.pdf"), "test reports are for authorities");
        fitsThePhone();

        as(regulator, regulator.token);
        open(b.pack(), "?lang=en", "authority-en");
        assertEquals("Authority", browser.findElement(By.id("tier")).getText());
        assertTrue(text().contains("A7-test-reports.pdf") && text().contains("Signed records"), "authorities see the test reports and the records");
        fitsThePhone();
        as(null, null);
    }
}

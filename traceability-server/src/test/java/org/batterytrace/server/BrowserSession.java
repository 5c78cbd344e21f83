package org.batterytrace.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Chromium from the Debian packages {@code chromium} and {@code chromium-driver} (or CHROMIUM_BIN and
 * CHROMEDRIVER_BIN) for the browser tests. Skips the calling test, saying why, when no Chromium is installed on
 * a developer machine; on CI (where .ci/run installs it) a missing browser fails.
 */
public final class BrowserSession {
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM_BIN", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("CHROMEDRIVER_BIN", "/usr/bin/chromedriver"));

    private BrowserSession() {
    }

    /**
     * Starts a browser with a fresh profile under target/tmp, the window size {@code "w,h"}, Chinese as the
     * preferred language, JavaScript on or off, and the browser console log kept for {@link #consoleErrors}.
     */
    public static ChromeDriver start(boolean javascript, String windowSize) throws IOException {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed && System.getenv("CI") != null) {
            throw new IllegalStateException("CI must run the browser tests: install the Debian packages chromium and chromium-driver (.ci/run does)");
        }
        Assumptions.assumeTrue(installed, "Skipped: no Chromium at " + CHROMIUM + " / " + CHROMEDRIVER
                + " (apt-get install -y chromium chromium-driver, or set CHROMIUM_BIN and CHROMEDRIVER_BIN)");
        Path profile = Files.createTempDirectory(Files.createDirectories(Path.of("target", "tmp")), "chromium-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile.toAbsolutePath(),
                "--window-size=" + windowSize, "--force-device-scale-factor=1", "--lang=zh-CN");
        Map<String, Object> prefs = new HashMap<>();
        prefs.put("intl.accept_languages", "zh-CN,zh");
        if (!javascript) {
            prefs.put("profile.managed_default_content_settings.javascript", 2);
        }
        options.setExperimentalOption("prefs", prefs);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeDriver browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        return browser;
    }

    /** The console messages at level SEVERE (errors, failed loads, CSP violations) since the last call. */
    public static List<String> consoleErrors(ChromeDriver browser) {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream().filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
    }
}

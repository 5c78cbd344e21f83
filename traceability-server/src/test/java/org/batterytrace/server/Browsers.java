package org.batterytrace.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless system Chromium for the browser tests (Debian packages chromium and chromium-driver, or
 * CHROMIUM_BIN and CHROMEDRIVER_BIN). Without a browser the calling test class is skipped, saying why, on a
 * developer machine; on CI (CI set) a missing browser fails it.
 */
public final class Browsers {
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM_BIN", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("CHROMEDRIVER_BIN", "/usr/bin/chromedriver"));

    private Browsers() {
    }

    /** A fresh headless Chromium with its own profile under target/tmp; {@code options} adds what the test needs (window size, language, prefs). */
    public static ChromeDriver start(Consumer<ChromeOptions> options) throws IOException {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed && System.getenv("CI") != null) {
            throw new IllegalStateException("CI must run the browser tests: install the Debian packages chromium and chromium-driver (.ci/run does)");
        }
        Assumptions.assumeTrue(installed, "Skipped: no Chromium at " + CHROMIUM + " / " + CHROMEDRIVER
                + " (apt-get install -y chromium chromium-driver, or set CHROMIUM_BIN and CHROMEDRIVER_BIN)");
        Path profile = Files.createTempDirectory(Files.createDirectories(Path.of("target", "tmp")), "chromium-profile");
        ChromeOptions chrome = new ChromeOptions();
        chrome.setBinary(CHROMIUM.toFile());
        chrome.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile.toAbsolutePath(),
                "--force-device-scale-factor=1");
        options.accept(chrome);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeDriver browser = new ChromeDriver(service, chrome);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        return browser;
    }

    /**
     * A browser with the window size {@code "w,h"}, Chinese as the preferred language, JavaScript on or off,
     * and the browser console log kept for {@link #consoleErrors}.
     */
    public static ChromeDriver start(boolean javascript, String windowSize) throws IOException {
        return start(options -> {
            options.addArguments("--window-size=" + windowSize, "--lang=zh-CN");
            Map<String, Object> prefs = new HashMap<>();
            prefs.put("intl.accept_languages", "zh-CN,zh");
            if (!javascript) {
                prefs.put("profile.managed_default_content_settings.javascript", 2);
            }
            options.setExperimentalOption("prefs", prefs);
            LoggingPreferences logs = new LoggingPreferences();
            logs.enable(LogType.BROWSER, Level.ALL);
            options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        });
    }

    /** The console messages at level SEVERE (errors, failed loads, CSP violations) since the last call. */
    public static List<String> consoleErrors(ChromeDriver browser) {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream().filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
    }
}

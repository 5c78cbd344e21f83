package org.batterytrace.server.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/** The console's strings: one bundle per language ({@code console/messages_<lang>.properties}, UTF-8); Chinese by default. */
public final class ConsoleMessages {
    public static final List<String> LANGUAGES = List.of("zh", "en");
    private static final Map<String, Map<String, String>> BUNDLES = Map.of("zh", load("zh"), "en", load("en"));

    private ConsoleMessages() {
    }

    /** The strings of {@code lang} ("zh" or "en"). */
    public static Map<String, String> of(String lang) {
        return BUNDLES.get(lang);
    }

    /** "en" when asked for by {@code ?lang=} or, failing that, the {@code lang} cookie; else "zh". */
    public static String language(String query, String cookie) {
        String asked = query != null && !query.isBlank() ? query : cookie;
        return asked != null && asked.toLowerCase(Locale.ROOT).startsWith("en") ? "en" : "zh";
    }

    static Map<String, String> load(String lang) {
        String name = "console/messages_" + lang + ".properties";
        try (InputStream in = ConsoleMessages.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing " + name);
            }
            Properties p = new Properties();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            Map<String, String> map = new TreeMap<>();
            p.stringPropertyNames().forEach(k -> map.put(k, p.getProperty(k)));
            return Map.copyOf(map);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package org.batterytrace.server.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Both languages have every string, and every string a template or the script uses exists. */
class ConsoleMessagesTest {
    @Test
    void bothBundlesHaveTheSameKeysAndTheTemplatesUseOnlyThose() throws IOException {
        Set<String> zh = ConsoleMessages.of("zh").keySet();
        assertEquals(zh, ConsoleMessages.of("en").keySet());
        Set<String> used = new TreeSet<>();
        try (Stream<Path> templates = Files.list(Path.of("src/main/resources/templates/console"))) {
            for (Path t : templates.toList()) {
                Pattern.compile("p\\.m\\.([A-Za-z0-9]+)").matcher(Files.readString(t)).results().forEach(r -> used.add(r.group(1)));
            }
        }
        used.removeAll(zh);
        assertEquals(Set.of(), used, "strings the templates use but the bundles lack");
        assertTrue(ConsoleMessages.of("zh").get("signIn").equals("登录") && ConsoleMessages.of("en").get("signIn").equals("Sign in"));
        assertEquals("en", ConsoleMessages.language("en", null));
        assertEquals("zh", ConsoleMessages.language(null, null));
        assertEquals("en", ConsoleMessages.language(null, "en"));
        assertEquals("zh", ConsoleMessages.language("zh", "en"));
    }
}

package org.batterytrace.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Keeps the example honest: it runs in CI and must end in a verified bundle. */
class EmbeddingCoreTest {
    @Test
    void theTourEndsInAVerifiedBundle() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        boolean ok = EmbeddingCore.run(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String out = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(ok, out);
        assertTrue(out.contains("#4 TRANSFERRED") && out.contains("2 signature(s)"), out);
        assertTrue(out.contains("rejected as expected"), out);
        assertTrue(out.contains("offline verification: VERIFIED"), out);
    }
}

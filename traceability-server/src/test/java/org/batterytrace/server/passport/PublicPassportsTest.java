package org.batterytrace.server.passport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** {@link PublicPassports} on its own, with a clock the test moves. */
class PublicPassportsTest {
    private static final String URL = "https://passport.example.cn/p/A";
    private final AtomicLong now = new AtomicLong(1_000);
    private final AtomicInteger builds = new AtomicInteger();

    private Supplier<byte[]> build(String content) {
        return () -> {
            builds.incrementAndGet();
            return content.getBytes(StandardCharsets.UTF_8);
        };
    }

    private PublicPassports kept(Duration maxAge, int maxEntries) {
        return new PublicPassports(maxAge, maxEntries, now::get);
    }

    @Test
    void keptForMaxAgeThenBuiltAgain() {
        PublicPassports passports = kept(Duration.ofSeconds(60), 10);
        passports.get("A", "json", URL, 1, build("v1"));
        assertArrayEquals("v1".getBytes(StandardCharsets.UTF_8), passports.get("A", "json", URL, 1, build("v2")));
        now.addAndGet(Duration.ofSeconds(59).toNanos());
        passports.get("A", "json", URL, 1, build("v2"));
        assertEquals(1, builds.get());
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertArrayEquals("v2".getBytes(StandardCharsets.UTF_8), passports.get("A", "json", URL, 1, build("v2")), "max-age passed: built again");
        assertEquals(2, builds.get());
    }

    @Test
    void anotherFactsVersionFormOrPageAddressIsAMiss() {
        PublicPassports passports = kept(Duration.ofSeconds(60), 10);
        passports.get("A", "json", URL, 1, build("v1"));
        passports.get("A", "json", URL, 2, build("facts changed"));
        passports.get("A", "page:en", URL, 2, build("page"));
        passports.get("A", "json", "https://elsewhere.example/p/A", 2, build("other address"));
        assertEquals(4, builds.get());
    }

    @Test
    void evictionDropsEveryFormOfTheBattery() {
        PublicPassports passports = kept(Duration.ofSeconds(60), 10);
        passports.get("A", "json", URL, 1, build("a"));
        passports.get("A", "page:zh", URL, 1, build("a page"));
        passports.get("B", "json", URL, 1, build("b"));
        passports.evict(List.of("A"));
        assertFalse(passports.holds("A"));
        assertTrue(passports.holds("B"));
        passports.get("A", "page:zh", URL, 1, build("a page 2"));
        assertEquals(4, builds.get());
    }

    /** The race a commit makes with a reader: what was built while an eviction happened may be from before the commit. */
    @Test
    void aBuildDuringAnEvictionIsServedButNotKept() {
        PublicPassports passports = kept(Duration.ofSeconds(60), 10);
        byte[] served = passports.get("A", "json", URL, 1, () -> {
            passports.evict(List.of("A")); // the commit lands while the passport is being built from the rows before it
            return "read before the commit".getBytes(StandardCharsets.UTF_8);
        });
        assertArrayEquals("read before the commit".getBytes(StandardCharsets.UTF_8), served);
        assertFalse(passports.holds("A"));
    }

    @Test
    void aFailedBuildKeepsNothing() {
        PublicPassports passports = kept(Duration.ofSeconds(60), 10);
        assertThrows(IllegalStateException.class, () -> passports.get("A", "json", URL, 1, () -> {
            throw new IllegalStateException("no battery A");
        }));
        assertFalse(passports.holds("A"));
    }

    @Test
    void boundedInBatteries() {
        PublicPassports passports = kept(Duration.ofSeconds(60), 3);
        for (String code : List.of("A", "B", "C", "D", "E")) {
            passports.get(code, "json", URL, 1, build(code));
        }
        assertTrue(passports.size() <= 3, "kept " + passports.size());
        assertTrue(passports.holds("E"));
    }

    @Test
    void aZeroMaxAgeOrNoRoomKeepsNothing() {
        for (PublicPassports passports : List.of(kept(Duration.ZERO, 10), kept(Duration.ofSeconds(60), 0))) {
            assertFalse(passports.enabled());
            passports.get("A", "json", URL, 1, build("a"));
            passports.get("A", "json", URL, 1, build("a"));
            assertFalse(passports.holds("A"));
        }
        assertEquals(4, builds.get());
    }
}

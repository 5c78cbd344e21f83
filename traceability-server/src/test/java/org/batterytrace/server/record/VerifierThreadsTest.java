package org.batterytrace.server.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The bulk signature checks' threads: every index once, failures passed on, and the lowered priority Linux reports. */
class VerifierThreadsTest {
    private final VerifierThreads threads = new VerifierThreads(10);

    @AfterEach
    void stop() {
        threads.stop(null);
    }

    @Test
    void runsEveryIndexOnceOffTheCallersThread() {
        AtomicIntegerArray runs = new AtomicIntegerArray(1_000);
        Set<Thread> on = ConcurrentHashMap.newKeySet();
        threads.forEach(1_000, i -> {
            runs.incrementAndGet(i);
            on.add(Thread.currentThread());
        });
        for (int i = 0; i < runs.length(); i++) {
            assertEquals(1, runs.get(i), "index " + i);
        }
        assertTrue(on.stream().allMatch(thread -> thread.getName().startsWith("verifier-")), on.toString());
    }

    @Test
    void aFailingCheckReachesTheCaller() {
        IllegalArgumentException failure = new IllegalArgumentException("bad record 700");
        IllegalArgumentException seen = assertThrows(IllegalArgumentException.class, () -> threads.forEach(1_000, i -> {
            if (i == 700) {
                throw failure;
            }
        }));
        assertSame(failure, seen);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void checksRunAtTheLoweredPriorityUntilSwitchedBack() {
        int ownNiceness = niceness();
        assertEquals(Set.of(ownNiceness + 10), nicenessOfEach(threads));
        threads.lowerPriority(false);
        assertEquals(Set.of(ownNiceness), nicenessOfEach(threads));
        threads.lowerPriority(true);
        assertEquals(Set.of(ownNiceness + 10), nicenessOfEach(threads));
    }

    private static Set<Integer> nicenessOfEach(VerifierThreads threads) {
        Set<Integer> seen = ConcurrentHashMap.newKeySet();
        threads.forEach(4_096, i -> seen.add(niceness()));
        return seen;
    }

    private static int niceness() {
        try {
            return VerifierThreads.currentNiceness();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package org.batterytrace.server.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bulk signature checks' threads: every index once, off the caller's thread, and a failure passed on to the caller. */
class VerifierThreadsTest {
    private final VerifierThreads threads = new VerifierThreads();

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
    void theBenchmarksCommonPoolScheduleRunsEveryIndexOnceToo() {
        threads.useCommonPool(true);
        AtomicIntegerArray runs = new AtomicIntegerArray(1_000);
        threads.forEach(1_000, runs::incrementAndGet);
        for (int i = 0; i < runs.length(); i++) {
            assertEquals(1, runs.get(i), "index " + i);
        }
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
}

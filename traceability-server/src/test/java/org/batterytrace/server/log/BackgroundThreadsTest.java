package org.batterytrace.server.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Shutdown lets a checkpoint round or a tile store finish instead of interrupting it mid-transaction. */
class BackgroundThreadsTest {
    @Test
    void theRoundUnderWayFinishesUninterrupted() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        AtomicBoolean interrupted = new AtomicBoolean();
        executor.execute(() -> {
            started.countDown();
            try {
                Thread.sleep(300);
                finished.set(true);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        });
        started.await();

        assertTrue(BackgroundThreads.stop(executor, Duration.ofSeconds(10)));
        assertTrue(finished.get(), "the round ran to its end");
        assertFalse(interrupted.get());
        assertTrue(executor.isTerminated());
    }

    @Test
    void aRoundThatOutlastsTheGraceIsInterrupted() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        executor.execute(() -> {
            started.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        started.await();

        assertFalse(BackgroundThreads.stop(executor, Duration.ofMillis(100)));
        assertTrue(interrupted.await(5, TimeUnit.SECONDS), "interrupted once the grace ran out");
    }

    @Test
    void noNewRoundStartsAfterTheStop() throws Exception {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger rounds = new AtomicInteger();
        executor.scheduleAtFixedRate(rounds::incrementAndGet, 0, 5, TimeUnit.MILLISECONDS);
        Thread.sleep(50);

        assertTrue(BackgroundThreads.stop(executor, Duration.ofSeconds(10)));
        int atStop = rounds.get();
        Thread.sleep(50);
        assertEquals(atStop, rounds.get(), "no round after the stop");
    }
}

package org.batterytrace.server;

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

/** A stop lets a checkpoint round, a tile store or a scheduled job finish instead of cutting it short mid-transaction. */
class ScheduledWorkTest {
    @Test
    void aStopWaitsForTheRunUnderWayAndNoRunStartsAfterIt() throws Exception {
        ScheduledWork work = new ScheduledWork();
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        Thread job = new Thread(() -> work.run(() -> {
            started.countDown();
            try {
                Thread.sleep(300);
                finished.set(true);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }));
        job.start();
        started.await();

        work.stop();
        assertTrue(finished.get(), "the stop returned after the run under way ended");
        AtomicInteger later = new AtomicInteger();
        work.run(later::incrementAndGet);
        assertEquals(0, later.get(), "no run after the stop");
        job.join();
    }

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

        assertTrue(ScheduledWork.stop(executor, Duration.ofSeconds(10)));
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

        assertFalse(ScheduledWork.stop(executor, Duration.ofMillis(100)));
        assertTrue(interrupted.await(5, TimeUnit.SECONDS), "interrupted once the grace ran out");
    }

    @Test
    void noNewRoundStartsAfterTheStop() throws Exception {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger rounds = new AtomicInteger();
        executor.scheduleAtFixedRate(rounds::incrementAndGet, 0, 5, TimeUnit.MILLISECONDS);
        Thread.sleep(50);

        assertTrue(ScheduledWork.stop(executor, Duration.ofSeconds(10)));
        int atStop = rounds.get();
        Thread.sleep(50);
        assertEquals(atStop, rounds.get(), "no round after the stop");
    }
}

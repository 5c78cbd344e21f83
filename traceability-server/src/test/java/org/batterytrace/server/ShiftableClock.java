package org.batterytrace.server;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The tests' {@link Clock} bean, replacing the server's system clock: system time plus a shift a test
 * sets, so time moves on (background threads keep working) but may be days ahead. Tests that shift it
 * reset it in a {@code finally} block.
 */
@Singleton
public class ShiftableClock extends Clock {
    private static volatile Duration shift = Duration.ZERO;

    public static void shift(Duration by) {
        shift = by;
    }

    /** Shifts the clock so that it reads {@code at} now. */
    public static void setTo(Instant at) {
        shift = Duration.between(Instant.now(), at);
    }

    public static void reset() {
        shift = Duration.ZERO;
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(shift);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}

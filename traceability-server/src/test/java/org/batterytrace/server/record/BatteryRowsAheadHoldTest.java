package org.batterytrace.server.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The hold budget of rows written ahead of the log lock ({@link BatteryRowsAhead}) against PostgreSQL's deadlock_timeout. */
class BatteryRowsAheadHoldTest {
    @Test
    void theBudgetIsHalfTheDeadlockTimeoutAndAtMost500Ms() {
        assertEquals(500, BatteryRowsAhead.holdMillis(OptionalLong.of(1_000)), "PostgreSQL's default");
        assertEquals(200, BatteryRowsAhead.holdMillis(OptionalLong.of(400)));
        assertEquals(500, BatteryRowsAhead.holdMillis(OptionalLong.of(5_000)), "a writer never waits longer for a bulk than with the default");
        assertEquals(1, BatteryRowsAhead.holdMillis(OptionalLong.of(1)), "a setting of 1 ms still gives the rows a moment");
        assertEquals(500, BatteryRowsAhead.holdMillis(OptionalLong.empty()));
    }

    @Test
    void aSpentBudgetIsGivingWay() {
        BatteryRowsAhead.Hold spent = new BatteryRowsAhead.Hold(System.nanoTime() - 1_000_000_000L, 500);
        assertThrows(BatteryRowsAhead.TurnNotHad.class, spent::millisLeft);
        assertTrue(BatteryRowsAhead.gaveWay(assertThrows(RuntimeException.class, spent::millisLeft)), "the bulk gives way");
    }
}

package org.batterytrace.compliance;

import java.util.List;
import java.util.Optional;
import org.batterytrace.lifecycle.BatteryState;
import org.batterytrace.lifecycle.EventType;

/**
 * What a waste battery owes next: from which state, which records settle it. A battery that stays in
 * such a state longer than the allowance (working days, set by the platform's configuration) is a
 * missing upload. Batteries in use, not yet sold, or whose chain ended owe nothing.
 */
public enum NextRecord {
    /** Retired but not yet taken into stock. */
    COLLECTION(BatteryState.RETIRED, List.of(EventType.COLLECTED)),
    /** In stock but neither tested, dismantled nor recycled. */
    PROCESSING(BatteryState.COLLECTED, List.of(EventType.TESTED, EventType.DISMANTLED, EventType.RECYCLED)),
    /** Tested but neither repurposed, dismantled nor recycled. */
    USE_OR_RECYCLING(BatteryState.TESTED, List.of(EventType.REPURPOSED, EventType.DISMANTLED, EventType.RECYCLED)),
    /** Dismantled but not recycled. */
    RECYCLING(BatteryState.DISMANTLED, List.of(EventType.RECYCLED));

    private final BatteryState state;
    private final List<EventType> expected;

    NextRecord(BatteryState state, List<EventType> expected) {
        this.state = state;
        this.expected = expected;
    }

    public BatteryState state() {
        return state;
    }

    /** The records that would settle it (a transfer does not: custody moves, the obligation stays). */
    public List<EventType> expected() {
        return expected;
    }

    public static Optional<NextRecord> after(BatteryState state) {
        for (NextRecord next : values()) {
            if (next.state == state) {
                return Optional.of(next);
            }
        }
        return Optional.empty();
    }
}

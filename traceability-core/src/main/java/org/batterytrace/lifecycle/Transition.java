package org.batterytrace.lifecycle;

import java.util.Optional;
import java.util.Set;

/**
 * One row of the lifecycle table: from which states an event may be recorded, the state it leads to
 * (empty = unchanged) and which roles may record it. {@code from} is empty for a chain's first record.
 */
public record Transition(EventType event, Set<BatteryState> from, Optional<BatteryState> to, Set<Role> roles) {
    public boolean isGenesis() {
        return from.isEmpty();
    }

    public BatteryState apply(BatteryState current) {
        return to.orElse(current);
    }
}

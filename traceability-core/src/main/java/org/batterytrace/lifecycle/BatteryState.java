package org.batterytrace.lifecycle;

/** Where a battery (or cascade product) is in its life. */
public enum BatteryState {
    PRODUCED,
    INSTALLED,
    IN_SERVICE,
    RETIRED,
    COLLECTED,
    TESTED,
    DISMANTLED,
    REPURPOSED,
    RECYCLED,
    // cascade (second-life) products
    ASSEMBLED,
    CERTIFIED,
    DEPLOYED;

    /** No further record may be appended. */
    public boolean isTerminal() {
        return this == REPURPOSED || this == RECYCLED;
    }

    /** A waste battery: it may only move to qualified (white-listed) enterprises. */
    public boolean isWaste() {
        return this == RETIRED || this == COLLECTED || this == TESTED || this == DISMANTLED;
    }
}

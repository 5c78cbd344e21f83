package org.batterytrace.lifecycle;

/** Where a battery, cascade product or recycling lot is in its life. */
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
    DEPLOYED,
    // recycling lots: chains of their own that batteries are RECYCLED into
    LOT_OPEN,
    LOT_CLOSED;

    /** No further record may be appended. */
    public boolean isTerminal() {
        return this == REPURPOSED || this == RECYCLED || this == LOT_CLOSED;
    }

    public boolean isLot() {
        return this == LOT_OPEN || this == LOT_CLOSED;
    }

    /** A waste battery: it may only move to qualified (white-listed) enterprises. */
    public boolean isWaste() {
        return this == RETIRED || this == COLLECTED || this == TESTED || this == DISMANTLED;
    }
}

package org.batterytrace.lifecycle;

import java.util.Objects;

/** A battery's state and the organization that holds it. */
public record CustodyStatus(BatteryState state, String custodian) {
    public CustodyStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(custodian, "custodian");
    }
}

package org.batterytrace.server.record;

import java.time.Instant;
import org.batterytrace.lifecycle.BatteryState;

/** The head of a battery's or lot's chain: what the next record must follow. {@code parent} is a component's pack or module. */
public record ChainHead(long seq, String hash, BatteryState state, String custodian, Instant time, String parent) {
}

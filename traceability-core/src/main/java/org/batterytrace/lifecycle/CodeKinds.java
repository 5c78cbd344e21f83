package org.batterytrace.lifecycle;

import java.util.Optional;
import org.batterytrace.identity.BatteryCode;
import org.batterytrace.identity.ProductLevel;

/**
 * Which code a chain opens with (GB/T 34014): an original battery is PRODUCED under a 24-character code, a
 * cascade product ASSEMBLED under a 19-character one. The server and the offline verifier both apply this.
 */
public final class CodeKinds {
    private CodeKinds() {
    }

    /** Why {@code type} may not open a chain under {@code code}, or empty when it may (or {@code type} opens no chain). */
    public static Optional<String> mismatch(EventType type, BatteryCode code) {
        if (type == EventType.PRODUCED && code.isCascade()) {
            return Optional.of("PRODUCED needs a 24-character battery code; " + code + " is a cascade-product code (use ASSEMBLED)");
        }
        if (type == EventType.ASSEMBLED && !code.isCascade()) {
            return Optional.of("ASSEMBLED needs a 19-character cascade-product code, got " + code);
        }
        return Optional.empty();
    }

    /** Why {@code child} cannot be part of {@code parent} (PACK &lt; MODULE &lt; CELL), or empty when it can. */
    public static Optional<String> partMismatch(BatteryCode child, BatteryCode parent) {
        if (child.level() == ProductLevel.PACK || parent.level().ordinal() >= child.level().ordinal()) {
            return Optional.of("a " + child.level() + " cannot be part of a " + parent.level());
        }
        return Optional.empty();
    }
}

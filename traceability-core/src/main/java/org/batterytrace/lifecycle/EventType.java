package org.batterytrace.lifecycle;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The types of record in a battery's chain. Their legality is defined by {@link Lifecycle}. */
public enum EventType {
    /** A battery maker registers a new pack, module or cell. */
    PRODUCED,
    /** Bound to a vehicle (VIN) by the vehicle maker. */
    INSTALLED,
    /** The vehicle is sold; the battery enters service. */
    SOLD,
    MAINTAINED,
    /** Moved to another vehicle at a swap station. */
    SWAPPED,
    /** Removed from its vehicle and replaced by another battery; the removed one is retired. */
    REPLACED,
    RETIRED,
    /** Taken into stock at a collection service point, dismantler or recycler. */
    COLLECTED,
    /** GB/T 34015 residual-capacity test with a cascade/recycle decision. */
    TESTED,
    /** Consumed into a cascade product; the chain ends here and links to the new code. */
    REPURPOSED,
    /** A pack taken apart into modules/cells, which are tracked on their own. */
    DISMANTLED,
    /** A module or cell taken out of its dismantled parent; the dismantler becomes its custodian. */
    SEPARATED,
    /** Fed into a recycling lot (data.lot, data.massGrams) for material recovery; the chain ends here. */
    RECYCLED,
    /** A cascade product assembled from tested batteries under a new 19-character code. */
    ASSEMBLED,
    CERTIFIED,
    /** A certified cascade product put to use (energy storage, backup power, charging/swap). */
    DEPLOYED,
    /** Custody moves to another organization; signed by both. */
    TRANSFERRED,
    /**
     * The economic operator's battery-passport declaration (Reg. (EU) 2023/1542 Art. 77, Battery Pass 1.2.0
     * static data): signed by the battery's maker, or for a cascade product by the cascade enterprise that
     * assembled it. A later declaration amends earlier ones member by member. Custody does not change.
     */
    PASSPORT_DECLARED,
    /**
     * Dynamic passport data (state of health, cycles, negative events, status), signed by the custodian
     * operating the battery or by the economic operator as its BMS data provider. Custody does not change.
     */
    PASSPORT_UPDATED,
    /** A recycler opens a recycling lot: the first record of the lot's own chain. */
    LOT_OPENED,
    /** The lot's assay and outputs: metal masses contained in its input and recovered, product forms. */
    LOT_CLOSED;

    private static final List<String> NAMES = Stream.of(values()).map(Enum::name).toList();

    /** Every type's name, e.g. to tell battery and lot records from key events in the log. */
    public static List<String> names() {
        return NAMES;
    }

    public static Optional<EventType> fromName(String name) {
        for (EventType type : values()) {
            if (type.name().equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}

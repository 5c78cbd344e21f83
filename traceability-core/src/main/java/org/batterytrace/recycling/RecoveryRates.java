package org.batterytrace.recycling;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Recovery rate per metal = recovered mass / mass contained in the lot's input, in basis points
 * (rounded down, so a lot never looks better than it is).
 */
public final class RecoveryRates {
    private final Map<Metal, Long> contained;
    private final Map<Metal, Long> recovered;
    private final Map<Metal, Integer> rates = new EnumMap<>(Metal.class);

    /** A metal below its target: rates in basis points, or a missing measurement ({@code actual} = -1). */
    public record Shortfall(Metal metal, int requiredBasisPoints, int actualBasisPoints) {
        public boolean notMeasured() {
            return actualBasisPoints < 0;
        }
    }

    private RecoveryRates(Map<Metal, Long> contained, Map<Metal, Long> recovered) {
        this.contained = Collections.unmodifiableMap(new EnumMap<>(contained));
        this.recovered = Collections.unmodifiableMap(new EnumMap<>(recovered));
        contained.forEach((metal, in) -> {
            if (in > 0) {
                rates.put(metal, (int) (recovered.getOrDefault(metal, 0L) * 10_000 / in));
            }
        });
    }

    /** Both maps in grams; metals absent from {@code contained} (or zero) have no rate. */
    public static RecoveryRates of(Map<Metal, Long> contained, Map<Metal, Long> recovered) {
        Map<Metal, Long> in = contained.isEmpty() ? new EnumMap<>(Metal.class) : new EnumMap<>(contained);
        Map<Metal, Long> out = recovered.isEmpty() ? new EnumMap<>(Metal.class) : new EnumMap<>(recovered);
        return new RecoveryRates(in, out);
    }

    public Map<Metal, Long> contained() {
        return contained;
    }

    public Map<Metal, Long> recovered() {
        return recovered;
    }

    /** Basis points per metal with a positive contained mass. */
    public Map<Metal, Integer> basisPoints() {
        return Collections.unmodifiableMap(rates);
    }

    /**
     * Metals below the target's minimum. A targeted metal missing from the assay counts as a shortfall
     * (a regulator cannot accept a rate nobody reported); one assayed at 0 g, such as Co in LFP, has no
     * rate to meet.
     */
    public List<Shortfall> shortfalls(RecoveryTarget target) {
        List<Shortfall> shortfalls = new ArrayList<>();
        target.minimumBasisPoints().forEach((metal, minimum) -> {
            Integer actual = rates.get(metal);
            if (!contained.containsKey(metal)) {
                shortfalls.add(new Shortfall(metal, minimum, -1));
            } else if (actual == null) {
                return;
            } else if (actual < minimum) {
                shortfalls.add(new Shortfall(metal, minimum, actual));
            }
        });
        shortfalls.sort((a, b) -> a.metal().compareTo(b.metal()));
        return shortfalls;
    }

    /** 9_850 basis points as "98.50". */
    public static String percent(int basisPoints) {
        return String.format(java.util.Locale.ROOT, "%d.%02d", basisPoints / 100, basisPoints % 100);
    }
}

package org.batterytrace.recycling;

import static org.batterytrace.recycling.Metal.*;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.batterytrace.identity.Chemistry;

/**
 * Plausible metal content of a whole traction battery (pack, module or cell, casing included), per
 * GB/T 34014 chemistry, in basis points of its mass: the screening ranges the mass-balance check holds
 * a lot's assay against. They are deliberately wide project assumptions, derived from the metal share
 * of each cathode material (e.g. Li is 4.4 % of LiFePO4, Ni about 30-60 % of an NCM cathode), cathodes
 * being roughly 20-40 % of a cell and cells 60-90 % of a pack, with copper and aluminium from current
 * collectors, busbars and casings. An assay outside them is not proof of fraud but asks for an
 * explanation; understating the contained metal is how a lot's recovery rate would be inflated.
 * Supercapacitors and "other" have no reference.
 */
public enum Composition {
    NIMH(Chemistry.NIMH, range(LI, 0, 50), range(NI, 1_500, 5_000), range(CO, 0, 800), range(MN, 0, 600), range(CU, 0, 1_500), range(AL, 0, 3_000)),
    LFP(Chemistry.LFP, range(LI, 50, 250), range(NI, 0, 100), range(CO, 0, 100), range(MN, 0, 300), range(CU, 300, 1_800), range(AL, 300, 3_000)),
    LMO(Chemistry.LMO, range(LI, 40, 250), range(NI, 0, 300), range(CO, 0, 200), range(MN, 400, 3_000), range(CU, 300, 1_800), range(AL, 300, 3_000)),
    LCO(Chemistry.LCO, range(LI, 80, 350), range(NI, 0, 300), range(CO, 500, 3_000), range(MN, 0, 300), range(CU, 300, 1_800), range(AL, 300, 3_000)),
    NCM(Chemistry.NCM, range(LI, 80, 350), range(NI, 150, 1_800), range(CO, 0, 700), range(MN, 0, 800), range(CU, 300, 1_800), range(AL, 300, 3_000)),
    LTO(Chemistry.LTO, range(LI, 100, 500), range(NI, 0, 1_800), range(CO, 0, 700), range(MN, 0, 3_000), range(CU, 0, 1_000), range(AL, 500, 4_000));

    /** Basis points of the battery's mass, both ends included. */
    public record Range(int minBasisPoints, int maxBasisPoints) {
    }

    private final Chemistry chemistry;
    private final Map<Metal, Range> ranges;

    @SafeVarargs
    Composition(Chemistry chemistry, Map.Entry<Metal, Range>... ranges) {
        this.chemistry = chemistry;
        Map<Metal, Range> map = new EnumMap<>(Metal.class);
        for (Map.Entry<Metal, Range> e : ranges) {
            map.put(e.getKey(), e.getValue());
        }
        if (map.size() != Metal.values().length) {
            throw new IllegalStateException(chemistry + " needs a range for every metal");
        }
        this.ranges = Collections.unmodifiableMap(map);
    }

    private static Map.Entry<Metal, Range> range(Metal metal, int min, int max) {
        return Map.entry(metal, new Range(min, max));
    }

    public Chemistry chemistry() {
        return chemistry;
    }

    public Map<Metal, Range> ranges() {
        return ranges;
    }

    /** The reference for {@code chemistry}; empty for supercapacitors and "other". */
    public static Optional<Composition> of(Chemistry chemistry) {
        for (Composition c : values()) {
            if (c.chemistry == chemistry) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}

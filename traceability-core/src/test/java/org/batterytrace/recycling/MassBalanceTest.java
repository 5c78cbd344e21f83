package org.batterytrace.recycling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.batterytrace.identity.Chemistry;
import org.junit.jupiter.api.Test;

class MassBalanceTest {
    private static Set<MassBalance.Flag> flags(MassBalance balance) {
        return balance.findings().stream().map(MassBalance.Finding::flag).collect(Collectors.toSet());
    }

    /** 400 kg of NCM with a typical composition (Li 1.4 %, Ni 7.8 %, Co 2.6 %, Mn 2.4 %, Cu 7 %, Al 12 %). */
    static final Map<Metal, Long> TYPICAL_NCM = Map.of(Metal.LI, 5_600L, Metal.NI, 31_200L, Metal.CO, 10_400L, Metal.MN, 9_600L, Metal.CU, 28_000L, Metal.AL, 48_000L);

    @Test
    void aTypicalAssayIsPlausible() {
        MassBalance balance = MassBalance.check(List.of(new MassBalance.Input(Chemistry.NCM, 1, 400_000, 0)), TYPICAL_NCM);
        assertTrue(balance.plausible(), balance.findings()::toString);
        assertEquals(new MassBalance.Expected(3_200, 14_000), balance.expected().get(Metal.LI), "0.8 % to 3.5 % of 400 kg");
        assertEquals(400_000, balance.inputGrams());
    }

    @Test
    void understatedOverstatedMissingAndImpossibleAssaysAreFlagged() {
        List<MassBalance.Input> ncm = List.of(new MassBalance.Input(Chemistry.NCM, 1, 400_000, 0));
        Map<Metal, Long> understated = new java.util.EnumMap<>(TYPICAL_NCM);
        understated.put(Metal.LI, 1_000L); // a recovery rate computed against this would look excellent
        MassBalance low = MassBalance.check(ncm, understated);
        assertEquals(Set.of(MassBalance.Flag.BELOW_PLAUSIBLE), flags(low));
        assertEquals(Metal.LI, low.findings().get(0).metal());
        assertFalse(low.plausible());

        Map<Metal, Long> overstated = new java.util.EnumMap<>(TYPICAL_NCM);
        overstated.put(Metal.NI, 100_000L);
        assertEquals(Set.of(MassBalance.Flag.ABOVE_PLAUSIBLE), flags(MassBalance.check(ncm, overstated)));

        Map<Metal, Long> missing = new java.util.EnumMap<>(TYPICAL_NCM);
        missing.remove(Metal.NI);
        assertEquals(Set.of(MassBalance.Flag.NOT_ASSAYED), flags(MassBalance.check(ncm, missing)));

        List<MassBalance.Input> unknown = List.of(new MassBalance.Input(Chemistry.OTHER, 1, 1_000, 0));
        MassBalance heavy = MassBalance.check(unknown, Map.of(Metal.NI, 600L, Metal.CU, 600L));
        assertEquals(Set.of(MassBalance.Flag.METALS_EXCEED_INPUT, MassBalance.Flag.NO_REFERENCE_COMPOSITION), flags(heavy));

        assertEquals(Set.of(MassBalance.Flag.INPUT_ABOVE_DECLARED_MASS), flags(MassBalance.check(List.of(new MassBalance.Input(Chemistry.NCM, 2, 400_000, 1)), TYPICAL_NCM)));
        assertEquals(Set.of(MassBalance.Flag.NO_INPUTS), flags(MassBalance.check(List.of(), TYPICAL_NCM)));
    }

    @Test
    void mixedInputsAddTheirRangesAndLfpNeedsNoCobalt() {
        List<MassBalance.Input> mixed = List.of(new MassBalance.Input(Chemistry.LFP, 2, 600_000, 0), new MassBalance.Input(Chemistry.NCM, 1, 400_000, 0));
        MassBalance balance = MassBalance.check(mixed, Map.of());
        assertEquals(new MassBalance.Expected(600_000 * 50 / 10_000 + 400_000 * 80 / 10_000, 600_000 * 250 / 10_000 + 400_000 * 350 / 10_000),
                balance.expected().get(Metal.LI));
        assertTrue(balance.plausible(), "an open lot has nothing assayed yet");
        MassBalance lfp = MassBalance.check(List.of(new MassBalance.Input(Chemistry.LFP, 1, 300_000, 0)),
                Map.of(Metal.LI, 3_300L, Metal.CU, 21_000L, Metal.AL, 36_000L));
        assertTrue(lfp.plausible(), () -> "Co, Ni and Mn may be left out of an LFP assay: " + lfp.findings());
    }

    @Test
    void everyChemistryWithAReferenceHasSaneRanges() {
        for (Composition c : Composition.values()) {
            c.ranges().forEach((metal, r) -> assertTrue(0 <= r.minBasisPoints() && r.minBasisPoints() <= r.maxBasisPoints() && r.maxBasisPoints() <= 10_000,
                    c + " " + metal));
        }
        assertTrue(Composition.of(Chemistry.SUPERCAPACITOR).isEmpty());
    }
}

package org.batterytrace.recycling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.batterytrace.identity.CreditCode;
import org.batterytrace.identity.InvalidIdentifierException;
import org.junit.jupiter.api.Test;

class RecoveryRatesTest {
    static final String RECYCLER = CreditCode.withCheckCharacter("91430300MA4L0003X").value();

    @Test
    void ratesAreRecoveredOverContainedRoundedDown() {
        RecoveryRates rates = RecoveryRates.of(Map.of(Metal.LI, 3_000L, Metal.NI, 10_000L), Map.of(Metal.LI, 2_999L, Metal.NI, 9_850L));
        assertEquals(9_996, rates.basisPoints().get(Metal.LI), "2999/3000 = 99.9666.. % rounds down");
        assertEquals(9_850, rates.basisPoints().get(Metal.NI));
        assertEquals("98.50", RecoveryRates.percent(9_850));
        assertEquals("0.07", RecoveryRates.percent(7));
    }

    @Test
    void chinaNeedsNinetyEightForNickelCobaltManganeseAndNinetyForLithium() {
        RecoveryRates lot = RecoveryRates.of(Map.of(Metal.LI, 1_000L, Metal.NI, 1_000L, Metal.CO, 1_000L, Metal.MN, 1_000L),
                Map.of(Metal.LI, 899L, Metal.NI, 980L, Metal.CO, 979L, Metal.MN, 1_000L));
        assertEquals(List.of(new RecoveryRates.Shortfall(Metal.LI, 9_000, 8_990), new RecoveryRates.Shortfall(Metal.CO, 9_800, 9_790)),
                lot.shortfalls(RecoveryTarget.CN_2024));
        assertEquals(List.of(), lot.shortfalls(RecoveryTarget.EU_2027).stream().filter(s -> s.metal() != Metal.CU).toList(),
                "89.9 % Li and 97.9 % Co meet the EU 2027 targets");
        assertTrue(lot.shortfalls(RecoveryTarget.EU_2027).get(0).notMeasured(), "Cu was never assayed: a shortfall, not a pass");
    }

    @Test
    void euTwentyThirtyOneIsStricterThanTwentyTwentySeven() {
        RecoveryRates lot = RecoveryRates.of(Map.of(Metal.LI, 100L, Metal.NI, 100L, Metal.CO, 100L, Metal.CU, 100L),
                Map.of(Metal.LI, 60L, Metal.NI, 94L, Metal.CO, 96L, Metal.CU, 95L));
        assertEquals(List.of(), lot.shortfalls(RecoveryTarget.EU_2027));
        assertEquals(List.of(new RecoveryRates.Shortfall(Metal.LI, 8_000, 6_000), new RecoveryRates.Shortfall(Metal.NI, 9_500, 9_400)),
                lot.shortfalls(RecoveryTarget.EU_2031));
    }

    @Test
    void aMetalAssayedAtZeroHasNoTargetToMeet() {
        // LFP: no nickel, cobalt or manganese in the input.
        RecoveryRates lfp = RecoveryRates.of(Map.of(Metal.LI, 1_000L, Metal.NI, 0L, Metal.CO, 0L, Metal.MN, 0L), Map.of(Metal.LI, 950L));
        assertEquals(List.of(), lfp.shortfalls(RecoveryTarget.CN_2024));
    }

    @Test
    void lotIdsCarryTheRecyclerAndRejectEverythingElse() {
        LotId lot = LotId.of(RECYCLER, "2026A7");
        assertEquals("LOT-" + RECYCLER + "-2026A7", lot.value());
        assertEquals(RECYCLER, LotId.parse(lot.value()).recycler());
        assertThrows(InvalidIdentifierException.class, () -> LotId.parse("LOT-" + RECYCLER + "-lower"));
        assertThrows(InvalidIdentifierException.class, () -> LotId.parse("LOT-" + RECYCLER + "-"));
        assertThrows(InvalidIdentifierException.class, () -> LotId.parse("LOT-91430300MA4L0003X0-1"), "bad credit-code check character");
        assertThrows(InvalidIdentifierException.class, () -> LotId.parse("H5NPBA7HN24L01F3K0000521"));
    }
}

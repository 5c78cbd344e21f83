package org.batterytrace.identity;

import static org.junit.jupiter.api.Assertions.*;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BatteryCodeTest {

    @Test
    void parsesTheWorkedLfpPackExample() {
        BatteryCode code = BatteryCode.parse("H5NPBA7HN24L01F3K0000521");
        assertEquals("H5N", code.manufacturer());
        assertEquals(ProductLevel.PACK, code.level());
        assertEquals(Chemistry.LFP, code.chemistry());
        assertEquals("A7", code.spec());
        assertEquals("HN24L01", code.traceability().orElseThrow());
        assertEquals(LocalDate.of(2025, 3, 19), code.productionDate());
        assertEquals("0000521", code.serial());
        assertFalse(code.isCascade());
        assertTrue(code.cascadeExtension().isEmpty());
    }

    @Test
    void parsesTheCatenaXSample() {
        BatteryCode code = BatteryCode.parse("X12MCPM27KLPCLX2M2382320");
        assertEquals(ProductLevel.MODULE, code.level());
        assertEquals(Chemistry.LMO, code.chemistry());
        assertEquals(LocalDate.of(2039, 2, 21), code.productionDate());
        assertEquals("2382320", code.serial());
    }

    @Test
    void parsesACascadeModule() {
        BatteryCode code = BatteryCode.parse("H5NMB02G580000007RP");
        assertTrue(code.isCascade());
        assertEquals(ProductLevel.MODULE, code.level());
        assertEquals("02", code.spec());
        assertTrue(code.traceability().isEmpty());
        assertEquals(LocalDate.of(2026, 5, 8), code.productionDate());
        assertEquals("0000007", code.serial());
        assertEquals(ProductLevel.PACK, code.cascadeExtension().orElseThrow());
    }

    @Test
    void refusesLowerCaseRatherThanNormalisingASignedIdentifier() {
        InvalidIdentifierException e = assertThrows(InvalidIdentifierException.class, () -> BatteryCode.parse("h5npba7hn24l01f3k0000521"));
        assertEquals("case", e.segment());
        assertTrue(e.getMessage().contains("H5NPBA7HN24L01F3K0000521"));
    }

    @Test
    void dayZeroMeansThirtyFirst() {
        assertEquals(LocalDate.of(2025, 1, 31), BatteryCode.parse("H5NPBA7HN24L01F100000521").productionDate());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "'', length",
            "H5NPBA7HN24L01F3K000052, length",
            "H5NPBA7HN24L01F3K00005211, length",
            "H5-PBA7HN24L01F3K0000521, manufacturer",
            "H5NXBA7HN24L01F3K0000521, productType",
            "H5NPHA7HN24L01F3K0000521, batteryType",
            "H5NPB#7HN24L01F3K0000521, spec",
            "H5NPBA7HN2 L01F3K0000521, traceability",
            "H5NPBA7HN24L01I3K0000521, productionDate.year",
            "H5NPBA7HN24L01FD10000521, productionDate.month",
            "H5NPBA7HN24L01F0K0000521, productionDate.month",
            "H5NPBA7HN24L01F2Y0000521, productionDate.day",
            "H5NPBA7HN24L01F2U0000521, productionDate.day",
            "H5NPBA7HN24L01F200000521, productionDate.day",
            "H5NPBA7HN24L01F3K00005A1, serial",
            "H5NMB02G580000007XP, cascadeExtension",
            "H5NMB02G580000007RX, cascadeExtension",
    })
    void rejectsEachBadSegmentByName(String text, String segment) {
        InvalidIdentifierException e = assertThrows(InvalidIdentifierException.class, () -> BatteryCode.parse(text));
        assertEquals(segment, e.segment(), e.getMessage());
        assertFalse(BatteryCode.isValid(text));
    }

    @Test
    void generatorRoundTripsEveryDateItCanEncode() {
        for (LocalDate date = LocalDate.of(ProductionDateCode.FIRST_YEAR, 1, 1); date.getYear() <= ProductionDateCode.LAST_YEAR; date = date.plusDays(1)) {
            BatteryCode code = BatteryCode.of("H5N", ProductLevel.CELL, Chemistry.NCM, "A7", "HN24L01", date, 9_999_999);
            assertEquals(date, BatteryCode.parse(code.value()).productionDate(), code.value());
        }
    }

    @Test
    void generatesCascadeCodes() {
        BatteryCode code = BatteryCode.cascade("H5N", ProductLevel.MODULE, Chemistry.LFP, "02", LocalDate.of(2026, 5, 8), 7, ProductLevel.PACK);
        assertEquals("H5NMB02G580000007RP", code.value());
    }

    @Test
    void generatorRejectsOutOfRangeParts() {
        assertEquals("serial", assertThrows(InvalidIdentifierException.class,
                () -> BatteryCode.of("H5N", ProductLevel.PACK, Chemistry.LFP, "A7", "HN24L01", LocalDate.of(2025, 1, 1), 10_000_000)).segment());
        assertEquals("productionDate.year", assertThrows(InvalidIdentifierException.class,
                () -> BatteryCode.of("H5N", ProductLevel.PACK, Chemistry.LFP, "A7", "HN24L01", LocalDate.of(2041, 1, 1), 1)).segment());
    }

    @Test
    void dateTableSkipsLettersThatLookLikeDigits() {
        for (char c : "IOQUZ".toCharArray()) {
            assertThrows(InvalidIdentifierException.class, () -> ProductionDateCode.decode("F3" + c));
        }
    }
}

package org.batterytrace.identity;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class CreditCodeAndVinTest {

    @Test
    void acceptsAPublishedCreditCode() {
        // The sample code printed on GB 32100 explanations.
        CreditCode code = CreditCode.parse("91350100M000100Y43");
        assertEquals("350100", code.divisionCode());
        assertEquals("350000", code.provinceCode());
        assertEquals("350100", code.cityCode());
    }

    @Test
    void completesTheCheckCharacter() {
        assertEquals("91350100M000100Y43", CreditCode.withCheckCharacter("91350100M000100Y4").value());
        CreditCode changsha = CreditCode.withCheckCharacter("91430100MA4L00001");
        assertTrue(CreditCode.isValid(changsha.value()));
        assertEquals("430100", changsha.cityCode());
    }

    @Test
    void rejectsWrongCheckCharacterLengthAndAlphabet() {
        assertEquals("checkCharacter", assertThrows(InvalidIdentifierException.class, () -> CreditCode.parse("91350100M000100Y44")).segment());
        assertEquals("length", assertThrows(InvalidIdentifierException.class, () -> CreditCode.parse("91350100M000100Y4")).segment());
        assertEquals("characters", assertThrows(InvalidIdentifierException.class, () -> CreditCode.parse("91350100M000100I43")).segment());
        assertEquals("divisionCode", assertThrows(InvalidIdentifierException.class, () -> CreditCode.parse("9135A100M000100Y43")).segment());
    }

    @Test
    void acceptsAVinWithValidCheckDigit() {
        assertEquals("1M8GDM9AXKP042788", Vin.parse("1M8GDM9AXKP042788").value());
        assertEquals("LSVAU218XN2183294", Vin.parse("lsvau218xn2183294").value());
    }

    @Test
    void rejectsBadVins() {
        assertEquals("checkDigit", assertThrows(InvalidIdentifierException.class, () -> Vin.parse("1M8GDM9A1KP042788")).segment());
        assertEquals("characters", assertThrows(InvalidIdentifierException.class, () -> Vin.parse("1M8GDM9AXKPO42788")).segment());
        assertEquals("length", assertThrows(InvalidIdentifierException.class, () -> Vin.parse("1M8GDM9AXKP04278")).segment());
    }

    @Test
    void computesTheVinCheckDigit() {
        assertEquals("1M8GDM9AXKP042788", Vin.withCheckDigit("1M8GDM9A0KP042788").value());
        assertEquals("LSVAU218XN2183294", Vin.withCheckDigit("LSVAU2180N2183294").value());
        assertEquals("characters", assertThrows(InvalidIdentifierException.class, () -> Vin.withCheckDigit("1M8GDM9A0KPO42788")).segment());
    }
}

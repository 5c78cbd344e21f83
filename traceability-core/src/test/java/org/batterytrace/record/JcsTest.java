package org.batterytrace.record;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JcsTest {

    private static String canon(String json) {
        return Jcs.canonicalString(Json.parse(json));
    }

    @Test
    void sortsKeysByUtf16CodeUnitsAsInRfc8785Section323() {
        String input = "{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew Letter Dalet With Dagesh\",\"1\":\"One\","
                + "\"\\ud83d\\ude00\":\"Emoji: Grinning Face\",\"\\u0080\":\"Control\",\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}";
        String expected = "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"\u00f6\":\"Latin Small Letter O With Diaeresis\","
                + "\"\u20ac\":\"Euro Sign\",\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}";
        assertEquals(expected, canon(input));
    }

    @Test
    void escapesStringsAsInRfc8785Section3222() {
        String input = "{\"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\"}";
        assertEquals("{\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}", canon(input));
    }

    @Test
    void removesWhitespaceAndKeepsArrayOrder() {
        assertEquals("{\"a\":[3,1,{\"x\":null,\"y\":true}],\"b\":false}", canon(" { \"b\" : false ,\n \"a\" : [ 3 , 1 , { \"y\" : true , \"x\" : null } ] } "));
    }

    @ParameterizedTest
    @CsvSource({"1.0E3, 1000", "-0, 0", "9007199254740991, 9007199254740991", "-9007199254740991, -9007199254740991", "100.000, 100"})
    void writesIntegersAsEcmaScriptWould(String number, String expected) {
        assertEquals("[" + expected + "]", canon("[" + number + "]"));
    }

    @ParameterizedTest
    @CsvSource({"1.5", "9007199254740992", "-9007199254740992", "1e400"})
    void rejectsNumbersWithoutAnExactIntegerForm(String number) {
        assertThrows(CanonicalizationException.class, () -> canon("[" + number + "]"));
    }

    @Test
    void rejectsLoneSurrogates() {
        assertThrows(CanonicalizationException.class, () -> canon("[\"\\ud83d\"]"));
        assertThrows(CanonicalizationException.class, () -> canon("[\"\\ude00x\"]"));
    }

    @Test
    void readerRejectsDuplicateKeysAndTrailingGarbage() {
        assertThrows(RecordFormatException.class, () -> Json.parse("{\"a\":1,\"a\":2}"));
        assertThrows(RecordFormatException.class, () -> Json.parse("{\"a\":1} x"));
        assertThrows(RecordFormatException.class, () -> Json.parse("{\"a\":NaN}"));
    }
}

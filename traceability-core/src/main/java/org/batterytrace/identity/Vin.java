package org.batterytrace.identity;

import java.util.Locale;

/** A 17-character vehicle identification number (ISO 3779; GB 16735 requires the check digit at position 9). */
public final class Vin {
    private static final int[] WEIGHTS = {8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2};

    private final String value;

    private Vin(String value) {
        this.value = value;
    }

    public static Vin parse(String text) {
        if (text == null || text.length() != 17) {
            throw new InvalidIdentifierException("length", "VIN must have 17 characters, got " + (text == null ? 0 : text.length()));
        }
        String vin = text.toUpperCase(Locale.ROOT);
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += transliterate(vin.charAt(i), i) * WEIGHTS[i];
        }
        int remainder = sum % 11;
        char expected = remainder == 10 ? 'X' : (char) ('0' + remainder);
        if (vin.charAt(8) != expected) {
            throw new InvalidIdentifierException("checkDigit", "VIN check digit (position 9) should be '" + expected + "', got '" + vin.charAt(8) + "'");
        }
        return new Vin(vin);
    }

    /** Computes and sets the check digit (position 9) of a 17-character VIN; the digit given there is ignored. */
    public static Vin withCheckDigit(String text) {
        if (text == null || text.length() != 17) {
            throw new InvalidIdentifierException("length", "VIN must have 17 characters, got " + (text == null ? 0 : text.length()));
        }
        String vin = text.toUpperCase(Locale.ROOT);
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += transliterate(vin.charAt(i), i) * WEIGHTS[i];
        }
        int remainder = sum % 11;
        return parse(vin.substring(0, 8) + (remainder == 10 ? 'X' : (char) ('0' + remainder)) + vin.substring(9));
    }

    private static int transliterate(char c, int position) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        return switch (c) {
            case 'A', 'J' -> 1;
            case 'B', 'K', 'S' -> 2;
            case 'C', 'L', 'T' -> 3;
            case 'D', 'M', 'U' -> 4;
            case 'E', 'N', 'V' -> 5;
            case 'F', 'W' -> 6;
            case 'G', 'P', 'X' -> 7;
            case 'H', 'Y' -> 8;
            case 'R', 'Z' -> 9;
            default -> throw new InvalidIdentifierException("characters", "'" + c + "' at position " + (position + 1) + " is not allowed in a VIN (digits and A-Z without I, O, Q)");
        };
    }

    public String value() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vin other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}

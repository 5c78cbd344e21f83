package org.batterytrace.identity;

/**
 * The 18-character unified social credit code of an enterprise (GB 32100-2015), used as organization
 * id. Characters 3-8 are the administrative-division code of the registering authority; the last
 * character is a mod-31 check character.
 */
public final class CreditCode implements Comparable<CreditCode> {
    private static final String ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static final int[] WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

    private final String value;

    private CreditCode(String value) {
        this.value = value;
    }

    public static CreditCode parse(String text) {
        if (text == null || text.length() != 18) {
            throw new InvalidIdentifierException("length", "unified social credit code must have 18 characters, got " + (text == null ? 0 : text.length()));
        }
        for (int i = 0; i < 18; i++) {
            if (ALPHABET.indexOf(text.charAt(i)) < 0) {
                throw new InvalidIdentifierException("characters", "'" + text.charAt(i) + "' at position " + (i + 1) + " is not allowed in a credit code (digits and A-Y without I, O, S, V, Z)");
            }
        }
        for (int i = 2; i < 8; i++) {
            if (!Character.isDigit(text.charAt(i))) {
                throw new InvalidIdentifierException("divisionCode", "positions 3-8 must be the 6-digit administrative-division code, got '" + text.substring(2, 8) + "'");
            }
        }
        char expected = checkCharacter(text.substring(0, 17));
        if (text.charAt(17) != expected) {
            throw new InvalidIdentifierException("checkCharacter", "check character of " + text + " should be '" + expected + "'");
        }
        return new CreditCode(text);
    }

    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (InvalidIdentifierException e) {
            return false;
        }
    }

    /** Completes the first 17 characters with their check character. */
    public static CreditCode withCheckCharacter(String first17) {
        if (first17.length() != 17) {
            throw new InvalidIdentifierException("length", "need the first 17 characters of the credit code");
        }
        return parse(first17 + checkCharacter(first17));
    }

    static char checkCharacter(String first17) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            int v = ALPHABET.indexOf(first17.charAt(i));
            if (v < 0) {
                throw new InvalidIdentifierException("characters", "'" + first17.charAt(i) + "' is not allowed in a credit code");
            }
            sum += v * WEIGHTS[i];
        }
        return ALPHABET.charAt((31 - sum % 31) % 31);
    }

    public String value() {
        return value;
    }

    /** Six-digit administrative division (GB/T 2260), e.g. 430100 for Changsha. */
    public String divisionCode() {
        return value.substring(2, 8);
    }

    /** Two-digit province prefix padded to a division code, e.g. 430000 for Hunan. */
    public String provinceCode() {
        return value.substring(2, 4) + "0000";
    }

    /** Prefecture-level city as a division code, e.g. 430100. */
    public String cityCode() {
        return value.substring(2, 6) + "00";
    }

    @Override
    public int compareTo(CreditCode o) {
        return value.compareTo(o.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CreditCode other && value.equals(other.value);
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

package org.batterytrace.identity;

import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * The three-character production date of GB/T 34014 (year, month, day). One table serves all three:
 * 1-9, then A-Y without I, O, Q, U, Z for 10-30, and '0' for the 31st day only. Years count from 2010.
 */
public final class ProductionDateCode {
    /** Index = value 10..30. */
    private static final String LETTERS = "ABCDEFGHJKLMNPRSTVWXY";
    public static final int BASE_YEAR = 2010;
    public static final int FIRST_YEAR = BASE_YEAR + 1;
    public static final int LAST_YEAR = BASE_YEAR + 30;

    private ProductionDateCode() {
    }

    public static LocalDate decode(CharSequence code) {
        if (code.length() != 3) {
            throw new InvalidIdentifierException("productionDate", "production date code must be 3 characters");
        }
        int year = BASE_YEAR + value(code.charAt(0), "productionDate.year", false);
        int month = value(code.charAt(1), "productionDate.month", false);
        int day = value(code.charAt(2), "productionDate.day", true);
        if (month > 12) {
            throw new InvalidIdentifierException("productionDate.month", "month code '" + code.charAt(1) + "' means " + month + ", beyond 12");
        }
        try {
            return LocalDate.of(year, month, day);
        } catch (DateTimeException e) {
            throw new InvalidIdentifierException("productionDate.day", "day " + day + " does not exist in " + year + "-" + month);
        }
    }

    public static String encode(LocalDate date) {
        if (date.getYear() < FIRST_YEAR || date.getYear() > LAST_YEAR) {
            throw new InvalidIdentifierException("productionDate.year", "GB/T 34014 years run from " + FIRST_YEAR + " to " + LAST_YEAR + ", got " + date.getYear());
        }
        return new String(new char[] {character(date.getYear() - BASE_YEAR), character(date.getMonthValue()), date.getDayOfMonth() == 31 ? '0' : character(date.getDayOfMonth())});
    }

    private static char character(int value) {
        return value < 10 ? (char) ('0' + value) : LETTERS.charAt(value - 10);
    }

    private static int value(char c, String segment, boolean dayPosition) {
        if (c >= '1' && c <= '9') {
            return c - '0';
        }
        if (c == '0' && dayPosition) {
            return 31;
        }
        int index = LETTERS.indexOf(c);
        if (index < 0) {
            throw new InvalidIdentifierException(segment, "'" + c + "' is not a GB/T 34014 date character (1-9, A-Y without I, O, Q, U, Z; 0 only for day 31)");
        }
        return index + 10;
    }
}

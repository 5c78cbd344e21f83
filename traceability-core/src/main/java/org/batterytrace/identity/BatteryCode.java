package org.batterytrace.identity;

import java.time.LocalDate;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A GB/T 34014 traction-battery code: 24 characters for a new battery, or 19 characters for a
 * cascade-use (second-life) product, which drops the 7-character traceability segment and ends with
 * {@code R} plus a product-type letter.
 *
 * <pre>
 * new:     MMM T C SS TTTTTTT YMD NNNNNNN          (24)
 * cascade: MMM T C SS YMD NNNNNNN R L              (19)
 * </pre>
 */
public final class BatteryCode implements Comparable<BatteryCode> {
    public static final int LENGTH = 24;
    public static final int CASCADE_LENGTH = 19;

    private final String value;
    private final LocalDate productionDate;

    private BatteryCode(String value, LocalDate productionDate) {
        this.value = value;
        this.productionDate = productionDate;
    }

    /** Parses and validates a code; lower-case letters are accepted and upper-cased. */
    public static BatteryCode parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new InvalidIdentifierException("length", "battery code is empty");
        }
        String code = text.toUpperCase(Locale.ROOT);
        if (!code.equals(text)) {
            // Signed records carry the code exactly; normalising here would let two spellings name one battery.
            throw new InvalidIdentifierException("case", "battery codes are upper-case letters and digits (GB/T 34014): " + code);
        }
        if (code.length() != LENGTH && code.length() != CASCADE_LENGTH) {
            throw new InvalidIdentifierException("length", "battery code must have 24 characters (19 for a cascade product), got " + code.length());
        }
        boolean cascade = code.length() == CASCADE_LENGTH;
        requireAlphanumeric(code, 0, 3, "manufacturer");
        ProductLevel.fromCode(code.charAt(3));
        Chemistry.fromCode(code.charAt(4));
        requireAlphanumeric(code, 5, 7, "spec");
        int dateStart = cascade ? 7 : 14;
        if (!cascade) {
            requireAlphanumeric(code, 7, 14, "traceability");
        }
        LocalDate date = ProductionDateCode.decode(code.substring(dateStart, dateStart + 3));
        for (int i = dateStart + 3; i < dateStart + 10; i++) {
            if (code.charAt(i) < '0' || code.charAt(i) > '9') {
                throw new InvalidIdentifierException("serial", "serial number must be 7 digits, got '" + code.substring(dateStart + 3, dateStart + 10) + "'");
            }
        }
        if (cascade) {
            if (code.charAt(17) != 'R') {
                throw new InvalidIdentifierException("cascadeExtension", "a 19-character cascade code must end with R and P/M/C, got '" + code.substring(17) + "'");
            }
            try {
                ProductLevel.fromCode(code.charAt(18));
            } catch (InvalidIdentifierException e) {
                throw new InvalidIdentifierException("cascadeExtension", "a 19-character cascade code must end with R and P/M/C, got '" + code.substring(17) + "'");
            }
        }
        return new BatteryCode(code, date);
    }

    /** Whether {@code text} is a valid code, without the exception. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (InvalidIdentifierException e) {
            return false;
        }
    }

    /** Builds a new 24-character code from its parts. */
    public static BatteryCode of(String manufacturer, ProductLevel level, Chemistry chemistry, String spec, String traceability, LocalDate productionDate, int serial) {
        Objects.requireNonNull(traceability, "traceability");
        return parse(manufacturer + level.code() + chemistry.code() + spec + traceability + ProductionDateCode.encode(productionDate) + serial(serial));
    }

    /** Builds a 19-character cascade-product code under the cascade enterprise's own manufacturer code. */
    public static BatteryCode cascade(String manufacturer, ProductLevel level, Chemistry chemistry, String spec, LocalDate productionDate, int serial, ProductLevel extension) {
        return parse(manufacturer + level.code() + chemistry.code() + spec + ProductionDateCode.encode(productionDate) + serial(serial) + 'R' + extension.code());
    }

    private static String serial(int serial) {
        if (serial < 0 || serial > 9_999_999) {
            throw new InvalidIdentifierException("serial", "serial number must be within 0..9999999, got " + serial);
        }
        return String.format(Locale.ROOT, "%07d", serial);
    }

    private static void requireAlphanumeric(String code, int from, int to, String segment) {
        for (int i = from; i < to; i++) {
            char c = code.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
                throw new InvalidIdentifierException(segment, segment + " segment must be letters A-Z or digits, got '" + code.substring(from, to) + "'");
            }
        }
    }

    public String value() {
        return value;
    }

    public boolean isCascade() {
        return value.length() == CASCADE_LENGTH;
    }

    public String manufacturer() {
        return value.substring(0, 3);
    }

    public ProductLevel level() {
        return ProductLevel.fromCode(value.charAt(3));
    }

    public Chemistry chemistry() {
        return Chemistry.fromCode(value.charAt(4));
    }

    public String spec() {
        return value.substring(5, 7);
    }

    /** The company-defined traceability segment; absent for cascade products. */
    public Optional<String> traceability() {
        return isCascade() ? Optional.empty() : Optional.of(value.substring(7, 14));
    }

    public LocalDate productionDate() {
        return productionDate;
    }

    public String serial() {
        int start = isCascade() ? 10 : 17;
        return value.substring(start, start + 7);
    }

    /** The product-type letter after {@code R} on a cascade code. */
    public Optional<ProductLevel> cascadeExtension() {
        return isCascade() ? Optional.of(ProductLevel.fromCode(value.charAt(18))) : Optional.empty();
    }

    @Override
    public int compareTo(BatteryCode other) {
        return value.compareTo(other.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BatteryCode other && value.equals(other.value);
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

package org.batterytrace.passport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The kind of a passport attribute's value, with the check a signed record must pass and the form the
 * passport shows. Records carry no floats (docs/record-format.md), so numbers are signed as integers or
 * decimal strings ("65.3") and shown as JSON numbers, as the Battery Pass schemas expect.
 */
public record Kind(Name name, BigDecimal min, BigDecimal max, List<String> values) {
    /** Longest text a passport member may hold. */
    public static final int MAX_TEXT = 2000;
    /** Most items of a passport list. */
    public static final int MAX_ITEMS = 1000;

    private static final Pattern DECIMAL = Pattern.compile("-?(0|[1-9][0-9]{0,17})(\\.[0-9]{1,9})?");
    /** xsd:dateTime as the Battery Pass schemas' lastUpdate pattern allows it, with seconds. */
    private static final Pattern DATE_TIME = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})");
    /** xsd:gMonth, the Battery Pass 1.2.0 type of warrentyPeriod. */
    private static final Pattern G_MONTH = Pattern.compile("--(0[1-9]|1[0-2])(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?");

    /** A CAS registry number, as the Battery Pass schemas constrain material identifiers. */
    private static final Pattern CAS = Pattern.compile("[0-9]{2,7}-[0-9]{2}-[0-9]");
    /** An e-mail address, as the Battery Pass Circularity schema constrains it. */
    private static final Pattern EMAIL = Pattern.compile("[\\w.-]+@[\\w.-]+\\.[A-Za-z]{2,}");

    public enum Name {
        OBJECT, LIST, TEXT, URI, NUMBER, INTEGER, DATETIME, GMONTH, BOOLEAN, ENUM, TEXTLIST, CAS, EMAIL
    }

    /** Parses the kind column: {@code number:0:100}, {@code enum:A|B}, or a bare name. */
    public static Kind parse(String text) {
        String[] parts = text.split(":", -1);
        Name name = Name.valueOf(parts[0].toUpperCase(java.util.Locale.ROOT));
        return switch (name) {
            case NUMBER -> parts.length == 3 ? new Kind(name, new BigDecimal(parts[1]), new BigDecimal(parts[2]), List.of()) : new Kind(name, null, null, List.of());
            case ENUM -> new Kind(name, null, null, List.of(parts[1].split("\\|")));
            default -> new Kind(name, null, null, List.of());
        };
    }

    public boolean isContainer() {
        return name == Name.OBJECT || name == Name.LIST;
    }

    /**
     * Checks a signed value; returns a problem description, or {@code null} when the value fits. Containers
     * are only checked for their JSON shape here: their members are checked row by row.
     */
    public String problem(JsonNode value) {
        switch (name) {
            case OBJECT:
                return value.isObject() ? null : "must be an object";
            case LIST:
                return !value.isArray() ? "must be an array" : value.size() > MAX_ITEMS ? "has more than " + MAX_ITEMS + " items" : null;
            case TEXTLIST:
                if (!value.isArray() || value.size() > MAX_ITEMS) {
                    return "must be an array of at most " + MAX_ITEMS + " strings";
                }
                for (JsonNode item : value) {
                    String p = text(item);
                    if (p != null) {
                        return "items " + p;
                    }
                }
                return null;
            case TEXT:
                return text(value);
            case URI:
                String t = text(value);
                if (t != null) {
                    return t;
                }
                try {
                    URI uri = new URI(value.textValue());
                    return uri.isAbsolute() ? null : "must be an absolute URI";
                } catch (URISyntaxException e) {
                    return "must be an absolute URI";
                }
            case NUMBER:
                BigDecimal number = decimal(value);
                if (number == null) {
                    return "must be an integer or a decimal string like \"65.3\" (no floats in records)";
                }
                if (min != null && (number.compareTo(min) < 0 || number.compareTo(max) > 0)) {
                    return "must be between " + min + " and " + max;
                }
                return null;
            case INTEGER:
                return value.isIntegralNumber() && value.canConvertToLong() && value.longValue() >= 0 ? null : "must be a non-negative integer";
            case DATETIME:
                if (!value.isTextual() || !DATE_TIME.matcher(value.textValue()).matches()) {
                    return "must be a date-time like 2026-03-14T08:00:00Z";
                }
                try {
                    OffsetDateTime.parse(value.textValue());
                    return null;
                } catch (DateTimeParseException e) {
                    return "is not a real date-time";
                }
            case GMONTH:
                return value.isTextual() && G_MONTH.matcher(value.textValue()).matches() ? null : "must be an xsd:gMonth like --08 (Battery Pass 1.2.0 warrentyPeriod)";
            case BOOLEAN:
                return value.isBoolean() ? null : "must be true or false";
            case CAS:
                return value.isTextual() && CAS.matcher(value.textValue()).matches() ? null : "must be a CAS registry number like 7782-42-5";
            case EMAIL:
                return value.isTextual() && value.textValue().length() <= 254 && EMAIL.matcher(value.textValue()).matches() ? null : "must be an e-mail address";
            case ENUM:
                return value.isTextual() && values.contains(value.textValue()) ? null : "must be one of " + values;
            default:
                throw new IllegalStateException(name.toString());
        }
    }

    /** The value as the passport shows it: decimal strings become JSON numbers. Assumes {@link #problem} passed. */
    public JsonNode shown(JsonNode value) {
        if (name == Name.NUMBER && value.isTextual()) {
            return DecimalNode.valueOf(new BigDecimal(value.textValue()));
        }
        return value;
    }

    private static BigDecimal decimal(JsonNode value) {
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return BigDecimal.valueOf(value.longValue());
        }
        if (value.isTextual() && DECIMAL.matcher(value.textValue()).matches()) {
            return new BigDecimal(value.textValue());
        }
        return null;
    }

    private static String text(JsonNode value) {
        if (!value.isTextual() || value.textValue().isBlank()) {
            return "must be a non-empty string";
        }
        return value.textValue().length() > MAX_TEXT ? "is longer than " + MAX_TEXT + " characters" : null;
    }
}

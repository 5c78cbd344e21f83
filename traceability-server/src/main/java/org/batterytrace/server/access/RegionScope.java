package org.batterytrace.server.access;

import java.util.Optional;
import java.util.regex.Pattern;
import org.batterytrace.server.problem.ProblemException;
import org.batterytrace.server.problem.ProblemKind;

/**
 * A part of the country: a prefix of the 6-digit GB/T 2260 administrative division code (2 digits = a
 * province, 4 = a prefecture-level city, 6 = a county), or the whole country. A full division code is
 * read as the area it names: {@code 430000} is Hunan ({@code 43}), {@code 430100} Changsha
 * ({@code 4301}). It is what a regulator oversees, and what a report is narrowed to; every report and
 * compliance query restricts its rows through {@link #sql(String)}, the one place the condition is
 * written (the prefix is digits only, checked here, so the condition can be inlined).
 */
public final class RegionScope {
    public static final String COUNTRY_LABEL = "CN";
    public static final RegionScope COUNTRY = new RegionScope(null);
    private static final Pattern PREFIX = Pattern.compile("\\d{2}|\\d{4}|\\d{6}");

    private final String prefix;

    private RegionScope(String prefix) {
        this.prefix = prefix;
    }

    public static RegionScope country() {
        return COUNTRY;
    }

    /**
     * The scope of {@code code}: null or blank for the whole country.
     *
     * @throws ProblemException 400 {@code bad-region} unless 2, 4 or 6 digits
     */
    public static RegionScope of(String code) {
        if (code == null || code.isBlank()) {
            return COUNTRY;
        }
        String c = code.trim();
        if (!PREFIX.matcher(c).matches() || c.startsWith("00")) {
            throw new ProblemException(ProblemKind.BAD_REGION, "region is a province, city or county code or prefix: 2, 4 or 6 digits such as 43, 4301 or 430100, got "
                    + code);
        }
        while (c.length() > 2 && c.endsWith("00")) {
            c = c.substring(0, c.length() - 2);
        }
        return new RegionScope(c);
    }

    /** A regulator's declared scope: {@code CN}, or a division code or prefix. */
    public static RegionScope parse(String text) {
        if (COUNTRY_LABEL.equals(text)) {
            return COUNTRY;
        }
        if (text == null || !PREFIX.matcher(text).matches()) {
            throw new ProblemException(ProblemKind.INVALID_REGION_SCOPE, "regionScope is CN (the whole country) or a 2-, 4- or 6-digit administrative division prefix, got " + text);
        }
        return of(text);
    }

    /** The prefix, empty for the whole country. */
    public Optional<String> prefix() {
        return Optional.ofNullable(prefix);
    }

    public boolean isCountry() {
        return prefix == null;
    }

    /** Whether an organization in {@code region} (6 digits) is inside. */
    public boolean contains(String region) {
        return prefix == null || (region != null && region.startsWith(prefix));
    }

    /**
     * What a caller overseeing this scope may ask for as {@code requested}: the requested part when it
     * lies inside, this scope when the request is wider; 403 when it lies outside.
     */
    public RegionScope narrowedTo(RegionScope requested) {
        if (requested.isCountry() || (prefix != null && prefix.startsWith(requested.prefix))) {
            return this;
        }
        if (prefix == null || requested.prefix.startsWith(prefix)) {
            return requested;
        }
        throw new ProblemException(ProblemKind.OUTSIDE_YOUR_REGION, "region " + requested + " is outside the region you oversee (" + label() + ")");
    }

    /** The SQL condition restricting the 6-digit region column {@code regionColumn} to this scope. */
    public String sql(String regionColumn) {
        return prefix == null ? "1 = 1" : regionColumn + " LIKE '" + prefix + "%'";
    }

    /** For a bound SQL {@code LIKE} parameter. */
    public String likePattern() {
        return (prefix == null ? "" : prefix) + "%";
    }

    /** {@code CN} or the prefix. */
    public String label() {
        return prefix == null ? COUNTRY_LABEL : prefix;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RegionScope r && java.util.Objects.equals(prefix, r.prefix);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hashCode(prefix);
    }

    @Override
    public String toString() {
        return prefix == null ? "whole country" : prefix;
    }
}

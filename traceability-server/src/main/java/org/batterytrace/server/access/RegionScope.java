package org.batterytrace.server.access;

import java.util.regex.Pattern;
import org.batterytrace.server.problem.ProblemException;

/**
 * The part of the country a regulator oversees: a prefix of the 6-digit administrative division code
 * (GB/T 2260) — 2 digits a province, 4 a prefecture-level city, 6 a county — or the whole country.
 */
public record RegionScope(String prefix) {
    public static final String COUNTRY_LABEL = "CN";
    public static final RegionScope COUNTRY = new RegionScope("");
    private static final Pattern PREFIX = Pattern.compile("\\d{2}|\\d{4}|\\d{6}");

    /** {@code CN}, or a 2-, 4- or 6-digit division code prefix. */
    public static RegionScope parse(String text) {
        if (COUNTRY_LABEL.equals(text)) {
            return COUNTRY;
        }
        if (text == null || !PREFIX.matcher(text).matches()) {
            throw ProblemException.badRequest("invalid-region-scope", "regionScope is CN (the whole country) or a 2-, 4- or 6-digit administrative division prefix, got " + text);
        }
        return new RegionScope(text);
    }

    /** The division a 6-digit code names: a province (xx0000), a city (xxxx00) or a county. */
    public static RegionScope of(String region) {
        if (region.endsWith("0000")) {
            return new RegionScope(region.substring(0, 2));
        }
        return new RegionScope(region.endsWith("00") ? region.substring(0, 4) : region);
    }

    public boolean covers(String region) {
        return region != null && region.startsWith(prefix);
    }

    /** For SQL {@code LIKE}: the prefix holds digits only, so nothing needs escaping. */
    public String likePattern() {
        return prefix + "%";
    }

    public String label() {
        return prefix.isEmpty() ? COUNTRY_LABEL : prefix;
    }
}

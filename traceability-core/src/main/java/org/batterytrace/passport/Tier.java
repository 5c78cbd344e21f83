package org.batterytrace.passport;

import java.util.Locale;

/**
 * Who may read a passport attribute: the access groups of Reg. (EU) 2023/1542 Art. 77(2) and Annex XIII,
 * ordered from the widest audience to the narrowest. A reader of one tier sees its own and all wider tiers.
 */
public enum Tier {
    /** Annex XIII point 1: everyone. */
    PUBLIC("public"),
    /** Annex XIII points 2 and 4: persons with a legitimate interest (and the Commission). */
    LEGITIMATE_INTEREST("legitimate-interest"),
    /** Annex XIII point 3: notified bodies, market-surveillance authorities and the Commission. */
    AUTHORITY("authority");

    private final String label;

    Tier(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Whether a reader of this tier may see an attribute of tier {@code attribute}. */
    public boolean sees(Tier attribute) {
        return attribute.ordinal() <= ordinal();
    }

    public static Tier fromLabel(String label) {
        for (Tier tier : values()) {
            if (tier.label.equals(label)) {
                return tier;
            }
        }
        throw new IllegalArgumentException("unknown tier " + label);
    }

    /**
     * The tier of a Battery Pass longlist "access rights" cell: "Public", "persons with a legitimate
     * interest", "persons with a legitimate interest and the Commission", or "Notified bodies, market
     * surveillance authorities and the Commission". Anything else is refused rather than guessed.
     */
    public static Tier fromLonglistAccess(String access) {
        String a = access.trim().toLowerCase(Locale.ROOT);
        if (a.equals("public")) {
            return PUBLIC;
        }
        if (a.startsWith("persons with a legitimate interest")) {
            return LEGITIMATE_INTEREST;
        }
        if (a.startsWith("notified bodies")) {
            return AUTHORITY;
        }
        throw new IllegalArgumentException("unknown longlist access right: " + access);
    }
}

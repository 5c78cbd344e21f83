package org.batterytrace.recycling;

import java.util.regex.Pattern;
import org.batterytrace.identity.CreditCode;
import org.batterytrace.identity.InvalidIdentifierException;

/**
 * A recycling lot's identifier: {@code LOT-<recycler's 18-char credit code>-<1..24 of A-Z 0-9>}, so lot
 * ids never collide across recyclers and never look like a GB/T 34014 battery code.
 */
public final class LotId {
    public static final String PREFIX = "LOT-";
    private static final Pattern LOCAL = Pattern.compile("[A-Z0-9]{1,24}");

    private final String value;
    private final String recycler;

    private LotId(String value, String recycler) {
        this.value = value;
        this.recycler = recycler;
    }

    public static boolean looksLikeLot(String subject) {
        return subject != null && subject.startsWith(PREFIX);
    }

    public static LotId parse(String text) {
        if (text == null || !text.startsWith(PREFIX) || text.length() < PREFIX.length() + 20 || text.charAt(PREFIX.length() + 18) != '-') {
            throw new InvalidIdentifierException("lot", "a lot id is LOT-<recycler credit code>-<local part>, got " + text);
        }
        String recycler = text.substring(PREFIX.length(), PREFIX.length() + 18);
        CreditCode.parse(recycler);
        String local = text.substring(PREFIX.length() + 19);
        if (!LOCAL.matcher(local).matches()) {
            throw new InvalidIdentifierException("lot", "a lot id's local part is 1-24 characters A-Z 0-9, got " + local);
        }
        return new LotId(text, recycler);
    }

    public static LotId of(String recycler, String local) {
        return parse(PREFIX + recycler + "-" + local);
    }

    public String value() {
        return value;
    }

    /** The recycler that opened the lot. */
    public String recycler() {
        return recycler;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LotId other && other.value.equals(value);
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

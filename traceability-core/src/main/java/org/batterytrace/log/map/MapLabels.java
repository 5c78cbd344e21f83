package org.batterytrace.log.map;

import org.batterytrace.record.Hashes;

/**
 * The map's key space (docs/record-format.md §7.1). Labels are UTF-8 strings; their SHA-256 is the tree
 * key. The two prefixes keep the kinds apart: no {@code head:} label equals a {@code key:} label.
 */
public final class MapLabels {
    public static final String HEAD = "head:";
    public static final String KEY = "key:";
    /** A record subject is 1–128 characters, so no label is longer than this. */
    public static final int MAX_LENGTH = HEAD.length() + 128;

    private MapLabels() {
    }

    /** The head of a chain: a battery code, a recycling lot id or an organization (its key events). */
    public static String head(String subject) {
        return HEAD + subject;
    }

    /** The status of an organization key, by key id (64 lower-case hex digits). */
    public static String key(String keyId) {
        return KEY + keyId;
    }

    /**
     * True for {@code head:<subject>} with a subject as trace-record/1 allows (1–128 characters, none
     * of them U+0000–U+0020 or U+007F) and for {@code key:<64 lower-case hex>}.
     */
    public static boolean isValid(String label) {
        if (label == null) {
            return false;
        }
        if (label.startsWith(KEY)) {
            return Hashes.isSha256Hex(label.substring(KEY.length()));
        }
        if (!label.startsWith(HEAD) || label.length() == HEAD.length() || label.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = HEAD.length(); i < label.length(); i++) {
            char c = label.charAt(i);
            if (c <= 0x20 || c == 0x7F) {
                return false;
            }
        }
        return true;
    }
}

package org.batterytrace.log;

import org.batterytrace.record.Hashes;

/** RFC 9162 section 2.1.1 hashing with domain separation of leaves and interior nodes. */
public final class TreeHash {
    public static final int SIZE = 32;
    private static final byte[] EMPTY = Hashes.sha256(new byte[0]);

    private TreeHash() {
    }

    /** MTH({}) = SHA-256 of the empty string. */
    public static byte[] empty() {
        return EMPTY.clone();
    }

    /** MTH({d}) = SHA-256(0x00 || d). */
    public static byte[] leaf(byte[] data) {
        return Hashes.sha256((byte) 0x00, data);
    }

    /** MTH({d}) of data read from a buffer (its position moves to the end). */
    public static byte[] leaf(java.nio.ByteBuffer data) {
        return Hashes.sha256((byte) 0x00, data);
    }

    /** SHA-256(0x01 || left || right). */
    public static byte[] node(byte[] left, byte[] right) {
        return Hashes.sha256((byte) 0x01, left, right);
    }
}

package org.batterytrace.log.map;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.batterytrace.record.Hashes;

/**
 * Hashing of the log-derived map, a compressed sparse Merkle tree over 256-bit keys (the construction
 * of Diem's {@code SparseMerkleProof} and the Jellyfish Merkle tree, with RFC 9162-style domain
 * separation). See docs/record-format.md §7:
 * <ul>
 * <li>key hash = SHA-256(UTF-8 label), read most significant bit first (bit 0 = left/right at the root);
 * <li>leaf = SHA-256(0x00 ‖ key hash ‖ SHA-256(value bytes));
 * <li>interior node = SHA-256(0x01 ‖ left ‖ right);
 * <li>empty subtree = 32 zero bytes (the hash of nothing, so no preimage is known).
 * </ul>
 * A subtree holding exactly one leaf <em>is</em> that leaf: leaves sit at the shallowest depth at which
 * their prefix is unique, so the root depends only on the set of (key, value) pairs.
 */
public final class MapHash {
    public static final int SIZE = 32;
    /** The longest possible path: two distinct 256-bit keys differ at bit 255 at the latest. */
    public static final int MAX_DEPTH = 256;
    private static final byte[] EMPTY = new byte[SIZE];

    private MapHash() {
    }

    /** The hash of an empty subtree (and the root of the empty map). */
    public static byte[] empty() {
        return EMPTY.clone();
    }

    public static boolean isEmpty(byte[] hash) {
        return Arrays.equals(hash, EMPTY);
    }

    public static byte[] keyHash(String label) {
        return Hashes.sha256(label.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] valueHash(byte[] value) {
        return Hashes.sha256(value);
    }

    /** SHA-256(0x00 ‖ keyHash ‖ valueHash). */
    public static byte[] leaf(byte[] keyHash, byte[] valueHash) {
        return Hashes.sha256((byte) 0x00, keyHash, valueHash);
    }

    /** SHA-256(0x01 ‖ left ‖ right). */
    public static byte[] node(byte[] left, byte[] right) {
        return Hashes.sha256((byte) 0x01, left, right);
    }

    /** Bit {@code i} (0 = most significant bit of byte 0) of a key hash. */
    public static int bit(byte[] key, int i) {
        return (key[i >>> 3] >>> (7 - (i & 7))) & 1;
    }

    /** Nibble {@code n} (0 = high nibble of byte 0): bits 4n … 4n+3. */
    public static int nibble(byte[] key, int n) {
        int b = key[n >>> 1] & 0xff;
        return (n & 1) == 0 ? b >>> 4 : b & 0x0f;
    }

    /** True when both keys agree on their first {@code bits} bits. */
    public static boolean samePrefix(byte[] a, byte[] b, int bits) {
        for (int i = 0; i < bits; i++) {
            if (bit(a, i) != bit(b, i)) {
                return false;
            }
        }
        return true;
    }
}

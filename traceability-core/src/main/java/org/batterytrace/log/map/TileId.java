package org.batterytrace.log.map;

import java.util.Arrays;

/**
 * Where a {@link Tile} sits: {@code depth} nibbles (4 bits each) below the root, under the first
 * {@code depth} nibbles of the keys it holds. Encoded for storage as one byte of depth followed by the
 * prefix nibbles packed two per byte (an odd last nibble padded with 0).
 */
public final class TileId {
    /** Tiles sit at nibble depths 0 … 63: distinct keys part in the last nibble at the latest. */
    public static final int MAX_DEPTH = 63;
    public static final TileId ROOT = new TileId(new byte[] {0});

    private final byte[] bytes;
    /**
     * Spread over the unsigned bytes: {@link Arrays#hashCode(byte[])} (31 h + signed byte) gives the 65,536
     * tiles of depth 4 about 8,000 distinct values, and the maps keyed by tile ids turned their buckets into trees.
     */
    private final int hash;

    private TileId(byte[] bytes) {
        this.bytes = bytes;
        int h = 0;
        for (byte b : bytes) {
            h = h * 257 + (b & 0xff);
        }
        this.hash = h ^ h >>> 16;
    }

    /** The tile at nibble depth {@code depth} on the path of {@code key}. */
    public static TileId of(byte[] key, int depth) {
        if (depth < 0 || depth > MAX_DEPTH) {
            throw new IllegalArgumentException("tile depth must be 0.." + MAX_DEPTH);
        }
        byte[] b = new byte[1 + (depth + 1) / 2];
        b[0] = (byte) depth;
        System.arraycopy(key, 0, b, 1, b.length - 1);
        if ((depth & 1) == 1) {
            b[b.length - 1] &= (byte) 0xf0;
        }
        return new TileId(b);
    }

    public static TileId fromBytes(byte[] bytes) {
        if (bytes.length == 0 || (bytes[0] & 0xff) > MAX_DEPTH || bytes.length != 1 + ((bytes[0] & 0xff) + 1) / 2
                || ((bytes[0] & 1) == 1 && (bytes[bytes.length - 1] & 0x0f) != 0)) {
            throw new IllegalArgumentException("not a tile id encoding");
        }
        return new TileId(bytes.clone());
    }

    public int depth() {
        return bytes[0];
    }

    /** The tile one level down, under slot {@code nibble} of this one. */
    public TileId child(int nibble) {
        int depth = depth() + 1;
        if (depth > MAX_DEPTH) {
            throw new IllegalStateException("no tile below depth " + MAX_DEPTH + ": two keys would be equal");
        }
        byte[] b = Arrays.copyOf(bytes, 1 + (depth + 1) / 2);
        b[0] = (byte) depth;
        int n = depth - 1;
        if ((n & 1) == 0) {
            b[1 + n / 2] = (byte) (nibble << 4);
        } else {
            b[1 + n / 2] |= (byte) nibble;
        }
        return new TileId(b);
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TileId t && Arrays.equals(bytes, t.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("tile ").append(depth()).append('/');
        for (int n = 0; n < depth(); n++) {
            s.append(Character.forDigit(MapHash.nibble(Arrays.copyOfRange(bytes, 1, bytes.length), n), 16));
        }
        return s.toString();
    }
}

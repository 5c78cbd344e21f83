package org.batterytrace.log.map;

import java.util.Arrays;

/**
 * Four levels of the map stored together (the storage layout of the Jellyfish Merkle tree): the 16
 * subtrees one nibble below this tile's position, each empty, a single leaf (key hash and value), or a
 * child tile holding two or more leaves. The four binary levels inside are recomputed from the slots,
 * with the map's collapse rule: a region holding a single leaf hashes to that leaf. A tile other than
 * the root exists only where its subtree holds two or more leaves.
 * <p>
 * A child tile is stored on its own (its row; this tile keeps its hash), or, while it is small (at most
 * {@value #INLINE_LEAVES} leaves and no child of its own), inside this tile: most tiles deep in a large
 * map are such pairs and triples, and each one stored on its own would be a second row written for every
 * change below this one. Where a child is stored changes no hash. Not thread-safe; a child held inside is
 * never changed in place (it is replaced).
 */
public final class Tile {
    public static final int WIDTH = 16;
    /** The most leaves a child tile may have to be stored inside its parent. */
    public static final int INLINE_LEAVES = 4;
    private static final int SIZE = MapHash.SIZE;
    /**
     * Each used slot's hash (leaf or child) at {@code slot * SIZE}; {@link #used} says which slots are used. One
     * flat array here and one for the inner nodes, rather than an array per hash (up to 31 per tile): the server
     * keeps every tile it changed as an object until its next store, seconds later, and each young collection
     * copies those objects again (docs/benchmarks.md: garbage-collection pauses with the map).
     */
    private final byte[] slotHashes;
    private int used;
    /** The leaves' key hashes and values by slot; null while the tile holds no leaf (the upper tiles never do). */
    private byte[][] keys;
    private byte[][] values;
    /** Small child tiles stored inside this one (their hashes are in {@link #slotHashes}); null while there are none. */
    private Tile[] inline;
    /**
     * The hashes of the 15 binary nodes inside the tile, heap-ordered (node 1 covers all 16 slots, nodes
     * 2 and 3 the halves, …, nodes 8–15 pairs of slots) at {@code node * SIZE}, valid where {@link #known} has the
     * node's bit. Changing a slot clears the four nodes above it only, so a tile whose slots change one at a time
     * is rehashed in four steps.
     */
    private final byte[] innerHashes;
    private int known;

    public Tile() {
        slotHashes = new byte[WIDTH * SIZE];
        innerHashes = new byte[WIDTH * SIZE];
    }

    private Tile(Tile of) {
        slotHashes = of.slotHashes.clone();
        innerHashes = of.innerHashes.clone();
        used = of.used;
        known = of.known;
        keys = of.keys == null ? null : of.keys.clone();
        values = of.values == null ? null : of.values.clone();
        inline = of.inline == null ? null : of.inline.clone();
    }

    public boolean isEmpty(int slot) {
        return (used & 1 << slot) == 0;
    }

    public boolean isLeaf(int slot) {
        return keys != null && keys[slot] != null;
    }

    /** Whether the slot holds a child tile, stored on its own or inside this one. */
    public boolean isChild(int slot) {
        return !isEmpty(slot) && !isLeaf(slot);
    }

    /** Whether the slot holds a child tile stored inside this one. */
    public boolean isInline(int slot) {
        return inline != null && inline[slot] != null;
    }

    /** A copy of the child tile stored inside this one at {@code slot}. */
    public Tile inlineChild(int slot) {
        return inline[slot].copy();
    }

    /** Whether this tile may be stored inside its parent: two to {@value #INLINE_LEAVES} leaves, nothing else. */
    public boolean isSmall() {
        int leaves = 0;
        for (int s = 0; s < WIDTH; s++) {
            if (!isEmpty(s)) {
                if (!isLeaf(s)) {
                    return false;
                }
                leaves++;
            }
        }
        return leaves >= 2 && leaves <= INLINE_LEAVES;
    }

    public byte[] key(int slot) {
        return keys == null ? null : keys[slot];
    }

    public byte[] value(int slot) {
        return values == null ? null : values[slot];
    }

    public void setLeaf(int slot, byte[] key, byte[] value) {
        if (keys == null) {
            keys = new byte[WIDTH][];
            values = new byte[WIDTH][];
        }
        clearInline(slot);
        keys[slot] = key;
        values[slot] = value;
        setSlotHash(slot, MapHash.leaf(key, MapHash.valueHash(value)), 0);
    }

    /** A child tile stored on its own, by its hash. */
    public void setChild(int slot, byte[] hash) {
        setChild(slot, hash, 0);
    }

    private void setChild(int slot, byte[] hash, int offset) {
        clearInline(slot);
        clearLeaf(slot);
        setSlotHash(slot, hash, offset);
    }

    /** A small child tile ({@link #isSmall()}), stored inside this one; the tile is this one's now, not the caller's. */
    public void setInline(int slot, Tile child) {
        if (!child.isSmall()) {
            throw new IllegalArgumentException("only a tile of 2 to " + INLINE_LEAVES + " leaves and no children is stored inside its parent");
        }
        clearLeaf(slot);
        if (inline == null) {
            inline = new Tile[WIDTH];
        }
        inline[slot] = child;
        setSlotHash(slot, child.hash(), 0);
    }

    private void clearLeaf(int slot) {
        if (keys != null) {
            keys[slot] = null;
            values[slot] = null;
        }
    }

    private void clearInline(int slot) {
        if (inline != null) {
            inline[slot] = null;
        }
    }

    private void setSlotHash(int slot, byte[] hash, int offset) {
        System.arraycopy(hash, offset, slotHashes, slot * SIZE, SIZE);
        used |= 1 << slot;
        for (int node = (WIDTH + slot) >>> 1; node > 0; node >>>= 1) {
            known &= ~(1 << node);
        }
    }

    /** The number of leaves held directly in slots. */
    public int leafSlots() {
        int n = 0;
        for (int s = 0; s < WIDTH; s++) {
            n += isLeaf(s) ? 1 : 0;
        }
        return n;
    }

    /** The hash of this tile's subtree. */
    public byte[] hash() {
        return hash(0, WIDTH);
    }

    /**
     * The hash of the subtree over slots {@code [lo, lo + width)} ({@code width} a power of two, the range
     * aligned to it): empty when no slot is used, the leaf's hash when one leaf is alone there, else the
     * node of both halves. A new array each time.
     */
    byte[] hash(int lo, int width) {
        if (width == 1) {
            return isEmpty(lo) ? MapHash.empty() : Arrays.copyOfRange(slotHashes, lo * SIZE, lo * SIZE + SIZE);
        }
        int node = WIDTH / width + lo / width;
        if ((known & 1 << node) == 0) {
            System.arraycopy(compute(lo, width), 0, innerHashes, node * SIZE, SIZE);
            known |= 1 << node;
        }
        return Arrays.copyOfRange(innerHashes, node * SIZE, node * SIZE + SIZE);
    }

    private byte[] compute(int lo, int width) {
        int one = single(lo, width);
        if (one == -1) {
            return MapHash.empty();
        }
        if (one >= 0 && isLeaf(one)) {
            return Arrays.copyOfRange(slotHashes, one * SIZE, one * SIZE + SIZE);
        }
        int half = width / 2;
        return MapHash.node(hash(lo, half), hash(lo + half, half));
    }

    /** The only used slot in {@code [lo, lo + width)}, -1 when none is, -2 when several are. */
    int single(int lo, int width) {
        int bits = used >>> lo & (1 << width) - 1;
        if (bits == 0) {
            return -1;
        }
        return (bits & bits - 1) == 0 ? lo + Integer.numberOfTrailingZeros(bits) : -2;
    }

    /**
     * Storage form: uint16 bitmap of the slots with a leaf or a child stored on its own, uint16 leaf bitmap,
     * then per such slot in order either the child's 32-byte hash or the leaf's 32-byte key hash, one byte
     * of value length and the value. Then, only when there are children stored inside: uint16 bitmap of
     * their slots, and per such slot in order a uint16 length and the child's own storage form. (A tile
     * from before children were stored inside has no such part and reads the same.)
     */
    public byte[] toBytes() {
        int used = 0;
        int leaves = 0;
        int inlined = 0;
        int size = 4;
        byte[][] children = new byte[WIDTH][];
        for (int s = 0; s < WIDTH; s++) {
            if (isInline(s)) {
                inlined |= 1 << s;
                children[s] = inline[s].toBytes();
                size += 2 + children[s].length;
                continue;
            }
            used |= isEmpty(s) ? 0 : 1 << s;
            leaves |= isLeaf(s) ? 1 << s : 0;
            size += isLeaf(s) ? MapHash.SIZE + 1 + values[s].length : isEmpty(s) ? 0 : MapHash.SIZE;
        }
        size += inlined == 0 ? 0 : 2;
        // Sized exactly: the integrator encodes every tile it changes, thousands per checkpoint.
        byte[] out = new byte[size];
        out[0] = (byte) (used >>> 8);
        out[1] = (byte) used;
        out[2] = (byte) (leaves >>> 8);
        out[3] = (byte) leaves;
        int p = 4;
        for (int s = 0; s < WIDTH; s++) {
            if (isInline(s)) {
                continue;
            }
            if (isLeaf(s)) {
                System.arraycopy(keys[s], 0, out, p, MapHash.SIZE);
                out[p + MapHash.SIZE] = (byte) values[s].length;
                p += MapHash.SIZE + 1;
                System.arraycopy(values[s], 0, out, p, values[s].length);
                p += values[s].length;
            } else if (!isEmpty(s)) {
                System.arraycopy(slotHashes, s * SIZE, out, p, MapHash.SIZE);
                p += MapHash.SIZE;
            }
        }
        if (inlined != 0) {
            out[p++] = (byte) (inlined >>> 8);
            out[p++] = (byte) inlined;
            for (int s = 0; s < WIDTH; s++) {
                if (children[s] != null) {
                    out[p++] = (byte) (children[s].length >>> 8);
                    out[p++] = (byte) children[s].length;
                    System.arraycopy(children[s], 0, out, p, children[s].length);
                    p += children[s].length;
                }
            }
        }
        return out;
    }

    public static Tile fromBytes(byte[] b) {
        return fromBytes(b, 0, b.length, true);
    }

    private static Tile fromBytes(byte[] b, int from, int to, boolean mayHoldChildren) {
        if (to - from < 4) {
            throw new IllegalArgumentException("tile encoding too short");
        }
        int used = (b[from] & 0xff) << 8 | b[from + 1] & 0xff;
        int leaves = (b[from + 2] & 0xff) << 8 | b[from + 3] & 0xff;
        if ((leaves & ~used) != 0) {
            throw new IllegalArgumentException("tile leaf bitmap names unused slots");
        }
        Tile tile = new Tile();
        int p = from + 4;
        try {
            for (int s = 0; s < WIDTH; s++) {
                if ((leaves & 1 << s) != 0) {
                    byte[] key = Arrays.copyOfRange(b, p, p + MapHash.SIZE);
                    int length = b[p + MapHash.SIZE] & 0xff;
                    p += MapHash.SIZE + 1;
                    if (p + length > to) {
                        throw new IllegalArgumentException("tile encoding truncated");
                    }
                    tile.setLeaf(s, key, Arrays.copyOfRange(b, p, p + length));
                    p += length;
                } else if ((used & 1 << s) != 0) {
                    if (p + MapHash.SIZE > to) {
                        throw new IllegalArgumentException("tile encoding truncated");
                    }
                    tile.setChild(s, b, p);
                    p += MapHash.SIZE;
                }
            }
            if (p < to && mayHoldChildren) {
                int inlined = (b[p] & 0xff) << 8 | b[p + 1] & 0xff;
                p += 2;
                if (inlined == 0 || (inlined & used) != 0) {
                    throw new IllegalArgumentException("tile's inside-children bitmap is empty or names used slots");
                }
                for (int s = 0; s < WIDTH; s++) {
                    if ((inlined & 1 << s) != 0) {
                        int length = (b[p] & 0xff) << 8 | b[p + 1] & 0xff;
                        p += 2;
                        if (p + length > to) {
                            throw new IllegalArgumentException("tile encoding truncated");
                        }
                        Tile child = fromBytes(b, p, p + length, false);
                        if (!child.isSmall()) {
                            throw new IllegalArgumentException("a child stored inside its parent must be 2 to " + INLINE_LEAVES + " leaves");
                        }
                        tile.setInline(s, child);
                        p += length;
                    }
                }
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("tile encoding truncated");
        }
        if (p != to) {
            throw new IllegalArgumentException("tile encoding has trailing bytes");
        }
        return tile;
    }

    public Tile copy() {
        return new Tile(this);
    }
}

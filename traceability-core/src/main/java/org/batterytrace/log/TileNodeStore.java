package org.batterytrace.log;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A read-only {@link NodeStore} over the tiles of one tree size
 * (<a href="https://c2sp.org/tlog-tiles">c2sp.org/tlog-tiles</a>), so that {@link MerkleTree} computes
 * roots and proofs from tiles fetched from a log. Node {@code (l, i)} with {@code l} a multiple of 8 is a
 * tile hash; any other is the perfect subtree over the {@code 2^(l mod 8)} tile hashes under it. Each
 * tile is fetched once, at the width the tree of {@link #treeSize()} has, and checked for length only:
 * tiles prove nothing on their own, so callers verify what they compute from them against a signed
 * checkpoint (a root, or a consistency proof through {@link Proofs}). Not thread-safe.
 */
public final class TileNodeStore implements NodeStore {
    /** Fetches a tile's bytes, e.g. {@code GET <prefix>/<tile.path()>}. */
    @FunctionalInterface
    public interface TileSource {
        byte[] tile(Tile tile);
    }

    private final long treeSize;
    private final TileSource source;
    private final Map<Tile, byte[]> tiles = new HashMap<>();
    private final Map<Long, byte[]>[] computed = newLevels();

    public TileNodeStore(long treeSize, TileSource source) {
        if (treeSize < 0) {
            throw new IllegalArgumentException("tree size must not be negative");
        }
        this.treeSize = treeSize;
        this.source = source;
    }

    public long treeSize() {
        return treeSize;
    }

    /** The tree of {@link #treeSize()} leaves over these tiles. */
    public MerkleTree tree() {
        return MerkleTree.open(this, treeSize);
    }

    /** Tiles fetched so far. */
    public int tilesFetched() {
        return tiles.size();
    }

    /** Precondition: the node is a complete subtree of the tree, {@code (index + 1) · 2^level ≤ treeSize}. */
    @Override
    public byte[] get(int level, long index) {
        byte[] hash = computed[level].get(index);
        if (hash == null) {
            hash = compute(level, index);
            computed[level].put(index, hash);
        }
        return hash;
    }

    private byte[] compute(int level, long index) {
        int tileLevel = level / Tile.HEIGHT;
        int below = level % Tile.HEIGHT;
        long first = index << below;
        int count = 1 << below;
        Tile tile = Tile.holding(tileLevel, first + count - 1, treeSize);
        byte[] data = fetch(tile);
        int offset = (int) (first - tile.firstNode());
        byte[][] hashes = new byte[count][];
        for (int i = 0; i < count; i++) {
            int at = (offset + i) * TreeHash.SIZE;
            hashes[i] = Arrays.copyOfRange(data, at, at + TreeHash.SIZE);
        }
        for (int n = count; n > 1; n /= 2) {
            for (int i = 0; i < n / 2; i++) {
                hashes[i] = TreeHash.node(hashes[2 * i], hashes[2 * i + 1]);
            }
        }
        return hashes[0];
    }

    @Override
    public void put(int level, long index, byte[] hash) {
        throw new UnsupportedOperationException("tiles are read-only");
    }

    @SuppressWarnings("unchecked")
    private static Map<Long, byte[]>[] newLevels() {
        Map<Long, byte[]>[] levels = new Map[Long.SIZE];
        for (int i = 0; i < levels.length; i++) {
            levels[i] = new HashMap<>();
        }
        return levels;
    }

    private byte[] fetch(Tile tile) {
        byte[] data = tiles.get(tile);
        if (data == null) {
            data = source.tile(tile);
            if (data == null || data.length != tile.byteLength()) {
                throw new ProofException("tile " + tile.path() + " has " + (data == null ? 0 : data.length) + " bytes, not " + tile.byteLength());
            }
            tiles.put(tile, data);
        }
        return data;
    }
}

package org.batterytrace.log;

import java.util.ArrayList;
import java.util.List;

/**
 * A tile of a tiled transparency log, <a href="https://c2sp.org/tlog-tiles">c2sp.org/tlog-tiles</a>
 * ("Merkle Tree"): {@code width} consecutive Merkle tree hashes at tree height {@code 8 * level}.
 * Hash {@code i} of tile {@code (L, N)} is MTH(D[(N·256 + i)·256^L : (N·256 + i + 1)·256^L]), which is the
 * complete-subtree node {@code (8L, N·256 + i)} of a {@link NodeStore}. Width 256 is a full tile; a
 * narrower one is the partial tile at the right edge of a tree. Pure value; no I/O.
 */
public record Tile(int level, long index, int width) {
    /** Tree levels spanned by one tile. */
    public static final int HEIGHT = 8;
    /** Hashes in a full tile (8,192 bytes). */
    public static final int FULL_WIDTH = 1 << HEIGHT;
    /** Levels the spec allows in a path; only 0..7 can hold hashes of a tree below 2^63 entries. */
    public static final int MAX_LEVEL = 63;
    private static final long MAX_INDEX = Long.MAX_VALUE >> HEIGHT;

    /** Preconditions: 0 ≤ level ≤ 63, 0 ≤ index < 2^55, 1 ≤ width ≤ 256. */
    public Tile {
        if (level < 0 || level > MAX_LEVEL) {
            throw new IllegalArgumentException("tile level must be 0..63, got " + level);
        }
        if (index < 0 || index > MAX_INDEX) {
            throw new IllegalArgumentException("tile index out of range: " + index);
        }
        if (width < 1 || width > FULL_WIDTH) {
            throw new IllegalArgumentException("tile width must be 1..256, got " + width);
        }
    }

    public boolean isFull() {
        return width == FULL_WIDTH;
    }

    /** The tree level of the hashes in this tile: 8 · level. */
    public int nodeLevel() {
        return level * HEIGHT;
    }

    /** The node index (at {@link #nodeLevel()}) of the tile's first hash. */
    public long firstNode() {
        return index * FULL_WIDTH;
    }

    /** Bytes in the tile's body: 32 per hash. */
    public int byteLength() {
        return width * TreeHash.SIZE;
    }

    /** The resource path below the log's prefix: {@code tile/<L>/<N>[.p/<W>]}. */
    public String path() {
        return "tile/" + level + "/" + encodeIndex(index) + (isFull() ? "" : ".p/" + width);
    }

    /**
     * A tile index as zero-padded 3-digit path elements, all but the last prefixed with {@code x}:
     * 1234067 is {@code x001/x234/067}.
     */
    public static String encodeIndex(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("tile index must not be negative");
        }
        StringBuilder path = new StringBuilder(pad3(n % 1000));
        for (n /= 1000; n > 0; n /= 1000) {
            path.insert(0, "x" + pad3(n % 1000) + "/");
        }
        return path.toString();
    }

    /**
     * Parses {@code tile/<L>/<N>[.p/<W>]} in its one canonical form (no leading zeroes, no redundant
     * {@code x000} elements, no {@code .p/256}); anything else is an {@link IllegalArgumentException}.
     * Entry bundles ({@code tile/entries/…}) are not tiles of hashes and are refused too.
     */
    public static Tile parse(String path) {
        if (path == null || !path.startsWith("tile/") || path.length() > 64) {
            throw new IllegalArgumentException("not a tile path");
        }
        String rest = path.substring(5);
        int slash = rest.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("tile path needs a level and an index");
        }
        String levelText = rest.substring(0, slash);
        if (!levelText.matches("0|[1-9][0-9]?")) {
            throw new IllegalArgumentException("tile level must be a decimal 0..63 without leading zeroes");
        }
        int level = Integer.parseInt(levelText);
        String indexText = rest.substring(slash + 1);
        int width = FULL_WIDTH;
        int partial = indexText.indexOf(".p/");
        if (partial >= 0) {
            String widthText = indexText.substring(partial + 3);
            if (!widthText.matches("[1-9][0-9]{0,2}") || Integer.parseInt(widthText) >= FULL_WIDTH) {
                throw new IllegalArgumentException("partial tile width must be a decimal 1..255 without leading zeroes");
            }
            width = Integer.parseInt(widthText);
            indexText = indexText.substring(0, partial);
        }
        if (!indexText.matches("(x[0-9]{3}/)*[0-9]{3}")) {
            throw new IllegalArgumentException("tile index must be 3-digit path elements, all but the last starting with x");
        }
        long index = 0;
        for (String element : indexText.split("/")) {
            long digits = Long.parseLong(element.startsWith("x") ? element.substring(1) : element);
            if (index > (MAX_INDEX - digits) / 1000) {
                throw new IllegalArgumentException("tile index out of range");
            }
            index = index * 1000 + digits;
        }
        if (level > MAX_LEVEL) {
            throw new IllegalArgumentException("tile level must be 0..63");
        }
        Tile tile = new Tile(level, index, width);
        if (!tile.path().equals(path)) {
            throw new IllegalArgumentException("tile path is not in canonical form; expected " + tile.path());
        }
        return tile;
    }

    /** Hashes at tree level {@code 8 · level} in a tree of {@code treeSize} entries: floor(size / 256^level). */
    public static long hashesAt(int level, long treeSize) {
        int shift = level * HEIGHT;
        return shift >= Long.SIZE ? 0 : treeSize >>> shift;
    }

    /**
     * The width of the partial tile at {@code level} of a tree: floor(size / 256^level) mod 256, zero
     * when there is none (tlog-tiles, "Partial Tiles").
     */
    public static int partialWidth(int level, long treeSize) {
        return (int) (hashesAt(level, treeSize) % FULL_WIDTH);
    }

    /** Whether a tree of {@code treeSize} entries has this tile, full or with exactly this partial width or wider. */
    public boolean existsIn(long treeSize) {
        return firstNode() + width <= hashesAt(level, treeSize);
    }

    /**
     * The tile of a tree of {@code treeSize} entries that holds hash {@code node} at tree level
     * {@code 8 · level}: full if the tree has the whole tile, else the partial tile of the tree.
     * Precondition: node < {@link #hashesAt}(level, treeSize).
     */
    public static Tile holding(int level, long node, long treeSize) {
        long available = hashesAt(level, treeSize);
        if (node < 0 || node >= available) {
            throw new IllegalArgumentException("a tree of size " + treeSize + " has no hash " + node + " at tile level " + level);
        }
        long index = node / FULL_WIDTH;
        return new Tile(level, index, (int) Math.min(FULL_WIDTH, available - index * FULL_WIDTH));
    }

    /** Every tile a tree of {@code treeSize} entries is served as, level by level, full tiles first. */
    public static List<Tile> tilesOf(long treeSize) {
        List<Tile> tiles = new ArrayList<>();
        for (int level = 0; level * HEIGHT < Long.SIZE && hashesAt(level, treeSize) > 0; level++) {
            long hashes = hashesAt(level, treeSize);
            for (long n = 0; n < hashes / FULL_WIDTH; n++) {
                tiles.add(new Tile(level, n, FULL_WIDTH));
            }
            if (hashes % FULL_WIDTH != 0) {
                tiles.add(new Tile(level, hashes / FULL_WIDTH, (int) (hashes % FULL_WIDTH)));
            }
        }
        return tiles;
    }

    private static String pad3(long n) {
        return n < 10 ? "00" + n : n < 100 ? "0" + n : Long.toString(n);
    }

    @Override
    public String toString() {
        return path();
    }
}

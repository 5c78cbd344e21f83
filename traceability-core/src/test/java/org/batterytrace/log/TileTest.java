package org.batterytrace.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.batterytrace.record.Hashes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tile paths and tile math against the examples and the formal definition of c2sp.org/tlog-tiles, and
 * roots and proofs computed from tiles against the in-memory tree (itself checked against RFC 9162).
 */
class TileTest {
    private static final int LEAVES = 70_000;
    private static final List<byte[]> DATA = new ArrayList<>();
    private static MerkleTree reference;
    private static InMemoryNodeStore nodes;

    @BeforeAll
    static void buildReference() {
        nodes = new InMemoryNodeStore();
        reference = new MerkleTree(nodes);
        for (int i = 0; i < LEAVES; i++) {
            byte[] data = ("entry-" + i).getBytes();
            DATA.add(data);
            reference.append(TreeHash.leaf(data));
        }
    }

    /** What a log serves: tile hashes straight from its stored nodes, only for tiles its tree has. */
    static TileNodeStore.TileSource served(NodeStore store, long treeSize) {
        return tile -> {
            assertTrue(tile.existsIn(treeSize), "client asked for a tile the tree of size " + treeSize + " lacks: " + tile);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < tile.width(); i++) {
                out.writeBytes(store.get(tile.nodeLevel(), tile.firstNode() + i));
            }
            return out.toByteArray();
        };
    }

    /** RFC 6962 MTH over D[start:end], written naively from the definition. */
    private static byte[] mth(int start, int end) {
        if (end - start == 1) {
            return TreeHash.leaf(DATA.get(start));
        }
        int k = Integer.highestOneBit(end - start - 1);
        return TreeHash.node(mth(start, start + k), mth(start + k, end));
    }

    @Test
    void indexesAreThreeDigitElementsWithXPrefixes() {
        assertEquals("000", Tile.encodeIndex(0));
        assertEquals("005", Tile.encodeIndex(5));
        assertEquals("999", Tile.encodeIndex(999));
        assertEquals("x001/000", Tile.encodeIndex(1000));
        assertEquals("x001/x234/067", Tile.encodeIndex(1_234_067));
        assertEquals("tile/0/x001/x234/067", new Tile(0, 1_234_067, 256).path());
        assertEquals("tile/1/000.p/17", new Tile(1, 0, 17).path());
        assertEquals("tile/63/x036/x028/x797/x018/x963/967", new Tile(63, Long.MAX_VALUE >> 8, 256).path());
    }

    @Test
    void parsesOnlyCanonicalPaths() {
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            Tile tile = new Tile(random.nextInt(64), random.nextInt(4) == 0 ? random.nextLong() >>> 9 : random.nextInt(3_000_000), 1 + random.nextInt(256));
            assertEquals(tile, Tile.parse(tile.path()));
        }
        for (String bad : List.of("tile/00/000", "tile/01/000", "tile/0/5", "tile/0/0005", "tile/0/x000/005", "tile/0/x001", "tile/0/001/002",
                "tile/0/000.p/256", "tile/0/000.p/0", "tile/0/000.p/007", "tile/0/000.p/", "tile/64/000", "tile/-1/000", "tile/entries/000",
                "tile/0/000/", "tile//000", "tiles/0/000", "tile/0/x999/x999/x999/x999/x999/x999/x999/000", "tile/0/00a", "tile/0/000.p/12x")) {
            assertThrows(IllegalArgumentException.class, () -> Tile.parse(bad), bad);
        }
    }

    @Test
    void aTreeIsServedAsTheSpecificationsExamplesSay() {
        // "a tree of size 70,000 will be represented by 273 full level 0 tiles, one partial level 0 tile of width 112,
        // one full level 1 tile, one partial level 1 tile of width 17, and one partial level 2 tile of width 1"
        List<Tile> tiles = Tile.tilesOf(70_000);
        assertEquals(273, tiles.stream().filter(t -> t.level() == 0 && t.isFull()).count());
        assertEquals(List.of(new Tile(0, 273, 112), new Tile(1, 0, 256), new Tile(1, 1, 17), new Tile(2, 0, 1)), tiles.subList(273, tiles.size()));
        assertEquals(112, Tile.partialWidth(0, 70_000));
        assertEquals(17, Tile.partialWidth(1, 70_000));
        // "a tree of size 256 will be represented by a full level 0 tile and a partial level 1 tile of width 1"
        assertEquals(List.of(new Tile(0, 0, 256), new Tile(1, 0, 1)), Tile.tilesOf(256));
        assertEquals(List.of(), Tile.tilesOf(0));
        assertTrue(new Tile(0, 273, 112).existsIn(70_000));
        assertTrue(new Tile(0, 273, 100).existsIn(70_000));
        assertFalse(new Tile(0, 273, 113).existsIn(70_000));
        assertFalse(new Tile(0, 274, 1).existsIn(70_000));
        assertFalse(new Tile(8, 0, 1).existsIn(Long.MAX_VALUE));
    }

    @Test
    void tileHashesAreTheFormalDefinition() {
        // MTH(D[(n * 256 + i) * 256**l : (n * 256 + i + 1) * 256**l]) for a few tiles of each level
        for (Tile tile : List.of(new Tile(0, 0, 256), new Tile(0, 273, 112), new Tile(1, 0, 256), new Tile(1, 1, 17), new Tile(2, 0, 1))) {
            byte[] bytes = served(nodes, LEAVES).tile(tile);
            long span = 1L << tile.nodeLevel();
            for (int i : new int[] {0, tile.width() / 2, tile.width() - 1}) {
                int start = (int) ((tile.firstNode() + i) * span);
                assertArrayEquals(mth(start, (int) (start + span)), Arrays.copyOfRange(bytes, i * 32, i * 32 + 32), tile + " hash " + i);
            }
        }
    }

    @Test
    void rootsAndProofsFromTilesEqualTheTreesForSmallSizesAndAroundTheFirstTileEdge() {
        for (long second = 1; second <= 300; second = second == 64 ? 250 : second + 1) {
            MerkleTree tiled = new TileNodeStore(second, served(nodes, second)).tree();
            assertArrayEquals(reference.root(second), tiled.root(), "root of " + second);
            for (long first = 1; first <= second; first++) {
                assertEquals(hex(reference.consistencyProof(first, second)), hex(tiled.consistencyProof(first, second)), first + " -> " + second);
            }
            for (long index = 0; index < second; index += 7) {
                assertEquals(hex(reference.inclusionProof(index, second)), hex(tiled.inclusionProof(index, second)), index + " in " + second);
            }
        }
    }

    @Test
    void rootsAndProofsFromTilesAcrossTileBoundaries() {
        Random random = new Random(11);
        List<long[]> pairs = new ArrayList<>(List.of(new long[] {255, 256}, new long[] {256, 257}, new long[] {65_535, 65_536}, new long[] {65_536, 70_000},
                new long[] {1, LEAVES}, new long[] {300, 65_537}));
        for (int i = 0; i < 200; i++) {
            long a = 1 + random.nextInt(LEAVES);
            long b = 1 + random.nextInt(LEAVES);
            pairs.add(new long[] {Math.min(a, b), Math.max(a, b)});
        }
        for (long[] pair : pairs) {
            TileNodeStore tiles = new TileNodeStore(pair[1], served(nodes, pair[1]));
            MerkleTree tiled = tiles.tree();
            assertArrayEquals(reference.root(pair[1]), tiled.root());
            List<byte[]> proof = tiled.consistencyProof(pair[0], pair[1]);
            assertEquals(hex(reference.consistencyProof(pair[0], pair[1])), hex(proof));
            Proofs.verifyConsistency(pair[0], pair[1], reference.root(pair[0]), reference.root(pair[1]), proof);
            assertTrue(tiles.tilesFetched() <= 4 * 3, "a proof needs a few tiles per level, fetched " + tiles.tilesFetched());
        }
    }

    @Test
    void aTileOfTheWrongLengthIsRefused() {
        TileNodeStore store = new TileNodeStore(300, tile -> new byte[31]);
        assertThrows(ProofException.class, () -> store.tree().root());
        assertThrows(UnsupportedOperationException.class, () -> store.put(0, 0, new byte[32]));
    }

    private static List<String> hex(List<byte[]> hashes) {
        return hashes.stream().map(Hashes::hex).toList();
    }
}

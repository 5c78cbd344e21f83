package org.batterytrace.log.map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.batterytrace.log.ProofException;
import org.batterytrace.record.Hashes;
import org.junit.jupiter.api.Test;

/**
 * The tiled map against {@link NaiveMap}, the definition written out: every subset of a universe of
 * keys chosen to share long prefixes (across tile boundaries, down to the last bit), built in several
 * batches in random order with values overwritten; then random maps. Roots and proof paths must match
 * exactly, every proof must verify, and every tampered proof must fail.
 */
class SparseMerkleMapTest {
    /** Keys that part at bits 0, 1, 3, 4 (a tile boundary), 7, 8, 130 and 255 (the very last). */
    static final List<byte[]> UNIVERSE = List.of(
            key("00"), key("80"), key("40"), key("10"), key("08"), key("01"), key("0080"),
            withBit(key("0080"), 130), withBit(key("0080"), 255));

    static byte[] key(String hexPrefix) {
        byte[] k = new byte[32];
        byte[] p = Hashes.fromHex(hexPrefix);
        System.arraycopy(p, 0, k, 0, p.length);
        return k;
    }

    static byte[] withBit(byte[] key, int bit) {
        byte[] k = key.clone();
        k[bit >>> 3] |= (byte) (0x80 >>> (bit & 7));
        return k;
    }

    static byte[] value(int i, int version) {
        return ("v" + i + "." + version).getBytes();
    }

    @Test
    void everySubsetOfTheUniverseMatchesTheDefinition() {
        Random random = new Random(42);
        int n = UNIVERSE.size();
        for (int mask = 0; mask < 1 << n; mask++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if ((mask & 1 << i) != 0) {
                    members.add(i);
                }
            }
            Collections.shuffle(members, random);
            SparseMerkleMap map = SparseMerkleMap.inMemory();
            Map<Integer, byte[]> current = new LinkedHashMap<>();
            // Insert in up to three batches, then overwrite a random half in one more.
            int cut1 = members.isEmpty() ? 0 : random.nextInt(members.size() + 1);
            int cut2 = cut1 + (members.size() == cut1 ? 0 : random.nextInt(members.size() - cut1 + 1));
            for (List<Integer> batch : List.of(members.subList(0, cut1), members.subList(cut1, cut2), members.subList(cut2, members.size()))) {
                apply(map, current, batch, 0);
            }
            List<Integer> again = members.stream().filter(i -> random.nextBoolean()).toList();
            apply(map, current, again, 1);

            List<SparseMerkleMap.Leaf> leaves = new ArrayList<>();
            current.forEach((i, v) -> leaves.add(new SparseMerkleMap.Leaf(UNIVERSE.get(i), v)));
            byte[] root = NaiveMap.root(leaves);
            assertArrayEquals(root, map.root(), "root of subset " + Integer.toBinaryString(mask));
            for (int i = 0; i < n; i++) {
                checkPath(map, leaves, root, UNIVERSE.get(i));
            }
            checkPath(map, leaves, root, withBit(key("0080"), 200)); // absent, deep in a shared prefix
            checkPath(map, leaves, root, key("ff"));
        }
    }

    @Test
    void randomMapsMatchTheDefinition() {
        Random random = new Random(7);
        for (int round = 0; round < 20; round++) {
            SparseMerkleMap map = SparseMerkleMap.inMemory();
            Map<String, byte[]> current = new LinkedHashMap<>();
            List<byte[]> keys = new ArrayList<>();
            int size = 1 + random.nextInt(round < 10 ? 40 : 1500);
            for (int i = 0; i < size; i++) {
                byte[] k = new byte[32];
                random.nextBytes(k);
                keys.add(k);
            }
            for (int batch = 0; batch < 5; batch++) {
                Map<String, SparseMerkleMap.Leaf> changes = new LinkedHashMap<>();
                for (int i = 0; i < size / 3 + 1; i++) {
                    byte[] k = keys.get(random.nextInt(keys.size()));
                    byte[] v = new byte[1 + random.nextInt(60)];
                    random.nextBytes(v);
                    changes.put(Hashes.hex(k), new SparseMerkleMap.Leaf(k, v));
                }
                map.apply(new ArrayList<>(changes.values()));
                changes.forEach((k, l) -> current.put(k, l.value()));
            }
            List<SparseMerkleMap.Leaf> leaves = current.entrySet().stream().map(e -> new SparseMerkleMap.Leaf(Hashes.fromHex(e.getKey()), e.getValue())).toList();
            byte[] root = NaiveMap.root(leaves);
            assertArrayEquals(root, map.root(), "round " + round);
            for (int i = 0; i < 30; i++) {
                checkPath(map, leaves, root, keys.get(random.nextInt(keys.size())));
                byte[] absent = new byte[32];
                random.nextBytes(absent);
                checkPath(map, leaves, root, absent);
            }
        }
    }

    private static void apply(SparseMerkleMap map, Map<Integer, byte[]> current, List<Integer> batch, int version) {
        List<SparseMerkleMap.Leaf> changes = new ArrayList<>();
        for (int i : batch) {
            changes.add(new SparseMerkleMap.Leaf(UNIVERSE.get(i), value(i, version)));
            current.put(i, value(i, version));
        }
        map.apply(changes);
    }

    /** The tiled path equals the naive one, verifies, and any tampering makes it fail. */
    private static void checkPath(SparseMerkleMap map, List<SparseMerkleMap.Leaf> leaves, byte[] root, byte[] key) {
        SparseMerkleMap.Path expected = NaiveMap.path(leaves, key);
        SparseMerkleMap.Path actual = map.path(key);
        assertArrayEquals(expected.value(), actual.value());
        assertEquals(expected.other() == null, actual.other() == null);
        if (expected.other() != null) {
            assertArrayEquals(expected.other().key(), actual.other().key());
        }
        assertEquals(expected.siblings().size(), actual.siblings().size());
        for (int i = 0; i < expected.siblings().size(); i++) {
            assertArrayEquals(expected.siblings().get(i), actual.siblings().get(i));
        }
        MapProof.OtherLeaf other = actual.other() == null ? null : new MapProof.OtherLeaf(actual.other().key(), MapHash.valueHash(actual.other().value()));
        MapProof.check(root, key, actual.value(), other, actual.siblings());

        for (int i = 0; i < actual.siblings().size(); i++) {
            List<byte[]> flipped = new ArrayList<>(actual.siblings());
            byte[] h = flipped.get(i).clone();
            h[31] ^= 1;
            flipped.set(i, h);
            assertThrows(ProofException.class, () -> MapProof.check(root, key, actual.value(), other, flipped), "flipped sibling " + i);
        }
        if (!actual.siblings().isEmpty()) {
            assertThrows(ProofException.class, () -> MapProof.check(root, key, actual.value(), other, actual.siblings().subList(1, actual.siblings().size())));
        }
        List<byte[]> longer = new ArrayList<>(actual.siblings());
        longer.add(0, MapHash.node(MapHash.empty(), MapHash.empty()));
        assertThrows(ProofException.class, () -> MapProof.check(root, key, actual.value(), other, longer));
        if (actual.value() != null) {
            byte[] changed = Arrays.copyOf(actual.value(), actual.value().length + 1);
            assertThrows(ProofException.class, () -> MapProof.check(root, key, changed, null, actual.siblings()), "another value");
            assertThrows(ProofException.class, () -> MapProof.check(root, key, null, null, actual.siblings()), "present claimed absent");
        } else {
            assertThrows(ProofException.class, () -> MapProof.check(root, key, "x".getBytes(), null, actual.siblings()), "absent claimed present");
        }
    }

    @Test
    void emptyMapProvesEverythingAbsent() {
        SparseMerkleMap map = SparseMerkleMap.inMemory();
        assertArrayEquals(MapHash.empty(), map.root());
        SparseMerkleMap.Path path = map.path(key("42"));
        assertNull(path.value());
        assertNull(path.other());
        assertEquals(0, path.siblings().size());
        MapProof.check(MapHash.empty(), key("42"), null, null, path.siblings());
    }

    @Test
    void batchesRejectRepeatedKeys() {
        SparseMerkleMap map = SparseMerkleMap.inMemory();
        assertThrows(IllegalArgumentException.class, () -> map.apply(List.of(new SparseMerkleMap.Leaf(key("01"), value(1, 0)),
                new SparseMerkleMap.Leaf(key("01"), value(1, 1)))));
    }

    @Test
    void tilesSurviveTheirStorageForm() {
        InMemoryTileStore store = new InMemoryTileStore();
        List<SparseMerkleMap.Leaf> leaves = new ArrayList<>();
        for (byte[] k : UNIVERSE) {
            leaves.add(new SparseMerkleMap.Leaf(k, value(leaves.size(), 0)));
        }
        byte[] root = new SparseMerkleMap(store).apply(leaves);
        assertArrayEquals(NaiveMap.root(leaves), new SparseMerkleMap(store).root(), "a map reopened on its stored tiles");
        assertArrayEquals(root, new SparseMerkleMap(store).root());
        Tile t = new Tile();
        t.setLeaf(3, key("3f"), value(3, 0));
        t.setChild(9, MapHash.node(MapHash.empty(), MapHash.empty()));
        Tile back = Tile.fromBytes(t.toBytes());
        assertArrayEquals(t.hash(), back.hash());
        assertArrayEquals(t.toBytes(), back.toBytes());
        assertThrows(IllegalArgumentException.class, () -> Tile.fromBytes(Arrays.copyOf(t.toBytes(), t.toBytes().length - 1)));
        assertThrows(IllegalArgumentException.class, () -> Tile.fromBytes(Arrays.copyOf(t.toBytes(), t.toBytes().length + 1)));
        TileId id = TileId.of(key("abcd"), 3);
        assertEquals(id, TileId.fromBytes(id.bytes()));
        assertEquals(TileId.of(key("abcd"), 4), id.child(0xd));
        assertThrows(IllegalArgumentException.class, () -> TileId.fromBytes(new byte[] {3, (byte) 0xab, (byte) 0xcd}));
    }

    private static List<SparseMerkleMap.Leaf> randomLeaves(Random random, int n) {
        List<SparseMerkleMap.Leaf> leaves = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] k = new byte[32];
            random.nextBytes(k);
            leaves.add(new SparseMerkleMap.Leaf(k, value(i, 0)));
        }
        return leaves;
    }

    @Test
    void smallChildTilesAreStoredInsideTheirParent() {
        InMemoryTileStore store = new InMemoryTileStore();
        SparseMerkleMap map = new SparseMerkleMap(store);
        Random random = new Random(11);
        List<SparseMerkleMap.Leaf> all = new ArrayList<>();
        for (int batch = 0; batch < 6; batch++) {
            List<SparseMerkleMap.Leaf> leaves = randomLeaves(random, 700);
            map.apply(leaves);
            all.addAll(leaves);
        }
        int inside = 0;
        for (Map.Entry<TileId, byte[]> row : store.rows().entrySet()) {
            Tile tile = Tile.fromBytes(row.getValue());
            if (row.getKey().depth() > 0) {
                assertFalse(tile.isSmall(), row.getKey() + " is small: it belongs inside its parent");
            }
            for (int slot = 0; slot < Tile.WIDTH; slot++) {
                inside += tile.isInline(slot) ? 1 : 0;
                if (tile.isInline(slot)) {
                    assertFalse(store.rows().containsKey(row.getKey().child(slot)), "a child inside its parent has no row of its own");
                }
            }
        }
        assertTrue(inside > store.rows().size(), inside + " children inside " + store.rows().size() + " rows");
        assertArrayEquals(NaiveMap.root(all), map.root());
        for (int i = 0; i < 50; i++) {
            checkPath(map, all, map.root(), all.get(random.nextInt(all.size())).key());
        }
    }

    /**
     * A map stored before children were kept inside their parents (every child tile a row of its own)
     * reads and updates as before: its small children stay rows, new ones go inside.
     */
    @Test
    void aMapStoredWithEveryChildOnItsOwnKeepsWorking() {
        InMemoryTileStore store = new InMemoryTileStore();
        Random random = new Random(12);
        List<SparseMerkleMap.Leaf> all = new ArrayList<>(randomLeaves(random, 2000));
        new SparseMerkleMap(store).apply(all);
        for (TileId id : new ArrayList<>(store.rows().keySet())) {
            expand(store, id);
        }
        for (byte[] row : store.rows().values()) {
            Tile tile = Tile.fromBytes(row);
            for (int slot = 0; slot < Tile.WIDTH; slot++) {
                assertFalse(tile.isInline(slot));
            }
        }
        SparseMerkleMap map = new SparseMerkleMap(store);
        assertArrayEquals(NaiveMap.root(all), map.root());
        List<SparseMerkleMap.Leaf> more = randomLeaves(random, 500);
        // Overwrite some existing keys too: paths through the old small rows.
        Map<String, SparseMerkleMap.Leaf> changes = new LinkedHashMap<>();
        more.forEach(l -> changes.put(Hashes.hex(l.key()), l));
        for (int i = 0; i < 300; i++) {
            SparseMerkleMap.Leaf old = all.get(random.nextInt(all.size()));
            changes.put(Hashes.hex(old.key()), new SparseMerkleMap.Leaf(old.key(), value(i, 1)));
        }
        map.apply(new ArrayList<>(changes.values()));
        Map<String, SparseMerkleMap.Leaf> current = new LinkedHashMap<>();
        all.forEach(l -> current.put(Hashes.hex(l.key()), l));
        current.putAll(changes);
        List<SparseMerkleMap.Leaf> leaves = new ArrayList<>(current.values());
        byte[] root = NaiveMap.root(leaves);
        assertArrayEquals(root, map.root());
        for (int i = 0; i < 50; i++) {
            checkPath(map, leaves, root, leaves.get(random.nextInt(leaves.size())).key());
        }
    }

    /** Moves every child stored inside the tile at {@code id} into a row of its own. */
    private static void expand(InMemoryTileStore store, TileId id) {
        Tile tile = Tile.fromBytes(store.rows().get(id));
        Map<TileId, Tile> rows = new java.util.HashMap<>();
        for (int slot = 0; slot < Tile.WIDTH; slot++) {
            if (tile.isInline(slot)) {
                Tile child = tile.inlineChild(slot);
                rows.put(id.child(slot), child);
                tile.setChild(slot, child.hash());
            }
        }
        rows.put(id, tile);
        store.store(rows);
    }

    @Test
    void childrenInsideATileSurviveItsStorageFormAndBadOnesAreRefused() {
        Tile child = new Tile();
        child.setLeaf(1, key("a1"), value(1, 0));
        child.setLeaf(7, key("a7"), value(7, 0));
        Tile t = new Tile();
        t.setLeaf(3, key("3f"), value(3, 0));
        t.setChild(9, MapHash.node(MapHash.empty(), MapHash.empty()));
        t.setInline(10, child);
        byte[] bytes = t.toBytes();
        Tile back = Tile.fromBytes(bytes);
        assertArrayEquals(t.hash(), back.hash());
        assertArrayEquals(bytes, back.toBytes());
        assertTrue(back.isInline(10) && back.isChild(10) && !back.isInline(9));
        assertArrayEquals(child.hash(), back.inlineChild(10).hash());

        assertThrows(IllegalArgumentException.class, () -> Tile.fromBytes(Arrays.copyOf(bytes, bytes.length - 1)), "truncated child");
        assertThrows(IllegalArgumentException.class, () -> Tile.fromBytes(Arrays.copyOf(bytes, bytes.length + 1)), "trailing byte");
        int part = bytes.length - 2 - 2 - child.toBytes().length; // where the inside-children bitmap starts
        byte[] overlapping = bytes.clone();
        overlapping[part + 1] = (byte) (1 << 3); // slot 3 holds a leaf already (bitmap 0x0008; slot 10 was 0x0400)
        overlapping[part] = 0;
        assertThrows(IllegalArgumentException.class, () -> Tile.fromBytes(overlapping), "a slot both used and inside");

        Tile single = new Tile();
        single.setLeaf(2, key("b2"), value(2, 0));
        assertThrows(IllegalArgumentException.class, () -> t.setInline(4, single), "one leaf sits in the slot, not in a tile");
        Tile withChild = new Tile();
        withChild.setLeaf(2, key("b2"), value(2, 0));
        withChild.setChild(5, MapHash.node(MapHash.empty(), MapHash.empty()));
        assertThrows(IllegalArgumentException.class, () -> t.setInline(4, withChild), "a tile with a child of its own");
        byte[] withChildInside = spliceChild(bytes, part, withChild.toBytes());
        assertThrows(IllegalArgumentException.class, () -> Tile.fromBytes(withChildInside), "a stored child with a child of its own");
        byte[] nested = spliceChild(bytes, part, t.toBytes());
        assertThrows(IllegalArgumentException.class, () -> Tile.fromBytes(nested), "a stored child holding children");
    }

    /** {@code bytes} with its one inside child (slot 10) replaced by {@code child}. */
    private static byte[] spliceChild(byte[] bytes, int part, byte[] child) {
        byte[] out = Arrays.copyOf(bytes, part + 4 + child.length);
        out[part + 2] = (byte) (child.length >>> 8);
        out[part + 3] = (byte) child.length;
        System.arraycopy(child, 0, out, part + 4, child.length);
        return out;
    }
}

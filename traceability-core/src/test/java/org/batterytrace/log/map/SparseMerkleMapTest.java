package org.batterytrace.log.map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}

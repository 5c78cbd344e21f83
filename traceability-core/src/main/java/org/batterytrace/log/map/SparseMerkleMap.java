package org.batterytrace.log.map;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The compressed sparse Merkle tree of {@link MapHash} over a {@link TileStore}. Keys are never removed,
 * only added or given new values. A batch update reads and rewrites only the tiles on the changed keys'
 * paths — about log16(n) per key, fewer where paths share tiles — level by level, one store round trip
 * per level. A new child tile is kept inside its parent while it is small ({@link Tile#isSmall()}), and
 * stored on its own from the update that makes it larger. Not thread-safe; callers serialize updates
 * (the server does so under its integrator lock).
 */
public final class SparseMerkleMap {
    /** Tiles fetched in the first round trip of a proof; deeper ones (rare) are fetched one by one. */
    private static final int PREFETCH = 12;

    private final TileStore store;

    public SparseMerkleMap(TileStore store) {
        this.store = store;
    }

    public static SparseMerkleMap inMemory() {
        return new SparseMerkleMap(new InMemoryTileStore());
    }

    /** One key and the value bytes it maps to. */
    public record Leaf(byte[] key, byte[] value) {
        public Leaf {
            if (key == null || key.length != MapHash.SIZE || value == null || value.length > 255) {
                throw new IllegalArgumentException("a leaf needs a 32-byte key hash and at most 255 value bytes");
            }
        }
    }

    /** The path from a key's position to the root: what a proof carries (siblings bottom-up). */
    public record Path(byte[] key, byte[] value, Leaf other, List<byte[]> siblings) {
    }

    public byte[] root() {
        return rootTile().hash();
    }

    private Tile rootTile() {
        return store.load(List.of(TileId.ROOT)).getOrDefault(TileId.ROOT, new Tile());
    }

    /**
     * Sets each leaf's key to its value (inserting or replacing) and returns the new root. Keys must be
     * distinct within one call.
     */
    public byte[] apply(List<Leaf> changes) {
        if (changes.isEmpty()) {
            return root();
        }
        List<Leaf> sorted = new ArrayList<>(changes);
        sorted.sort((a, b) -> Arrays.compareUnsigned(a.key(), b.key()));
        for (int i = 1; i < sorted.size(); i++) {
            if (Arrays.equals(sorted.get(i - 1).key(), sorted.get(i).key())) {
                throw new IllegalArgumentException("a batch may set each key once");
            }
        }
        Map<TileId, Tile> written = new HashMap<>();
        List<List<Work>> levels = new ArrayList<>();
        List<Work> work = List.of(new Work(TileId.ROOT, rootTile(), sorted, null, -1));
        while (!work.isEmpty()) {
            levels.add(work);
            int depth = work.get(0).id.depth();
            List<TileId> needed = new ArrayList<>();
            for (Work w : work) {
                forEachGroup(w.leaves, depth, (slot, group) -> {
                    if (w.tile.isChild(slot) && !w.tile.isInline(slot)) {
                        needed.add(w.id.child(slot));
                    }
                });
            }
            Map<TileId, Tile> loaded = needed.isEmpty() ? Map.of() : store.load(needed);
            List<Work> next = new ArrayList<>();
            for (Work w : work) {
                forEachGroup(w.leaves, depth, (slot, group) -> {
                    if (w.tile.isInline(slot)) {
                        next.add(new Work(w.id.child(slot), w.tile.inlineChild(slot), group, w, slot));
                        return;
                    }
                    if (w.tile.isChild(slot)) {
                        TileId childId = w.id.child(slot);
                        Tile child = loaded.get(childId);
                        if (child == null) {
                            throw new IllegalStateException("map " + childId + " is missing from storage");
                        }
                        next.add(new Work(childId, child, group, w, slot));
                        return;
                    }
                    List<Leaf> leaves = group;
                    if (w.tile.isLeaf(slot)) {
                        leaves = merge(group, new Leaf(w.tile.key(slot), w.tile.value(slot)));
                    }
                    if (leaves.size() == 1) {
                        w.tile.setLeaf(slot, leaves.get(0).key(), leaves.get(0).value());
                    } else {
                        place(w.tile, slot, w.id.child(slot), build(w.id.child(slot), leaves, written), written);
                    }
                });
            }
            work = next;
        }
        for (int d = levels.size() - 1; d >= 0; d--) {
            for (Work w : levels.get(d)) {
                if (w.parent == null) {
                    written.put(w.id, w.tile);
                } else if (w.parent.tile.isInline(w.slot) && w.tile.isSmall()) {
                    w.parent.tile.setInline(w.slot, w.tile);
                } else {
                    // A child stored on its own stays so (a tile that has grown never shrinks: keys are never removed).
                    written.put(w.id, w.tile);
                    w.parent.tile.setChild(w.slot, w.tile.hash());
                }
            }
        }
        store.store(written);
        return levels.get(0).get(0).tile.hash();
    }

    /** A tile being updated with the changes below it, and where its hash goes in its parent. */
    private record Work(TileId id, Tile tile, List<Leaf> leaves, Work parent, int slot) {
    }

    private interface GroupAction {
        void accept(int slot, List<Leaf> group);
    }

    /** Runs over the sorted leaves grouped by their nibble at {@code depth} (contiguous, since sorted). */
    private static void forEachGroup(List<Leaf> sorted, int depth, GroupAction action) {
        int start = 0;
        while (start < sorted.size()) {
            int slot = MapHash.nibble(sorted.get(start).key(), depth);
            int end = start + 1;
            while (end < sorted.size() && MapHash.nibble(sorted.get(end).key(), depth) == slot) {
                end++;
            }
            action.accept(slot, sorted.subList(start, end));
            start = end;
        }
    }

    /** The group plus the existing leaf, unless the group sets that key anew; still sorted. */
    private static List<Leaf> merge(List<Leaf> group, Leaf existing) {
        for (Leaf l : group) {
            if (Arrays.equals(l.key(), existing.key())) {
                return group;
            }
        }
        List<Leaf> merged = new ArrayList<>(group.size() + 1);
        merged.addAll(group);
        merged.add(existing);
        merged.sort((a, b) -> Arrays.compareUnsigned(a.key(), b.key()));
        return merged;
    }

    /**
     * The tiles of a fresh subtree, for bulk loads: {@code leaves} are two or more leaves with distinct
     * keys, sorted by key (unsigned), all under the prefix of {@code id}. The tiles stored on their own go
     * to {@code out}, the one at {@code id} always; returns the subtree's hash (what the parent tile's slot
     * holds).
     */
    public static byte[] buildTiles(TileId id, List<Leaf> leaves, Map<TileId, Tile> out) {
        if (leaves.size() < 2) {
            throw new IllegalArgumentException("a tile holds two or more leaves; one leaf or none sits in its parent's slot");
        }
        Tile tile = build(id, leaves, out);
        out.put(id, tile);
        return tile.hash();
    }

    /** A new subtree for two or more sorted leaves under {@code id}: its top tile; the tiles below it stored on their own go to {@code out}. */
    private static Tile build(TileId id, List<Leaf> leaves, Map<TileId, Tile> out) {
        Tile tile = new Tile();
        forEachGroup(leaves, id.depth(), (slot, group) -> {
            if (group.size() == 1) {
                tile.setLeaf(slot, group.get(0).key(), group.get(0).value());
            } else {
                place(tile, slot, id.child(slot), build(id.child(slot), group, out), out);
            }
        });
        return tile;
    }

    /** A new child tile into its parent's slot: inside the parent while it is small, else stored on its own. */
    private static void place(Tile parent, int slot, TileId childId, Tile child, Map<TileId, Tile> out) {
        if (child.isSmall()) {
            parent.setInline(slot, child);
        } else {
            out.put(childId, child);
            parent.setChild(slot, child.hash());
        }
    }

    /** The value bytes stored for a key, if any. */
    public Optional<byte[]> get(byte[] key) {
        return Optional.ofNullable(path(key).value());
    }

    /**
     * The proof path of a key: its value (when present), or the other leaf or empty subtree where its
     * path ends, and the sibling hashes bottom-up, as {@link MapProof#verify} consumes them.
     */
    public Path path(byte[] key) {
        if (key.length != MapHash.SIZE) {
            throw new IllegalArgumentException("keys are 32-byte hashes");
        }
        List<TileId> ids = new ArrayList<>(PREFETCH);
        for (int d = 0; d < PREFETCH; d++) {
            ids.add(TileId.of(key, d));
        }
        Map<TileId, Tile> tiles = store.load(ids);
        List<byte[]> topDown = new ArrayList<>();
        TileId id = TileId.ROOT;
        Tile tile = tiles.getOrDefault(id, new Tile());
        while (true) {
            int slot = MapHash.nibble(key, id.depth());
            int lo = 0;
            int width = Tile.WIDTH;
            while (true) {
                int single = tile.single(lo, width);
                if (single == -1) {
                    return finish(key, null, null, topDown);
                }
                if (single >= 0 && tile.isLeaf(single)) {
                    byte[] k = tile.key(single);
                    return Arrays.equals(k, key) ? finish(key, tile.value(single), null, topDown) : finish(key, null, new Leaf(k, tile.value(single)), topDown);
                }
                if (width == 1) {
                    break;
                }
                int half = width / 2;
                if (slot < lo + half) {
                    topDown.add(tile.hash(lo + half, half));
                } else {
                    topDown.add(tile.hash(lo, half));
                    lo += half;
                }
                width = half;
            }
            if (tile.isInline(slot)) {
                id = id.child(slot);
                tile = tile.inlineChild(slot);
                continue;
            }
            id = id.child(slot);
            Tile next = tiles.get(id);
            if (next == null) {
                next = store.load(List.of(id)).get(id);
                if (next == null) {
                    throw new IllegalStateException("map " + id + " is missing from storage");
                }
            }
            tile = next;
        }
    }

    private static Path finish(byte[] key, byte[] value, Leaf other, List<byte[]> topDown) {
        List<byte[]> siblings = new ArrayList<>(topDown);
        Collections.reverse(siblings);
        return new Path(key, value, other, siblings);
    }
}

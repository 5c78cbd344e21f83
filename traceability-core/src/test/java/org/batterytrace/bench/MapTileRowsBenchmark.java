package org.batterytrace.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.batterytrace.log.map.InMemoryTileStore;
import org.batterytrace.log.map.SparseMerkleMap;
import org.batterytrace.log.map.Tile;
import org.batterytrace.log.map.TileId;
import org.batterytrace.log.map.TileStore;
import org.junit.jupiter.api.Test;

/**
 * How many tile rows the map writes per new battery, by map size and by the number of changes one store
 * covers (a checkpoint's entries, or several checkpoints' with {@code trace.checkpoint.map-store-interval}),
 * and how many fewer it would write if small leaf-only tiles (at most {@value #SMALL} leaves, no child
 * tiles) were kept inside their parent's row, which every change of theirs rewrites anyway. Counts, not
 * times: each row written costs PostgreSQL a random-page update (about 11 µs on a quiet machine; see the
 * README's benchmark table), the largest share of the map's cost. Deterministic (seeded keys).
 * Run: {@code ./mvnw -pl traceability-core test -Dtest=MapTileRowsBenchmark}; sizes
 * {@code -Dbench.sizes=600000,2000000 -Dbench.changes=400,2000,5000,20000}.
 */
class MapTileRowsBenchmark {
    private static final int SMALL = 4;
    private static final int ROUNDS = 20;

    @Test
    void tileRowsPerRecord() {
        System.out.printf("%n=== map tile rows per new battery (%d stores each; \"embedded\": leaf-only tiles of at most %d leaves in their parent's row) ===%n",
                ROUNDS, SMALL);
        for (String size : System.getProperty("bench.sizes", "600000,2000000").split(",")) {
            for (String changes : System.getProperty("bench.changes", "400,2000,5000,20000").split(",")) {
                long[] rows = simulate(Integer.parseInt(size), Integer.parseInt(changes));
                double records = ROUNDS * Double.parseDouble(changes);
                System.out.printf("%,10d batteries, %,6d changes per store: %.2f rows per record; %.2f with small tiles embedded (%.0f %% fewer)%n",
                        Integer.parseInt(size), Integer.parseInt(changes), rows[0] / records, (rows[0] - rows[1]) / records, 100.0 * rows[1] / rows[0]);
            }
        }
    }

    /** Rows written over {@link #ROUNDS} stores of {@code changes} new keys each, after {@code size} keys: {all, embeddable}. */
    private static long[] simulate(int size, int changes) {
        InMemoryTileStore memory = new InMemoryTileStore();
        long[] rows = new long[2];
        boolean[] counting = {false};
        SparseMerkleMap map = new SparseMerkleMap(new TileStore() {
            @Override
            public Map<TileId, Tile> load(Collection<TileId> ids) {
                return memory.load(ids);
            }

            @Override
            public void store(Map<TileId, Tile> written) {
                memory.store(written);
                if (counting[0]) {
                    written.forEach((id, tile) -> {
                        rows[0]++;
                        rows[1] += embeddable(id, tile, written) ? 1 : 0;
                    });
                }
            }
        });
        Random random = new Random(20261127);
        for (int loaded = 0; loaded < size; loaded += 50_000) {
            map.apply(newLeaves(random, Math.min(50_000, size - loaded)));
        }
        counting[0] = true;
        for (int round = 0; round < ROUNDS; round++) {
            map.apply(newLeaves(random, changes));
        }
        return rows;
    }

    private static boolean embeddable(TileId id, Tile tile, Map<TileId, Tile> written) {
        if (id.depth() == 0 || tile.leafSlots() > SMALL) {
            return false;
        }
        for (int slot = 0; slot < Tile.WIDTH; slot++) {
            if (tile.isChild(slot)) {
                return false;
            }
        }
        byte[] prefix = new byte[32];
        byte[] bytes = id.bytes();
        System.arraycopy(bytes, 1, prefix, 0, bytes.length - 1);
        return written.containsKey(TileId.of(prefix, id.depth() - 1));
    }

    /** New keys with values the size of a battery head's (MapValue.Head: 49 bytes). */
    private static List<SparseMerkleMap.Leaf> newLeaves(Random random, int n) {
        List<SparseMerkleMap.Leaf> leaves = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            leaves.add(new SparseMerkleMap.Leaf(key, new byte[49]));
        }
        return leaves;
    }
}

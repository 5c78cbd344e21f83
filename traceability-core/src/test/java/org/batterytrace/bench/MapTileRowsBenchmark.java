package org.batterytrace.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.batterytrace.log.map.InMemoryTileStore;
import org.batterytrace.log.map.SparseMerkleMap;
import org.batterytrace.log.map.Tile;
import org.batterytrace.log.map.TileId;
import org.junit.jupiter.api.Test;

/**
 * How many tile rows the map writes per new battery, and how many bytes, by map size and by the number
 * of changes one store covers (the entries of the checkpoints whose tiles the integrator stores at once,
 * {@code trace.checkpoint.map-store-interval}); and what the stored map holds per battery. Small child
 * tiles are kept inside their parent's row ({@link Tile#isSmall()}). Counts, not times: each row written
 * costs PostgreSQL a random-page update (about 11 µs on a quiet machine; see docs/benchmarks.md's measurement
 * table), the largest share of the map's cost. Deterministic (seeded keys).
 * Run: {@code ./mvnw -pl traceability-core test -Dtest=MapTileRowsBenchmark}; sizes
 * {@code -Dbench.sizes=600000,2000000 -Dbench.changes=400,2000,5000,20000}.
 */
class MapTileRowsBenchmark {
    private static final int ROUNDS = 20;

    @Test
    void tileRowsPerRecord() {
        System.out.printf("%n=== map tile rows per new battery (%d stores each; children of at most %d leaves inside their parent's row) ===%n",
                ROUNDS, Tile.INLINE_LEAVES);
        for (String size : System.getProperty("bench.sizes", "600000,2000000").split(",")) {
            for (String changes : System.getProperty("bench.changes", "400,2000,5000,20000").split(",")) {
                long[] written = simulate(Integer.parseInt(size), Integer.parseInt(changes));
                double records = ROUNDS * Double.parseDouble(changes);
                System.out.printf("%,10d batteries, %,6d changes per store: %.2f rows per record, %,.0f bytes written per record; stored map %.0f bytes per battery%n",
                        Integer.parseInt(size), Integer.parseInt(changes), written[0] / records, written[1] / records,
                        written[2] / (Double.parseDouble(size) + records));
            }
        }
    }

    /** Over {@link #ROUNDS} stores of {@code changes} new keys each, after {@code size} keys: {rows written, bytes written, bytes stored at the end}. */
    private static long[] simulate(int size, int changes) {
        InMemoryTileStore memory = new InMemoryTileStore();
        long[] written = new long[3];
        SparseMerkleMap map = new SparseMerkleMap(memory);
        Random random = new Random(20261127);
        for (int loaded = 0; loaded < size; loaded += 50_000) {
            map.apply(newLeaves(random, Math.min(50_000, size - loaded)));
        }
        for (int round = 0; round < ROUNDS; round++) {
            map.apply(newLeaves(random, changes));
            for (TileId id : memory.lastStored()) {
                written[0]++;
                written[1] += memory.rows().get(id).length;
            }
        }
        memory.rows().forEach((id, row) -> written[2] += row.length + id.bytes().length);
        return written;
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

package org.batterytrace.server.log;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.batterytrace.log.map.Tile;
import org.batterytrace.log.map.TileId;
import org.batterytrace.server.postgres.PostgresProfile;
import org.junit.jupiter.api.Test;

/**
 * How the integrator's map tiles reach PostgreSQL: one {@code MERGE} per 500 tiles (the former way, and
 * H2's) against an {@code UPDATE} from arrays plus a binary {@code COPY} of the new tiles, the {@code UPDATE}
 * as PostgreSQL plans it and with its rows found by key (what the server does), in turn (A B C A B C …) on
 * one table. Each round stores 5,000 tiles, 30 % of them new (the ingest benchmark's share: a third of the
 * tile rows the map writes are inserts), each tile with five inline leaves, over {@code -Dbench.tiles=200000}
 * stored first; with {@code -Dbench.tiles=20000} a round is a sizeable share of the table, where the
 * planner's choice differs. Not part of the test suite (a benchmark, in this package
 * for the package-private writers):
 * {@code ./mvnw -pl traceability-server -am verify -DskipITs -Dtest=PostgresTileStoreBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class PostgresTileStoreBenchmark {
    private static final int PER_ROUND = 5000;
    private final int tiles = Integer.getInteger("bench.tiles", 200_000);
    private final int rounds = Integer.getInteger("bench.rounds", 24);
    private final SecureRandom random = new SecureRandom();

    @Inject
    DataSource dataSource;

    private interface Writer {
        void store(JdbcTileStore store, Map<TileId, Tile> tiles) throws SQLException;
    }

    @Test
    void mergeAgainstUpdateThenCopy() throws SQLException {
        List<Writer> writers = List.of(JdbcTileStore::merge, (store, tiles) -> store.updateThenCopy(tiles, false), JdbcTileStore::updateThenCopy);
        List<TileId> stored = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            JdbcTileStore store = new JdbcTileStore(connection);
            while (stored.size() < tiles) {
                store.store(fresh(PER_ROUND, stored));
                connection.commit();
            }
            long[] nanos = new long[3];
            int[] counted = new int[3];
            for (int round = 0; round < rounds; round++) {
                int writer = round % 3;
                Map<TileId, Tile> changed = new HashMap<>();
                for (int i = 0; i < PER_ROUND * 7 / 10; i++) {
                    changed.put(stored.get(random.nextInt(stored.size())), tile());
                }
                changed.putAll(fresh(PER_ROUND - changed.size(), stored));
                long start = System.nanoTime();
                writers.get(writer).store(store, changed);
                connection.commit();
                if (round >= 4) { // the first rounds warm up the JIT and the table's pages
                    nanos[writer] += System.nanoTime() - start;
                    counted[writer]++;
                }
            }
            double merge = nanos[0] / 1e6 / counted[0];
            double planned = nanos[1] / 1e6 / counted[1];
            double byKey = nanos[2] / 1e6 / counted[2];
            System.out.printf("%n=== map tile store (embedded PostgreSQL 18, %,d tiles stored) ===%n", stored.size());
            System.out.printf("MERGE                      %.1f ms per %,d tiles (%d rounds)%n", merge, PER_ROUND, counted[0]);
            System.out.printf("UPDATE + COPY, as planned  %.1f ms per %,d tiles (%d rounds) = %.3f x MERGE%n", planned, PER_ROUND, counted[1], planned / merge);
            System.out.printf("UPDATE + COPY, by key      %.1f ms per %,d tiles (%d rounds) = %.3f x MERGE, %.3f x as planned%n%n", byKey, PER_ROUND,
                    counted[2], byKey / merge, byKey / planned);
        }
    }

    private Map<TileId, Tile> fresh(int n, List<TileId> stored) {
        Map<TileId, Tile> out = new HashMap<>();
        while (out.size() < n) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            TileId id = TileId.of(key, 5);
            out.put(id, tile());
            stored.add(id);
        }
        return out;
    }

    private Tile tile() {
        Tile tile = new Tile();
        for (int i = 0; i < 5; i++) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            byte[] value = new byte[48];
            random.nextBytes(value);
            tile.setLeaf(random.nextInt(Tile.WIDTH), key, value);
        }
        return tile;
    }
}

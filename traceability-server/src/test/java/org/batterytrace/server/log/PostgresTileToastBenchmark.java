package org.batterytrace.server.log;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.sql.DataSource;
import org.batterytrace.log.map.InMemoryTileStore;
import org.batterytrace.log.map.SparseMerkleMap;
import org.batterytrace.log.map.Tile;
import org.batterytrace.log.map.TileId;
import org.batterytrace.server.postgres.PostgresProfile;
import org.junit.jupiter.api.Test;

/**
 * Large map tiles on PostgreSQL: kept in the row ({@code toast_tuple_target = 8160}) against PostgreSQL's
 * default, which moves a value of more than about 2 kB out of the row (TOAST: a compression attempt, then
 * chunks in a second table with its own index, rewritten on every update). Tiles grow past 2 kB where
 * the deepest tiles hold about 30 leaves, mostly as pairs stored inside them (around 2 million
 * batteries: 38 % of the rows a store writes). Two copies of one real map of {@code -Dbench.batteries}
 * keys, one table each (same columns and {@code fillfactor} as {@code map_tile}), get the same changed
 * tiles every round, in alternating order; the report gives the time per store and the tables' sizes.
 * Not part of the test suite:
 * {@code ./mvnw -pl traceability-server -am verify -DskipITs -Dtest=PostgresTileToastBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class PostgresTileToastBenchmark {
    private static final List<String> LAYOUTS = List.of("toast_default", "toast_inline");
    private final int batteries = Integer.getInteger("bench.batteries", 2_000_000);
    private final int changes = Integer.getInteger("bench.changes", 20_000);
    private final int rounds = Integer.getInteger("bench.rounds", 12);
    private final Random random = new Random(20261127);

    @Inject
    DataSource dataSource;

    @Test
    void largeTilesInTheRowAgainstToast() throws SQLException {
        InMemoryTileStore memory = new InMemoryTileStore();
        SparseMerkleMap map = new SparseMerkleMap(memory);
        for (int loaded = 0; loaded < batteries; loaded += 50_000) {
            map.apply(newLeaves(Math.min(50_000, batteries - loaded)));
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            try (Statement s = connection.createStatement()) {
                for (String layout : LAYOUTS) {
                    s.execute("DROP SCHEMA IF EXISTS " + layout + " CASCADE");
                    s.execute("CREATE SCHEMA " + layout);
                    s.execute("CREATE TABLE " + layout + ".map_tile (id BYTEA PRIMARY KEY, body BYTEA NOT NULL) WITH (fillfactor = 50"
                            + (layout.equals("toast_inline") ? ", toast_tuple_target = 8160)" : ")"));
                }
            }
            connection.setAutoCommit(false);
            for (String layout : LAYOUTS) {
                use(connection, layout);
                BulkInsert rows = BulkInsert.into("map_tile", "id", "body");
                memory.rows().forEach((id, body) -> rows.row(id.bytes(), body));
                rows.execute(connection);
                connection.commit();
            }
            connection.setAutoCommit(true);
            try (Statement s = connection.createStatement()) {
                for (String layout : LAYOUTS) {
                    s.execute("VACUUM ANALYZE " + layout + ".map_tile");
                }
            }
            connection.setAutoCommit(false);

            long[] nanos = new long[2];
            int counted = 0;
            long rows = 0;
            long large = 0;
            for (int round = 0; round < rounds; round++) {
                map.apply(newLeaves(changes));
                Map<TileId, Tile> changed = memory.load(memory.lastStored());
                for (int i = 0; i < 2; i++) {
                    int layout = (round + i) % 2; // A B, B A, …: neither always goes first
                    use(connection, LAYOUTS.get(layout));
                    long start = System.nanoTime();
                    new JdbcTileStore(connection).updateThenCopy(changed);
                    connection.commit();
                    if (round >= 2) { // the first rounds warm up the JIT and the tables' pages
                        nanos[layout] += System.nanoTime() - start;
                    }
                }
                if (round >= 2) {
                    counted++;
                    rows += changed.size();
                    large += changed.keySet().stream().filter(id -> memory.rows().get(id).length > 2032).count();
                }
            }
            System.out.printf("%n=== large map tiles: in the row against TOAST (embedded PostgreSQL 18, %,d batteries, %,d changes per store) ===%n",
                    batteries, changes);
            System.out.printf("rows per store     %,d, of which %.1f %% over 2,032 bytes (%d rounds)%n", rows / counted, 100.0 * large / rows, counted);
            for (int layout = 0; layout < 2; layout++) {
                System.out.printf("%-18s %.1f ms per store = %.3f x default; table with its TOAST and index %,.0f bytes per battery%n",
                        LAYOUTS.get(layout), nanos[layout] / 1e6 / counted, (double) nanos[layout] / nanos[0],
                        totalSize(connection, LAYOUTS.get(layout)) / (double) (batteries + (long) rounds * changes));
            }
            System.out.println();
            connection.rollback();
            use(connection, "public"); // the connection goes back to the pool
        }
    }

    private static void use(Connection connection, String schema) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("SET search_path TO " + schema);
        }
    }

    private static long totalSize(Connection connection, String schema) throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_total_relation_size('" + schema + ".map_tile')")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private List<SparseMerkleMap.Leaf> newLeaves(int n) {
        List<SparseMerkleMap.Leaf> leaves = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            byte[] value = new byte[49]; // a battery head's value (MapValue.Head)
            random.nextBytes(value);
            leaves.add(new SparseMerkleMap.Leaf(key, value));
        }
        return leaves;
    }
}

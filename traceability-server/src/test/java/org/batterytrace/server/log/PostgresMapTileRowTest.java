package org.batterytrace.server.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.batterytrace.log.map.Tile;
import org.batterytrace.log.map.TileId;
import org.batterytrace.server.postgres.PostgresProfile;
import org.junit.jupiter.api.Test;

/**
 * How map tiles sit in PostgreSQL. Migration V14: a map tile larger than PostgreSQL's 2 kB TOAST threshold
 * stays in its row, as written and as rewritten, and reads back unchanged (PostgresTileToastBenchmark
 * measures why). And a store finds the tiles it rewrites by their key, however many there are, instead of
 * reading the whole table. The tiles sit at a depth no map in the tests reaches, and the transactions are
 * rolled back.
 */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class PostgresMapTileRowTest {
    private final SecureRandom random = new SecureRandom();

    @Inject
    DataSource dataSource;

    @Test
    void largeTilesStayInTheirRow() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                byte[] key = new byte[32];
                random.nextBytes(key);
                TileId id = TileId.of(key, 40);
                JdbcTileStore store = new JdbcTileStore(connection);
                for (int write = 0; write < 2; write++) { // the COPY of a new tile, then the UPDATE of an existing one
                    Tile tile = largeTile();
                    assertTrue(tile.toBytes().length > 2_500, tile.toBytes().length + " bytes");
                    store.updateThenCopy(Map.of(id, tile));
                    assertArrayEquals(tile.toBytes(), store.load(List.of(id)).get(id).toBytes());
                    // PostgreSQL 17+ names the TOAST chunk of a value stored out of its row (the tests run on 18).
                    try (PreparedStatement stored = connection.prepareStatement(
                            "SELECT pg_column_toast_chunk_id(body), pg_column_compression(body) FROM map_tile WHERE id = ?")) {
                        stored.setBytes(1, id.bytes());
                        try (ResultSet rs = stored.executeQuery()) {
                            assertTrue(rs.next());
                            assertNull(rs.getObject(1), "stored out of the row, TOAST chunk " + rs.getObject(1));
                            assertNull(rs.getObject(2), "compressed");
                        }
                    }
                }
            } finally {
                connection.rollback();
            }
        }
    }

    /**
     * The threat is a store that reads every tile of the map: planned for thousands of keys (a third of
     * this table), PostgreSQL chooses to hash the whole table, and on a national map every store would read
     * millions of rows to change a few percent of them.
     */
    @Test
    void aStoreFindsTheTilesItRewritesByTheirKey() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                JdbcTileStore store = new JdbcTileStore(connection);
                Map<TileId, Tile> tiles = new HashMap<>();
                while (tiles.size() < 8_000) {
                    byte[] key = new byte[32];
                    random.nextBytes(key);
                    tiles.put(TileId.of(key, 40), smallTile());
                }
                store.updateThenCopy(tiles);
                try (var analyze = connection.createStatement()) {
                    analyze.execute("ANALYZE map_tile");
                }
                List<TileId> rewritten = tiles.keySet().stream().limit(3_000).toList();
                QueryPlans.joinByIndexLookups(connection, true);
                String plan = explain(connection, rewritten);
                assertTrue(plan.contains("Index Scan using map_tile_pkey") && !plan.contains("Seq Scan on map_tile"), plan);
                QueryPlans.joinByIndexLookups(connection, false);
                // What it stops: planned freely for as many keys, the same statement reads the whole table.
                String planned = explain(connection, rewritten);
                assertTrue(planned.contains("Seq Scan on map_tile"), planned);
            } finally {
                connection.rollback();
            }
        }
    }

    private static String explain(Connection connection, List<TileId> ids) throws SQLException {
        try (PreparedStatement explain = connection.prepareStatement("EXPLAIN " + JdbcTileStore.UPDATE)) {
            QueryPlans.plannedWithItsKeys(explain);
            explain.setArray(1, connection.createArrayOf("bytea", ids.stream().map(TileId::bytes).toArray(byte[][]::new)));
            explain.setArray(2, connection.createArrayOf("bytea", ids.stream().map(id -> new byte[] {1}).toArray(byte[][]::new)));
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = explain.executeQuery()) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            return plan.toString();
        }
    }

    /** Five leaves, as deep tiles of a large map hold (about 450 bytes). */
    private Tile smallTile() {
        return tile(5, 48);
    }

    /** Sixteen leaves with long values: about 2.9 kB encoded. */
    private Tile largeTile() {
        return tile(Tile.WIDTH, 150);
    }

    /** Random keys and values, incompressible like real hashes. */
    private Tile tile(int leaves, int valueBytes) {
        Tile tile = new Tile();
        for (int slot = 0; slot < leaves; slot++) {
            byte[] key = new byte[32];
            byte[] value = new byte[valueBytes];
            random.nextBytes(key);
            random.nextBytes(value);
            tile.setLeaf(slot, key, value);
        }
        return tile;
    }
}

package org.batterytrace.server.log;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.batterytrace.log.map.Tile;
import org.batterytrace.log.map.TileId;
import org.batterytrace.log.map.TileStore;
import org.postgresql.PGConnection;

/** Map tiles in the {@code map_tile} table, on one connection inside one transaction; reads and writes in chunks. */
final class JdbcTileStore implements TileStore {
    private static final int CHUNK = 500;
    /** Tiles per {@code UPDATE} on PostgreSQL: two array parameters, however many tiles. */
    private static final int ARRAY_CHUNK = 10_000;
    /** The tiles that exist, from two arrays (ids, bodies); answers the ids it found. */
    static final String UPDATE = "UPDATE map_tile t SET body = v.body FROM unnest(?::bytea[], ?::bytea[]) AS v(id, body) WHERE t.id = v.id RETURNING t.id";
    private final Connection connection;

    JdbcTileStore(Connection connection) {
        this.connection = connection;
    }

    @Override
    public Map<TileId, Tile> load(Collection<TileId> ids) {
        Map<TileId, Tile> found = new HashMap<>();
        List<TileId> all = new ArrayList<>(new HashSet<>(ids));
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<TileId> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            String sql = "SELECT id, body FROM map_tile WHERE id IN (" + "?,".repeat(chunk.size() - 1) + "?)";
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                for (int i = 0; i < chunk.size(); i++) {
                    select.setBytes(i + 1, chunk.get(i).bytes());
                }
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        TileId id = TileId.fromBytes(rs.getBytes(1));
                        found.put(id, Tile.fromBytes(rs.getBytes(2)));
                    }
                }
            } catch (SQLException e) {
                throw new LogStorageException("reading map tiles", e);
            }
        }
        return found;
    }

    /**
     * Inserts or replaces tiles. On PostgreSQL, one {@code UPDATE} of the tiles that exist, from arrays, and
     * the new ones by binary {@code COPY} ({@link BulkInsert}); elsewhere (H2), one standard-SQL
     * {@code MERGE} per {@value #CHUNK} tiles.
     */
    @Override
    public void store(Map<TileId, Tile> tiles) {
        if (tiles.isEmpty()) {
            return;
        }
        try {
            if (connection.isWrapperFor(PGConnection.class)) {
                updateThenCopy(tiles);
            } else {
                merge(tiles);
            }
        } catch (SQLException e) {
            throw new LogStorageException("writing map tiles", e);
        }
    }

    /**
     * Updating the rows that exist and copying in the others takes 0.71-0.80 x the time of PostgreSQL's
     * {@code MERGE} (PostgresTileStoreBenchmark, rounds of 8 % and 2 % of the table; about a third of the tiles the integrator writes are new:
     * a leaf that meets another in its slot starts a tile). The {@code UPDATE} returns the ids it found;
     * the rest are new. It finds each row by its key: planned for thousands of keys, PostgreSQL would
     * rather hash the whole table, which reads every tile of the map to change a few percent of them (on
     * PostgreSQL 15, 5,000 of 250,000 tiles: 234 ms that way, 48 ms by the key; on 18, a quarter of the table:
     * 85 against 57 ms), and at ten million batteries every store would read millions of rows.
     */
    void updateThenCopy(Map<TileId, Tile> tiles) throws SQLException {
        updateThenCopy(tiles, true);
    }

    /** {@code byKey} false: as the planner likes (the benchmark's baseline). */
    void updateThenCopy(Map<TileId, Tile> tiles, boolean byKey) throws SQLException {
        List<Map.Entry<TileId, Tile>> all = new ArrayList<>(tiles.entrySet());
        byte[][] ids = new byte[all.size()][];
        byte[][] bodies = new byte[all.size()][];
        for (int i = 0; i < all.size(); i++) {
            ids[i] = all.get(i).getKey().bytes();
            bodies[i] = all.get(i).getValue().toBytes();
        }
        Set<ByteBuffer> updated = new HashSet<>();
        if (byKey) {
            QueryPlans.joinByIndexLookups(connection, true);
        }
        for (int from = 0; from < ids.length; from += ARRAY_CHUNK) {
            int to = Math.min(ids.length, from + ARRAY_CHUNK);
            try (PreparedStatement update = connection.prepareStatement(UPDATE)) {
                QueryPlans.plannedWithItsKeys(update);
                update.setArray(1, connection.createArrayOf("bytea", Arrays.copyOfRange(ids, from, to)));
                update.setArray(2, connection.createArrayOf("bytea", Arrays.copyOfRange(bodies, from, to)));
                try (ResultSet rs = update.executeQuery()) {
                    while (rs.next()) {
                        updated.add(ByteBuffer.wrap(rs.getBytes(1)));
                    }
                }
            }
        }
        if (byKey) {
            QueryPlans.joinByIndexLookups(connection, false);
        }
        BulkInsert fresh = BulkInsert.into("map_tile", "id", "body");
        for (int i = 0; i < ids.length; i++) {
            if (!updated.contains(ByteBuffer.wrap(ids[i]))) {
                fresh.row(ids[i], bodies[i]);
            }
        }
        fresh.execute(connection);
    }

    /** Standard SQL (H2; on PostgreSQL only {@code PostgresTileStoreBenchmark} uses it, as the baseline). */
    void merge(Map<TileId, Tile> tiles) throws SQLException {
        List<Map.Entry<TileId, Tile>> all = new ArrayList<>(tiles.entrySet());
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<Map.Entry<TileId, Tile>> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            String sql = "MERGE INTO map_tile t USING (VALUES " + "(CAST(? AS BYTEA), CAST(? AS BYTEA)),".repeat(chunk.size() - 1)
                    + "(CAST(? AS BYTEA), CAST(? AS BYTEA))) AS v(id, body) ON t.id = v.id"
                    + " WHEN MATCHED THEN UPDATE SET body = v.body WHEN NOT MATCHED THEN INSERT (id, body) VALUES (v.id, v.body)";
            try (PreparedStatement merge = connection.prepareStatement(sql)) {
                int i = 1;
                for (Map.Entry<TileId, Tile> e : chunk) {
                    merge.setBytes(i++, e.getKey().bytes());
                    merge.setBytes(i++, e.getValue().toBytes());
                }
                merge.executeUpdate();
            }
        }
    }
}

package org.batterytrace.server.log;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.batterytrace.log.map.Tile;
import org.batterytrace.log.map.TileId;
import org.batterytrace.log.map.TileStore;

/** Map tiles in the {@code map_tile} table, on one connection inside one transaction; reads and writes in chunks. */
final class JdbcTileStore implements TileStore {
    private static final int CHUNK = 500;
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
     * Inserts or replaces tiles with one standard-SQL {@code MERGE} per {@value #CHUNK} tiles (PostgreSQL
     * 15+, H2): a statement per chunk instead of one per row.
     */
    @Override
    public void store(Map<TileId, Tile> tiles) {
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
            } catch (SQLException e) {
                throw new LogStorageException("writing map tiles", e);
            }
        }
    }
}

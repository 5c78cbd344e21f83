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
import java.util.Set;
import org.batterytrace.log.map.Tile;
import org.batterytrace.log.map.TileId;
import org.batterytrace.log.map.TileStore;

/**
 * Map tiles in the {@code map_tile} table, on one connection inside one transaction. Loads are chunked
 * IN-queries; stores update the tiles this instance loaded and insert the others (a tile, once it
 * exists, never goes away, and new ones only appear where no tile was).
 */
final class JdbcTileStore implements TileStore {
    private static final int CHUNK = 500;
    private final Connection connection;
    private final Set<TileId> existing = new HashSet<>();

    JdbcTileStore(Connection connection) {
        this.connection = connection;
    }

    /** Notes tiles known to be stored (served from {@link TileCache}), so that storing them updates their rows. */
    void stored(Collection<TileId> ids) {
        existing.addAll(ids);
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
                        existing.add(id);
                    }
                }
            } catch (SQLException e) {
                throw new LogStorageException("reading map tiles", e);
            }
        }
        return found;
    }

    @Override
    public void store(Map<TileId, Tile> tiles) {
        try (PreparedStatement update = connection.prepareStatement("UPDATE map_tile SET body = ? WHERE id = ?");
             PreparedStatement insert = connection.prepareStatement("INSERT INTO map_tile (id, body) VALUES (?, ?)")) {
            boolean updates = false;
            boolean inserts = false;
            for (Map.Entry<TileId, Tile> e : tiles.entrySet()) {
                if (existing.contains(e.getKey())) {
                    update.setBytes(1, e.getValue().toBytes());
                    update.setBytes(2, e.getKey().bytes());
                    update.addBatch();
                    updates = true;
                } else {
                    insert.setBytes(1, e.getKey().bytes());
                    insert.setBytes(2, e.getValue().toBytes());
                    insert.addBatch();
                    inserts = true;
                    existing.add(e.getKey());
                }
            }
            if (updates) {
                update.executeBatch();
            }
            if (inserts) {
                insert.executeBatch();
            }
        } catch (SQLException e) {
            throw new LogStorageException("writing map tiles", e);
        }
    }
}

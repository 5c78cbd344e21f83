package org.batterytrace.log.map;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/** Tiles in a hash map, for tests, monitors and the offline tools. */
public final class InMemoryTileStore implements TileStore {
    private final Map<TileId, byte[]> tiles = new HashMap<>();

    @Override
    public Map<TileId, Tile> load(Collection<TileId> ids) {
        Map<TileId, Tile> found = new HashMap<>();
        for (TileId id : ids) {
            byte[] bytes = tiles.get(id);
            if (bytes != null) {
                found.put(id, Tile.fromBytes(bytes));
            }
        }
        return found;
    }

    @Override
    public void store(Map<TileId, Tile> changed) {
        changed.forEach((id, tile) -> tiles.put(id, tile.toBytes()));
    }

    public int size() {
        return tiles.size();
    }

    /** The stored encodings ({@link Tile#toBytes()}) by id, read-only: for counting rows and bytes, and for inspecting them. */
    public Map<TileId, byte[]> rows() {
        return Collections.unmodifiableMap(tiles);
    }
}

package org.batterytrace.log.map;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Tiles in a hash map, for tests, monitors and the offline tools. */
public final class InMemoryTileStore implements TileStore {
    private final Map<TileId, byte[]> tiles = new HashMap<>();
    private Set<TileId> lastStored = Set.of();

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
        lastStored = Set.copyOf(changed.keySet());
    }

    /** The tiles the latest {@link #store} wrote (one map update's rows): for counting and benchmarks. */
    public Set<TileId> lastStored() {
        return lastStored;
    }

    public int size() {
        return tiles.size();
    }

    /** The stored encodings ({@link Tile#toBytes()}) by id, read-only: for counting rows and bytes, and for inspecting them. */
    public Map<TileId, byte[]> rows() {
        return Collections.unmodifiableMap(tiles);
    }
}

package org.batterytrace.log.map;

import java.util.Collection;
import java.util.Map;

/**
 * Storage of the map's {@link Tile}s by {@link TileId}. Loads are batched so that a database round
 * trip serves a whole level of a batch update, or a whole proof path.
 */
public interface TileStore {
    /**
     * The stored tiles among {@code ids} (ids without a tile are simply absent from the result). The
     * tiles returned belong to the caller, who may change them.
     */
    Map<TileId, Tile> load(Collection<TileId> ids);

    /** Inserts or replaces tiles; the store must not keep references to the given objects. */
    void store(Map<TileId, Tile> tiles);
}

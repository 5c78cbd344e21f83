package org.batterytrace.server.log;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.batterytrace.log.map.Tile;
import org.batterytrace.log.map.TileId;
import org.batterytrace.log.map.TileStore;

/**
 * This instance's copy of the map's upper tiles (nibble depth ≤ {@link #MAX_DEPTH}: at most 69,905 tiles,
 * about 35 MB of tile bytes with 10 million keys), valid for one map size: the size this instance's integrator last committed. Every
 * checkpoint rewrites most of these tiles, so without the copy the integrator would read back what it
 * has just written, and every proof would start with the same reads. Another instance's commit changes
 * the map size in the database; the copy no longer matches and is not used until this instance commits
 * again (it is refilled as it reads).
 * <p>
 * Thread-safety: readers check {@link #size()} before and after using the copy (as they do for the
 * database), and {@link #publish} invalidates the size while it replaces tiles. Tiles in the copy are
 * never changed in place: {@link #publish} is handed tiles nobody changes any more, and readers get copies.
 */
final class TileCache {
    static final int MAX_DEPTH = 4;
    private static final long INVALID = -1;

    private final Map<TileId, Tile> tiles = new ConcurrentHashMap<>();
    private volatile long size = INVALID;

    long size() {
        return size;
    }

    /**
     * Replaces tiles after a commit that brought the map to {@code newSize} (from {@code oldSize}). The copy
     * keeps the tile objects themselves: the caller hands them over and changes them no more.
     */
    synchronized void publish(long oldSize, long newSize, Map<TileId, Tile> written) {
        boolean continues = size == oldSize;
        size = INVALID;
        if (!continues) {
            tiles.clear();
        }
        written.forEach((id, tile) -> {
            if (id.depth() <= MAX_DEPTH) {
                tiles.put(id, tile);
            }
        });
        size = newSize;
    }

    synchronized void invalidate() {
        size = INVALID;
        tiles.clear();
    }

    /**
     * A store that serves upper tiles from the copy when it is valid for {@code mapSize}, and the rest
     * (and everything otherwise) from {@code backing}. Tiles handed out are copies the caller may change.
     */
    TileStore over(JdbcTileStore backing, long mapSize) {
        return new TileStore() {
            @Override
            public Map<TileId, Tile> load(Collection<TileId> ids) {
                boolean valid = size == mapSize;
                return loadThrough(ids, id -> valid && id.depth() <= MAX_DEPTH ? tiles.get(id) : null, backing);
            }

            @Override
            public void store(Map<TileId, Tile> changed) {
                backing.store(changed);
            }
        };
    }

    /**
     * The tiles {@code ids}: copies of those {@code first} has (the caller may change them), the rest from
     * {@code backing} in one call. How a store with tiles in memory reads through to the one below it.
     */
    static Map<TileId, Tile> loadThrough(Collection<TileId> ids, Function<TileId, Tile> first, TileStore backing) {
        Map<TileId, Tile> found = new HashMap<>();
        List<TileId> missing = new ArrayList<>();
        for (TileId id : ids) {
            Tile held = first.apply(id);
            if (held != null) {
                found.put(id, held.copy());
            } else {
                missing.add(id);
            }
        }
        if (!missing.isEmpty()) {
            found.putAll(backing.load(missing));
        }
        return found;
    }
}

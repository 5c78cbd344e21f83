package org.batterytrace.server.log;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.batterytrace.log.map.Tile;
import org.batterytrace.log.map.TileId;

/**
 * The map's unstored tiles as a stack of maps that are never changed, newest first, a tile's newest
 * version winning. Adding a checkpoint's tiles costs about their own number: a layer is merged with the
 * one below it only while it is at least half that one's size (size-tiered, as in a log-structured
 * merge tree), so a tile is copied about log₂(layers) times before the store and a lookup visits
 * about that many layers.
 * <p>
 * Why: the unstored tiles were one map copied whole at every checkpoint, five times a second, while it
 * grew to up to {@code map-unstored-tiles} (100,000) between stores: work that grew with the square of
 * the tiles held. That copy was 29 % of the integrator's CPU samples in a profiled single-write benchmark;
 * with rounds of 180,000 records, joining a checkpoint's tiles took 8.2 µs per record copied whole and
 * 4.2 µs with layers, in the same run (docs/benchmarks.md).
 * <p>
 * Immutable: readers (proofs) use one without a lock while the integrator makes the next.
 */
final class TileLayers {
    static final TileLayers EMPTY = new TileLayers(List.of(), 0);

    private final List<Map<TileId, Tile>> layers;
    private final int size;

    private TileLayers(List<Map<TileId, Tile>> layers, int size) {
        this.layers = layers;
        this.size = size;
    }

    /** A single layer of {@code tiles}, which nobody changes any more. */
    static TileLayers of(Map<TileId, Tile> tiles) {
        return EMPTY.plus(tiles);
    }

    /** The newest version of the tile, or null. */
    Tile get(TileId id) {
        for (Map<TileId, Tile> layer : layers) {
            Tile tile = layer.get(id);
            if (tile != null) {
                return tile;
            }
        }
        return null;
    }

    /** These tiles with {@code newest} (which nobody changes any more) over them. */
    TileLayers plus(Map<TileId, Tile> newest) {
        if (newest.isEmpty()) {
            return this;
        }
        Map<TileId, Tile> top = newest;
        int below = 0;
        while (below < layers.size() && 2L * top.size() >= layers.get(below).size()) {
            Map<TileId, Tile> merged = new HashMap<>(capacity(layers.get(below).size() + top.size()));
            merged.putAll(layers.get(below));
            merged.putAll(top);
            top = merged;
            below++;
        }
        List<Map<TileId, Tile>> next = new ArrayList<>(layers.size() - below + 1);
        next.add(top);
        next.addAll(layers.subList(below, layers.size()));
        int total = 0;
        for (Map<TileId, Tile> layer : next) {
            total += layer.size();
        }
        return new TileLayers(List.copyOf(next), total);
    }

    /** Every tile's newest version in one map, not to be changed: for a store, once per store. */
    Map<TileId, Tile> merged() {
        if (layers.size() == 1) {
            return layers.get(0);
        }
        Map<TileId, Tile> all = new HashMap<>(capacity(size));
        for (int i = layers.size() - 1; i >= 0; i--) {
            all.putAll(layers.get(i));
        }
        return all;
    }

    /** The tiles held, counting a tile changed again in a layer not merged yet once per layer: an upper bound for the memory limit. */
    int size() {
        return size;
    }

    int layerCount() {
        return layers.size();
    }

    private static int capacity(int entries) {
        return (int) Math.min(Integer.MAX_VALUE, entries * 4L / 3 + 1);
    }
}

package org.batterytrace.server.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.batterytrace.log.map.Tile;
import org.batterytrace.log.map.TileId;
import org.junit.jupiter.api.Test;

/** {@link TileLayers} against a plain map updated in place, the naive reference, over random checkpoints. */
class TileLayersTest {
    private final Random random = new Random(20261129);

    /** Upper tiles are changed by every checkpoint, bottom tiles mostly once: both kinds, from a pool of ids. */
    private final List<TileId> ids = new ArrayList<>();

    TileLayersTest() {
        for (int i = 0; i < 3_000; i++) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            ids.add(TileId.of(key, i < 20 ? i % 3 : 4 + random.nextInt(8)));
        }
    }

    @Test
    void everyTileIsItsNewestVersionAndEarlierStacksStayAsTheyWere() {
        TileLayers layers = TileLayers.EMPTY;
        Map<TileId, Tile> reference = new HashMap<>();
        List<TileLayers> earlier = new ArrayList<>();
        List<Map<TileId, Tile>> earlierReference = new ArrayList<>();
        int checkpoints = 400;
        for (int c = 0; c < checkpoints; c++) {
            Map<TileId, Tile> written = new HashMap<>();
            int n = random.nextInt(c % 50 == 0 ? 400 : 40);
            for (int i = 0; i < n; i++) {
                written.put(ids.get(i < 5 ? random.nextInt(20) : random.nextInt(ids.size())), new Tile());
            }
            layers = layers.plus(written);
            reference.putAll(written);
            if (c % 37 == 0) {
                earlier.add(layers);
                earlierReference.add(Map.copyOf(reference));
            }
            assertTrue(layers.size() >= reference.size(), "the size bounds the tiles held");
            assertTrue(layers.layerCount() <= 2 + 64 - Long.numberOfLeadingZeros(Math.max(1, layers.size())),
                    layers.layerCount() + " layers for " + layers.size() + " tiles");
        }
        assertSameTiles(reference, layers);
        for (int i = 0; i < earlier.size(); i++) {
            assertSameTiles(earlierReference.get(i), earlier.get(i));
        }
    }

    @Test
    void anEmptyCheckpointAddsNoLayer() {
        TileLayers one = TileLayers.of(Map.of(ids.get(0), new Tile()));
        assertSame(one, one.plus(Map.of()));
        assertNull(TileLayers.EMPTY.get(ids.get(0)));
        assertEquals(Map.of(), TileLayers.EMPTY.merged());
    }

    private void assertSameTiles(Map<TileId, Tile> expected, TileLayers actual) {
        for (TileId id : ids) {
            assertSame(expected.get(id), actual.get(id), "tile " + id);
        }
        Map<TileId, Tile> merged = actual.merged();
        assertEquals(expected.size(), merged.size());
        expected.forEach((id, tile) -> assertSame(tile, merged.get(id)));
    }
}

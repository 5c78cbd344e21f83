package org.batterytrace.server.log;

import java.util.LinkedHashMap;
import java.util.Map;

/** A bounded LRU of committed Merkle nodes; upper-level nodes are read by almost every proof. */
final class NodeCache {
    private final Map<Long, byte[]>[] levels;
    private final int perLevel;

    @SuppressWarnings("unchecked")
    NodeCache(int perLevel) {
        this.perLevel = perLevel;
        levels = new Map[64];
        for (int i = 0; i < levels.length; i++) {
            levels[i] = new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
                    return size() > NodeCache.this.perLevel;
                }
            };
        }
    }

    byte[] get(int level, long index) {
        Map<Long, byte[]> map = levels[level];
        synchronized (map) {
            return map.get(index);
        }
    }

    void put(int level, long index, byte[] hash) {
        Map<Long, byte[]> map = levels[level];
        synchronized (map) {
            map.put(index, hash);
        }
    }
}

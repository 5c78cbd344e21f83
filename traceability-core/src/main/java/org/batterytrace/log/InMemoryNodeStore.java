package org.batterytrace.log;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A {@link NodeStore} in flat arrays, one per level. Not thread-safe. */
public final class InMemoryNodeStore implements NodeStore {
    private final List<byte[][]> levels = new ArrayList<>();

    @Override
    public byte[] get(int level, long index) {
        byte[][] row = level < levels.size() ? levels.get(level) : null;
        if (row == null || index >= row.length || row[(int) index] == null) {
            throw new IllegalStateException("no stored node at level " + level + " index " + index);
        }
        return row[(int) index];
    }

    @Override
    public void put(int level, long index, byte[] hash) {
        while (levels.size() <= level) {
            levels.add(new byte[16][]);
        }
        byte[][] row = levels.get(level);
        if (index >= row.length) {
            row = Arrays.copyOf(row, (int) Math.max(index + 1, row.length * 2L));
            levels.set(level, row);
        }
        row[(int) index] = hash;
    }
}

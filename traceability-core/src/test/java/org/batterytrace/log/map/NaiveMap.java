package org.batterytrace.log.map;

import java.util.ArrayList;
import java.util.List;

/**
 * The map's definition written out directly (docs/record-format.md §7.2), with no tiles and no
 * storage: the reference the tiled implementation is compared with.
 */
final class NaiveMap {
    private NaiveMap() {
    }

    /** The root over a set of leaves with distinct keys, at depth 0. */
    static byte[] root(List<SparseMerkleMap.Leaf> leaves) {
        return root(leaves, 0);
    }

    private static byte[] root(List<SparseMerkleMap.Leaf> leaves, int depth) {
        if (leaves.isEmpty()) {
            return MapHash.empty();
        }
        if (leaves.size() == 1) {
            return MapHash.leaf(leaves.get(0).key(), MapHash.valueHash(leaves.get(0).value()));
        }
        return MapHash.node(root(half(leaves, depth, 0), depth + 1), root(half(leaves, depth, 1), depth + 1));
    }

    private static List<SparseMerkleMap.Leaf> half(List<SparseMerkleMap.Leaf> leaves, int depth, int bit) {
        List<SparseMerkleMap.Leaf> out = new ArrayList<>();
        for (SparseMerkleMap.Leaf l : leaves) {
            if (MapHash.bit(l.key(), depth) == bit) {
                out.add(l);
            }
        }
        return out;
    }

    /** The expected proof path of {@code key}: descend while two or more leaves share the key's prefix. */
    static SparseMerkleMap.Path path(List<SparseMerkleMap.Leaf> leaves, byte[] key) {
        List<byte[]> topDown = new ArrayList<>();
        List<SparseMerkleMap.Leaf> here = leaves;
        int depth = 0;
        while (here.size() > 1) {
            int bit = MapHash.bit(key, depth);
            topDown.add(root(half(here, depth, 1 - bit), depth + 1));
            here = half(here, depth, bit);
            depth++;
        }
        java.util.Collections.reverse(topDown);
        if (here.isEmpty()) {
            return new SparseMerkleMap.Path(key, null, null, topDown);
        }
        SparseMerkleMap.Leaf only = here.get(0);
        return java.util.Arrays.equals(only.key(), key) ? new SparseMerkleMap.Path(key, only.value(), null, topDown)
                : new SparseMerkleMap.Path(key, null, only, topDown);
    }
}

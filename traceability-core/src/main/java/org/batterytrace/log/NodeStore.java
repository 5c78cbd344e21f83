package org.batterytrace.log;

/**
 * Storage of the hashes of complete (perfect) subtrees. Node (level, index) covers leaves
 * {@code [index * 2^level, (index + 1) * 2^level)}; level 0 holds the leaf hashes. A tree of n leaves
 * has at most 2n - 1 such nodes and each is written once, so any root or proof is a combination of
 * O(log n) stored nodes.
 */
public interface NodeStore {
    /** The hash of a complete subtree; must exist. */
    byte[] get(int level, long index);

    void put(int level, long index, byte[] hash);
}

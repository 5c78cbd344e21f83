package org.batterytrace.log;

import java.util.ArrayList;
import java.util.List;

/**
 * An append-only RFC 9162 Merkle tree over a {@link NodeStore}. Appending costs O(log n): the tree
 * keeps the compact range (the right-most complete subtree at each level, one per set bit of the
 * size) and writes only the nodes the new leaf completes. Roots at older sizes and proofs combine
 * O(log n) stored nodes; nothing is ever recomputed from all leaves. Not thread-safe.
 */
public final class MerkleTree {
    private final NodeStore store;
    private final byte[][] frontier = new byte[64][];
    private long size;

    public MerkleTree(NodeStore store) {
        this.store = store;
    }

    public static MerkleTree inMemory() {
        return new MerkleTree(new InMemoryNodeStore());
    }

    /** Re-opens a tree of {@code size} leaves whose nodes are already in {@code store}. */
    public static MerkleTree open(NodeStore store, long size) {
        MerkleTree tree = new MerkleTree(store);
        long start = 0;
        for (int level = 63; level >= 0; level--) {
            if ((size & (1L << level)) != 0) {
                tree.frontier[level] = store.get(level, start >> level);
                start += 1L << level;
            }
        }
        tree.size = size;
        return tree;
    }

    public long size() {
        return size;
    }

    /** Appends a leaf hash (see {@link TreeHash#leaf}) and returns its index. */
    public long append(byte[] leafHash) {
        long index = size;
        byte[] hash = leafHash;
        store.put(0, index, hash);
        int level = 0;
        while ((index & (1L << level)) != 0) {
            hash = TreeHash.node(frontier[level], hash);
            frontier[level] = null;
            level++;
            store.put(level, index >> level, hash);
        }
        frontier[level] = hash;
        size = index + 1;
        return index;
    }

    /** The current root hash. */
    public byte[] root() {
        if (size == 0) {
            return TreeHash.empty();
        }
        byte[] root = null;
        for (int level = 0; level < 64; level++) {
            if (frontier[level] != null) {
                root = root == null ? frontier[level] : TreeHash.node(frontier[level], root);
            }
        }
        return root.clone();
    }

    /** The root the tree had when it held {@code treeSize} leaves. */
    public byte[] root(long treeSize) {
        requireSize(treeSize);
        if (treeSize == size) {
            return root();
        }
        return treeSize == 0 ? TreeHash.empty() : rangeHash(0, treeSize);
    }

    public byte[] leafHash(long index) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("leaf index " + index + " is outside a tree of size " + size);
        }
        return store.get(0, index).clone();
    }

    /** RFC 9162 section 2.1.3.1: PATH(index, D[0:treeSize]). */
    public List<byte[]> inclusionProof(long index, long treeSize) {
        requireSize(treeSize);
        if (index < 0 || index >= treeSize) {
            throw new IllegalArgumentException("leaf index " + index + " is not below tree size " + treeSize);
        }
        List<byte[]> proof = new ArrayList<>();
        path(index, 0, treeSize, proof);
        return proof;
    }

    /** RFC 9162 section 2.1.4.1: PROOF(first, D[0:second]); empty when the sizes are equal. */
    public List<byte[]> consistencyProof(long first, long second) {
        requireSize(second);
        if (first < 1 || first > second) {
            throw new IllegalArgumentException("consistency needs 0 < first <= second, got " + first + " and " + second);
        }
        List<byte[]> proof = new ArrayList<>();
        if (first < second) {
            subproof(first, 0, second, true, proof);
        }
        return proof;
    }

    // Proof elements are appended bottom-up: the recursion descends first, then adds its sibling.
    private void path(long m, long start, long end, List<byte[]> proof) {
        long n = end - start;
        if (n == 1) {
            return;
        }
        long k = Long.highestOneBit(n - 1);
        if (m < k) {
            path(m, start, start + k, proof);
            proof.add(rangeHash(start + k, end));
        } else {
            path(m - k, start + k, end, proof);
            proof.add(rangeHash(start, start + k));
        }
    }

    private void subproof(long m, long start, long end, boolean wholeSubtree, List<byte[]> proof) {
        long n = end - start;
        if (m == n) {
            if (!wholeSubtree) {
                proof.add(rangeHash(start, end));
            }
            return;
        }
        long k = Long.highestOneBit(n - 1);
        if (m <= k) {
            subproof(m, start, start + k, wholeSubtree, proof);
            proof.add(rangeHash(start + k, end));
        } else {
            subproof(m - k, start + k, end, false, proof);
            proof.add(rangeHash(start, start + k));
        }
    }

    /** MTH(D[start:end]) for a range whose start is aligned as in the RFC recursions. */
    private byte[] rangeHash(long start, long end) {
        long n = end - start;
        if (Long.bitCount(n) == 1 && start % n == 0) {
            int level = Long.numberOfTrailingZeros(n);
            return store.get(level, start >> level);
        }
        long k = Long.highestOneBit(n - 1);
        return TreeHash.node(rangeHash(start, start + k), rangeHash(start + k, end));
    }

    private void requireSize(long treeSize) {
        if (treeSize < 0 || treeSize > size) {
            throw new IllegalArgumentException("tree size " + treeSize + " is outside 0.." + size);
        }
    }
}

package org.batterytrace.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every tree size 1..64 against the RFC 9162 definitions computed naively from all leaves. */
class MerkleTreeTest {
    private static final int MAX = 64;

    private static List<byte[]> leaves(int n) {
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            leaves.add(TreeHash.leaf(("leaf " + i).getBytes(StandardCharsets.UTF_8)));
        }
        return leaves;
    }

    private static MerkleTree tree(List<byte[]> leaves) {
        MerkleTree tree = MerkleTree.inMemory();
        leaves.forEach(tree::append);
        return tree;
    }

    // --- Naive reference, straight from RFC 9162 section 2.1 ---

    private static byte[] mth(List<byte[]> d) {
        if (d.isEmpty()) {
            return TreeHash.empty();
        }
        if (d.size() == 1) {
            return d.get(0);
        }
        int k = Integer.highestOneBit(d.size() - 1);
        return TreeHash.node(mth(d.subList(0, k)), mth(d.subList(k, d.size())));
    }

    private static List<byte[]> path(int m, List<byte[]> d) {
        List<byte[]> out = new ArrayList<>();
        if (d.size() <= 1) {
            return out;
        }
        int k = Integer.highestOneBit(d.size() - 1);
        if (m < k) {
            out.addAll(path(m, d.subList(0, k)));
            out.add(mth(d.subList(k, d.size())));
        } else {
            out.addAll(path(m - k, d.subList(k, d.size())));
            out.add(mth(d.subList(0, k)));
        }
        return out;
    }

    private static List<byte[]> subproof(int m, List<byte[]> d, boolean b) {
        List<byte[]> out = new ArrayList<>();
        int n = d.size();
        if (m == n) {
            if (!b) {
                out.add(mth(d));
            }
            return out;
        }
        int k = Integer.highestOneBit(n - 1);
        if (m <= k) {
            out.addAll(subproof(m, d.subList(0, k), b));
            out.add(mth(d.subList(k, n)));
        } else {
            out.addAll(subproof(m - k, d.subList(k, n), false));
            out.add(mth(d.subList(0, k)));
        }
        return out;
    }

    private static void assertSameHashes(List<byte[]> expected, List<byte[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i));
        }
    }

    @Test
    void emptyTreeHasTheHashOfTheEmptyString() {
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                HexFormat.of().formatHex(MerkleTree.inMemory().root()));
    }

    @Test
    void rootsAtEverySizeMatchTheReference() {
        List<byte[]> all = leaves(MAX);
        MerkleTree tree = MerkleTree.inMemory();
        for (int n = 1; n <= MAX; n++) {
            tree.append(all.get(n - 1));
            assertArrayEquals(mth(all.subList(0, n)), tree.root(), "root of size " + n);
        }
        for (int n = 0; n <= MAX; n++) {
            assertArrayEquals(mth(all.subList(0, n)), tree.root(n), "historic root of size " + n);
        }
    }

    @Test
    void inclusionProofsForEveryLeafOfEverySizeMatchAndVerify() {
        List<byte[]> all = leaves(MAX);
        MerkleTree tree = tree(all);
        for (int n = 1; n <= MAX; n++) {
            byte[] root = mth(all.subList(0, n));
            for (int m = 0; m < n; m++) {
                List<byte[]> proof = tree.inclusionProof(m, n);
                assertSameHashes(path(m, all.subList(0, n)), proof);
                Proofs.verifyInclusion(all.get(m), m, n, proof, root);
            }
        }
    }

    @Test
    void consistencyProofsForEveryPairOfSizesMatchAndVerify() {
        List<byte[]> all = leaves(MAX);
        MerkleTree tree = tree(all);
        for (int second = 1; second <= MAX; second++) {
            for (int first = 1; first <= second; first++) {
                List<byte[]> proof = tree.consistencyProof(first, second);
                List<byte[]> expected = first == second ? List.of() : subproof(first, all.subList(0, second), true);
                assertSameHashes(expected, proof);
                Proofs.verifyConsistency(first, second, mth(all.subList(0, first)), mth(all.subList(0, second)), proof);
            }
        }
    }

    @Test
    void everyTamperedInclusionProofFails() {
        List<byte[]> all = leaves(MAX);
        MerkleTree tree = tree(all);
        for (int n = 1; n <= MAX; n++) {
            byte[] root = tree.root(n);
            for (int m = 0; m < n; m++) {
                List<byte[]> proof = tree.inclusionProof(m, n);
                int mm = m;
                int nn = n;
                for (int i = 0; i < proof.size(); i++) {
                    List<byte[]> tampered = flip(proof, i);
                    assertThrows(ProofException.class, () -> Proofs.verifyInclusion(all.get(mm), mm, nn, tampered, root));
                }
                // Wrong leaf, wrong index, extra or missing element, index outside the tree.
                if (n > 1) {
                    assertThrows(ProofException.class,
                            () -> Proofs.verifyInclusion(all.get((mm + 1) % nn), mm, nn, proof, root));
                    assertThrows(ProofException.class,
                            () -> Proofs.verifyInclusion(all.get(mm), (mm + 1) % nn, nn, proof, root));
                    List<byte[]> shorter = proof.subList(0, proof.size() - 1);
                    assertThrows(ProofException.class, () -> Proofs.verifyInclusion(all.get(mm), mm, nn, shorter, root));
                }
                List<byte[]> longer = new ArrayList<>(proof);
                longer.add(root);
                assertThrows(ProofException.class, () -> Proofs.verifyInclusion(all.get(mm), mm, nn, longer, root));
            }
            int nn = n;
            assertThrows(ProofException.class, () -> Proofs.verifyInclusion(all.get(0), nn, nn, List.of(), root));
        }
    }

    @Test
    void everyTamperedConsistencyProofFails() {
        List<byte[]> all = leaves(MAX);
        MerkleTree tree = tree(all);
        for (int second = 2; second <= MAX; second++) {
            for (int first = 1; first < second; first++) {
                List<byte[]> proof = tree.consistencyProof(first, second);
                byte[] r1 = tree.root(first);
                byte[] r2 = tree.root(second);
                int f = first;
                int s = second;
                for (int i = 0; i < proof.size(); i++) {
                    List<byte[]> tampered = flip(proof, i);
                    assertThrows(ProofException.class, () -> Proofs.verifyConsistency(f, s, r1, r2, tampered));
                }
                assertThrows(ProofException.class, () -> Proofs.verifyConsistency(f, s, r2, r2, proof));
                assertThrows(ProofException.class, () -> Proofs.verifyConsistency(f, s, r1, r1, proof));
                List<byte[]> longer = new ArrayList<>(proof);
                longer.add(r1);
                assertThrows(ProofException.class, () -> Proofs.verifyConsistency(f, s, r1, r2, longer));
            }
        }
        byte[] r = tree.root(5);
        assertThrows(ProofException.class, () -> Proofs.verifyConsistency(5, 5, r, r, List.of(r)));
        assertThrows(ProofException.class, () -> Proofs.verifyConsistency(6, 5, r, r, List.of()));
        assertThrows(ProofException.class, () -> Proofs.verifyConsistency(0, 5, r, r, List.of()));
    }

    @Test
    void reopenedTreeContinuesExactlyWhereItStopped() {
        List<byte[]> all = leaves(MAX);
        for (int cut = 0; cut <= MAX; cut++) {
            InMemoryNodeStore store = new InMemoryNodeStore();
            MerkleTree first = new MerkleTree(store);
            all.subList(0, cut).forEach(first::append);
            MerkleTree reopened = MerkleTree.open(store, cut);
            assertEquals(cut, reopened.size());
            all.subList(cut, MAX).forEach(reopened::append);
            assertArrayEquals(mth(all), reopened.root(), "reopened at " + cut);
        }
    }

    @Test
    void appendWritesEachNodeOnceAndReadsNone() {
        int[] writes = {0};
        int[] reads = {0};
        InMemoryNodeStore inner = new InMemoryNodeStore();
        NodeStore counting = new NodeStore() {
            @Override
            public byte[] get(int level, long index) {
                reads[0]++;
                return inner.get(level, index);
            }

            @Override
            public void put(int level, long index, byte[] hash) {
                writes[0]++;
                inner.put(level, index, hash);
            }
        };
        MerkleTree tree = new MerkleTree(counting);
        leaves(1024).forEach(tree::append);
        assertEquals(2 * 1024 - 1, writes[0]);
        assertEquals(0, reads[0]);
        tree.inclusionProof(517, 1024);
        assertTrue(reads[0] <= 10, "a proof reads one stored node per level, read " + reads[0]);
    }

    @Test
    void rejectsProofRequestsOutsideTheTree() {
        MerkleTree tree = tree(leaves(3));
        assertThrows(IllegalArgumentException.class, () -> tree.inclusionProof(3, 3));
        assertThrows(IllegalArgumentException.class, () -> tree.inclusionProof(0, 4));
        assertThrows(IllegalArgumentException.class, () -> tree.consistencyProof(0, 3));
        assertThrows(IllegalArgumentException.class, () -> tree.consistencyProof(2, 4));
        assertThrows(IllegalArgumentException.class, () -> tree.root(4));
    }

    private static List<byte[]> flip(List<byte[]> proof, int element) {
        List<byte[]> copy = new ArrayList<>();
        for (byte[] h : proof) {
            copy.add(Arrays.copyOf(h, h.length));
        }
        copy.get(element)[7] ^= 0x20;
        return copy;
    }
}

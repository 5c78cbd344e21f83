package org.batterytrace.log;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/** Verification of inclusion and consistency proofs, step by step as RFC 9162 sections 2.1.3.2 and 2.1.4.2. */
public final class Proofs {
    private Proofs() {
    }

    public static void verifyInclusion(byte[] leafHash, long leafIndex, long treeSize, List<byte[]> path, byte[] rootHash) {
        byte[] computed = rootFromInclusion(leafHash, leafIndex, treeSize, path);
        if (!MessageDigest.isEqual(computed, rootHash)) {
            throw new ProofException("inclusion proof for leaf " + leafIndex + " leads to a different root than the tree of size " + treeSize);
        }
    }

    /** Runs the RFC 9162 inclusion algorithm and returns the root it arrives at. */
    public static byte[] rootFromInclusion(byte[] leafHash, long leafIndex, long treeSize, List<byte[]> path) {
        if (leafIndex < 0 || leafIndex >= treeSize) {
            throw new ProofException("leaf index " + leafIndex + " is not below tree size " + treeSize);
        }
        long fn = leafIndex;
        long sn = treeSize - 1;
        byte[] r = leafHash;
        for (byte[] p : path) {
            requireHash(p);
            if (sn == 0) {
                throw new ProofException("inclusion proof is longer than the tree is deep");
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = TreeHash.node(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = TreeHash.node(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        if (sn != 0) {
            throw new ProofException("inclusion proof is shorter than the tree is deep");
        }
        return r;
    }

    public static void verifyConsistency(long first, long second, byte[] firstRoot, byte[] secondRoot, List<byte[]> proof) {
        if (first < 1 || first > second) {
            throw new ProofException("consistency needs 0 < first <= second, got " + first + " and " + second);
        }
        if (first == second) {
            if (!proof.isEmpty()) {
                throw new ProofException("consistency proof between equal sizes must be empty");
            }
            if (!MessageDigest.isEqual(firstRoot, secondRoot)) {
                throw new ProofException("two checkpoints of size " + first + " have different roots: the log forked");
            }
            return;
        }
        if (proof.isEmpty()) {
            throw new ProofException("consistency proof is empty");
        }
        List<byte[]> path = new ArrayList<>(proof.size() + 1);
        if (Long.bitCount(first) == 1) {
            path.add(firstRoot);
        }
        path.addAll(proof);
        long fn = first - 1;
        long sn = second - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = requireHash(path.get(0));
        byte[] sr = fr;
        for (int i = 1; i < path.size(); i++) {
            byte[] c = requireHash(path.get(i));
            if (sn == 0) {
                throw new ProofException("consistency proof is longer than the tree is deep");
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = TreeHash.node(c, fr);
                sr = TreeHash.node(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                sr = TreeHash.node(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        if (sn != 0) {
            throw new ProofException("consistency proof is shorter than the tree is deep");
        }
        if (!MessageDigest.isEqual(fr, firstRoot)) {
            throw new ProofException("consistency proof does not reproduce the root of size " + first);
        }
        if (!MessageDigest.isEqual(sr, secondRoot)) {
            throw new ProofException("consistency proof does not reproduce the root of size " + second);
        }
    }

    private static byte[] requireHash(byte[] hash) {
        if (hash == null || hash.length != TreeHash.SIZE) {
            throw new ProofException("proof element is not a 32-byte hash");
        }
        return hash;
    }
}

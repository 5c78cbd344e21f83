/*
 * Merkle proofs: RFC 9162 section 2.1.3.2 (inclusion) and 2.1.4.2 (consistency) over the log, step by step
 * as the Java core's log/Proofs, and the log-derived map's sparse Merkle proofs (docs/record-format.md §7,
 * log/map/MapProof). Tree sizes and indexes are BigInt: a log may pass 2^53 entries.
 */
(function (BT) {
  'use strict';
  const { sha256, concat, equal, u64, fromHex } = BT.bytes;

  class ProofError extends Error {}

  const ZERO = Uint8Array.of(0);
  const ONE = Uint8Array.of(1);
  /** MTH({d}) = SHA-256(0x00 || d). */
  const leafHash = (data) => sha256(ZERO, data);
  /** SHA-256(0x01 || left || right). */
  const nodeHash = (left, right) => sha256(ONE, left, right);

  function requireHash(h) {
    if (!h || h.length !== 32) {
      throw new ProofError('proof element is not a 32-byte hash');
    }
    return h;
  }

  /** Runs the RFC 9162 inclusion algorithm and returns the root it arrives at. */
  async function rootFromInclusion(leaf, index, size, path) {
    if (index < 0n || index >= size) {
      throw new ProofError('leaf index ' + index + ' is not below tree size ' + size);
    }
    let fn = index;
    let sn = size - 1n;
    let r = leaf;
    for (const p of path) {
      requireHash(p);
      if (sn === 0n) {
        throw new ProofError('inclusion proof is longer than the tree is deep');
      }
      if ((fn & 1n) === 1n || fn === sn) {
        r = await nodeHash(p, r);
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      } else {
        r = await nodeHash(r, p);
      }
      fn >>= 1n;
      sn >>= 1n;
    }
    if (sn !== 0n) {
      throw new ProofError('inclusion proof is shorter than the tree is deep');
    }
    return r;
  }

  async function verifyInclusion(leaf, index, size, path, root) {
    if (!equal(await rootFromInclusion(leaf, index, size, path), root)) {
      throw new ProofError('inclusion proof for leaf ' + index + ' leads to a different root than the tree of size ' + size);
    }
  }

  function bitCount(n) {
    let c = 0;
    for (; n > 0n; n >>= 1n) {
      c += Number(n & 1n);
    }
    return c;
  }

  async function verifyConsistency(first, second, firstRoot, secondRoot, proof) {
    if (first < 1n || first > second) {
      throw new ProofError('consistency needs 0 < first <= second, got ' + first + ' and ' + second);
    }
    if (first === second) {
      if (proof.length) {
        throw new ProofError('consistency proof between equal sizes must be empty');
      }
      if (!equal(firstRoot, secondRoot)) {
        throw new ProofError('two checkpoints of size ' + first + ' have different roots: the log forked');
      }
      return;
    }
    if (!proof.length) {
      throw new ProofError('consistency proof is empty');
    }
    const path = bitCount(first) === 1 ? [firstRoot, ...proof] : [...proof];
    let fn = first - 1n;
    let sn = second - 1n;
    while ((fn & 1n) === 1n) {
      fn >>= 1n;
      sn >>= 1n;
    }
    let fr = requireHash(path[0]);
    let sr = fr;
    for (let i = 1; i < path.length; i++) {
      const c = requireHash(path[i]);
      if (sn === 0n) {
        throw new ProofError('consistency proof is longer than the tree is deep');
      }
      if ((fn & 1n) === 1n || fn === sn) {
        fr = await nodeHash(c, fr);
        sr = await nodeHash(c, sr);
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      } else {
        sr = await nodeHash(sr, c);
      }
      fn >>= 1n;
      sn >>= 1n;
    }
    if (sn !== 0n) {
      throw new ProofError('consistency proof is shorter than the tree is deep');
    }
    if (!equal(fr, firstRoot)) {
      throw new ProofError('consistency proof does not reproduce the root of size ' + first);
    }
    if (!equal(sr, secondRoot)) {
      throw new ProofError('consistency proof does not reproduce the root of size ' + second);
    }
  }

  // ---- the map: a compressed sparse Merkle tree over SHA-256(label) ----

  const MAX_DEPTH = 256;
  const EMPTY = new Uint8Array(32);
  const bit = (key, i) => (key[i >>> 3] >>> (7 - (i & 7))) & 1;

  /** The bytes a map value commits to: Head 0x01‖u64 seq‖u64 logIndex‖hash, KeyStatus 0x02‖status‖u64 logIndex. */
  function valueBytes(value) {
    if (value.kind === 'head') {
      return concat(Uint8Array.of(1), u64(value.seq), u64(value.logIndex), fromHex(value.hash));
    }
    return concat(Uint8Array.of(2, value.revoked ? 1 : 0), u64(value.logIndex));
  }

  /**
   * Verifies a parsed map proof {label, value, otherLeaf, siblings} against a map root and returns its
   * value (null when it proves the label absent); throws ProofError, in MapProof.check's order.
   */
  async function verifyMapProof(proof, root) {
    if (proof.value && (proof.value.kind === 'head') !== proof.label.startsWith('head:')) {
      throw new ProofError('map value of the wrong kind for ' + proof.label);
    }
    const { siblings, otherLeaf } = proof;
    if (siblings.length > MAX_DEPTH) {
      throw new ProofError('map proof is longer than the tree is deep');
    }
    const key = await sha256(BT.bytes.utf8(proof.label));
    let terminal;
    if (proof.value) {
      if (otherLeaf) {
        throw new ProofError('a map proof holds either a value or another leaf, not both');
      }
      terminal = await sha256(ZERO, key, await sha256(valueBytes(proof.value)));
    } else if (otherLeaf) {
      if (equal(otherLeaf.keyHash, key)) {
        throw new ProofError("the path ends at the key's own leaf: it is present, not absent");
      }
      for (let i = 0; i < siblings.length; i++) {
        if (bit(otherLeaf.keyHash, i) !== bit(key, i)) {
          throw new ProofError("the other leaf does not lie on the key's path");
        }
      }
      terminal = await sha256(ZERO, otherLeaf.keyHash, otherLeaf.valueHash);
    } else {
      terminal = EMPTY;
    }
    if (siblings.length && equal(siblings[0], EMPTY)) {
      throw new ProofError('map proof is not in canonical form: the subtree next to the end of the path is empty');
    }
    let h = terminal;
    let depth = siblings.length;
    for (const s of siblings) {
      depth--;
      h = bit(key, depth) === 0 ? await nodeHash(h, s) : await nodeHash(s, h);
    }
    if (!equal(h, root)) {
      throw new ProofError('map proof leads to a different root');
    }
    return proof.value;
  }

  BT.merkle = { ProofError, leafHash, verifyInclusion, verifyConsistency, verifyMapProof, MAX_DEPTH };
})(window.BT = window.BT || {});

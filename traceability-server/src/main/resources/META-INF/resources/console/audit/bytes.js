/*
 * Bytes, encodings and the WebCrypto primitives the verifier needs: SHA-256, Ed25519 and ECDSA P-256.
 * Decoders follow java.util.Base64 (the Java verifier's): padding optional but correct when present, no
 * whitespace. Classic script (ES modules do not load from file:// in Chromium): everything hangs off BT.
 */
(function (BT) {
  'use strict';

  /** A problem that makes the bundle unreadable (MALFORMED_BUNDLE) or a key/proof invalid. */
  class FormatError extends Error {}

  const HEX = '0123456789abcdef';
  const utf8 = new TextEncoder();

  function hex(bytes) {
    let s = '';
    for (const b of bytes) {
      s += HEX[b >> 4] + HEX[b & 15];
    }
    return s;
  }

  /** 64 lower-case hex digits: record hashes, key ids, proof hashes. */
  function isSha256Hex(s) {
    return typeof s === 'string' && /^[0-9a-f]{64}$/.test(s);
  }

  function fromHex(s) {
    const out = new Uint8Array(s.length / 2);
    for (let i = 0; i < out.length; i++) {
      out[i] = parseInt(s.substr(2 * i, 2), 16);
    }
    return out;
  }

  const STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

  function decode64(text, alphabet) {
    let n = text.indexOf('=');
    const data = n < 0 ? text : text.substring(0, n);
    if (n >= 0) {
      const pad = text.substring(n);
      const want = data.length % 4 === 2 ? '==' : data.length % 4 === 3 ? '=' : null;
      if (pad !== want) {
        throw new FormatError('bad base64 padding');
      }
    }
    if (data.length % 4 === 1) {
      throw new FormatError('bad base64 length');
    }
    const out = new Uint8Array(Math.floor(data.length * 3 / 4));
    let bits = 0;
    let value = 0;
    let o = 0;
    for (let i = 0; i < data.length; i++) {
      const v = alphabet.indexOf(data[i]);
      if (v < 0) {
        throw new FormatError('not base64');
      }
      value = (value << 6) | v;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out[o++] = (value >> bits) & 0xff;
      }
    }
    return out;
  }

  function encode64(bytes, alphabet, pad) {
    let s = '';
    for (let i = 0; i < bytes.length; i += 3) {
      const n = (bytes[i] << 16) | ((bytes[i + 1] || 0) << 8) | (bytes[i + 2] || 0);
      const chars = Math.min(4, Math.ceil((bytes.length - i) * 4 / 3));
      for (let j = 0; j < chars; j++) {
        s += alphabet[(n >> (18 - 6 * j)) & 63];
      }
      if (pad) {
        s += '='.repeat(4 - chars);
      }
    }
    return s;
  }

  const base64 = (text) => decode64(text, STD);
  const base64Url = (text) => decode64(text, URL);
  const toBase64 = (bytes) => encode64(bytes, STD, true);
  const toBase64Url = (bytes) => encode64(bytes, URL, false);

  function concat(...parts) {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }

  function equal(a, b) {
    if (a.length !== b.length) {
      return false;
    }
    let d = 0;
    for (let i = 0; i < a.length; i++) {
      d |= a[i] ^ b[i];
    }
    return d === 0;
  }

  async function sha256(...parts) {
    return new Uint8Array(await crypto.subtle.digest('SHA-256', parts.length === 1 ? parts[0] : concat(...parts)));
  }

  /** An unsigned 64-bit big-endian integer (BigInt) from 8 bytes, or the 8 bytes of one. */
  function u64(value) {
    const out = new Uint8Array(8);
    let v = BigInt(value);
    for (let i = 7; i >= 0; i--) {
      out[i] = Number(v & 0xffn);
      v >>= 8n;
    }
    return out;
  }

  function readI64(bytes, offset) {
    let v = 0n;
    for (let i = 0; i < 8; i++) {
      v = (v << 8n) | BigInt(bytes[offset + i]);
    }
    return BigInt.asIntN(64, v);
  }

  // ---- DER: just enough to read a SubjectPublicKeyInfo and an ECDSA signature, strictly ----

  function derRead(bytes, offset) {
    if (offset + 2 > bytes.length) {
      throw new FormatError('truncated DER');
    }
    const tag = bytes[offset];
    let length = bytes[offset + 1];
    let start = offset + 2;
    if (length & 0x80) {
      const count = length & 0x7f;
      if (count === 0 || count > 3 || start + count > bytes.length) {
        throw new FormatError('bad DER length');
      }
      length = 0;
      for (let i = 0; i < count; i++) {
        length = length * 256 + bytes[start + i];
      }
      if (length < 128 || bytes[start] === 0) {
        throw new FormatError('non-minimal DER length');
      }
      start += count;
    }
    if (start + length > bytes.length) {
      throw new FormatError('truncated DER');
    }
    return { tag, start, end: start + length, content: bytes.subarray(start, start + length) };
  }

  /** The elements of a constructed DER value's content. */
  function derChildren(content) {
    const out = [];
    for (let o = 0; o < content.length;) {
      const e = derRead(content, o);
      out.push(e);
      o = e.end;
    }
    return out;
  }

  const OID_ED25519 = '06032b6570';
  const OID_EC = '06072a8648ce3d0201';
  const OID_P256 = '06082a8648ce3d030107';
  const OID_SM2 = '06082a811ccf5501822d';

  // Short Weierstrass curves y^2 = x^3 + ax + b over p (p = 3 mod 4 for both), to check points the way
  // Bouncy Castle's decodePoint does, for SM2 too, whose signatures the browser cannot check.
  const CURVES = {
    ES256: {
      p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
      a: 0xffffffff00000001000000000000000000000000fffffffffffffffffffffffcn,
      b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
    },
    SM2: {
      p: 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn,
      a: 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn,
      b: 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n,
    },
  };

  function bigOf(bytes) {
    return bytes.length === 0 ? 0n : BigInt('0x' + hex(bytes));
  }

  function modPow(base, exp, m) {
    let r = 1n;
    base %= m;
    while (exp > 0n) {
      if (exp & 1n) {
        r = (r * base) % m;
      }
      base = (base * base) % m;
      exp >>= 1n;
    }
    return r;
  }

  function fixed32(n) {
    return fromHex(n.toString(16).padStart(64, '0'));
  }

  /** The uncompressed 65-byte point of an encoded point on the curve, or an error (not on the curve, infinity, bad form). */
  function decodePoint(curve, encoded) {
    const { p, a, b } = CURVES[curve];
    const rhs = (x) => (((x * x % p) * x) + a * x + b) % p;
    let x;
    let y;
    if (encoded.length === 65 && encoded[0] === 4) {
      x = bigOf(encoded.subarray(1, 33));
      y = bigOf(encoded.subarray(33));
      if (x >= p || y >= p || (y * y) % p !== rhs(x)) {
        throw new FormatError('invalid point: not on the curve');
      }
    } else if (encoded.length === 33 && (encoded[0] === 2 || encoded[0] === 3)) {
      x = bigOf(encoded.subarray(1));
      if (x >= p) {
        throw new FormatError('invalid point');
      }
      y = modPow(rhs(x), (p + 1n) / 4n, p);
      if ((y * y) % p !== rhs(x)) {
        throw new FormatError('invalid point compression');
      }
      if (Number(y & 1n) !== (encoded[0] & 1)) {
        y = (p - y) % p;
      }
    } else {
      throw new FormatError('invalid point encoding');
    }
    return concat(Uint8Array.of(4), fixed32(x), fixed32(y));
  }

  /**
   * Reads a DER SubjectPublicKeyInfo holding an Ed25519, P-256 or SM2 (sm2p256v1) key, as the Java
   * VerificationKey.fromSpki does: {alg, raw (32-byte Ed25519 key or 65-byte EC point), spki, keyId}.
   */
  async function keyFromSpki(der) {
    let alg;
    let raw;
    try {
      const outer = derRead(der, 0);
      if (outer.tag !== 0x30 || outer.end !== der.length) {
        throw new FormatError('not a DER SubjectPublicKeyInfo');
      }
      const [algorithm, bits, ...rest] = derChildren(outer.content);
      if (!algorithm || !bits || rest.length || algorithm.tag !== 0x30 || bits.tag !== 0x03 || bits.content[0] !== 0) {
        throw new FormatError('not a DER SubjectPublicKeyInfo');
      }
      const key = bits.content.subarray(1);
      // AlgorithmIdentifier: the OID, then for EC keys the named curve (Bouncy Castle ignores Ed25519 parameters).
      const [oid, params, ...more] = derChildren(algorithm.content);
      const ids = oid && oid.tag === 0x06 ? hex(algorithm.content.subarray(0, oid.end)) : '';
      const curve = params && params.tag === 0x06 && !more.length ? hex(algorithm.content.subarray(params.start - 2, params.end)) : '';
      if (ids === OID_ED25519) {
        if (key.length !== 32) {
          throw new FormatError('invalid Ed25519 key length');
        }
        alg = 'Ed25519';
        raw = key;
      } else if (ids === OID_EC && (curve === OID_P256 || curve === OID_SM2)) {
        alg = curve === OID_P256 ? 'ES256' : 'SM2';
        raw = decodePoint(alg, key);
      } else {
        throw new FormatError('unsupported public key algorithm (expected Ed25519, SM2 or P-256)');
      }
    } catch (e) {
      throw e instanceof FormatError ? e : new FormatError('not a DER SubjectPublicKeyInfo');
    }
    return { alg, raw, spki: der, keyId: hex(await sha256(der)) };
  }

  /** Strict DER ECDSA-Sig-Value (as Bouncy Castle's StandardDSAEncoding reads it) to the 64-byte r||s WebCrypto wants; null when malformed. */
  function derToP1363(sig) {
    try {
      const seq = derRead(sig, 0);
      if (seq.tag !== 0x30 || seq.end !== sig.length) {
        return null;
      }
      const parts = derChildren(seq.content);
      if (parts.length !== 2) {
        return null;
      }
      const out = new Uint8Array(64);
      for (let i = 0; i < 2; i++) {
        const v = parts[i].content;
        if (parts[i].tag !== 0x02 || v.length === 0 || (v[0] & 0x80) || (v.length > 1 && v[0] === 0 && !(v[1] & 0x80))) {
          return null;
        }
        const n = v[0] === 0 ? v.subarray(1) : v;
        if (n.length > 32) {
          return null;
        }
        out.set(n, 32 * i + 32 - n.length);
      }
      return out;
    } catch (e) {
      return null;
    }
  }

  const imported = new Map();

  async function importKey(alg, raw) {
    const id = alg + hex(raw);
    if (!imported.has(id)) {
      const params = alg === 'Ed25519' ? { name: 'Ed25519' } : { name: 'ECDSA', namedCurve: 'P-256' };
      imported.set(id, crypto.subtle.importKey('raw', raw, params, false, ['verify']));
    }
    return imported.get(id);
  }

  /**
   * Whether {@code signature} over {@code message} verifies with the key: true, false, or 'unchecked'
   * for SM2 (WebCrypto has no SM2; the page says so instead of passing it).
   */
  async function verifySignature(key, message, signature) {
    if (key.alg === 'SM2') {
      return 'unchecked';
    }
    try {
      if (key.alg === 'Ed25519') {
        return signature.length === 64 && await crypto.subtle.verify({ name: 'Ed25519' }, await importKey('Ed25519', key.raw), signature, message);
      }
      const p1363 = derToP1363(signature);
      return p1363 !== null && await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, await importKey('ES256', key.raw), p1363, message);
    } catch (e) {
      return false;
    }
  }

  /** The SPKI DER of a raw Ed25519 key (RFC 8410), whose SHA-256 is the key id records use. */
  function ed25519Spki(raw) {
    return concat(fromHex('302a300506032b6570032100'), raw);
  }

  BT.bytes = {
    FormatError, utf8: (s) => utf8.encode(s), hex, fromHex, isSha256Hex, base64, base64Url, toBase64, toBase64Url,
    concat, equal, sha256, u64, readI64, keyFromSpki, derToP1363, verifySignature, ed25519Spki,
  };
})(window.BT = window.BT || {});

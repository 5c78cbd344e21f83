/*
 * C2SP signed notes (c2sp.org/signed-note), checkpoints (c2sp.org/tlog-checkpoint) with the trace-map/1
 * extension line (docs/record-format.md §6.1), note verifier keys, and witness cosignatures
 * (c2sp.org/tlog-cosignature, type 0x04), as the Java core's log/Note, SignedNotes, Checkpoint, NoteKey,
 * CosignerKey and Cosignatures do them.
 */
(function (BT) {
  'use strict';
  const { sha256, concat, utf8, hex, base64, equal, readI64, verifySignature, ed25519Spki } = BT.bytes;

  class CheckpointError extends Error {}
  class KeyError extends Error {}

  const MAX_SIGNATURES = 32;
  const MAX_CHARS = 64 * 1024;
  const DASH = '\u2014 ';

  /** Non-empty, no '+', no character up to U+0020 and no Unicode space separator (Java's Character.isSpaceChar). */
  const validKeyName = (name) => typeof name === 'string' && name.length > 0 && !name.includes('+') && !/[\u0000-\u0020\p{Zs}\p{Zl}\p{Zp}]/u.test(name);

  function decode(text, error) {
    try {
      return base64(text);
    } catch (e) {
      throw error;
    }
  }

  /** {text, signatures: [{name, keyId (4 bytes), signature}]}; checks the form only. */
  function parseNote(note) {
    if (typeof note !== 'string' || note.length > MAX_CHARS) {
      throw new CheckpointError('signed note is missing or longer than ' + MAX_CHARS + ' characters');
    }
    if (/[\u0000-\u0009\u000b-\u001f]/.test(note)) {
      throw new CheckpointError('signed note must not contain control characters');
    }
    if (!note.endsWith('\n')) {
      throw new CheckpointError('signed note must end with a newline after its signature lines');
    }
    const split = note.lastIndexOf('\n\n');
    if (split < 0) {
      throw new CheckpointError('signed note has no blank line between text and signatures');
    }
    if (split + 2 >= note.length) {
      throw new CheckpointError('signed note carries no signature lines');
    }
    const text = note.substring(0, split + 1);
    const lines = note.substring(split + 2, note.length - 1).split('\n');
    if (lines.length > MAX_SIGNATURES) {
      throw new CheckpointError('signed note carries more than ' + MAX_SIGNATURES + ' signatures');
    }
    const signatures = lines.map((line) => {
      if (!line.startsWith(DASH)) {
        throw new CheckpointError('signature line must start with an em dash and a space');
      }
      const space = line.indexOf(' ', DASH.length);
      if (space < 0) {
        throw new CheckpointError("signature line must be '\u2014 <name> <base64>'");
      }
      const blob = decode(line.substring(space + 1), new CheckpointError('signature line is not base64'));
      if (blob.length < 5) {
        throw new CheckpointError('signature line is too short');
      }
      const name = line.substring(DASH.length, space);
      if (!validKeyName(name)) {
        throw new CheckpointError("signature key name must be non-empty, without spaces or '+'");
      }
      return { name, keyId: blob.subarray(0, 4), signature: blob.subarray(4) };
    });
    return { text, signatures };
  }

  /** SHA-256(name || "\n" || type || key)[:4] (signed-note "Signatures"). */
  async function keyHash(name, type, raw) {
    return (await sha256(concat(utf8(name + '\n'), Uint8Array.of(type), raw))).subarray(0, 4);
  }

  async function parseVerifierKey(text, type, what) {
    const parts = text.trim().split('+');
    if (parts.length < 3) {
      throw new KeyError(what + ' must look like <name>+<hex key hash>+<base64 key>');
    }
    const name = parts[0];
    const encoded = decode(parts.slice(2).join('+'), new KeyError(what + " is not base64 after the second '+'"));
    if (encoded.length !== 33 || encoded[0] !== type) {
      throw new KeyError(type === 1 ? 'only Ed25519 verifier keys (type 0x01, 32 bytes) are supported'
        : 'only Ed25519 cosignature/v1 witness keys (type 0x04, 32 bytes) are supported');
    }
    if (!validKeyName(name)) {
      throw new KeyError(what + " name must be non-empty, without spaces or '+'");
    }
    const raw = encoded.subarray(1);
    const id = await keyHash(name, type, raw);
    if (hex(id) !== parts[1]) {
      throw new KeyError(what + ' hash ' + parts[1] + ' does not match its name and key');
    }
    const spki = ed25519Spki(raw);
    return { name, raw, id, text: text.trim(), key: { alg: 'Ed25519', raw, spki, keyId: hex(await sha256(spki)) } };
  }

  /** A log's note verifier key {@code name+hash+base64(0x01 || key)}. */
  const parseNoteKey = (text) => parseVerifierKey(text, 1, 'verifier key');
  /** A witness's cosigner key {@code name+keyid+base64(0x04 || key)}. */
  const parseCosignerKey = (text) => parseVerifierKey(text, 4, 'witness key');

  const isBy = (line, key) => line.name === key.name && equal(line.keyId, key.id);

  /** The checkpoint body: origin, size (BigInt), root hash, extension lines. */
  function parseCheckpoint(body) {
    if (!body.endsWith('\n')) {
      throw new CheckpointError('checkpoint body must end with a newline');
    }
    const lines = body.substring(0, body.length - 1).split('\n');
    if (lines.length < 3) {
      throw new CheckpointError('checkpoint needs origin, size and root lines');
    }
    if (!/^(0|[1-9][0-9]{0,18})$/.test(lines[1]) || BigInt(lines[1]) > 2n ** 63n - 1n) {
      throw new CheckpointError('checkpoint size line is not a decimal number: ' + lines[1]);
    }
    const root = decode(lines[2], new CheckpointError('checkpoint root line is not base64'));
    for (let i = 3; i < lines.length; i++) {
      if (lines[i] === '') {
        throw new CheckpointError('checkpoint body must not contain blank lines');
      }
    }
    if (lines[0] === '') {
      throw new CheckpointError('checkpoint origin must be one non-empty line');
    }
    if (root.length !== 32) {
      throw new CheckpointError('checkpoint root must be a 32-byte hash');
    }
    return { origin: lines[0], size: BigInt(lines[1]), root, extensions: lines.slice(3) };
  }

  /**
   * Verifies a checkpoint note against the pinned log key and returns its checkpoint (SignedNotes.verify):
   * other keys' lines are ignored, a line by the pinned key that does not verify rejects the note.
   */
  async function verifyCheckpoint(note, pinned) {
    const parsed = parseNote(note);
    const text = utf8(parsed.text);
    let signed = false;
    for (const line of parsed.signatures) {
      if (!isBy(line, pinned)) {
        continue;
      }
      if (await verifySignature(pinned.key, text, line.signature) !== true) {
        throw new CheckpointError('checkpoint signature by ' + pinned.name + ' does not verify');
      }
      signed = true;
    }
    if (!signed) {
      throw new CheckpointError('checkpoint carries no signature by the pinned log key ' + pinned.name);
    }
    const checkpoint = parseCheckpoint(parsed.text);
    if (checkpoint.origin !== pinned.name) {
      throw new CheckpointError('checkpoint origin ' + checkpoint.origin + ' is not the pinned log ' + pinned.name);
    }
    return checkpoint;
  }

  const MAP_PREFIX = 'trace-map/1 ';

  /** The map root the checkpoint commits to, or null without a map line; throws for two lines or a bad one. */
  function mapRoot(checkpoint) {
    let root = null;
    for (const line of checkpoint.extensions) {
      if (!line.startsWith(MAP_PREFIX)) {
        continue;
      }
      if (root) {
        throw new CheckpointError('checkpoint has more than one trace-map/1 line');
      }
      root = decode(line.substring(MAP_PREFIX.length), new CheckpointError('trace-map/1 line is not base64'));
      if (root.length !== 32) {
        throw new CheckpointError('trace-map/1 root is not 32 bytes');
      }
    }
    return root;
  }

  /**
   * The witness's latest valid cosignature on the note {witness, timestamp (BigInt seconds)}, or null; a
   * line by the witness that does not verify throws (Cosignatures.verify).
   */
  async function verifyCosignature(note, witness) {
    let found = null;
    for (const line of note.signatures) {
      if (!isBy(line, witness)) {
        continue;
      }
      if (line.signature.length !== 72) {
        throw new CheckpointError('cosignature by ' + witness.name + ' is not 8 timestamp bytes and a 64-byte signature');
      }
      const timestamp = readI64(line.signature, 0);
      const message = utf8('cosignature/v1\ntime ' + timestamp + '\n' + note.text);
      if (timestamp < 0n || await verifySignature(witness.key, message, line.signature.subarray(8)) !== true) {
        throw new CheckpointError('cosignature by ' + witness.name + ' does not verify');
      }
      if (!found || timestamp > found.timestamp) {
        found = { witness, timestamp };
      }
    }
    return found;
  }

  /** Every valid cosignature by one of the witnesses, one per witness; problems go to {@code invalid}. */
  async function verifyAllCosignatures(note, witnesses, invalid) {
    const valid = [];
    for (const witness of witnesses) {
      try {
        const c = await verifyCosignature(note, witness);
        if (c) {
          valid.push(c);
        }
      } catch (e) {
        if (!(e instanceof CheckpointError)) {
          throw e;
        }
        invalid.push(e.message);
      }
    }
    return valid;
  }

  BT.note = { CheckpointError, KeyError, parseNote, parseNoteKey, parseCosignerKey, parseCheckpoint, verifyCheckpoint, mapRoot, MAP_PREFIX, verifyAllCosignatures };
})(window.BT = window.BT || {});

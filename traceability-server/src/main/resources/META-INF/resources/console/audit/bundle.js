/*
 * Reading an evidence bundle (trace-evidence/3; /2 without organization facts and linked records, /1 also without map proofs;
 * docs/record-format.md §8) the way
 * the Java EvidenceBundle.fromJson does: strict members, and the verifier's caps (BundleLimit) checked before
 * the part each bounds is read, in the same order, so that a hostile bundle fails with the same kind.
 */
(function (BT) {
  'use strict';
  const { JNum, isObject, canonical, canonicalBytes } = BT.jcs;
  const { FormatError, isSha256Hex, fromHex, base64Url, toBase64Url, sha256, hex, utf8 } = BT.bytes;

  /** A bundle that fails before verification: {kind} is MALFORMED_BUNDLE or a cap's failure kind. */
  class BundleError extends Error {
    constructor(kind, message) {
      super(message);
      this.kind = kind;
    }
  }

  const FORMAT = 'trace-evidence/3';
  const FORMAT_V2 = 'trace-evidence/2';
  const FORMAT_V1 = 'trace-evidence/1';

  const LIMITS = {
    BUNDLE_BYTES: [64 * 1024 * 1024, 'BUNDLE_TOO_LARGE'],
    ENTRIES: [100000, 'TOO_MANY_ENTRIES'],
    SIGNATURES_PER_RECORD: [8, 'TOO_MANY_SIGNATURES'],
    INCLUSION_PROOF_HASHES: [64, 'PROOF_TOO_LONG'],
    CONSISTENCY_PROOF_HASHES: [128, 'PROOF_TOO_LONG'],
  };

  function cap(limit, count, where) {
    const [max, kind] = LIMITS[limit];
    if (count > max) {
      throw new BundleError(kind, where + ' holds ' + count + ", above the verifier's cap of " + max);
    }
  }

  const malformed = (message) => new BundleError('MALFORMED_BUNDLE', message);
  const has = (node, name) => Object.prototype.hasOwnProperty.call(node, name);

  function exactly(node, what, ...names) {
    for (const name of Object.keys(node)) {
      if (!names.includes(name)) {
        throw malformed(what + " has an unknown member '" + name + "'");
      }
    }
  }

  function text(node, name, what) {
    if (!has(node, name) || typeof node[name] !== 'string') {
      throw malformed(what + '.' + name + ' must be a string');
    }
    return node[name];
  }

  function integer(node, name, what) {
    const v = has(node, name) ? node[name] : undefined;
    if (!(v instanceof JNum) || !v.isLong()) {
      throw malformed(what + '.' + name + ' must be an integer');
    }
    return v.big();
  }

  function array(node, name, what) {
    if (!has(node, name) || !Array.isArray(node[name])) {
      throw malformed(what + '.' + name + ' must be an array');
    }
    return node[name];
  }

  function hashes(list, what) {
    return list.map((h) => {
      if (!isSha256Hex(h)) {
        throw malformed(what + ' must hold 64-hex SHA-256 hashes');
      }
      return fromHex(h);
    });
  }

  /** A record token: 1-128 characters, none of them U+0000-U+0020 or U+007F. */
  const token = (v) => v.length > 0 && v.length <= 128 && !/[\u0000-\u0020\u007f]/.test(v);

  /** TraceRecord.fromJson and its constructor's checks. */
  function readRecord(node) {
    if (!isObject(node)) {
      throw malformed('record must be an object');
    }
    exactly(node, 'record', 'format', 'subject', 'seq', 'prev', 'type', 'time', 'actor', 'data');
    const format = text(node, 'format', 'record');
    if (format !== 'trace-record/1') {
      throw malformed("record.format must be 'trace-record/1', got '" + format + "'");
    }
    const prev = has(node, 'prev') ? node.prev : undefined;
    if (prev !== null && typeof prev !== 'string') {
      throw malformed('record.prev must be a hex string or null');
    }
    const record = {
      subject: text(node, 'subject', 'record'), seq: integer(node, 'seq', 'record'), prev, type: text(node, 'type', 'record'),
      time: text(node, 'time', 'record'), actor: text(node, 'actor', 'record'), data: node.data,
    };
    if (!isObject(record.data)) {
      throw malformed('record.data must be an object');
    }
    if (!token(record.subject) || !token(record.actor)) {
      throw malformed('record.subject and record.actor must be non-empty strings of at most 128 characters without spaces or control characters');
    }
    if (record.seq < 1n) {
      throw malformed('record.seq must be 1 or more, got ' + record.seq);
    }
    if (record.seq === 1n ? prev !== null : !isSha256Hex(prev)) {
      throw malformed(record.seq === 1n ? 'record.prev must be null for the first record (seq 1)' : 'record.prev must be the 64-hex SHA-256 of the previous signed record');
    }
    if (!/^[A-Z][A-Z0-9_]{0,63}$/.test(record.type)) {
      throw malformed("record.type must be an upper-case name like PRODUCED, got '" + record.type + "'");
    }
    record.instant = BT.rules.parseTime(record.time);
    if (record.instant === null) {
      throw malformed("record.time must be RFC 3339 UTC like 2026-05-08T09:30:00Z, got '" + record.time + "'");
    }
    return record;
  }

  /** SignedRecord.fromJson: {record, recordBytes, signatures [{keyId, alg, value}], bytes, hash}. */
  async function readSigned(node, where) {
    if (!isObject(node)) {
      throw malformed('signed record must be an object {record, signatures}');
    }
    exactly(node, 'signed record', 'record', 'signatures');
    const record = readRecord(node.record);
    const list = array(node, 'signatures', 'signed record');
    if (list.length > 8) {
      throw malformed('signed record holds ' + list.length + ' signatures, more than 8');
    }
    const signatures = list.map((s) => {
      if (!isObject(s)) {
        throw malformed('a signature must be an object {keyId, alg, value}');
      }
      exactly(s, 'signature', 'keyId', 'alg', 'value');
      let value;
      try {
        value = base64Url(text(s, 'value', 'signature'));
      } catch (e) {
        if (e instanceof FormatError) {
          throw malformed('signature value must be base64url without padding');
        }
        throw e;
      }
      const alg = text(s, 'alg', 'signature');
      if (!['Ed25519', 'SM2', 'ES256'].includes(alg)) {
        throw malformed("unknown signature algorithm '" + alg + "' (expected Ed25519, SM2 or ES256)");
      }
      const keyId = text(s, 'keyId', 'signature');
      if (!isSha256Hex(keyId)) {
        throw malformed('signature keyId must be 64 lower-case hex digits (SHA-256 of the SubjectPublicKeyInfo)');
      }
      return { keyId, alg, value };
    });
    if (signatures.length === 0) {
      throw malformed('a signed record needs at least one signature');
    }
    let recordText;
    try {
      recordText = canonical({ actor: record.actor, data: record.data, format: 'trace-record/1', prev: record.prev, seq: new JNum(record.seq.toString()),
        subject: record.subject, time: record.time, type: record.type });
    } catch (e) {
      if (e instanceof FormatError) {
        throw malformed(where + '.entry: ' + e.message); // a number trace-record/1 cannot canonicalize: not a bundle, not a crash
      }
      throw e;
    }
    // The envelope as the Java core re-encodes it: signature values as unpadded base64url of their bytes.
    const envelope = '{"record":' + recordText + ',"signatures":['
      + signatures.map((s) => canonical({ alg: s.alg, keyId: s.keyId, value: toBase64Url(s.value) })).join(',') + ']}';
    const bytes = utf8(envelope);
    return { record, recordBytes: utf8(recordText), signatures, bytes, hash: hex(await sha256(bytes)) };
  }

  /** LoggedRecord.fromJson: {entry, logIndex, proof}. */
  async function readLogged(node, where) {
    if (!isObject(node)) {
      throw malformed(where + ' must be an object {entry, logIndex, proof}');
    }
    exactly(node, where, 'entry', 'logIndex', 'proof');
    const logIndex = integer(node, 'logIndex', where);
    if (logIndex < 0n) {
      throw malformed(where + '.logIndex must not be negative');
    }
    const proof = array(node, 'proof', where);
    cap('INCLUSION_PROOF_HASHES', proof.length, where + '.proof');
    if (isObject(node.entry) && Array.isArray(node.entry.signatures)) {
      cap('SIGNATURES_PER_RECORD', node.entry.signatures.length, where + '.entry.signatures');
    }
    const path = hashes(proof, where + '.proof');
    return { entry: await readSigned(node.entry, where), logIndex, proof: path };
  }

  const isLabel = (label) => (label.startsWith('key:') ? isSha256Hex(label.substring(4))
    : label.startsWith('head:') && label.length > 5 && label.length <= 133 && !/[\u0000-\u0020\u007f]/.test(label.substring(5)));

  /** MapProof.fromJson: {label, value ({kind: 'head', seq, logIndex, hash} | {kind: 'key', revoked, logIndex} | null), otherLeaf, siblings}. */
  function readMapProof(node, where) {
    if (!isObject(node)) {
      throw malformed(where + ' must be an object {key, value, otherLeaf, siblings}');
    }
    exactly(node, where, 'key', 'value', 'otherLeaf', 'siblings');
    const label = text(node, 'key', where);
    if (!isLabel(label)) {
      throw malformed(where + '.key must be head:<subject> or key:<key id>');
    }
    let value = null;
    const v = has(node, 'value') ? node.value : null;
    if (v !== null) {
      const at = where + '.value';
      if (!isObject(v)) {
        throw malformed(at + ' must be an object');
      }
      if (label.startsWith('head:')) {
        exactly(v, at, 'seq', 'logIndex', 'hash');
        value = { kind: 'head', seq: integer(v, 'seq', at), logIndex: integer(v, 'logIndex', at), hash: text(v, 'hash', at) };
        if (value.seq < 1n || value.logIndex < 0n || !isSha256Hex(value.hash)) {
          throw malformed(at + ': a head needs seq >= 1, logIndex >= 0 and a hex SHA-256 hash');
        }
      } else {
        exactly(v, at, 'status', 'logIndex');
        const status = text(v, 'status', at);
        if (status !== 'active' && status !== 'revoked') {
          throw malformed(at + ".status must be 'active' or 'revoked'");
        }
        value = { kind: 'key', revoked: status === 'revoked', logIndex: integer(v, 'logIndex', at) };
        if (value.logIndex < 0n) {
          throw malformed(at + ': logIndex must not be negative');
        }
      }
    }
    let otherLeaf = null;
    const o = has(node, 'otherLeaf') ? node.otherLeaf : null;
    if (o !== null) {
      if (!isObject(o)) {
        throw malformed(where + '.otherLeaf must be an object or null');
      }
      exactly(o, where + '.otherLeaf', 'keyHash', 'valueHash');
      const [keyHash, valueHash] = hashes([text(o, 'keyHash', where + '.otherLeaf'), text(o, 'valueHash', where + '.otherLeaf')], where + '.otherLeaf');
      otherLeaf = { keyHash, valueHash };
    }
    const siblings = array(node, 'siblings', where);
    if (siblings.length > BT.merkle.MAX_DEPTH) {
      throw malformed(where + '.siblings holds more than 256 hashes');
    }
    return { label, value, otherLeaf, siblings: hashes(siblings, where + '.siblings') };
  }

  /** Reads the bundle's bytes; throws BundleError. */
  async function readBundle(bytes) {
    cap('BUNDLE_BYTES', bytes.length, 'bundle (bytes)');
    let node;
    try {
      node = BT.jcs.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch (e) {
      if (e instanceof FormatError || e instanceof TypeError) {
        throw malformed(e instanceof TypeError ? 'malformed JSON: not UTF-8' : e.message);
      }
      throw e;
    }
    if (!isObject(node)) {
      throw malformed('evidence bundle must be a JSON object');
    }
    const format = text(node, 'format', 'bundle');
    const v1 = format === FORMAT_V1;
    const v2 = format === FORMAT_V2;
    if (!v1 && !v2 && format !== FORMAT) {
      throw malformed("bundle.format must be '" + FORMAT + "' (or '" + FORMAT_V2 + "', '" + FORMAT_V1 + "')");
    }
    if (v1) {
      exactly(node, 'bundle', 'format', 'subject', 'checkpoint', 'keyEvents', 'records');
    } else if (v2) {
      exactly(node, 'bundle', 'format', 'subject', 'checkpoint', 'keyEvents', 'records', 'mapProofs', 'witnessedCheckpoint');
    } else {
      exactly(node, 'bundle', 'format', 'subject', 'checkpoint', 'keyEvents', 'organizationFacts', 'records', 'linkedRecords', 'mapProofs',
        'witnessedCheckpoint');
    }
    const keyEvents = array(node, 'keyEvents', 'bundle');
    const facts = v1 || v2 ? [] : array(node, 'organizationFacts', 'bundle');
    const records = array(node, 'records', 'bundle');
    const linked = v1 || v2 ? [] : array(node, 'linkedRecords', 'bundle');
    cap('ENTRIES', keyEvents.length + facts.length + records.length + linked.length,
      'bundle.keyEvents, bundle.organizationFacts, bundle.records and bundle.linkedRecords');
    let mapProofs = null;
    if (!v1) {
      const list = array(node, 'mapProofs', 'bundle');
      cap('ENTRIES', list.length, 'bundle.mapProofs');
      mapProofs = list.map((p, i) => readMapProof(p, 'mapProofs[' + i + ']'));
    }
    let witnessed = null;
    if (!v1 && has(node, 'witnessedCheckpoint')) {
      const w = node.witnessedCheckpoint;
      const where = 'bundle.witnessedCheckpoint';
      if (!isObject(w)) {
        throw malformed(where + ' must be an object {note, consistencyProof}');
      }
      exactly(w, where, 'note', 'consistencyProof');
      const proof = array(w, 'consistencyProof', where);
      cap('CONSISTENCY_PROOF_HASHES', proof.length, where + '.consistencyProof');
      const path = hashes(proof, where + '.consistencyProof');
      witnessed = { note: text(w, 'note', where), consistencyProof: path };
    }
    const subject = text(node, 'subject', 'bundle');
    const checkpoint = text(node, 'checkpoint', 'bundle');
    const events = [];
    for (let i = 0; i < keyEvents.length; i++) {
      events.push(await readLogged(keyEvents[i], 'keyEvents[' + i + ']'));
    }
    let organizationFacts = null;
    if (!v1 && !v2) {
      organizationFacts = [];
      for (let i = 0; i < facts.length; i++) {
        organizationFacts.push(await readLogged(facts[i], 'organizationFacts[' + i + ']'));
      }
    }
    const logged = [];
    for (let i = 0; i < records.length; i++) {
      logged.push(await readLogged(records[i], 'records[' + i + ']'));
    }
    let linkedRecords = null;
    if (!v1 && !v2) {
      linkedRecords = [];
      for (let i = 0; i < linked.length; i++) {
        linkedRecords.push(await readLogged(linked[i], 'linkedRecords[' + i + ']'));
      }
    }
    return { format, subject, checkpoint, keyEvents: events, organizationFacts, records: logged, linkedRecords, mapProofs, witnessedCheckpoint: witnessed };
  }

  BT.bundle = { BundleError, readBundle, LIMITS, FORMAT };
})(window.BT = window.BT || {});

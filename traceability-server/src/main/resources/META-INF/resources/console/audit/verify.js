/*
 * The auditor's verifier, a port of the Java org.batterytrace.audit.Verifier: it trusts only the pinned log
 * key (and pinned witness keys with a quorum), checks the checkpoint and cosignatures, derives every
 * organization key from log-signed key events, then each record's signatures, chain link, lifecycle, event
 * data and inclusion, and against the map the checkpoint commits to, that the bundle ends at the subject's
 * latest record and that every signing key's status is what the key events show. The organization facts the
 * bundle carries (roles, white-list qualification, filed manufacturer codes; each facts chain proven complete by
 * its map head) feed the same rules the server applied at ingest (BT.organizations), and so do the linked chains
 * it carries (cascade sources, parents, parts, lots; each proven complete and replayed to the record: BT.links). Every problem is
 * collected, with the Java Failure names. SM2 signatures cannot be checked in a browser: the result is then
 * never VERIFIED but INCOMPLETE.
 */
(function (BT) {
  'use strict';
  const { hex } = BT.bytes;
  const { CheckpointError } = BT.note;
  const { ProofError } = BT.merkle;
  const rules = BT.rules;
  /** How far a record's time may run ahead of a witness's cosignature (Verifier.CLOCK_SKEW). */
  const CLOCK_SKEW_SECONDS = 300n;

  /**
   * Verifies a parsed bundle (BT.bundle.readBundle) against {logKey, witnesses, quorum} (parsed keys, see
   * BT.note) and returns the report.
   */
  async function verify(bundle, pins) {
    const report = {
      findings: [], recordLines: [], records: [], unchecked: [], checkpoint: null, witnessed: null, cosignatures: [], mapRoot: null,
      latestProven: false, finalStatus: null, keyEventsChecked: 0, recordsChecked: 0,
    };
    report.fail = (kind, where, message) => report.findings.push({ kind, where, message });
    const checkpoint = await checkCheckpoint(bundle, pins, report);
    const keys = await checkKeyEvents(bundle.keyEvents, checkpoint, pins.logKey, report);
    const map = await checkMapProofs(bundle, checkpoint, report);
    const organizations = await checkOrganizationFacts(bundle, checkpoint, pins.logKey, report);
    const linked = bundle.linkedRecords === null ? null
      : await BT.links.LinkedChains.read(bundle.linkedRecords, (logged, where) => checkInclusion(logged, checkpoint, where, report), report);
    await checkRecords(bundle, keys, map, organizations, linked, checkpoint, report);
    checkHead(bundle, map, checkpoint, report);
    checkKeyStatuses(bundle, keys, map, report);
    // A record's verdict holds every finding about it, also those of the later map checks (NOT_LATEST).
    report.records.forEach((r) => {
      r.findings = report.findings.filter((f) => f.where === 'records[' + r.index + ']');
    });
    report.keyEventsChecked = bundle.keyEvents.length;
    report.recordsChecked = bundle.records.length;
    report.ok = report.findings.length === 0;
    report.result = !report.ok ? 'FAILED' : report.unchecked.length ? 'INCOMPLETE' : 'VERIFIED';
    delete report.fail;
    return report;
  }

  async function checkCheckpoint(bundle, pins, report) {
    let checkpoint;
    try {
      checkpoint = await BT.note.verifyCheckpoint(bundle.checkpoint, pins.logKey);
    } catch (e) {
      if (!(e instanceof CheckpointError)) {
        throw e;
      }
      report.fail('CHECKPOINT_INVALID', 'checkpoint', e.message);
      return null;
    }
    report.checkpoint = checkpoint;
    const witnessed = await checkWitnessedCheckpoint(bundle, checkpoint, pins.logKey, report);
    if (pins.witnesses.length) {
      await checkCosignatures(bundle, witnessed, pins, report);
    }
    return checkpoint;
  }

  async function checkWitnessedCheckpoint(bundle, checkpoint, logKey, report) {
    const witnessed = bundle.witnessedCheckpoint;
    if (!witnessed) {
      return null;
    }
    let later;
    try {
      later = await BT.note.verifyCheckpoint(witnessed.note, logKey);
    } catch (e) {
      if (!(e instanceof CheckpointError)) {
        throw e;
      }
      report.fail('CHECKPOINT_INVALID', 'witnessedCheckpoint', e.message);
      return null;
    }
    try {
      if (later.size < checkpoint.size) {
        throw new ProofError('the witnessed checkpoint (size ' + later.size + ") is smaller than the bundle's (size " + checkpoint.size + ')');
      }
      await BT.merkle.verifyConsistency(checkpoint.size, later.size, checkpoint.root, later.root, witnessed.consistencyProof);
    } catch (e) {
      if (!(e instanceof ProofError)) {
        throw e;
      }
      report.fail('CONSISTENCY_INVALID', 'witnessedCheckpoint', e.message);
      return null;
    }
    report.witnessed = later;
    return later;
  }

  async function checkCosignatures(bundle, witnessed, pins, report) {
    const invalid = [];
    const valid = await BT.note.verifyAllCosignatures(BT.note.parseNote(bundle.checkpoint), pins.witnesses, invalid);
    invalid.forEach((problem) => report.fail('COSIGNATURE_INVALID', 'checkpoint', problem));
    if (witnessed) {
      const invalidLater = [];
      const missing = pins.witnesses.filter((w) => !valid.some((c) => c.witness === w));
      valid.push(...await BT.note.verifyAllCosignatures(BT.note.parseNote(bundle.witnessedCheckpoint.note), missing, invalidLater));
      invalidLater.forEach((problem) => report.fail('COSIGNATURE_INVALID', 'witnessedCheckpoint', problem));
    }
    report.cosignatures = valid;
    if (valid.length < pins.quorum) {
      report.fail('WITNESS_QUORUM_NOT_MET', 'checkpoint', valid.length + ' of the ' + pins.witnesses.length + ' pinned witnesses cosigned the checkpoint'
        + (witnessed ? ' or the witnessed checkpoint that extends it' : '') + '; ' + pins.quorum + ' required');
    }
  }

  async function checkInclusion(logged, checkpoint, where, report) {
    if (!checkpoint) {
      report.fail('INCLUSION_PROOF_INVALID', where, 'cannot prove inclusion without a valid checkpoint');
      return;
    }
    try {
      await BT.merkle.verifyInclusion(await BT.merkle.leafHash(logged.entry.bytes), logged.logIndex, checkpoint.size, logged.proof, checkpoint.root);
    } catch (e) {
      if (!(e instanceof ProofError)) {
        throw e;
      }
      report.fail('INCLUSION_PROOF_INVALID', where, e.message);
    }
  }

  const textOf = (v) => (typeof v === 'string' ? v : '');

  /** Keys by id {key, alg, owner, validFrom, revokedAt, registeredIndex, revokedIndex} from the log-signed key events. */
  async function checkKeyEvents(events, checkpoint, logKey, report) {
    const keys = new Map();
    const lastByOrg = new Map();
    for (let i = 0; i < events.length; i++) {
      const where = 'keyEvents[' + i + ']';
      const logged = events[i];
      const signed = logged.entry;
      const event = signed.record;
      await checkInclusion(logged, checkpoint, where, report);
      const last = lastByOrg.get(event.subject);
      try {
        rules.checkNext(event.subject, last ? last.record.seq : 0n, last ? last.hash : null, last ? last.record.instant : null, event);
      } catch (e) {
        if (!(e instanceof rules.RuleError)) {
          throw e;
        }
        report.fail('KEY_EVENT_INVALID', where, 'key-event chain broken: ' + e.message);
      }
      lastByOrg.set(event.subject, signed);
      if (signed.signatures.length !== 1 || signed.signatures[0].keyId !== logKey.key.keyId
          || await BT.bytes.verifySignature(logKey.key, signed.recordBytes, signed.signatures[0].value) !== true) {
        report.fail('KEY_EVENT_INVALID', where, 'key event must carry exactly one valid signature by the log key ' + logKey.key.keyId);
        continue;
      }
      if (event.actor !== logKey.name) {
        report.fail('KEY_EVENT_INVALID', where, 'key event actor must be the log ' + logKey.name);
        continue;
      }
      let key;
      try {
        key = await BT.bytes.keyFromSpki(BT.bytes.base64Url(textOf(event.data.publicKey)));
      } catch (e) {
        if (!(e instanceof BT.bytes.FormatError)) {
          throw e;
        }
        report.fail('KEY_EVENT_INVALID', where, 'key event holds no readable public key: ' + e.message);
        continue;
      }
      if (key.keyId !== textOf(event.data.keyId)) {
        report.fail('KEY_EVENT_INVALID', where, 'key event keyId does not match its public key');
        continue;
      }
      const known = keys.get(key.keyId);
      if (event.type === 'KEY_REGISTERED') {
        if (known) {
          report.fail('KEY_EVENT_INVALID', where, 'key ' + key.keyId + ' registered twice');
        } else {
          keys.set(key.keyId, { key, alg: key.alg, owner: event.subject, validFrom: event.instant, revokedAt: null, registeredIndex: logged.logIndex, revokedIndex: -1n });
        }
      } else if (event.type === 'KEY_REVOKED') {
        if (!known || known.owner !== event.subject) {
          report.fail('KEY_EVENT_INVALID', where, 'revocation of key ' + key.keyId + ' that ' + event.subject + ' never registered');
        } else {
          keys.set(key.keyId, { ...known, revokedAt: event.instant, revokedIndex: logged.logIndex });
        }
      } else {
        report.fail('KEY_EVENT_INVALID', where, 'unknown key event type ' + event.type);
      }
    }
    return keys;
  }

  /** {proven: label → value|null, invalid: Set of labels}, or null when there is no map to check against. */
  async function checkMapProofs(bundle, checkpoint, report) {
    if (bundle.mapProofs === null) {
      report.fail('MAP_PROOF_MISSING', 'bundle', 'trace-evidence/1 bundles carry no map proofs, so they cannot show that they end at the latest record'
        + ' or that no key was revoked; fetch a ' + BT.bundle.FORMAT + ' bundle');
      return null;
    }
    if (!checkpoint) {
      return null;
    }
    let root;
    try {
      root = BT.note.mapRoot(checkpoint);
    } catch (e) {
      if (!(e instanceof CheckpointError)) {
        throw e;
      }
      report.fail('CHECKPOINT_INVALID', 'checkpoint', e.message);
      return null;
    }
    if (!root) {
      report.fail('MAP_PROOF_MISSING', 'checkpoint', 'the checkpoint commits to no map (no trace-map/1 line)');
      return null;
    }
    const proven = new Map();
    const invalid = new Set();
    for (let i = 0; i < bundle.mapProofs.length; i++) {
      const proof = bundle.mapProofs[i];
      try {
        proven.set(proof.label, await BT.merkle.verifyMapProof(proof, root));
      } catch (e) {
        if (!(e instanceof ProofError)) {
          throw e;
        }
        invalid.add(proof.label);
        report.fail('MAP_PROOF_INVALID', 'mapProofs[' + i + ']', proof.label + ': ' + e.message);
      }
    }
    report.mapRoot = root;
    return { proven, invalid };
  }

  function checkHead(bundle, map, checkpoint, report) {
    if (!bundle.records.length) {
      report.fail('EMPTY_BUNDLE', 'records', 'the bundle holds no record of ' + bundle.subject);
      return;
    }
    const label = 'head:' + bundle.subject;
    if (!map || map.invalid.has(label)) {
      return;
    }
    if (!map.proven.has(label)) {
      report.fail('MAP_PROOF_MISSING', 'mapProofs', 'no map proof for ' + label);
      return;
    }
    const head = map.proven.get(label);
    const last = bundle.records[bundle.records.length - 1];
    if (head === null) {
      report.fail('NOT_LATEST', 'records', 'the map at checkpoint size ' + checkpoint.size + ' holds no record of ' + bundle.subject);
      return;
    }
    if (head.seq !== last.entry.record.seq || head.logIndex !== last.logIndex || head.hash !== last.entry.hash) {
      report.fail('NOT_LATEST', 'records[' + (bundle.records.length - 1) + ']', 'the bundle ends at #' + last.entry.record.seq + ' (log index ' + last.logIndex
        + ') but the latest record of ' + bundle.subject + ' at checkpoint size ' + checkpoint.size + ' is #' + head.seq + ' (log index ' + head.logIndex + ')');
      return;
    }
    report.latestProven = true;
  }

  function checkKeyStatuses(bundle, keys, map, report) {
    if (!map) {
      return;
    }
    const signing = new Set();
    bundle.records.forEach((r) => r.entry.signatures.forEach((s) => signing.add(s.keyId)));
    for (const keyId of signing) {
      const label = 'key:' + keyId;
      if (map.invalid.has(label)) {
        continue;
      }
      const key = keys.get(keyId);
      if (!map.proven.has(label)) {
        report.fail('MAP_PROOF_MISSING', 'mapProofs', 'no map proof for the status of signing key ' + keyId);
      } else if (map.proven.get(label) === null) {
        if (key) {
          report.fail('KEY_STATUS_MISMATCH', 'keyEvents', 'the bundle registers key ' + keyId + ' but the map holds no status for it');
        }
      } else {
        const s = map.proven.get(label);
        const agrees = key && (s.revoked ? key.revokedIndex === s.logIndex : key.revokedIndex < 0n && key.registeredIndex === s.logIndex);
        if (!agrees) {
          report.fail('KEY_STATUS_MISMATCH', 'keyEvents', 'the map says key ' + keyId + ' is ' + (s.revoked ? 'revoked' : 'active') + ' since log index ' + s.logIndex
            + ', the bundle ' + (!key ? 'holds no key event for it' : key.revokedIndex >= 0n ? 'shows it revoked at log index ' + key.revokedIndex
              : 'shows it active since log index ' + key.registeredIndex));
        }
      }
    }
  }

  /** The log index of a key's revocation: from the key events, else from the map (a withheld revocation), else -1. */
  function revocationIndex(key, map) {
    if (key.revokedIndex >= 0n) {
      return key.revokedIndex;
    }
    const status = map ? map.proven.get('key:' + key.key.keyId) : undefined;
    return status && status.kind === 'key' && status.revoked ? status.logIndex : -1n;
  }

  /** The bundle's organization facts (a BT.organizations.Ledger), or null when it carries none (reported). */
  async function checkOrganizationFacts(bundle, checkpoint, logKey, report) {
    if (bundle.organizationFacts === null) {
      report.fail('ORGANIZATION_FACTS_MISSING', 'bundle', bundle.format + ' bundles carry no organization facts and no linked records, so'
        + ' roles, white-list qualifications, filed manufacturer codes and the chains of sources, parents, parts and lots cannot be checked; fetch a '
        + BT.bundle.FORMAT + ' bundle');
      return null;
    }
    return BT.organizations.Ledger.read(bundle.organizationFacts, async (signed) => {
      if (signed.signatures.length !== 1 || signed.signatures[0].keyId !== logKey.key.keyId
          || await BT.bytes.verifySignature(logKey.key, signed.recordBytes, signed.signatures[0].value) !== true) {
        throw new rules.RuleError('ORGANIZATION_EVENT_INVALID', 'an organization fact must carry exactly one valid signature by the log key ' + logKey.key.keyId);
      }
      if (signed.record.actor !== logKey.name) {
        throw new rules.RuleError('ORGANIZATION_EVENT_INVALID', "an organization fact's actor must be the log " + logKey.name);
      }
    }, (logged, where) => checkInclusion(logged, checkpoint, where, report), report);
  }

  /**
   * The facts of {@code organization} as of the entry at {@code logIndex} ({facts}, with facts null when the log
   * had not registered it), when the bundle shows its whole facts chain; else null, with what is missing reported once.
   */
  function factsAt(organizations, map, organization, logIndex, report) {
    if (!organizations || !map || !organizations.complete(BT.organizations.factsSubject(organization), map, report)) {
      return null;
    }
    return { facts: organizations.at(organization, logIndex) };
  }

  /** A chain opened with PRODUCED or ASSEMBLED: its manufacturer code against who filed it (OrganizationRules.manufacturerCode). */
  function checkManufacturerCode(code, type, actor, organizations, map, logIndex, where, report) {
    if (!actor || actor.facts === null || (type !== 'PRODUCED' && type !== 'ASSEMBLED')) {
      return;
    }
    const manufacturer = BT.organizations.manufacturerOf(code.value);
    if (organizations.complete(BT.organizations.codeSubject(manufacturer), map, report)) {
      const f = BT.organizations.manufacturerCodeFinding(manufacturer, organizations.filerAt(manufacturer, logIndex), actor.facts);
      if (f) {
        report.fail(f.kind, where, f.message);
      }
    }
  }

  /** The rules that read another chain (LinkRules), once the bundle shows each linked chain whole (Verifier.checkLinks). */
  function checkLinks(record, type, ownParent, linked, map, logIndex, where, report) {
    if (!linked || !map || !BT.links.reads(type)) {
      return;
    }
    let whole = true;
    for (const subject of BT.links.linkedSubjects(record, type)) {
      whole = linked.complete(subject, map, report) && whole;
    }
    if (whole) {
      const f = BT.links.check(record, type, ownParent === '' ? null : ownParent, linked.before(logIndex));
      if (f) {
        report.fail(f.kind, where, f.message);
      }
    }
  }

  async function checkRecords(bundle, keys, map, organizations, linked, checkpoint, report) {
    let previousSeq = 0n;
    let previousHash = null;
    let previousTime = null;
    let status = null;
    const facts = new rules.ChainFacts();
    let replayable = true;
    let ownParent = null;
    // A pinned witness's cosignature time bounds every record in the tree it signed: the earliest is the tightest.
    const witnessedBy = report.cosignatures.reduce((min, c) => (min === null || c.timestamp < min.timestamp ? c : min), null);
    for (let i = 0; i < bundle.records.length; i++) {
      const where = 'records[' + i + ']';
      const logged = bundle.records[i];
      const signed = logged.entry;
      const record = signed.record;
      const before = report.findings.length;
      const uncheckedBefore = report.unchecked.length;
      if (record.subject !== bundle.subject) {
        report.fail('SUBJECT_MISMATCH', where, 'record is about ' + record.subject + ', the bundle about ' + bundle.subject);
      } else {
        try {
          rules.checkNext(bundle.subject, previousSeq, previousHash, previousTime, record);
        } catch (e) {
          if (!(e instanceof rules.RuleError)) {
            throw e;
          }
          report.fail(e.kind === 'TIME_BEFORE_PREVIOUS' ? 'TIME_BEFORE_PREVIOUS' : 'CHAIN_BROKEN', where, e.message);
        }
      }
      previousSeq = record.seq;
      previousHash = signed.hash;
      previousTime = record.instant;
      if (i === 0) {
        ownParent = textOf(record.data.parent);
      }
      await checkInclusion(logged, checkpoint, where, report);
      if (witnessedBy !== null && record.instant > (witnessedBy.timestamp + CLOCK_SKEW_SECONDS) * 1000000000n) {
        report.fail('TIME_IN_FUTURE', where, 'dated ' + record.time + ', but witness ' + witnessedBy.witness.name + ' cosigned a tree that holds it at '
          + witnessedBy.timestamp + ' s after the epoch (5 min allowed)');
      }
      const actor = factsAt(organizations, map, record.actor, logged.logIndex, report);
      if (actor && actor.facts === null) {
        report.fail('ACTOR_NOT_REGISTERED', where, record.actor + ' was not a registered organization before log index ' + logged.logIndex);
      }
      let receiver = null;
      const known = rules.isEventType(record.type);
      if (!known) {
        report.fail('LIFECYCLE_VIOLATION', where, 'unknown event type ' + record.type);
        replayable = false;
      } else if (record.type === 'TRANSFERRED') {
        receiver = textOf(record.data.to);
        const to = receiver === '' ? null : factsAt(organizations, map, receiver, logged.logIndex, report);
        if (to) {
          const f = BT.organizations.receiverFinding(record.subject, receiver, to.facts, status ? status.state : null, rules.chinaDate(record.instant));
          if (f) {
            report.fail(f.kind, where, f.message);
          }
        }
      } else if (i === 0 && !BT.ids.looksLikeLot(record.subject)) {
        try {
          const code = BT.ids.batteryCode(record.subject);
          const mismatch = rules.codeKindMismatch(record.type, code);
          if (mismatch) {
            report.fail('CODE_KIND_MISMATCH', where, mismatch);
          }
          checkManufacturerCode(code, record.type, actor, organizations, map, logged.logIndex, where, report);
          const parent = record.type === 'PRODUCED' ? textOf(record.data.parent) : '';
          if (parent !== '') {
            const part = rules.partMismatch(code, BT.ids.batteryCode(parent));
            if (part) {
              report.fail('LEVEL_MISMATCH', where, part);
            }
          }
        } catch (e) {
          if (!(e instanceof BT.ids.IdError)) {
            throw e;
          }
          report.fail('EVENT_DATA_INVALID', where, 'the subject is not a GB/T 34014 battery code: ' + e.message);
        }
      }
      const unchecked = [];
      const findings = await rules.checkSignatures(signed, receiver, logged.logIndex, (id) => {
        const key = keys.get(id);
        return key ? { ...key, revokedIndex: revocationIndex(key, map) } : null;
      }, unchecked);
      findings.forEach((f) => report.fail(f.kind, where, f.message));
      unchecked.forEach((keyId) => report.unchecked.push({ where, keyId }));
      const statusBefore = status;
      if (replayable && known) {
        try {
          status = rules.applyLifecycle(status, record.type, record.actor, actor && actor.facts ? actor.facts.roles : null, receiver);
        } catch (e) {
          if (!(e instanceof rules.RuleError)) {
            throw e;
          }
          report.fail(e.kind === 'ROLE_NOT_ALLOWED' ? 'ROLE_NOT_ALLOWED' : 'LIFECYCLE_VIOLATION', where, e.message);
          replayable = false;
        }
      }
      if (known) {
        try {
          rules.checkEventData(record.type, record);
          facts.apply(record.type, record, statusBefore);
          checkLinks(record, record.type, ownParent, linked, map, logged.logIndex, where, report);
        } catch (e) {
          if (!(e instanceof rules.RuleError)) {
            throw e;
          }
          report.fail('EVENT_DATA_INVALID', where, e.message);
        }
      }
      const mine = report.findings.slice(before);
      const outcome = mine.length ? 'FAIL ' + mine[0].kind : report.unchecked.length > uncheckedBefore ? 'SM2 NOT CHECKED' : 'ok';
      report.recordLines.push(recordLine(record, outcome));
      report.records.push({
        index: i, seq: record.seq, type: record.type, time: record.time, actor: record.actor, findings: mine,
        unchecked: report.unchecked.length > uncheckedBefore, uncheckedKeys: unchecked, hash: signed.hash, logIndex: logged.logIndex,
      });
    }
    if (replayable && status) {
      report.finalStatus = status;
    }
  }

  /** The CLI's record line: "#seq" padded to 5, the type padded to 18, then time, actor and outcome. */
  function recordLine(record, outcome) {
    let line = ('#' + record.seq).padEnd(5);
    line = (line + ' ' + record.type).padEnd(18);
    return line + ' ' + record.time + ' by ' + record.actor + ' ' + outcome;
  }

  /** POSIX seconds as Java's Instant.toString writes them (e.g. 2026-05-28T20:26:40Z); raw seconds beyond what a Date holds. */
  function instantText(seconds) {
    const ms = Number(seconds) * 1000;
    if (!(Math.abs(ms) <= 8.64e15)) {
      return seconds + ' s after the epoch';
    }
    return new Date(ms).toISOString().replace('.000Z', 'Z');
  }

  /** The CLI's summary lines (AuditCli.print) for a verified-or-failed report. */
  function summaryLines(bundle, report) {
    const lines = ['subject     ' + bundle.subject];
    lines.push(report.checkpoint ? 'checkpoint  ' + report.checkpoint.origin + ' size ' + report.checkpoint.size + ' root ' + hex(report.checkpoint.root) : 'checkpoint  INVALID');
    if (report.witnessed) {
      lines.push('witnessed   checkpoint size ' + report.witnessed.size + ' extends it (consistency proof)');
    }
    report.cosignatures.forEach((c) => lines.push('cosigned    by ' + c.witness.name + ' at ' + instantText(c.timestamp)));
    if (report.mapRoot) {
      lines.push('map root    ' + hex(report.mapRoot));
    }
    lines.push('key events  ' + report.keyEventsChecked);
    lines.push(...report.recordLines);
    if (report.latestProven) {
      lines.push("latest      the last record is the subject's latest at the checkpoint (map proof)");
    }
    if (report.finalStatus) {
      lines.push('final state ' + report.finalStatus.state + ', custodian ' + report.finalStatus.custodian);
    }
    report.findings.forEach((f) => lines.push('FAIL ' + f.where + ': ' + f.kind + ': ' + f.message));
    report.unchecked.forEach((u) => lines.push('NOT CHECKED ' + u.where + ': SM2 signature by key ' + u.keyId + ' (a browser cannot check SM2)'));
    lines.push(report.result === 'VERIFIED' ? 'RESULT: VERIFIED (' + report.recordsChecked + ' records)'
      : report.result === 'FAILED' ? 'RESULT: FAILED (' + report.findings.length + ' problems)'
        : 'RESULT: NOT VERIFIED (incomplete: ' + report.unchecked.length + ' SM2 signatures not checked in the browser)');
    return lines;
  }

  BT.verify = { verify, summaryLines, instantText };
})(window.BT = window.BT || {});

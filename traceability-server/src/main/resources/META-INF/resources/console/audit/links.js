/*
 * The rules that read another chain (docs/record-format.md §9.2), ported one to one from the Java core: a
 * cascade product's sources, a part's parent, a dismantled battery's parts, a recycled battery's lot
 * (lifecycle.LinkRules); the linked chains a bundle carries, checked for inclusion and continuity and replayed
 * through the lifecycle table to a timeline by log index (audit.LinkedChains); and the head-completeness check
 * shared with the organization facts (audit.HeadProofs).
 */
(function (BT) {
  'use strict';
  const rules = BT.rules;
  const { RuleError } = rules;

  const member = (data, name) => (Object.prototype.hasOwnProperty.call(data, name) ? data[name] : undefined);
  /** A textual data member, else null (LinkRules.text). */
  const textOrNull = (data, name) => (typeof member(data, name) === 'string' ? data[name] : null);
  /** Jackson's JsonNode.asText of a data member, or null when it is absent (LinkedChains reads data.to so). */
  function asText(data, name) {
    const v = member(data, name);
    if (v === undefined) {
      return null;
    }
    if (typeof v === 'string') {
      return v;
    }
    if (v === null) {
      return 'null';
    }
    if (typeof v === 'boolean') {
      return String(v);
    }
    return v instanceof BT.jcs.JNum ? v.text : '';
  }

  /**
   * HeadProofs.complete: whether the bundle holds the whole chain of {@code subject} (other than its own) up to
   * the checkpoint: the map's head for it is {@code last} (the bundle's last entry of it, or null when it holds
   * none), or the map proves it absent and the bundle holds none. {@code map}: {proven, invalid} of the verifier,
   * or null (reported already); {@code member}: the bundle member the entries are in; {@code why}: what reads the chain.
   */
  function headComplete(subject, last, map, member, why, report) {
    const label = 'head:' + subject;
    if (!map || map.invalid.has(label)) {
      return false;
    }
    if (!map.proven.has(label)) {
      report.fail('MAP_PROOF_MISSING', 'mapProofs', 'no map proof for ' + label + ', ' + why);
      return false;
    }
    const head = map.proven.get(label);
    if (head === null) {
      if (last) {
        report.fail('NOT_LATEST', member, 'the map holds no ' + subject + ' but the bundle does');
        return false;
      }
      return true;
    }
    if (!last || head.logIndex !== last.logIndex || head.hash !== last.entry.hash) {
      report.fail('NOT_LATEST', member, 'the latest entry of ' + subject + ' is #' + head.seq + ' (log index ' + head.logIndex + '); the bundle '
        + (!last ? 'holds none' : 'ends at #' + last.entry.record.seq + ' (log index ' + last.logIndex + ')'));
      return false;
    }
    return true;
  }

  /** LinkRules.reads: whether records of this type read another chain. */
  const reads = (type) => ['PRODUCED', 'ASSEMBLED', 'DISMANTLED', 'SEPARATED', 'RECYCLED'].includes(type);

  /**
   * LinkRules.check: the first violation {kind, message} of the record's links, or null. Preconditions: its
   * event data passed rules.checkEventData; for SEPARATED, {@code ownParent} is the parent the subject's own
   * PRODUCED named (or null). {@code view(subject)}: the linked chain {state, custodian, parent} just before the
   * record, or null for a subject with no record yet.
   */
  function check(record, type, ownParent, view) {
    const data = record.data;
    switch (type) {
      case 'PRODUCED': {
        const parent = textOrNull(data, 'parent');
        if (parent !== null && view(parent) === null) {
          return finding('PARENT_NOT_REGISTERED', 'parent ' + parent + ' is not registered (register packs before their modules and cells)');
        }
        break;
      }
      case 'ASSEMBLED':
        for (const source of data.sources) {
          const s = view(source);
          if (s === null) {
            return finding('SOURCE_NOT_REGISTERED', 'source battery ' + source + ' is not registered');
          }
          if (s.state !== 'REPURPOSED' || s.custodian !== record.actor) {
            return finding('SOURCE_NOT_REPURPOSED', 'source battery ' + source + ' must be REPURPOSED by ' + record.actor + ' first; it is ' + s.state
              + ' at ' + s.custodian);
          }
        }
        break;
      case 'DISMANTLED':
        for (const component of data.components) {
          const c = view(component);
          if (c === null || c.parent !== record.subject) {
            return finding('PART_NOT_REGISTERED', 'component ' + component + ' is not registered as part of ' + record.subject);
          }
        }
        break;
      case 'SEPARATED': {
        const parent = data.parent;
        if (parent !== ownParent) {
          return finding('PART_OF_ANOTHER_PARENT', record.subject + ' is registered as part of ' + ownParent + ', not ' + parent);
        }
        const p = view(parent);
        if (p === null || p.state !== 'DISMANTLED' || p.custodian !== record.actor) {
          return finding('PARENT_NOT_DISMANTLED', 'only the organization that DISMANTLED ' + parent + ' may separate its parts; it is '
            + (p === null ? 'unknown' : p.state + ' at ' + p.custodian));
        }
        break;
      }
      case 'RECYCLED': {
        const lotId = data.lot;
        const lot = view(lotId);
        if (lot === null || lot.state !== 'LOT_OPEN' || lot.custodian !== record.actor) {
          return finding('LOT_NOT_OPEN', "batteries can only be RECYCLED into an open lot of the recycler's own; " + lotId + ' is '
            + (lot === null ? 'unknown' : lot.state + ' at ' + lot.custodian));
        }
        break;
      }
      default:
    }
    return null;
  }

  const finding = (kind, message) => ({ kind, message });

  /** LinkRules.linkedSubjects: the subjects the record's link rules read (textual entries only). */
  function linkedSubjects(record, type) {
    const data = record.data;
    const texts = (name) => {
      const array = member(data, name);
      return Array.isArray(array) ? array.filter((e) => typeof e === 'string') : [];
    };
    switch (type) {
      case 'PRODUCED':
      case 'SEPARATED': {
        const parent = textOrNull(data, 'parent');
        return parent === null ? [] : [parent];
      }
      case 'ASSEMBLED':
        return texts('sources');
      case 'DISMANTLED':
        return texts('components');
      case 'RECYCLED': {
        const lot = textOrNull(data, 'lot');
        return lot === null ? [] : [lot];
      }
      default:
        return [];
    }
  }

  /**
   * The chains a bundle's records link to (audit.LinkedChains): each entry checked for inclusion and
   * continuity (CHAIN_BROKEN, also for entries out of log order) and replayed through the lifecycle table with
   * no roles, so that the link rules read a linked chain as it stood just before a record. Signatures of linked
   * records are not checked: they are in the log (inclusion), and each linked chain's own bundle proves them.
   */
  class LinkedChains {
    constructor() {
      this.timelines = new Map(); // subject → [{logIndex, linked {state, custodian, parent}}]
      this.last = new Map(); // subject → the chain's last logged entry in the bundle
      this.checked = new Map(); // subject → whether its chain is complete (reported once)
    }

    /** {@code inclusion(logged, where)} checks an entry's inclusion proof. */
    static async read(entries, inclusion, report) {
      const chains = new LinkedChains();
      const status = new Map();
      const parents = new Map();
      const replayable = new Map();
      for (let i = 0; i < entries.length; i++) {
        const where = 'linkedRecords[' + i + ']';
        const logged = entries[i];
        const record = logged.entry.record;
        const subject = record.subject;
        await inclusion(logged, where);
        const previous = chains.last.get(subject);
        try {
          rules.checkNext(subject, previous ? previous.entry.record.seq : 0n, previous ? previous.entry.hash : null,
            previous ? previous.entry.record.instant : null, record);
          if (previous && previous.logIndex >= logged.logIndex) {
            throw new RuleError('SEQ_GAP', 'entries of ' + subject + ' must be in log order');
          }
        } catch (e) {
          if (!(e instanceof RuleError)) {
            throw e;
          }
          report.fail('CHAIN_BROKEN', where, e.message);
        }
        chains.last.set(subject, logged);
        if (replayable.get(subject) !== false && rules.isEventType(record.type)) {
          try {
            const receiver = record.type === 'TRANSFERRED' ? asText(record.data, 'to') : null;
            status.set(subject, rules.applyLifecycle(status.has(subject) ? status.get(subject) : null, record.type, record.actor, null, receiver));
            if (record.seq === 1n && typeof member(record.data, 'parent') === 'string') {
              parents.set(subject, record.data.parent);
            }
          } catch (e) {
            if (!(e instanceof RuleError)) {
              throw e;
            }
            replayable.set(subject, false); // its state stays what it was before: its own bundle fails
          }
        }
        const now = status.get(subject);
        if (now) {
          if (!chains.timelines.has(subject)) {
            chains.timelines.set(subject, []);
          }
          chains.timelines.get(subject).push({ logIndex: logged.logIndex, linked: { state: now.state, custodian: now.custodian, parent: parents.has(subject) ? parents.get(subject) : null } });
        }
      }
      return chains;
    }

    /** The linked chains as they stood before the entry at {@code logIndex}: a view for check(). */
    before(logIndex) {
      return (subject) => {
        let found = null;
        for (const a of this.timelines.get(subject) || []) {
          if (a.logIndex < logIndex) {
            found = a.linked;
          }
        }
        return found;
      };
    }

    /** Whether the bundle holds the whole linked chain of {@code subject} up to the checkpoint; reported once per subject. */
    complete(subject, map, report) {
      if (!this.checked.has(subject)) {
        this.checked.set(subject, headComplete(subject, this.last.get(subject) || null, map, 'linkedRecords', 'whose chain a link rule reads', report));
      }
      return this.checked.get(subject);
    }
  }

  BT.links = { headComplete, reads, check, linkedSubjects, LinkedChains };
})(window.BT = window.BT || {});

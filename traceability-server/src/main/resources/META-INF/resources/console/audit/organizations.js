/*
 * Organization facts in the log (docs/record-format.md §5.1, §9.2), ported one to one from the Java core:
 * the facts events (OrganizationEvents: ORG_REGISTERED and ORG_QUALIFIED on ORG-<id>, MANUFACTURER_CODE_FILED
 * on MFR-<code>), the rules that read them (OrganizationRules: who may receive a battery, whose manufacturer
 * code a new battery carries) and the ledger a bundle's facts make (audit.OrganizationLedger): each chain
 * checked for its log signature and continuity and kept as a timeline, so that a record is judged by the
 * facts logged before it, and each chain the rules read proven complete by its map head.
 */
(function (BT) {
  'use strict';
  const rules = BT.rules;
  const { RuleError } = rules;

  const ORG_PREFIX = 'ORG-';
  const CODE_PREFIX = 'MFR-';
  const REGISTERED = 'ORG_REGISTERED';
  const QUALIFIED = 'ORG_QUALIFIED';
  const CODE_FILED = 'MANUFACTURER_CODE_FILED';
  const MANUFACTURER_CODE = /^[0-9A-Z]{3}$/;

  /** A facts entry that cannot be applied (Java's RecordFormatException or ChainException there). */
  const invalid = (message) => new RuleError('ORGANIZATION_EVENT_INVALID', message);
  const member = (data, name) => (Object.prototype.hasOwnProperty.call(data, name) ? data[name] : undefined);
  /** A JSON value as Jackson's JsonNode.toString writes a string or number, for messages. */
  const json = (v) => (v instanceof BT.jcs.JNum ? v.text : JSON.stringify(v));

  function text(data, name, optional) {
    const value = member(data, name);
    if (value === undefined && optional) {
      return null;
    }
    if (typeof value !== 'string' || value === '') {
      throw invalid('organization event data.' + name + ' must be a non-empty string');
    }
    return value;
  }

  function array(data, name) {
    const value = member(data, name);
    if (!Array.isArray(value)) {
      throw invalid('organization event data.' + name + ' must be an array');
    }
    return value;
  }

  /**
   * LocalDate.parse (ISO_LOCAL_DATE): [y, m, d] or null. Four-digit years, or a sign and up to nine digits
   * (a sign is required beyond four).
   */
  function parseDate(value) {
    const m = /^(?:([+-])(\d{4,9})|(\d{4}))-(\d{2})-(\d{2})$/.exec(value);
    if (!m || (m[1] === '+' && m[2].length === 4)) {
      return null;
    }
    const y = m[3] !== undefined ? Number(m[3]) : (m[1] === '-' ? -1 : 1) * Number(m[2]);
    const mo = Number(m[4]);
    const d = Number(m[5]);
    const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
    const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    return mo >= 1 && mo <= 12 && d >= 1 && d <= days[mo - 1] ? [y, mo, d] : null;
  }

  const after = (a, b) => a[0] !== b[0] ? a[0] > b[0] : a[1] !== b[1] ? a[1] > b[1] : a[2] > b[2];

  /**
   * OrganizationEvents.apply: the facts {id, roles, qualification {qualified, validUntil ([y, m, d] or null)},
   * manufacturerCodes} after one event of an organization's facts chain; {@code before} is null before the
   * chain's first event. Throws RuleError (ORGANIZATION_EVENT_INVALID).
   */
  function apply(before, event) {
    if (!event.subject.startsWith(ORG_PREFIX)) {
      throw invalid(event.type + ' must be about ' + ORG_PREFIX + '<organization>, not ' + event.subject);
    }
    const organization = event.subject.substring(ORG_PREFIX.length);
    const data = event.data;
    switch (event.type) {
      case REGISTERED: {
        if (before !== null) {
          throw invalid(organization + ' is registered twice');
        }
        text(data, 'name', false);
        text(data, 'region', true);
        text(data, 'regionScope', true);
        const roles = [];
        for (const role of array(data, 'roles')) {
          // Role.valueOf(node.asText()): only a string naming a role is one.
          if (typeof role !== 'string' || !rules.ROLES.includes(role)) {
            throw invalid(REGISTERED + ' names an unknown role ' + json(role));
          }
          if (!roles.includes(role)) {
            roles.push(role);
          }
        }
        const codes = [];
        for (const code of array(data, 'manufacturerCodes')) {
          if (typeof code !== 'string' || !MANUFACTURER_CODE.test(code)) {
            throw invalid(REGISTERED + ' names a malformed manufacturer code ' + json(code));
          }
          if (!codes.includes(code)) {
            codes.push(code);
          }
        }
        return { id: organization, roles, qualification: { qualified: false, validUntil: null }, manufacturerCodes: codes };
      }
      case QUALIFIED: {
        if (before === null) {
          throw invalid(organization + ' is qualified before it is registered');
        }
        const qualified = member(data, 'qualified');
        if (typeof qualified !== 'boolean') {
          throw invalid(QUALIFIED + '.data.qualified must be true or false');
        }
        const until = text(data, 'validUntil', true);
        const validUntil = until === null ? null : parseDate(until);
        if (until !== null && validUntil === null) {
          throw invalid(QUALIFIED + '.data.validUntil must be a date YYYY-MM-DD');
        }
        text(data, 'reference', true);
        return { ...before, qualification: { qualified, validUntil } };
      }
      default:
        throw invalid('unknown organization event type ' + event.type);
    }
  }

  /** OrganizationEvents.filer: the organization a well-formed first filing of a manufacturer code names; throws RuleError. */
  function filer(filing) {
    if (filing.type !== CODE_FILED || !filing.subject.startsWith(CODE_PREFIX) || !MANUFACTURER_CODE.test(filing.subject.substring(CODE_PREFIX.length))) {
      throw invalid('a manufacturer-code chain holds one ' + CODE_FILED + ' about ' + CODE_PREFIX + '<3-character code>');
    }
    if (filing.seq !== 1n) {
      throw invalid(filing.subject + ' is filed once');
    }
    return text(filing.data, 'organization', false);
  }

  /** Qualification.on: on the white list on {@code day} ("yyyy-MM-dd", a Beijing calendar day). */
  function qualifiedOn(facts, day) {
    const q = facts.qualification;
    return q.qualified && (q.validUntil === null || !after(parseDate(day), q.validUntil));
  }

  /**
   * OrganizationRules.receiver: {kind, message} when {@code receiver} may not take custody of {@code subject},
   * else null. {@code to}: the receiver's facts at the record, or null when it is not registered; {@code state}:
   * the battery's state before the transfer, or null; {@code day}: the record's Beijing calendar day.
   */
  function receiverFinding(subject, receiver, to, state, day) {
    if (to === null) {
      return { kind: 'UNKNOWN_RECEIVER', message: 'transfer receiver ' + receiver + ' is not a registered organization' };
    }
    if (!rules.holdsBatteries(to.roles)) {
      return { kind: 'RECEIVER_CANNOT_HOLD', message: receiver + ' holds no role that may take custody of batteries' };
    }
    if (state !== null && rules.isWaste(state) && !qualifiedOn(to, day)) {
      return { kind: 'RECEIVER_NOT_QUALIFIED', message: 'battery ' + subject + ' is ' + state + '; waste batteries may only go to white-listed enterprises and '
        + receiver + ' is not qualified on ' + day };
    }
    return null;
  }

  /**
   * OrganizationRules.manufacturerCode: {kind, message} when a chain opened by {@code actor} may not carry the
   * manufacturer code {@code manufacturer} filed by {@code filedBy} (null: nobody filed it), else null.
   */
  function manufacturerCodeFinding(manufacturer, filedBy, actor) {
    if (filedBy !== null && filedBy !== actor.id) {
      return { kind: 'MANUFACTURER_CODE_MISMATCH', message: 'manufacturer code ' + manufacturer + ' is filed by ' + filedBy + ', not ' + actor.id };
    }
    if (filedBy === null && actor.manufacturerCodes.length) {
      return { kind: 'MANUFACTURER_CODE_MISMATCH', message: actor.id + ' files its own manufacturer codes; ' + manufacturer + ' is not one of them' };
    }
    return null;
  }

  /** The bundle's facts chains, read the way audit.OrganizationLedger reads them. */
  class Ledger {
    constructor() {
      this.facts = new Map(); // organization → [{logIndex, value}]
      this.filers = new Map(); // manufacturer code → {logIndex, value}
      this.last = new Map(); // subject → the chain's last logged entry in the bundle
      this.checked = new Map(); // subject → whether its chain is complete (reported once)
    }

    /**
     * Reads the entries, reporting every one that is not a well-formed, log-signed, continuous facts event as
     * ORGANIZATION_EVENT_INVALID and leaving it out. {@code inclusion(logged, where)} checks an entry's inclusion
     * proof; {@code logSignature(signed)} throws RuleError unless the entry is signed by the log key alone.
     */
    static async read(entries, logSignature, inclusion, report) {
      const ledger = new Ledger();
      for (let i = 0; i < entries.length; i++) {
        const where = 'organizationFacts[' + i + ']';
        const logged = entries[i];
        const signed = logged.entry;
        const event = signed.record;
        await inclusion(logged, where);
        const previous = ledger.last.get(event.subject);
        try {
          rules.checkNext(event.subject, previous ? previous.entry.record.seq : 0n, previous ? previous.entry.hash : null,
            previous ? previous.entry.record.instant : null, event);
          if (previous && previous.logIndex >= logged.logIndex) {
            throw invalid('entries of ' + event.subject + ' must be in log order');
          }
          await logSignature(signed);
          if (event.subject.startsWith(CODE_PREFIX)) {
            ledger.filers.set(event.subject.substring(CODE_PREFIX.length), { logIndex: logged.logIndex, value: filer(event) });
          } else {
            if (!event.subject.startsWith(ORG_PREFIX)) {
              throw invalid('organization facts are about ' + ORG_PREFIX + '<organization> or ' + CODE_PREFIX + '<manufacturer code>, not ' + event.subject);
            }
            const organization = event.subject.substring(ORG_PREFIX.length);
            if (!ledger.facts.has(organization)) {
              ledger.facts.set(organization, []);
            }
            const timeline = ledger.facts.get(organization);
            const before = timeline.length ? timeline[timeline.length - 1].value : null;
            timeline.push({ logIndex: logged.logIndex, value: apply(before, event) });
          }
        } catch (e) {
          if (!(e instanceof RuleError)) {
            throw e;
          }
          report.fail('ORGANIZATION_EVENT_INVALID', where, e.message);
        }
        ledger.last.set(event.subject, logged);
      }
      return ledger;
    }

    /** The organization's facts as of the entry at {@code logIndex}: what was logged before it; null if it was not registered. */
    at(organization, logIndex) {
      let found = null;
      for (const f of this.facts.get(organization) || []) {
        if (f.logIndex < logIndex) {
          found = f.value;
        }
      }
      return found;
    }

    /** Who had filed the manufacturer code before the entry at {@code logIndex}, or null. */
    filerAt(manufacturerCode, logIndex) {
      const filed = this.filers.get(manufacturerCode);
      return filed && filed.logIndex < logIndex ? filed.value : null;
    }

    /**
     * Whether the bundle holds the whole chain of {@code subject} (ORG- or MFR-) up to the checkpoint: the map's
     * head for it is the bundle's last entry, or the map proves it absent and the bundle holds none. A missing or
     * contradicted head is reported once per subject. {@code map}: {proven, invalid} of the verifier.
     */
    complete(subject, map, report) {
      if (this.checked.has(subject)) {
        return this.checked.get(subject);
      }
      const result = BT.links.headComplete(subject, this.last.get(subject) || null, map, 'organizationFacts', 'whose facts the record rules read', report);
      this.checked.set(subject, result);
      return result;
    }
  }

  BT.organizations = {
    ORG_PREFIX, CODE_PREFIX, factsSubject: (organization) => ORG_PREFIX + organization, codeSubject: (code) => CODE_PREFIX + code,
    manufacturerOf: (batteryCode) => batteryCode.substring(0, 3), apply, filer, qualifiedOn, receiverFinding, manufacturerCodeFinding, Ledger,
  };
})(window.BT = window.BT || {});

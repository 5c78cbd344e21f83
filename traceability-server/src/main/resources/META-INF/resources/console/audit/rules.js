/*
 * The rulebook the server applies at ingest and the Java Verifier applies to a bundle, ported one to one:
 * record times (TraceRecord.parseTime), chain continuity (Chains), which code a chain opens with
 * (CodeKinds), the lifecycle table with its roles (Lifecycle), each event's data (EventData, passport Kind checks),
 * rules over earlier records (ChainFacts) and when signatures make a record acceptable (SignatureRules).
 */
(function (BT) {
  'use strict';
  const { JNum, isObject } = BT.jcs;
  const ids = BT.ids;

  class RuleError extends Error {
    constructor(kind, message) {
      super(message);
      this.kind = kind;
    }
  }

  // ---- time ----

  function daysFromCivil(y, m, d) {
    y -= m <= 2 ? 1 : 0;
    const era = Math.floor(y / 400);
    const yoe = y - era * 400;
    const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
    const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
    return era * 146097 + doe - 719468;
  }

  const leap = (y) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const monthDays = (y, m) => [31, leap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];

  /** Strict RFC 3339 UTC (yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z) to nanoseconds since the epoch (BigInt); null when not one. */
  function parseTime(time) {
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/.exec(typeof time === 'string' ? time : '');
    if (!m) {
      return null;
    }
    const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
    if (mo < 1 || mo > 12 || d < 1 || d > monthDays(y, mo) || h > 23 || mi > 59 || s > 59) {
      return null;
    }
    const seconds = BigInt(daysFromCivil(y, mo, d)) * 86400n + BigInt(h * 3600 + mi * 60 + s);
    return seconds * 1000000000n + BigInt((m[7] || '').padEnd(9, '0') || '0');
  }

  /**
   * An instant in nanoseconds as Java's Instant.toString writes it (ISO_INSTANT): seconds, then a fraction in
   * groups of three digits only when it is not zero. Precondition: a year from 0000 to 9999 (parseTime's range).
   */
  function instantText(nanos) {
    let seconds = nanos / 1000000000n;
    let fraction = nanos % 1000000000n;
    if (fraction < 0n) {
      fraction += 1000000000n;
      seconds -= 1n;
    }
    const text = new Date(Number(seconds) * 1000).toISOString().substring(0, 19);
    if (fraction === 0n) {
      return text + 'Z';
    }
    const digits = String(fraction).padStart(9, '0');
    return text + '.' + (digits.endsWith('000000') ? digits.substring(0, 3) : digits.endsWith('000') ? digits.substring(0, 6) : digits) + 'Z';
  }

  /**
   * The calendar date in China (UTC+8) of an instant in nanoseconds, as LocalDate.toString writes it: "yyyy-MM-dd"
   * (compares as text), "+10000-01-01" for a record late on 9999-12-31 UTC.
   */
  function chinaDate(nanos) {
    const d = new Date(Number((nanos + 8n * 3600n * 1000000000n) / 1000000n));
    const y = d.getUTCFullYear();
    const two = (n) => String(n).padStart(2, '0');
    return (y > 9999 ? '+' + y : String(y).padStart(4, '0')) + '-' + two(d.getUTCMonth() + 1) + '-' + two(d.getUTCDate());
  }

  /** ISO yyyy-MM-dd that is a real date (LocalDate.parse for four-digit years). */
  function isDate(text) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    return !!m && +m[2] >= 1 && +m[2] <= 12 && +m[3] >= 1 && +m[3] <= monthDays(+m[1], +m[2]);
  }

  // ---- chains ----

  /** Chains.checkNext: throws RuleError with kind SUBJECT_MISMATCH, SEQ_GAP, PREV_MISMATCH or TIME_BEFORE_PREVIOUS. */
  function checkNext(subject, previousSeq, previousHash, previousTime, next) {
    if (next.subject !== subject) {
      throw new RuleError('SUBJECT_MISMATCH', 'record is about ' + next.subject + ', not ' + subject);
    }
    if (next.seq !== previousSeq + 1n) {
      throw new RuleError('SEQ_GAP', 'expected seq ' + (previousSeq + 1n) + ' for ' + subject + ', got ' + next.seq);
    }
    if (previousSeq > 0n && previousHash !== next.prev) {
      throw new RuleError('PREV_MISMATCH', 'record ' + subject + '#' + next.seq + ' names prev ' + next.prev + ' but the previous record hashes to ' + previousHash);
    }
    if (previousTime !== null && next.instant < previousTime) {
      throw new RuleError('TIME_BEFORE_PREVIOUS', 'record.time ' + next.time + " is before the previous record's " + instantText(previousTime));
    }
  }

  // ---- the lifecycle table ----

  const LIVE = ['PRODUCED', 'INSTALLED', 'IN_SERVICE', 'RETIRED', 'COLLECTED', 'TESTED', 'DISMANTLED', 'ASSEMBLED', 'CERTIFIED', 'DEPLOYED'];
  /** Role, in the Java enum's order (EnumSet prints in it). */
  const ROLES = ['BATTERY_MAKER', 'VEHICLE_MAKER', 'DEALER', 'REPAIRER', 'SERVICE_POINT', 'DISMANTLER', 'CASCADE_ENTERPRISE', 'RECYCLER', 'REGULATOR', 'AUDITOR',
    'PLATFORM_ADMIN'];
  /** Roles that oversee or inspect, and so never hold a battery (Role.oversees). */
  const OVERSEERS = ['REGULATOR', 'AUDITOR', 'PLATFORM_ADMIN'];
  const HOLDERS = ROLES.filter((r) => !OVERSEERS.includes(r));
  /** event → {from: states (empty = opens a chain), to: state or null (unchanged), roles: who may record it}. */
  const TABLE = {
    PRODUCED: { from: [], to: 'PRODUCED', roles: ['BATTERY_MAKER'] },
    ASSEMBLED: { from: [], to: 'ASSEMBLED', roles: ['CASCADE_ENTERPRISE'] },
    INSTALLED: { from: ['PRODUCED'], to: 'INSTALLED', roles: ['VEHICLE_MAKER'] },
    SOLD: { from: ['INSTALLED'], to: 'IN_SERVICE', roles: ['VEHICLE_MAKER', 'DEALER'] },
    MAINTAINED: { from: ['IN_SERVICE', 'DEPLOYED'], to: null, roles: ['REPAIRER', 'VEHICLE_MAKER', 'CASCADE_ENTERPRISE'] },
    SWAPPED: { from: ['IN_SERVICE'], to: null, roles: ['REPAIRER', 'VEHICLE_MAKER'] },
    REPLACED: { from: ['IN_SERVICE'], to: 'RETIRED', roles: ['REPAIRER', 'VEHICLE_MAKER'] },
    RETIRED: { from: ['INSTALLED', 'IN_SERVICE', 'DEPLOYED'], to: 'RETIRED', roles: ['VEHICLE_MAKER', 'REPAIRER', 'DISMANTLER', 'SERVICE_POINT', 'CASCADE_ENTERPRISE'] },
    COLLECTED: { from: ['RETIRED'], to: 'COLLECTED', roles: ['SERVICE_POINT', 'DISMANTLER', 'CASCADE_ENTERPRISE', 'RECYCLER'] },
    TESTED: { from: ['COLLECTED', 'TESTED'], to: 'TESTED', roles: ['CASCADE_ENTERPRISE', 'RECYCLER'] },
    REPURPOSED: { from: ['TESTED'], to: 'REPURPOSED', roles: ['CASCADE_ENTERPRISE'] },
    DISMANTLED: { from: ['COLLECTED', 'TESTED'], to: 'DISMANTLED', roles: ['DISMANTLER', 'RECYCLER', 'CASCADE_ENTERPRISE'] },
    SEPARATED: { from: ['PRODUCED', 'INSTALLED', 'IN_SERVICE', 'RETIRED', 'COLLECTED', 'TESTED'], to: 'COLLECTED', roles: ['DISMANTLER', 'RECYCLER', 'CASCADE_ENTERPRISE'] },
    RECYCLED: { from: ['COLLECTED', 'TESTED', 'DISMANTLED'], to: 'RECYCLED', roles: ['RECYCLER'] },
    LOT_OPENED: { from: [], to: 'LOT_OPEN', roles: ['RECYCLER'] },
    LOT_CLOSED: { from: ['LOT_OPEN'], to: 'LOT_CLOSED', roles: ['RECYCLER'] },
    CERTIFIED: { from: ['ASSEMBLED', 'CERTIFIED'], to: 'CERTIFIED', roles: ['CASCADE_ENTERPRISE'] },
    DEPLOYED: { from: ['CERTIFIED'], to: 'DEPLOYED', roles: ['CASCADE_ENTERPRISE'] },
    PASSPORT_DECLARED: { from: LIVE, to: null, roles: ['BATTERY_MAKER', 'CASCADE_ENTERPRISE'] },
    PASSPORT_UPDATED: { from: LIVE, to: null, roles: HOLDERS },
    TRANSFERRED: { from: LIVE, to: null, roles: HOLDERS },
  };
  const TERMINAL = ['REPURPOSED', 'RECYCLED', 'LOT_CLOSED'];
  const isEventType = (type) => Object.prototype.hasOwnProperty.call(TABLE, type);
  const isGenesis = (type) => TABLE[type].from.length === 0;
  const custodyExempt = (type) => type === 'SEPARATED' || type === 'PASSPORT_DECLARED' || type === 'PASSPORT_UPDATED';
  /** A set of roles as Java prints an EnumSet: "[BATTERY_MAKER, DEALER]", in the enum's order. */
  const roleSet = (roles) => '[' + ROLES.filter((r) => roles.includes(r)).join(', ') + ']';
  /** Roles of which the holder takes custody of a battery (Lifecycle.rule(TRANSFERRED).roles()). */
  const holdsBatteries = (roles) => roles.some((r) => TABLE.TRANSFERRED.roles.includes(r));
  /** BatteryState.isWaste: a waste battery may only move to qualified (white-listed) enterprises. */
  const isWaste = (state) => state === 'RETIRED' || state === 'COLLECTED' || state === 'TESTED' || state === 'DISMANTLED';

  /**
   * Lifecycle.apply: the status {state, custodian} after the record; throws RuleError (kind ROLE_NOT_ALLOWED when
   * the actor holds none of the event's roles, else LIFECYCLE_VIOLATION). {@code actorRoles}: the actor's roles
   * from the bundle's organization facts, or null when unknown (the check is then skipped, as in Java).
   */
  function applyLifecycle(current, type, actor, actorRoles, receiver) {
    const rule = TABLE[type];
    const violation = (message) => new RuleError('LIFECYCLE_VIOLATION', message);
    if (current === null) {
      if (!isGenesis(type)) {
        throw violation("a chain's first record must be PRODUCED, ASSEMBLED or LOT_OPENED, not " + type);
      }
    } else {
      if (TERMINAL.includes(current.state)) {
        throw violation('battery is ' + current.state + '; its chain is closed');
      }
      if (!custodyExempt(type) && current.custodian !== actor) {
        throw violation('only the custodian ' + current.custodian + ' may record events for this battery, not ' + actor);
      }
      if (isGenesis(type) || !rule.from.includes(current.state)) {
        throw violation(type + ' is not allowed in state ' + current.state);
      }
    }
    if (actorRoles !== null && !actorRoles.some((r) => rule.roles.includes(r))) {
      throw new RuleError('ROLE_NOT_ALLOWED', type + ' may only be recorded by ' + roleSet(rule.roles) + '; ' + actor + ' holds ' + roleSet(actorRoles));
    }
    let custodian = current !== null && (type === 'PASSPORT_DECLARED' || type === 'PASSPORT_UPDATED') ? current.custodian : actor;
    if (type === 'TRANSFERRED') {
      if (receiver === null || receiver === '') {
        throw violation('a transfer must name its receiver in data.to');
      }
      if (receiver === actor) {
        throw violation('a custodian cannot transfer a battery to itself');
      }
      custodian = receiver;
    }
    return { state: current === null ? rule.to : rule.to || current.state, custodian };
  }

  // ---- which code a chain opens with ----

  function codeKindMismatch(type, code) {
    if (type === 'PRODUCED' && code.cascade) {
      return 'PRODUCED needs a 24-character battery code; ' + code.value + ' is a cascade-product code (use ASSEMBLED)';
    }
    if (type === 'ASSEMBLED' && !code.cascade) {
      return 'ASSEMBLED needs a 19-character cascade-product code, got ' + code.value;
    }
    return null;
  }

  function partMismatch(child, parent) {
    if (child.level === 'PACK' || ids.LEVEL_ORDER[parent.level] >= ids.LEVEL_ORDER[child.level]) {
      return 'a ' + child.level + ' cannot be part of a ' + parent.level;
    }
    return null;
  }

  // ---- event data ----

  const dataError = (message) => new RuleError('EVENT_DATA_INVALID', message);
  /** Java's String.isBlank: only Character.isWhitespace characters (not U+00A0, U+2007, U+202F, U+FEFF). */
  const isBlank = (s) => /^[\t\n\u000b\f\r\u001c-\u001f \u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000]*$/.test(s);
  const member = (data, name) => (isObject(data) && Object.prototype.hasOwnProperty.call(data, name) ? data[name] : undefined);

  function text(type, data, name) {
    const v = member(data, name);
    if (typeof v !== 'string' || isBlank(v)) {
      throw dataError(type + ' needs data.' + name + ' (a non-empty string)');
    }
    if (v.length > 200) {
      throw dataError('data.' + name + ' is longer than 200 characters');
    }
    return v;
  }

  function nonNegative(type, node, name, path) {
    const v = member(node, name);
    if (!(v instanceof JNum) || !v.isLong()) {
      throw dataError(type + ' needs ' + path + ' as an integer (no floats in records)');
    }
    if (v.big() < 0n) {
      throw dataError(path + ' must not be negative, got ' + v.text);
    }
    return v.big();
  }

  function positive(type, data, name) {
    const v = nonNegative(type, data, name, 'data.' + name);
    if (v === 0n) {
      throw dataError('data.' + name + ' must be greater than 0');
    }
    return v;
  }

  function oneOf(type, data, name, values) {
    const v = text(type, data, name);
    if (!values.includes(v)) {
      throw dataError('data.' + name + ' must be one of ' + values.join(', ') + ', got ' + v);
    }
    return v;
  }

  function date(type, data, name) {
    const v = text(type, data, name);
    if (!isDate(v)) {
      throw dataError('data.' + name + ' must be a date like 2027-06-30, got ' + v);
    }
    return v;
  }

  function code(text) {
    try {
      return ids.batteryCode(text);
    } catch (e) {
      if (e instanceof ids.IdError) {
        throw dataError(e.message);
      }
      throw e;
    }
  }

  function codes(type, subject, data, name, nonEmpty) {
    const list = member(data, name);
    if (!Array.isArray(list) || (nonEmpty && list.length === 0)) {
      throw dataError(type + ' needs data.' + name + ': an array of battery codes' + (nonEmpty ? ' (at least one)' : ''));
    }
    const seen = new Set();
    for (const item of list) {
      code(typeof item === 'string' ? item : null);
      if (item === subject || seen.has(item)) {
        throw dataError('data.' + name + ' lists ' + item + (item === subject ? ', the subject itself' : ' twice'));
      }
      seen.add(item);
    }
  }

  const METALS = ['Li', 'Ni', 'Co', 'Mn', 'Cu', 'Al'];

  function masses(type, data, name) {
    const node = member(data, name);
    if (!isObject(node)) {
      throw dataError(type + ' needs data.' + name + ': an object of element symbol to grams, e.g. {"Li": 1200}');
    }
    const out = new Map();
    for (const symbol of Object.keys(node)) {
      if (!METALS.includes(symbol)) {
        throw dataError('unknown metal ' + symbol + '; expected one of Li, Ni, Co, Mn, Cu, Al');
      }
      out.set(symbol, nonNegative(type, node, symbol, 'data.' + name + '.' + symbol));
    }
    return out;
  }

  function gtin(value) {
    if (typeof value !== 'string' || !/^([0-9]{8}|[0-9]{12,14})$/.test(value)) {
      throw dataError('data.gtin must be a GTIN of 8, 12, 13 or 14 digits');
    }
    let sum = 0;
    for (let i = value.length - 2, weight = 3; i >= 0; i--, weight = 4 - weight) {
      sum += (value.charCodeAt(i) - 48) * weight;
    }
    if ((10 - sum % 10) % 10 !== value.charCodeAt(value.length - 1) - 48) {
      throw dataError('data.gtin ' + value + ' has a wrong check digit');
    }
  }

  /** EventData.check: the subject kind and data of one record. */
  function checkEventData(type, record) {
    const subject = record.subject;
    const data = record.data;
    const lotEvent = type === 'LOT_OPENED' || type === 'LOT_CLOSED';
    try {
      if (lotEvent) {
        ids.lotId(subject);
      } else {
        ids.batteryCode(subject);
      }
    } catch (e) {
      if (e instanceof ids.IdError) {
        throw dataError(type + ' is about a ' + (lotEvent ? 'recycling lot' : 'battery') + ': ' + e.message);
      }
      throw e;
    }
    const lot = (value) => {
      try {
        return ids.lotId(value);
      } catch (e) {
        if (e instanceof ids.IdError) {
          throw dataError(e.message);
        }
        throw e;
      }
    };
    switch (type) {
      case 'PRODUCED':
        if (member(data, 'massGrams') !== undefined) {
          positive(type, data, 'massGrams');
        }
        break;
      case 'INSTALLED':
      case 'SWAPPED':
        try {
          ids.vin(text(type, data, 'vin'));
        } catch (e) {
          if (e instanceof ids.IdError) {
            throw dataError(type + ' binds the battery to a vehicle: ' + e.message);
          }
          throw e;
        }
        break;
      case 'TESTED': {
        const measured = nonNegative(type, data, 'measuredCapacityMah', 'data.measuredCapacityMah');
        const rated = positive(type, data, 'ratedCapacityMah');
        nonNegative(type, data, 'measuredEnergyWh', 'data.measuredEnergyWh');
        positive(type, data, 'internalResistanceMicroOhm');
        const ratio = nonNegative(type, data, 'capacityRatioBp', 'data.capacityRatioBp');
        // Java long arithmetic: measured * 10000 wraps above 2^63; BigInt.asIntN keeps the same result.
        const expected = BigInt.asIntN(64, BigInt.asIntN(64, measured * 10000n) / rated);
        const diff = BigInt.asIntN(64, ratio - expected);
        if (BigInt.asIntN(64, diff < 0n ? -diff : diff) > 1n) {
          throw dataError('capacityRatioBp ' + ratio + ' does not match measuredCapacityMah/ratedCapacityMah = ' + expected + ' basis points');
        }
        oneOf(type, data, 'decision', ['CASCADE', 'RECYCLE']);
        break;
      }
      case 'DISMANTLED':
        codes(type, subject, data, 'components', false);
        break;
      case 'SEPARATED': {
        const parent = text(type, data, 'parent');
        code(parent);
        if (parent === subject) {
          throw dataError('data.parent cannot be the subject itself');
        }
        break;
      }
      case 'RECYCLED': {
        lot(text(type, data, 'lot'));
        positive(type, data, 'massGrams');
        const id = lot(member(data, 'lot'));
        if (id.recycler !== record.actor) {
          throw dataError("batteries are RECYCLED only into the recycler's own lots; " + id.value + ' belongs to ' + id.recycler);
        }
        break;
      }
      case 'ASSEMBLED': {
        codes(type, subject, data, 'sources', true);
        if (member(data, 'massGrams') !== undefined) {
          positive(type, data, 'massGrams');
        }
        const product = ids.batteryCode(subject).chemistry;
        const sources = new Set(member(data, 'sources').map((s) => ids.batteryCode(s).chemistry));
        const differs = sources.size > 1 || !sources.has(product);
        const mixed = member(data, 'mixedChemistry');
        if (mixed !== undefined && typeof mixed !== 'boolean') {
          throw dataError('data.mixedChemistry must be true or false');
        }
        if (differs && mixed !== true) {
          throw dataError('cascade product ' + subject + ' is coded ' + product + ' but its sources are ' + [...sources].sort().join(', ')
            + '; code it with the sources\' battery type, or declare data.mixedChemistry: true');
        }
        if (!differs && mixed === true) {
          throw dataError('data.mixedChemistry is declared but every source is ' + product + ' like the product');
        }
        break;
      }
      case 'PASSPORT_DECLARED':
        checkPassport(data, 'D');
        if (member(data, 'gtin') !== undefined) {
          gtin(member(data, 'gtin'));
        }
        break;
      case 'PASSPORT_UPDATED':
        checkPassport(data, 'U');
        break;
      case 'CERTIFIED': {
        text(type, data, 'certificateNumber');
        text(type, data, 'certificationBody');
        const from = date(type, data, 'validFrom');
        const until = date(type, data, 'validUntil');
        if (until < from) {
          throw dataError('certificate validUntil ' + until + ' is before validFrom ' + from);
        }
        break;
      }
      case 'DEPLOYED':
        oneOf(type, data, 'application', ['ENERGY_STORAGE', 'BACKUP_POWER', 'CHARGING_SWAP']);
        text(type, data, 'site');
        break;
      case 'LOT_OPENED':
        oneOf(type, data, 'process', ['HYDROMETALLURGY', 'PYROMETALLURGY', 'DIRECT_RECYCLING']);
        if (ids.lotId(subject).recycler !== record.actor) {
          throw dataError('lot ' + subject + ' must carry the credit code of the recycler that opens it, ' + record.actor);
        }
        break;
      case 'LOT_CLOSED': {
        const contained = masses(type, data, 'contained');
        const recovered = masses(type, data, 'recovered');
        if (contained.size === 0) {
          throw dataError("LOT_CLOSED needs the assayed metal masses of the lot's input in data.contained");
        }
        for (const [metal, grams] of recovered) {
          if (!contained.has(metal)) {
            throw dataError(metal + ' was recovered but not assayed in data.contained');
          }
          if (grams > contained.get(metal)) {
            throw dataError(metal + ' recovered ' + grams + ' g exceeds the ' + contained.get(metal) + ' g contained');
          }
        }
        const products = member(data, 'products');
        if (products !== undefined) {
          if (!Array.isArray(products)) {
            throw dataError('data.products must be an array of {form, massGrams}');
          }
          for (const p of products) {
            text(type, p, 'form');
            positive(type, p, 'massGrams');
          }
        }
        break;
      }
      default:
    }
  }

  // ---- passport members (AttributeTable.check and Kind.problem) ----

  let passportRows = null;

  function rows() {
    if (!passportRows) {
      passportRows = new Map(BT.passportTable.map(([path, kind, source]) => [path, { kind: kind.split(':'), source }]));
    }
    return passportRows;
  }

  const DECIMAL = /^-?(0|[1-9][0-9]{0,17})(\.[0-9]{1,9})?$/;

  /** A decimal as a BigInt of billionths (every table bound and signed decimal has at most 9 fraction digits). */
  function billionths(textValue) {
    const [whole, fraction = ''] = textValue.replace('-', '').split('.');
    const v = BigInt(whole) * 1000000000n + BigInt(fraction.padEnd(9, '0'));
    return textValue.startsWith('-') ? -v : v;
  }

  function textProblem(v) {
    if (typeof v !== 'string' || isBlank(v)) {
      return 'must be a non-empty string';
    }
    return v.length > 2000 ? 'is longer than 2000 characters' : null;
  }

  function validDateTime(v) {
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|([+-])(\d{2}):(\d{2}))$/.exec(v);
    if (!m) {
      return null;
    }
    const ok = +m[2] >= 1 && +m[2] <= 12 && +m[3] >= 1 && +m[3] <= monthDays(+m[1], +m[2]) && +m[4] <= 23 && +m[5] <= 59 && +m[6] <= 59
      && (m[8] === 'Z' || (+m[10] <= 18 && +m[11] <= 59 && (+m[10] < 18 || +m[11] === 0)));
    return ok;
  }

  function kindProblem(kind, v) {
    switch (kind[0]) {
      case 'object':
        return isObject(v) ? null : 'must be an object';
      case 'list':
        return !Array.isArray(v) ? 'must be an array' : v.length > 1000 ? 'has more than 1000 items' : null;
      case 'textlist':
        if (!Array.isArray(v) || v.length > 1000) {
          return 'must be an array of at most 1000 strings';
        }
        for (const item of v) {
          const p = textProblem(item);
          if (p) {
            return 'items ' + p;
          }
        }
        return null;
      case 'text':
        return textProblem(v);
      case 'uri': {
        const p = textProblem(v);
        if (p) {
          return p;
        }
        // java.net.URI: a scheme, then no character RFC 2396 forbids.
        return /^[A-Za-z][A-Za-z0-9+.-]*:[^\s"<>\\^`{|}]+$/u.test(v) && !/%(?![0-9A-Fa-f]{2})/.test(v) ? null : 'must be an absolute URI';
      }
      case 'number': {
        let n = null;
        if (v instanceof JNum && v.isLong()) {
          n = v.big() * 1000000000n;
        } else if (typeof v === 'string' && DECIMAL.test(v)) {
          n = billionths(v);
        }
        if (n === null) {
          return 'must be an integer or a decimal string like "65.3" (no floats in records)';
        }
        if (kind.length === 3 && (n < billionths(kind[1]) || n > billionths(kind[2]))) {
          return 'must be between ' + kind[1] + ' and ' + kind[2];
        }
        return null;
      }
      case 'integer':
        return v instanceof JNum && v.isLong() && v.big() >= 0n ? null : 'must be a non-negative integer';
      case 'datetime':
        if (typeof v !== 'string' || validDateTime(v) === null) {
          return 'must be a date-time like 2026-03-14T08:00:00Z';
        }
        return validDateTime(v) ? null : 'is not a real date-time';
      case 'gmonth':
        return typeof v === 'string' && /^--(0[1-9]|1[0-2])(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?$/.test(v) ? null : 'must be an xsd:gMonth like --08';
      case 'boolean':
        return typeof v === 'boolean' ? null : 'must be true or false';
      case 'cas':
        return typeof v === 'string' && /^[0-9]{2,7}-[0-9]{2}-[0-9]$/.test(v) ? null : 'must be a CAS registry number like 7782-42-5';
      case 'email':
        return typeof v === 'string' && v.length <= 254 && /^[\w.-]+@[\w.-]+\.[A-Za-z]{2,}$/.test(v) ? null : 'must be an e-mail address';
      case 'enum':
        return typeof v === 'string' && kind[1].split('|').includes(v) ? null : 'must be one of ' + kind[1];
      default:
        throw new Error('unknown kind ' + kind[0]);
    }
  }

  function checkPassport(data, source) {
    checkPassportMembers(data, '', source);
  }

  function checkPassportMembers(object, prefix, source) {
    for (const name of Object.keys(object)) {
      checkPassportValue(prefix === '' ? name : prefix + '.' + name, object[name], source);
    }
  }

  function checkPassportValue(path, value, source) {
    const row = rows().get(path);
    if (!row) {
      return;
    }
    const where = 'data.' + path.replaceAll('[]', '[i]');
    const problem = kindProblem(row.kind, value);
    if (problem) {
      throw dataError(where + ' ' + problem);
    }
    if (row.kind[0] === 'object') {
      checkPassportMembers(value, path, source);
      return;
    }
    if (row.source !== source) {
      throw dataError(where + (row.source === 'S' ? ' is computed by the platform and cannot be signed'
        : row.source === 'D' ? ' is static data, signed in PASSPORT_DECLARED' : ' is dynamic data, signed in PASSPORT_UPDATED'));
    }
    if (row.kind[0] === 'list') {
      for (const item of value) {
        checkPassportValue(path + '[]', item, source);
      }
    }
  }

  // ---- rules over earlier records of the chain ----

  /** ChainFacts: REPURPOSED only after a CASCADE decision, DEPLOYED while certified, passport data by the operator (or custodian). */
  class ChainFacts {
    constructor() {
      this.lastDecision = null;
      this.certifiedFrom = null;
      this.certifiedUntil = null;
      this.operator = null;
    }

    apply(type, record, before) {
      if (type === 'REPURPOSED' && this.lastDecision !== 'CASCADE') {
        throw dataError('only a battery whose latest GB/T 34015 test decided CASCADE may be REPURPOSED; the latest decision is ' + (this.lastDecision || 'missing'));
      }
      if (type === 'DEPLOYED') {
        const day = chinaDate(record.instant);
        if (this.certifiedFrom === null || day < this.certifiedFrom || day > this.certifiedUntil) {
          throw dataError('a cascade product may only be DEPLOYED while its certificate is valid; '
            + (this.certifiedFrom === null ? 'it has none' : 'it is valid ' + this.certifiedFrom + ' to ' + this.certifiedUntil + ', not on ' + day));
        }
      }
      if (type === 'PASSPORT_DECLARED' && record.actor !== this.operator) {
        throw dataError("the passport declaration is signed by the battery's economic operator " + this.operator + ', not ' + record.actor);
      }
      if (type === 'PASSPORT_UPDATED' && record.actor !== this.operator && (before === null || record.actor !== before.custodian)) {
        throw dataError('dynamic passport data is signed by the custodian or the economic operator ' + this.operator + ', not ' + record.actor);
      }
      if (type === 'TESTED') {
        this.lastDecision = record.data.decision;
      } else if (type === 'CERTIFIED') {
        this.certifiedFrom = record.data.validFrom;
        this.certifiedUntil = record.data.validUntil;
      } else if (isGenesis(type)) {
        this.operator = record.actor;
      }
    }
  }

  // ---- signatures ----

  /**
   * SignatureRules.check: every violation {kind, message} of a logged record, at most one per signature,
   * then a missing actor's or receiver's signature. {@code keyOf(id)} gives {alg, owner, revokedIndex,
   * validFrom, revokedAt, key} or null. SM2 signatures cannot be checked here: they are counted as the
   * Java verifier would count a valid one, and listed in {@code unchecked}, so the page never says VERIFIED.
   */
  async function checkSignatures(entry, receiver, logIndex, keyOf, unchecked) {
    const record = entry.record;
    const findings = [];
    const signers = new Set();
    const message = entry.recordBytes;
    for (const signature of entry.signatures) {
      const id = signature.keyId;
      const key = keyOf(id);
      if (!key) {
        findings.push({ kind: 'UNKNOWN_KEY', message: 'no registered key has id ' + id });
        continue;
      }
      if (key.alg !== signature.alg) {
        findings.push({ kind: 'ALGORITHM_MISMATCH', message: 'signature says ' + signature.alg + ' but key ' + id + ' is ' + key.alg });
        continue;
      }
      if (key.owner !== record.actor && key.owner !== receiver) {
        findings.push({ kind: 'SIGNER_NOT_PARTY', message: 'key ' + id + ' belongs to ' + key.owner + ', who is not a party to this record' });
        continue;
      }
      // KeyValidity.validity() in the Java verifier: "valid from …, revoked … at log index …".
      const validity = 'valid from ' + instantText(key.validFrom) + (key.revokedAt === null ? '' : ', revoked ' + instantText(key.revokedAt))
        + (key.revokedIndex < 0n ? '' : ' at log index ' + key.revokedIndex);
      if (key.revokedIndex >= 0n && logIndex > key.revokedIndex) {
        findings.push({ kind: 'SIGNED_AFTER_REVOCATION', message: 'key ' + id + ' of ' + key.owner + ' was revoked (' + validity
          + ') before this record was logged; nothing signed with it is accepted after that, whatever the record\'s time' });
        continue;
      }
      if (record.instant < key.validFrom || (key.revokedAt !== null && record.instant >= key.revokedAt)) {
        findings.push({ kind: 'KEY_NOT_VALID_AT_TIME', message: 'key ' + id + ' of ' + key.owner + ' is not valid at ' + record.time + ' (' + validity + ')' });
        continue;
      }
      const ok = await BT.bytes.verifySignature(key.key, message, signature.value);
      if (ok === 'unchecked') {
        unchecked.push(id);
      } else if (!ok) {
        findings.push({ kind: 'SIGNATURE_INVALID', message: 'signature by key ' + id + ' of ' + key.owner + " does not verify over the record's canonical bytes" });
        continue;
      }
      if (signers.has(key.owner)) {
        findings.push({ kind: 'DUPLICATE_SIGNER', message: key.owner + ' signed twice' });
      }
      signers.add(key.owner);
    }
    if (!signers.has(record.actor)) {
      findings.push({ kind: 'MISSING_SIGNATURE', message: 'no valid signature by the actor ' + record.actor });
    }
    if (receiver !== null && !signers.has(receiver)) {
      findings.push({ kind: 'MISSING_SIGNATURE', message: "a transfer needs the receiver's (" + receiver + ') acceptance signature' });
    }
    return findings;
  }

  BT.rules = {
    RuleError, parseTime, instantText, chinaDate, isDate, checkNext, ROLES, isEventType, isGenesis, applyLifecycle, holdsBatteries, isWaste, codeKindMismatch, partMismatch,
    checkEventData, ChainFacts, checkSignatures,
  };
})(window.BT = window.BT || {});

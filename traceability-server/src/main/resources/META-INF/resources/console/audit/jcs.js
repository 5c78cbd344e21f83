/*
 * Strict JSON reading and RFC 8785 canonicalization, as the Java core does them (record/Json, record/Jcs).
 * JSON.parse cannot be used: it keeps the last of duplicate members (I-JSON forbids them) and turns
 * 9007199254740993 into ...992, so numbers are kept as their text (JNum) and objects refuse duplicates.
 * Record format v1 numbers are integers within ±(2^53-1); an integer-valued decimal such as 1.0E3 is
 * canonicalized as 1000, a fraction is refused (trace-record/1 carries fractions as decimal strings).
 */
(function (BT) {
  'use strict';
  const { FormatError } = BT.bytes;

  /** A JSON number as written; {@code integral} when it has no fraction or exponent (Jackson's isIntegralNumber). */
  class JNum {
    constructor(text) {
      this.text = text;
      this.integral = !/[.eE]/.test(text);
    }

    /** The BigInt value of an integral number. */
    big() {
      return BigInt(this.text);
    }

    /** Integral and within a Java long (Jackson's canConvertToLong for an integer node). */
    isLong() {
      if (!this.integral) {
        return false;
      }
      const v = this.big();
      return v >= -(2n ** 63n) && v <= 2n ** 63n - 1n;
    }

    /**
     * The exact integer value when the number is integer-valued and within ±(2^53-1) (what RFC 8785 can
     * represent exactly); throws otherwise.
     */
    safeInteger() {
      const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(this.text);
      let digits = (m[2] + (m[3] || '')).replace(/^0+/, '');
      let exp = BigInt(m[4] || '0') - BigInt((m[3] || '').length);
      if (digits === '') {
        return 0n;
      }
      while (exp < 0n && digits.endsWith('0')) {
        digits = digits.slice(0, -1);
        exp++;
      }
      if (exp < 0n) {
        throw new FormatError('number ' + this.text + ' is not an integer; record format v1 carries fractions as decimal strings');
      }
      if (BigInt(digits.length) + exp > 16n) {
        throw new FormatError('integer ' + this.text + ' is beyond ±(2^53-1) and cannot be represented exactly (RFC 7493)');
      }
      const value = BigInt(digits + '0'.repeat(Number(exp)));
      if (value > 2n ** 53n - 1n) {
        throw new FormatError('integer ' + this.text + ' is beyond ±(2^53-1) and cannot be represented exactly (RFC 7493)');
      }
      return m[1] === '-' ? -value : value;
    }
  }

  /** Parses JSON text: duplicate keys, trailing tokens, NaN, leading zeros and raw control characters are errors. */
  function parse(text) {
    let i = 0;
    const fail = (why) => {
      throw new FormatError('malformed JSON: ' + why + ' at character ' + i);
    };
    const ws = () => {
      while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) {
        i++;
      }
    };
    function value(depth) {
      if (depth > 1000) {
        fail('nested too deeply');
      }
      ws();
      const c = text[i];
      if (c === '{') {
        i++;
        const obj = Object.create(null);
        const seen = new Set();
        ws();
        if (text[i] === '}') {
          i++;
          return obj;
        }
        for (;;) {
          ws();
          if (text[i] !== '"') {
            fail('expected a member name');
          }
          const key = string();
          if (seen.has(key)) {
            fail('duplicate member "' + key + '"');
          }
          seen.add(key);
          ws();
          if (text[i++] !== ':') {
            fail("expected ':'");
          }
          obj[key] = value(depth + 1);
          ws();
          if (text[i] === ',') {
            i++;
          } else if (text[i] === '}') {
            i++;
            return obj;
          } else {
            fail("expected ',' or '}'");
          }
        }
      }
      if (c === '[') {
        i++;
        const arr = [];
        ws();
        if (text[i] === ']') {
          i++;
          return arr;
        }
        for (;;) {
          arr.push(value(depth + 1));
          ws();
          if (text[i] === ',') {
            i++;
          } else if (text[i] === ']') {
            i++;
            return arr;
          } else {
            fail("expected ',' or ']'");
          }
        }
      }
      if (c === '"') {
        return string();
      }
      if (text.startsWith('true', i)) {
        i += 4;
        return true;
      }
      if (text.startsWith('false', i)) {
        i += 5;
        return false;
      }
      if (text.startsWith('null', i)) {
        i += 4;
        return null;
      }
      const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.substring(i, i + 4096));
      if (!m || m[0] === '' || m[0] === '-') {
        fail('unexpected character');
      }
      i += m[0].length;
      if (m[0].length > 1000 || /^[0-9]/.test(text[i] || '')) {
        fail('bad number'); // leading zero, or over Jackson's 1000-character cap
      }
      return new JNum(m[0]);
    }
    function string() {
      i++;
      let out = '';
      for (;;) {
        if (i >= text.length) {
          fail('unterminated string');
        }
        const c = text.charCodeAt(i);
        if (c === 0x22) {
          i++;
          return out;
        }
        if (c < 0x20) {
          fail('control character in a string');
        }
        if (c === 0x5c) {
          const e = text[i + 1];
          const simple = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' }[e];
          if (simple !== undefined) {
            out += simple;
            i += 2;
          } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.substr(i + 2, 4))) {
            out += String.fromCharCode(parseInt(text.substr(i + 2, 4), 16));
            i += 6;
          } else {
            fail('bad escape');
          }
        } else {
          out += text[i++];
        }
      }
    }
    const result = value(0);
    ws();
    if (i !== text.length) {
      fail('trailing tokens');
    }
    return result;
  }

  const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof JNum);

  function writeString(s) {
    let out = '"';
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff) {
        const d = s.charCodeAt(i + 1);
        if (!(d >= 0xdc00 && d <= 0xdfff)) {
          throw new FormatError('string contains a lone surrogate at index ' + i);
        }
        out += s[i] + s[i + 1];
        i++;
      } else if (c >= 0xdc00 && c <= 0xdfff) {
        throw new FormatError('string contains a lone surrogate at index ' + i);
      } else if (c === 0x22 || c === 0x5c) {
        out += '\\' + s[i];
      } else if (c < 0x20) {
        const short = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' }[c];
        out += short || '\\u' + c.toString(16).padStart(4, '0');
      } else {
        out += s[i];
      }
    }
    return out + '"';
  }

  /** The RFC 8785 text of a parsed value: members sorted by UTF-16 code units, no whitespace. */
  function canonical(v) {
    if (v === null) {
      return 'null';
    }
    if (v === true || v === false) {
      return String(v);
    }
    if (typeof v === 'string') {
      return writeString(v);
    }
    if (v instanceof JNum) {
      return v.safeInteger().toString();
    }
    if (Array.isArray(v)) {
      return '[' + v.map(canonical).join(',') + ']';
    }
    // Array.prototype.sort compares UTF-16 code units, as RFC 8785 section 3.2.3 asks.
    const keys = Object.keys(v).sort();
    return '{' + keys.map((k) => writeString(k) + ':' + canonical(v[k])).join(',') + '}';
  }

  /** UTF-8 bytes of the canonical form. */
  const canonicalBytes = (v) => BT.bytes.utf8(canonical(v));

  BT.jcs = { JNum, parse, canonical, canonicalBytes, isObject };
})(window.BT = window.BT || {});

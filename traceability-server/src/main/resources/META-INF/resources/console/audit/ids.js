/*
 * The identifiers records name, validated as the Java core's identity/ and recycling/LotId do: GB/T 34014
 * battery codes (24 characters, 19 for a cascade product), VINs (ISO 3779 check digit), GB 32100 unified
 * social credit codes and recycling lot ids.
 */
(function (BT) {
  'use strict';

  class IdError extends Error {}

  const LEVELS = { P: 'PACK', M: 'MODULE', C: 'CELL' };
  const LEVEL_ORDER = { PACK: 0, MODULE: 1, CELL: 2 };
  const CHEMISTRY = { A: 'NIMH', B: 'LFP', C: 'LMO', D: 'LCO', E: 'NCM', F: 'SUPERCAPACITOR', G: 'LTO', Z: 'OTHER' };
  const DATE_LETTERS = 'ABCDEFGHJKLMNPRSTVWXY';

  function level(c) {
    if (!LEVELS[c]) {
      throw new IdError("product type must be P (pack), M (module) or C (cell), got '" + c + "'");
    }
    return LEVELS[c];
  }

  function dateValue(c, day) {
    if (c >= '1' && c <= '9') {
      return c.charCodeAt(0) - 48;
    }
    if (c === '0' && day) {
      return 31;
    }
    const i = DATE_LETTERS.indexOf(c);
    if (i < 0) {
      throw new IdError("'" + c + "' is not a GB/T 34014 date character");
    }
    return i + 10;
  }

  const daysIn = (year, month) => new Date(Date.UTC(year, month, 0)).getUTCDate();

  function alphanumeric(code, from, to, segment) {
    if (!/^[A-Z0-9]*$/.test(code.substring(from, to))) {
      throw new IdError(segment + " segment must be letters A-Z or digits, got '" + code.substring(from, to) + "'");
    }
  }

  /** A battery code {value, cascade, level, chemistry}; throws IdError. Codes are upper-case exactly as signed. */
  function batteryCode(text) {
    if (typeof text !== 'string' || text === '') {
      throw new IdError('battery code is empty');
    }
    if (text.toUpperCase() !== text) {
      throw new IdError('battery codes are upper-case letters and digits (GB/T 34014): ' + text.toUpperCase());
    }
    const code = text;
    if (code.length !== 24 && code.length !== 19) {
      throw new IdError('battery code must have 24 characters (19 for a cascade product), got ' + code.length);
    }
    const cascade = code.length === 19;
    alphanumeric(code, 0, 3, 'manufacturer');
    level(code[3]);
    if (!CHEMISTRY[code[4]]) {
      throw new IdError("battery type must be one of A-G or Z, got '" + code[4] + "'");
    }
    alphanumeric(code, 5, 7, 'spec');
    const d = cascade ? 7 : 14;
    if (!cascade) {
      alphanumeric(code, 7, 14, 'traceability');
    }
    const year = 2010 + dateValue(code[d], false);
    const month = dateValue(code[d + 1], false);
    const day = dateValue(code[d + 2], true);
    if (month > 12) {
      throw new IdError("month code '" + code[d + 1] + "' means " + month + ', beyond 12');
    }
    if (day > daysIn(year, month)) {
      throw new IdError('day ' + day + ' does not exist in ' + year + '-' + month);
    }
    if (!/^[0-9]{7}$/.test(code.substring(d + 3, d + 10))) {
      throw new IdError("serial number must be 7 digits, got '" + code.substring(d + 3, d + 10) + "'");
    }
    if (cascade && (code[17] !== 'R' || !LEVELS[code[18]])) {
      throw new IdError("a 19-character cascade code must end with R and P/M/C, got '" + code.substring(17) + "'");
    }
    return { value: code, cascade, level: LEVELS[code[3]], chemistry: CHEMISTRY[code[4]] };
  }

  const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
  const VIN_VALUES = { A: 1, J: 1, B: 2, K: 2, S: 2, C: 3, L: 3, T: 3, D: 4, M: 4, U: 4, E: 5, N: 5, V: 5, F: 6, W: 6, G: 7, P: 7, X: 7, H: 8, Y: 8, R: 9, Z: 9 };

  function vin(text) {
    if (typeof text !== 'string' || text.length !== 17) {
      throw new IdError('VIN must have 17 characters, got ' + (typeof text === 'string' ? text.length : 0));
    }
    const v = text.toUpperCase();
    let sum = 0;
    for (let i = 0; i < 17; i++) {
      const c = v[i];
      const value = c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : VIN_VALUES[c];
      if (value === undefined) {
        throw new IdError("'" + c + "' at position " + (i + 1) + ' is not allowed in a VIN');
      }
      sum += value * VIN_WEIGHTS[i];
    }
    const expected = sum % 11 === 10 ? 'X' : String(sum % 11);
    if (v[8] !== expected) {
      throw new IdError("VIN check digit (position 9) should be '" + expected + "', got '" + v[8] + "'");
    }
    return v;
  }

  const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

  function creditCode(text) {
    if (typeof text !== 'string' || text.length !== 18) {
      throw new IdError('unified social credit code must have 18 characters');
    }
    let sum = 0;
    for (let i = 0; i < 18; i++) {
      const v = CREDIT_ALPHABET.indexOf(text[i]);
      if (v < 0) {
        throw new IdError("'" + text[i] + "' at position " + (i + 1) + ' is not allowed in a credit code');
      }
      if (i < 17) {
        sum += v * CREDIT_WEIGHTS[i];
      }
    }
    if (!/^[0-9]{6}$/.test(text.substring(2, 8))) {
      throw new IdError('positions 3-8 must be the 6-digit administrative-division code');
    }
    if (text[17] !== CREDIT_ALPHABET[(31 - sum % 31) % 31]) {
      throw new IdError('check character of ' + text + ' is wrong');
    }
    return text;
  }

  const looksLikeLot = (subject) => typeof subject === 'string' && subject.startsWith('LOT-');

  /** A lot id {value, recycler}: LOT-<recycler's credit code>-<1..24 of A-Z 0-9>. */
  function lotId(text) {
    if (typeof text !== 'string' || !text.startsWith('LOT-') || text.length < 24 || text[22] !== '-') {
      throw new IdError('a lot id is LOT-<recycler credit code>-<local part>, got ' + text);
    }
    const recycler = creditCode(text.substring(4, 22));
    if (!/^[A-Z0-9]{1,24}$/.test(text.substring(23))) {
      throw new IdError("a lot id's local part is 1-24 characters A-Z 0-9, got " + text.substring(23));
    }
    return { value: text, recycler };
  }

  BT.ids = { IdError, batteryCode, vin, creditCode, lotId, looksLikeLot, LEVEL_ORDER };
})(window.BT = window.BT || {});

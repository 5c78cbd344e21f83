#!/usr/bin/env node
/*
 * The auditor page's verifier (console/audit/*.js) against every bundle vector, in node instead of Chromium:
 * a quick check while porting a Java Verifier change, without building the server. It loads the page's
 * classic scripts into a vm context with WebCrypto and compares, for each docs/test-vectors/bundles/ file,
 * the page's result and failure kinds with the vector's want (SM2 bundles: INCOMPLETE, as the browser test
 * expects); given the command-line verifier's jar, also its output line for line (failure lines cut to place
 * and kind) and each record's failure kinds, as AuditPageBrowserTest does.
 *
 *   ./mvnw -B -q -pl traceability-core package -DskipTests
 *   node traceability-server/src/test/js/audit-vectors.js [traceability-core/target/traceability-core-*-cli.jar [--messages]]
 *
 * With --messages, failure lines are compared whole (messages too), not cut to place and kind.
 *
 * AuditPageBrowserTest stays the test of record (the page in a real browser, the UI, the CLI in-process).
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const os = require('node:os');
const { execFileSync } = require('node:child_process');

const root = path.resolve(__dirname, '..', '..', '..', '..');
const page = path.join(root, 'traceability-server', 'src', 'main', 'resources', 'META-INF', 'resources', 'console', 'audit');
const vectors = path.join(root, 'docs', 'test-vectors', 'bundles');
const jar = process.argv[2] || null;
const messages = process.argv[3] === '--messages';

const context = { crypto: require('node:crypto').webcrypto, TextDecoder, TextEncoder, URLSearchParams, console };
context.window = context;
vm.createContext(context);
const html = fs.readFileSync(path.join(page, 'index.html'), 'utf8');
for (const [, src] of html.matchAll(/<script src="([^"]+)"/g)) {
  if (src !== 'ui.js') {
    vm.runInContext(fs.readFileSync(path.join(page, src), 'utf8'), context, { filename: src });
  } else {
    new vm.Script(fs.readFileSync(path.join(page, src), 'utf8'), { filename: src }); // needs a DOM to run; compiled, so a syntax error shows here
  }
}
const BT = context.BT;

/** AuditPageBrowserTest.comparable: failure lines keep their place and kind only. */
function comparable(output) {
  if (messages) {
    return output.trim().split('\n').map((line) => line.replace(/\s+$/, '')).join('\n');
  }
  return output.trim().split('\n').map((line) => {
    const m = /^(FAIL \S+: [A-Z_]+): .*$|^(FAIL [^:]*):.*$/.exec(line);
    return m ? (m[1] !== undefined ? m[1] : m[2]) : line.replace(/\s+$/, '');
  }).join('\n');
}

/** What ui.js render() shows: result, failure kinds, per-record kinds, SM2 rows and the CLI-format lines. */
async function inPage(bytes, vector) {
  const logKey = await BT.note.parseNoteKey(vector.logKey);
  const witnesses = [];
  for (const w of vector.witnesses || []) {
    witnesses.push(await BT.note.parseCosignerKey(w));
  }
  const pins = { logKey, witnesses, quorum: vector.quorum === undefined ? witnesses.length : vector.quorum };
  try {
    const bundle = await BT.bundle.readBundle(bytes);
    const report = await BT.verify.verify(bundle, pins);
    return {
      result: report.result, failures: [...new Set(report.findings.map((f) => f.kind))].sort(),
      recordKinds: report.records.map((r) => [...new Set(r.findings.map((f) => f.kind))].sort().join(',')),
      sm2Rows: report.records.some((r) => !r.findings.length && r.unchecked), cli: BT.verify.summaryLines(bundle, report).join('\n'),
    };
  } catch (e) {
    if (!(e instanceof BT.bundle.BundleError)) {
      throw e;
    }
    return {
      result: 'FAILED', failures: [e.kind], recordKinds: [], sm2Rows: false,
      cli: (e.kind === 'MALFORMED_BUNDLE' ? ['FAIL MALFORMED_BUNDLE bundle: ' + e.message, 'RESULT: FAILED (bundle unreadable)']
        : ['FAIL ' + e.kind + ': ' + e.message, "RESULT: FAILED (over the verifier's caps, not read further)"]).join('\n'),
    };
  }
}

/** The CLI's output for the bundle and its per-record failure kinds (from its "FAIL records[i]: KIND" lines). */
function inCli(file, vector, records) {
  const args = ['-jar', jar, 'verify', '--log-key', vector.logKey];
  (vector.witnesses || []).forEach((w) => args.push('--witness', w));
  if (vector.quorum !== undefined) {
    args.push('--quorum', String(vector.quorum));
  }
  args.push(file);
  let out;
  try {
    out = execFileSync('java', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch (e) {
    if (e.status !== 1) {
      throw e;
    }
    out = e.stdout;
  }
  const kinds = Array.from({ length: records }, () => new Set());
  for (const [, index, kind] of out.matchAll(/^FAIL records\[(\d+)\]: ([A-Z_]+):/gm)) {
    kinds[+index].add(kind);
  }
  return { cli: comparable(out), recordKinds: kinds.map((k) => [...k].sort().join(',')) };
}

(async () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-vectors-'));
  const problems = [];
  const names = fs.readdirSync(vectors).filter((n) => n.endsWith('.json')).sort();
  for (const name of names) {
    const vector = JSON.parse(fs.readFileSync(path.join(vectors, name), 'utf8'));
    // The bytes an auditor drops on the page (the Java test writes the bundle with Jackson, compact; numbers
    // in vectors are small integers, so JSON.stringify gives the same text).
    const text = vector.bundleText !== undefined ? vector.bundleText : JSON.stringify(vector.bundle);
    const file = path.join(work, name);
    fs.writeFileSync(file, text);
    const shown = await inPage(new TextEncoder().encode(text), vector);
    const sm2 = vector.bundle !== undefined && JSON.stringify(vector.bundle).includes('"alg":"SM2"');
    const want = sm2 ? 'INCOMPLETE' : vector.want.result;
    const wantFailures = [...vector.want.failures].sort();
    if (shown.result !== want || shown.failures.join() !== wantFailures.join()) {
      problems.push(name + ': page ' + shown.result + ' [' + shown.failures + '], want ' + want + ' [' + wantFailures + ']');
    }
    if (sm2 && !shown.sm2Rows) {
      problems.push(name + ': no row says its SM2 signature was not checked');
    }
    if (jar) {
      const java = inCli(file, vector, shown.recordKinds.length);
      if (java.recordKinds.join('|') !== shown.recordKinds.join('|')) {
        problems.push(name + ': per-record kinds: page [' + shown.recordKinds + '], CLI [' + java.recordKinds + ']');
      }
      if (!sm2 && java.cli !== comparable(shown.cli)) {
        problems.push(name + ': output differs from the CLI\'s\n--- page:\n' + comparable(shown.cli) + '\n--- cli:\n' + java.cli);
      }
    }
  }
  fs.rmSync(work, { recursive: true, force: true });
  console.log(names.length + ' vectors, ' + problems.length + ' mismatches' + (jar ? ' (result, kinds, per-record kinds and CLI output)' : ' (result and kinds)'));
  problems.forEach((p) => console.log(p));
  process.exitCode = problems.length ? 1 : 0;
})();

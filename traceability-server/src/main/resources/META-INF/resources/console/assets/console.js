// Battery traceability console: calls the same REST API as every client, authenticated by the session
// cookie (HttpOnly: this script never sees it) plus the session's CSRF token from the page's <meta>.
// Private keys are read from a file chosen by the operator, imported into WebCrypto and never sent anywhere.
'use strict';
(() => {
  const meta = (name) => { const e = document.querySelector('meta[name="' + name + '"]'); return e ? e.content : null; };
  const csrf = meta('csrf-token');
  const organization = meta('organization');
  const i18nElement = document.getElementById('i18n');
  const t = (key) => (i18nElement && i18nElement.dataset[key]) || key;

  /** A problem (RFC 9457) answered by the API, as an Error with its detail and item errors. */
  async function api(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (csrf) { headers['X-CSRF-Token'] = csrf; }
    if (body !== undefined) { headers['Content-Type'] = 'application/json'; }
    const response = await fetch('/api/v1' + path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    const json = text ? JSON.parse(text) : null;
    if (!response.ok) {
      const error = new Error(json && json.detail ? json.detail : String(response.status));
      error.problem = json;
      throw error;
    }
    return json;
  }

  // ---- bytes
  const utf8 = (s) => new TextEncoder().encode(s);
  const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  const fromHex = (h) => Uint8Array.from(h.match(/../g).map((x) => parseInt(x, 16)));
  const concat = (...parts) => { const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0)); let i = 0; parts.forEach((p) => { out.set(p, i); i += p.length; }); return out; };
  const base64url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const fromBase64url = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4)), (c) => c.charCodeAt(0));
  const contains = (bytes, pattern) => {
    outer: for (let i = 0; i + pattern.length <= bytes.length; i++) {
      for (let j = 0; j < pattern.length; j++) { if (bytes[i + j] !== pattern[j]) { continue outer; } }
      return true;
    }
    return false;
  };

  /** RFC 8785 JSON canonicalization for trace records (strings, integers, booleans, null, objects, arrays): sorted keys, ES number and string forms. */
  function canonical(value) {
    if (value === null || typeof value !== 'object') { return JSON.stringify(value); }
    if (Array.isArray(value)) { return '[' + value.map(canonical).join(',') + ']'; }
    return '{' + Object.keys(value).sort().map((k) => JSON.stringify(k) + ':' + canonical(value[k])).join(',') + '}';
  }

  /** IEEE P1363 r||s (what WebCrypto's ECDSA gives) to the DER SEQUENCE of two INTEGERs that records carry (RFC 3279 §2.2.3). */
  function p1363ToDer(signature) {
    const integer = (bytes) => {
      let i = 0;
      while (i < bytes.length - 1 && bytes[i] === 0) { i++; }
      let v = bytes.slice(i);
      if (v[0] & 0x80) { v = concat(Uint8Array.of(0), v); }
      return concat(Uint8Array.of(0x02, v.length), v);
    };
    const half = signature.length / 2;
    const body = concat(integer(signature.slice(0, half)), integer(signature.slice(half)));
    return concat(Uint8Array.of(0x30, body.length), body);
  }

  // ---- the organization's key (PKCS#8 PEM), kept in this page's memory only
  const OID_ED25519 = [0x06, 0x03, 0x2b, 0x65, 0x70];
  const OID_EC_PUBLIC_KEY = [0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
  const OID_P256 = [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
  const OID_SM2 = [0x06, 0x08, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x82, 0x2d];
  const SPKI_ED25519 = fromHex('302a300506032b6570032100');
  const SPKI_P256 = fromHex('3059301306072a8648ce3d020106082a8648ce3d030107034200');
  let signer = null;

  const keyFailure = (key) => { const e = new Error(t(key)); e.key = key; return e; };

  async function importKey(text) {
    const pem = /-----BEGIN PRIVATE KEY-----([\s\S]+?)-----END PRIVATE KEY-----/.exec(text);
    if (!pem) { throw keyFailure('keyNotPem'); }
    let der;
    try { der = Uint8Array.from(atob(pem[1].replace(/\s+/g, '')), (c) => c.charCodeAt(0)); } catch (e) { throw keyFailure('keyNotPem'); }
    if (contains(der, OID_SM2)) { throw keyFailure('keySm2'); }
    let algorithm, alg, spki;
    try {
      if (contains(der, OID_ED25519)) {
        algorithm = { name: 'Ed25519' };
        alg = 'Ed25519';
        const jwk = await crypto.subtle.exportKey('jwk', await crypto.subtle.importKey('pkcs8', der, algorithm, true, ['sign']));
        spki = concat(SPKI_ED25519, fromBase64url(jwk.x));
      } else if (contains(der, OID_EC_PUBLIC_KEY) && contains(der, OID_P256)) {
        algorithm = { name: 'ECDSA', namedCurve: 'P-256' };
        alg = 'ES256';
        const jwk = await crypto.subtle.exportKey('jwk', await crypto.subtle.importKey('pkcs8', der, algorithm, true, ['sign']));
        spki = concat(SPKI_P256, Uint8Array.of(4), fromBase64url(jwk.x), fromBase64url(jwk.y));
      } else {
        throw keyFailure('keyUnsupported');
      }
    } catch (e) {
      throw e.key ? e : keyFailure('keyUnsupported');
    }
    const privateKey = await crypto.subtle.importKey('pkcs8', der, algorithm, false, ['sign']);
    const keyId = hex(new Uint8Array(await crypto.subtle.digest('SHA-256', spki)));
    const keys = await api('GET', '/organizations/' + organization + '/keys');
    const now = Date.now();
    const active = keys.some((k) => k.keyId === keyId && !k.revokedAt && Date.parse(k.validFrom) <= now + 60000);
    if (!active) { throw keyFailure('keyNotRegistered'); }
    return {
      keyId,
      alg,
      async sign(bytes) {
        const raw = new Uint8Array(await crypto.subtle.sign(alg === 'ES256' ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'Ed25519' }, privateKey, bytes));
        return { keyId, alg, value: base64url(alg === 'ES256' ? p1363ToDer(raw) : raw) };
      },
    };
  }

  function show(element, text) {
    if (!element) { return; }
    element.textContent = text || '';
    element.hidden = !text;
  }

  const keyInput = document.getElementById('key-file');
  if (keyInput) {
    keyInput.addEventListener('change', async () => {
      signer = null;
      show(document.getElementById('key-error'), '');
      show(document.getElementById('key-status'), '');
      const file = keyInput.files[0];
      if (!file) { return; }
      try {
        signer = await importKey(await file.text());
        show(document.getElementById('key-status'), t('keyLoaded') + ': ' + signer.alg + ' ' + signer.keyId.slice(0, 16) + '…');
      } catch (e) {
        show(document.getElementById('key-error'), e.message);
      }
    });
  }

  function requireSigner() {
    if (!signer) {
      show(document.getElementById('key-error'), t('keyNeeded'));
      throw keyFailure('keyNeeded');
    }
    return signer;
  }

  // ---- transfers: accept (sign the offered TRANSFERRED record) or reject/cancel
  document.querySelectorAll('button.accept, button.reject').forEach((button) => {
    button.addEventListener('click', async () => {
      const id = button.dataset.transfer;
      const row = document.getElementById('transfer-' + id);
      const message = document.getElementById('message-' + id);
      message.classList.remove('error');
      try {
        let status;
        if (button.classList.contains('accept')) {
          const key = requireSigner();
          message.textContent = t('working');
          const transfer = await api('GET', '/transfers/' + id);
          const signature = await key.sign(utf8(canonical(transfer.offer.record)));
          const accepted = await api('POST', '/transfers/' + id + '/accept', signature);
          status = 'ACCEPTED';
          message.textContent = t('accepted') + ' ' + accepted.logIndex;
        } else {
          message.textContent = t('working');
          status = (await api('POST', '/transfers/' + id + '/reject')).status;
          message.textContent = t('rejected');
        }
        row.querySelector('.status').textContent = status;
        row.querySelectorAll('button').forEach((b) => b.remove());
      } catch (e) {
        message.classList.add('error');
        message.textContent = t('failed') + ': ' + e.message;
      }
    });
  });

  // ---- record a collection: one code per line (a barcode scanner types a code and Enter)
  const collect = document.getElementById('collect');
  if (collect) {
    collect.addEventListener('submit', async (event) => {
      event.preventDefault();
      const codesError = document.getElementById('codes-error');
      const siteError = document.getElementById('site-error');
      const result = document.getElementById('collect-result');
      [codesError, siteError, result].forEach((e) => show(e, ''));
      const codes = document.getElementById('codes').value.split(/\r?\n/).map((s) => s.trim()).filter((s) => s);
      const site = document.getElementById('site').value.trim();
      let bad = false;
      if (!codes.length) { show(codesError, t('codesNeeded')); bad = true; }
      if (!site) { show(siteError, t('siteNeeded')); bad = true; }
      let key;
      try { key = requireSigner(); } catch (e) { bad = true; }
      if (bad) { return; }
      show(result, t('working'));
      // Prepare every code first: preparing changes nothing, so one bad code stops the lot before anything is signed or sent.
      const prepared = [];
      const problems = [];
      for (const code of codes) {
        try {
          prepared.push(await api('POST', '/records/prepare', { subject: code, type: 'COLLECTED', data: { site } }));
        } catch (e) {
          problems.push(code + ': ' + (e.problem && e.problem.status === 400 ? t('codeMalformed') + ' — ' : '') + e.message);
        }
      }
      if (problems.length) { show(result, ''); show(codesError, problems.join('\n')); return; }
      const records = [];
      for (const p of prepared) {
        records.push({ record: p.record, signatures: [await key.sign(fromBase64url(p.canonicalBase64Url))] });
      }
      try {
        const batch = await api('POST', '/records/bulk', { records });
        show(result, t('collected') + ': ' + batch.records.map((r) => r.subject + ' #' + r.logIndex).join(', '));
      } catch (e) {
        show(result, '');
        const items = e.problem && e.problem.errors ? e.problem.errors.map((x) => codes[x.index] + ': ' + x.detail) : [e.message];
        show(codesError, items.join('\n'));
      }
    });
  }
})();

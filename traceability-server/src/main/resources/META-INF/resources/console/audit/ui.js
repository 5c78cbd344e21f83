/*
 * The auditor page: reads the dropped or chosen bundle and the pinned keys, runs BT.verify entirely in the
 * browser (no request leaves the page, so a saved copy works offline) and shows the per-record report and
 * the overall result. Chinese by default, English on the switch (or ?lang=en). No inline script or style:
 * the console's Content-Security-Policy allows only 'self'.
 */
(function (BT) {
  'use strict';

  const TEXT = {
    zh: {
      title: '证据包核验', intro: '在浏览器中核验电池的证据包：签名、哈希链、Merkle 证明、检查点与生命周期规则全部在本机计算，不向任何服务器发送数据。本页可另存后离线使用。',
      bundleLabel: '证据包 (JSON)', dropHint: '将证据包文件拖放到此处，或', logKeyLabel: '固定的日志公钥（note verifier key）',
      logKeyHelp: '从运营方公告或监管通知获取，不要只信任服务器给出的公钥。', witnessLabel: '见证方公钥（可选，每行一个）',
      quorumLabel: '法定人数（默认：全部见证方）', verify: '核验', recordsHeading: '记录', colIndex: '序号', colType: '类型', colSeq: 'seq',
      colTime: '时间', colActor: '记录方', colVerdict: '结论', colFailures: '问题', otherHeading: '其他检查', cliHeading: '与命令行核验器相同格式的输出',
      aboutHeading: '核验内容',
      aboutChecks: '与命令行核验器（traceability-core verify）相同：RFC 8785 规范化与 SHA-256、Ed25519 与 ECDSA P-256 签名（WebCrypto）、RFC 9162 包含证明与一致性证明、C2SP 签名检查点与见证方联署、日志映射证明（最新记录与密钥状态）、密钥事件、组织事实（登记的角色、白名单资质与备案的厂商代码，由日志签名并经映射证明完整）、关联链（梯次产品的来源电池、部件的上级、拆解电池的部件、再生利用批次，经映射证明完整并回放至每条记录）、哈希链、签名规则、生命周期（含角色）、接收方与厂商代码规则、关联规则、事件数据规则，以及证据包大小上限。',
      aboutSm2: '浏览器无法校验 SM2 签名：含 SM2 签名的证据包显示为“未完成核验”，绝不显示“核验通过”；请用命令行核验器完成核验。',
      language: 'English', VERIFIED: '核验通过', FAILED: '核验失败', INCOMPLETE: '未完成核验', working: '正在核验…',
      verifiedDetail: (n) => `${n} 条记录全部通过。`, failedDetail: (n) => `发现 ${n} 个问题。`,
      incompleteDetail: (n) => `其余检查均通过，但 ${n} 个 SM2 签名无法在浏览器中校验（WebCrypto 不支持 SM2）。请用命令行核验器完成核验。`,
      unreadable: '证据包无法读取，未进行核验。', ok: '通过', fail: '失败', sm2: '未在浏览器中校验 (SM2)', sm2Key: 'SM2 签名未校验，密钥',
      subject: '对象', checkpoint: '检查点', checkpointInvalid: '无效', witnessed: '见证检查点', cosigned: '联署', mapRoot: '映射根', keyEvents: '密钥事件', organizationFacts: '组织事实', noOrganizationFacts: (f) => `无（${f} 证据包不含组织事实）`, linkedRecords: '关联链记录', noLinkedRecords: (f) => `无（${f} 证据包不含关联链）`,
      latest: '最新记录', latestYes: '已由映射证明为最新记录', finalState: '最终状态', none: '无',
      noBundle: '请选择或拖放一个证据包文件。', noLogKey: '请填写固定的日志公钥。', badLogKey: '日志公钥无效：', badWitness: (n) => `第 ${n} 行见证方公钥无效：`,
      badQuorum: (n) => `法定人数须为 1 到 ${n} 之间的整数。`, quorumWithoutWitness: '未填写见证方公钥时不能设置法定人数。', notJson: '文件无法读取：',
      size: (s) => `大小 ${s}`, root: '根', by: '由', at: '于', custodian: '持有方',
    },
    en: {
      title: 'Evidence bundle verification', intro: "Verify a battery's evidence bundle in your browser: signatures, hash chain, Merkle proofs, checkpoint and lifecycle rules are all computed on this machine; nothing is sent to any server. Save this page to use it offline.",
      bundleLabel: 'Evidence bundle (JSON)', dropHint: 'Drop the bundle file here, or', logKeyLabel: 'Pinned log key (note verifier key)',
      logKeyHelp: "Take it from the operator's publication or a regulator's notice, never from the server alone.", witnessLabel: 'Witness keys (optional, one per line)',
      quorumLabel: 'Quorum (default: every witness)', verify: 'Verify', recordsHeading: 'Records', colIndex: '#', colType: 'Type', colSeq: 'seq',
      colTime: 'Time', colActor: 'Actor', colVerdict: 'Verdict', colFailures: 'Problems', otherHeading: 'Other checks', cliHeading: 'Output in the command-line verifier\'s format',
      aboutHeading: 'What is checked',
      aboutChecks: 'The same as the command-line verifier (traceability-core verify): RFC 8785 canonicalization and SHA-256, Ed25519 and ECDSA P-256 signatures (WebCrypto), RFC 9162 inclusion and consistency proofs, the C2SP signed checkpoint and witness cosignatures, the log map proofs (latest record and key statuses), key events, the organization facts (registered roles, white-list qualifications and filed manufacturer codes, log-signed and proven complete by the map), the linked chains (the sources of a cascade product, the parent of a part, the parts of a dismantled battery, a recycling lot; proven complete by the map and replayed to each record), the hash chain, the signature rules, the lifecycle with its roles, the receiver and manufacturer-code rules, the link rules, the event-data rules, and the bundle caps.',
      aboutSm2: 'A browser cannot check SM2 signatures: a bundle with SM2 signatures is shown as NOT VERIFIED (incomplete), never VERIFIED; finish with the command-line verifier.',
      language: '中文', VERIFIED: 'VERIFIED', FAILED: 'FAILED', INCOMPLETE: 'NOT VERIFIED (incomplete)', working: 'Verifying…',
      verifiedDetail: (n) => `All ${n} records pass.`, failedDetail: (n) => `${n} problems found.`,
      incompleteDetail: (n) => `Every other check passes, but ${n} SM2 signatures cannot be checked in a browser (WebCrypto has no SM2). Finish with the command-line verifier.`,
      unreadable: 'The bundle cannot be read; nothing was verified.', ok: 'ok', fail: 'FAIL', sm2: 'not checked in the browser (SM2)', sm2Key: 'SM2 signature not checked, key',
      subject: 'Subject', checkpoint: 'Checkpoint', checkpointInvalid: 'INVALID', witnessed: 'Witnessed checkpoint', cosigned: 'Cosigned', mapRoot: 'Map root', keyEvents: 'Key events', organizationFacts: 'Organization facts', noOrganizationFacts: (f) => `none (a ${f} bundle carries none)`, linkedRecords: 'Linked records', noLinkedRecords: (f) => `none (a ${f} bundle carries none)`,
      latest: 'Latest', latestYes: 'the last record is proven the latest by the map', finalState: 'Final state', none: 'none',
      noBundle: 'Choose or drop an evidence bundle file.', noLogKey: 'Enter the pinned log key.', badLogKey: 'Invalid log key: ', badWitness: (n) => `Invalid witness key on line ${n}: `,
      badQuorum: (n) => `The quorum must be a whole number from 1 to ${n}.`, quorumWithoutWitness: 'A quorum needs witness keys.', notJson: 'Cannot read the file: ',
      size: (s) => `size ${s}`, root: 'root', by: 'by', at: 'at', custodian: 'custodian',
    },
  };

  /** What each failure kind means, for readers who do not know the verifier's names. */
  const KINDS = {
    MALFORMED_BUNDLE: ['不是有效的证据包（JSON 结构、未知字段或格式）', 'not a bundle (JSON shape, unknown members, format)'],
    CHECKPOINT_INVALID: ['检查点未由固定的日志公钥签名，或格式错误', 'the checkpoint is not signed by the pinned log key, or is malformed'],
    COSIGNATURE_INVALID: ['固定的见证方的联署签名无效', "a pinned witness's cosignature does not verify"],
    WITNESS_QUORUM_NOT_MET: ['联署的见证方少于法定人数', 'fewer pinned witnesses cosigned than the quorum'],
    CONSISTENCY_INVALID: ['见证检查点与证据包的检查点不一致', "the witnessed checkpoint does not extend the bundle's"],
    SUBJECT_MISMATCH: ['记录属于另一个对象', 'a record is about another subject'],
    KEY_EVENT_INVALID: ['密钥事件无效（签名、链或内容）', 'a key event is invalid (signature, chain or content)'],
    UNKNOWN_KEY: ['签名密钥未登记', 'the signing key is not registered'],
    KEY_NOT_VALID_AT_TIME: ['记录时间不在密钥有效期内', "the record's time is outside the key's validity"],
    SIGNED_AFTER_REVOCATION: ['密钥撤销后才写入日志的记录', "logged after its key's revocation"],
    ALGORITHM_MISMATCH: ['签名算法与密钥不符', "the signature's algorithm is not the key's"],
    SIGNATURE_INVALID: ['签名无效', 'a signature does not verify'],
    SIGNER_NOT_PARTY: ['签名方不是记录的当事方', 'a signer is not a party to the record'],
    MISSING_SIGNATURE: ['缺少记录方或接收方的签名', "the actor's or receiver's signature is missing"],
    CHAIN_BROKEN: ['哈希链断裂（seq 或 prev）', 'the hash chain is broken (seq or prev)'],
    LIFECYCLE_VIOLATION: ['违反生命周期或持有规则', 'a lifecycle or custody rule is broken'],
    EVENT_DATA_INVALID: ['事件数据不符合规则', "the event's data breaks its rules"],
    INCLUSION_PROOF_INVALID: ['包含证明不通向检查点的根', "an inclusion proof does not lead to the checkpoint's root"],
    EMPTY_BUNDLE: ['证据包没有记录', 'the bundle holds no record'],
    MAP_PROOF_MISSING: ['缺少映射证明（无法证明完整性）', 'a map proof is missing (completeness unproven)'],
    MAP_PROOF_INVALID: ['映射证明不通向映射根', 'a map proof does not lead to the map root'],
    NOT_LATEST: ['证据包未包含最新记录', "the bundle leaves out the subject's latest records"],
    KEY_STATUS_MISMATCH: ['密钥事件与映射中的密钥状态矛盾（如隐瞒撤销）', "a key's status contradicts the map (e.g. a withheld revocation)"],
    BUNDLE_TOO_LARGE: ['证据包超过 64 MiB 上限', 'the bundle is above the 64 MiB cap'],
    TOO_MANY_ENTRIES: ['条目数超过上限', 'more entries than the cap'],
    TOO_MANY_SIGNATURES: ['单条记录签名数超过上限', 'more signatures on a record than the cap'],
    PROOF_TOO_LONG: ['证明长度超过上限', 'a proof longer than the cap'],
    TIME_BEFORE_PREVIOUS: ['记录时间早于前一条记录', 'a record dated before the previous one'],
    CODE_KIND_MISMATCH: ['编码类型与首条记录不符', "the chain opens under the wrong kind of code"],
    DUPLICATE_SIGNER: ['同一组织签名两次', 'one organization signed twice'],
    LEVEL_MISMATCH: ['部件层级不符（如电池包作为电池包的部件）', 'a part of a level its parent cannot hold'],
    ORGANIZATION_EVENT_INVALID: ['组织事实条目无效（非日志签名、链断裂或内容错误）', 'an organization fact is invalid (not log-signed, chain broken or malformed)'],
    ORGANIZATION_FACTS_MISSING: ['旧格式证据包不含组织事实与关联链，无法核验角色、白名单、厂商代码规则以及来源、上级、部件与批次', 'an older bundle without organization facts and linked records: roles, white list, manufacturer codes and the chains of sources, parents, parts and lots cannot be checked'],
    ACTOR_NOT_REGISTERED: ['记录方在记录之前未在平台登记', 'the actor was not a registered organization before the record'],
    ROLE_NOT_ALLOWED: ['记录方不具备记录该事件的角色', 'the actor holds no role that may record this event'],
    UNKNOWN_RECEIVER: ['移交的接收方未登记', 'the receiver of a transfer is not registered'],
    RECEIVER_CANNOT_HOLD: ['接收方不能持有电池（如监管部门）', 'the receiver may not hold batteries (e.g. a regulator)'],
    RECEIVER_NOT_QUALIFIED: ['退役电池移交给当日不在白名单内的企业', 'a waste battery went to an enterprise not on the white list that day'],
    MANUFACTURER_CODE_MISMATCH: ['电池编码的厂商代码不属于记录方', "the battery code's manufacturer code is not the actor's"],
    TIME_IN_FUTURE: ['记录时间晚于见证方联署包含它的树的时间', 'a record dated after a pinned witness cosigned a tree that holds it'],
    SOURCE_NOT_REGISTERED: ['梯次产品的来源电池未登记', 'a cascade product names a source battery the log had not registered'],
    SOURCE_NOT_REPURPOSED: ['来源电池未先由组装方转为梯次利用并持有', 'a source battery was not REPURPOSED by, and held by, the assembler just before'],
    PARENT_NOT_REGISTERED: ['所属上级（电池包或模组）未登记', 'a battery produced as part of a parent the log had not registered'],
    PART_NOT_REGISTERED: ['拆解记录列出的部件未登记为其部件', 'a dismantled battery lists a component not registered as its part'],
    PART_OF_ANOTHER_PARENT: ['拆分记录所称上级与生产时登记的不同', 'a part separated from a parent other than the one its production named'],
    PARENT_NOT_DISMANTLED: ['上级未由拆分方拆解', 'a part separated from a parent the separating organization had not dismantled'],
    LOT_NOT_OPEN: ['再生利用批次未开启或不属于该再生利用企业', 'a battery recycled into a lot that was not open and held by the recycler'],
  };

  const $ = (id) => document.getElementById(id);
  let lang = new URLSearchParams(location.search).get('lang') === 'en' ? 'en' : 'zh';
  let last = null; // the last bundle and report, re-rendered on a language switch
  let file = null;

  const t = (key) => TEXT[lang][key];

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) {
      e.className = className;
    }
    if (text !== undefined) {
      e.textContent = text;
    }
    return e;
  }

  function applyLanguage() {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = t('title') + (lang === 'zh' ? ' · 动力电池溯源' : ' · battery traceability');
    document.querySelectorAll('[data-i18n]').forEach((e) => {
      e.textContent = t(e.dataset.i18n);
    });
    $('language').textContent = t('language');
    $('language').lang = lang === 'zh' ? 'en' : 'zh-CN';
    if (last) {
      render(last);
    }
  }

  function setError(id, message) {
    $(id).textContent = message || '';
    const field = $(id).closest('.field');
    field.classList.toggle('invalid', !!message);
  }

  function clearErrors() {
    ['bundle-error', 'log-key-error', 'witnesses-error', 'quorum-error'].forEach((id) => setError(id, ''));
  }

  /** The pinned keys from the form, or null after putting a message beside each bad field. */
  async function readPins() {
    let ok = true;
    let logKey = null;
    const keyText = $('log-key').value.trim();
    if (!keyText) {
      setError('log-key-error', t('noLogKey'));
      ok = false;
    } else {
      try {
        logKey = await BT.note.parseNoteKey(keyText);
      } catch (e) {
        if (!(e instanceof BT.note.KeyError)) {
          throw e;
        }
        setError('log-key-error', t('badLogKey') + e.message);
        ok = false;
      }
    }
    const witnesses = [];
    const lines = $('witnesses').value.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i].trim()) {
        continue;
      }
      try {
        const w = await BT.note.parseCosignerKey(lines[i]);
        if (!witnesses.some((x) => x.name === w.name && BT.bytes.equal(x.raw, w.raw))) {
          witnesses.push(w);
        }
      } catch (e) {
        if (!(e instanceof BT.note.KeyError)) {
          throw e;
        }
        setError('witnesses-error', t('badWitness')(i + 1) + e.message);
        ok = false;
        break;
      }
    }
    let quorum = witnesses.length;
    const q = $('quorum').value.trim();
    if (q) {
      if (!witnesses.length && ok) {
        setError('quorum-error', t('quorumWithoutWitness'));
        ok = false;
      } else if (!/^[1-9][0-9]{0,3}$/.test(q) || +q > witnesses.length) {
        setError('quorum-error', t('badQuorum')(witnesses.length || 1));
        ok = false;
      } else {
        quorum = +q;
      }
    }
    return ok ? { logKey, witnesses, quorum } : null;
  }

  async function run(event) {
    if (event) {
      event.preventDefault();
    }
    clearErrors();
    if (!file) {
      setError('bundle-error', t('noBundle'));
    }
    const pins = await readPins();
    if (!file || !pins) {
      return;
    }
    $('result-section').hidden = false;
    $('result').dataset.state = 'working';
    $('result').textContent = t('working');
    let outcome;
    if (file.size > BT.bundle.LIMITS.BUNDLE_BYTES[0]) {
      // Refused on its size, before a byte is read, like the CLI.
      outcome = { error: new BT.bundle.BundleError('BUNDLE_TOO_LARGE', 'bundle (bytes) holds ' + file.size + ", above the verifier's cap of " + BT.bundle.LIMITS.BUNDLE_BYTES[0]) };
    } else {
      let bytes;
      try {
        bytes = new Uint8Array(await file.arrayBuffer());
      } catch (e) {
        $('result-section').hidden = true;
        setError('bundle-error', t('notJson') + e.message);
        return;
      }
      try {
        const bundle = await BT.bundle.readBundle(bytes);
        outcome = { bundle, report: await BT.verify.verify(bundle, pins) };
      } catch (e) {
        if (!(e instanceof BT.bundle.BundleError)) {
          throw e;
        }
        outcome = { error: e };
      }
    }
    last = outcome;
    render(outcome);
    $('result').scrollIntoView({ block: 'start' });
  }

  function kindItem(kind) {
    const li = el('li');
    li.dataset.kind = kind;
    li.append(el('code', null, kind), el('span', null, ' ' + (KINDS[kind] ? KINDS[kind][lang === 'zh' ? 0 : 1] : '')));
    return li;
  }

  function render(outcome) {
    const result = $('result');
    const kinds = $('failure-kinds');
    const summary = $('summary');
    const body = $('records').tBodies[0];
    const other = $('other-findings');
    [kinds, summary, body, other].forEach((e) => e.replaceChildren());
    let state;
    let failures;
    let detail;
    let cli;
    if (outcome.error) {
      state = 'FAILED';
      failures = [outcome.error.kind];
      detail = t('unreadable');
      other.append(el('li', 'problem', outcome.error.kind + ': ' + outcome.error.message));
      cli = outcome.error.kind === 'MALFORMED_BUNDLE'
        ? ['FAIL MALFORMED_BUNDLE bundle: ' + outcome.error.message, 'RESULT: FAILED (bundle unreadable)']
        : ['FAIL ' + outcome.error.kind + ': ' + outcome.error.message, "RESULT: FAILED (over the verifier's caps, not read further)"];
    } else {
      const { bundle, report } = outcome;
      state = report.result;
      failures = [...new Set(report.findings.map((f) => f.kind))].sort();
      detail = state === 'VERIFIED' ? t('verifiedDetail')(report.recordsChecked) : state === 'FAILED' ? t('failedDetail')(report.findings.length)
        : t('incompleteDetail')(report.unchecked.length);
      renderSummary(summary, bundle, report);
      for (const r of report.records) {
        const tr = el('tr', r.findings.length ? 'fail' : r.unchecked ? 'unchecked' : 'ok');
        tr.dataset.index = r.index;
        tr.dataset.kinds = [...new Set(r.findings.map((f) => f.kind))].sort().join(',');
        const verdict = r.findings.length ? t('fail') : r.unchecked ? t('sm2') : t('ok');
        const problems = el('td', 'problems');
        r.findings.forEach((f) => problems.append(el('div', null, f.kind + ': ' + f.message)));
        r.uncheckedKeys.forEach((keyId) => problems.append(el('div', 'note', t('sm2Key') + ' ' + keyId.substring(0, 16) + '…')));
        tr.append(el('td', null, String(r.index)), el('td', null, r.type), el('td', null, String(r.seq)), el('td', 'time', r.time), el('td', 'actor', r.actor),
          el('td', 'verdict', verdict), problems);
        body.append(tr);
      }
      report.findings.filter((f) => !/^records\[/.test(f.where)).forEach((f) => other.append(el('li', 'problem', f.where + ': ' + f.kind + ': ' + f.message)));
      if (!other.children.length) {
        other.append(el('li', null, t('none')));
      }
      cli = BT.verify.summaryLines(bundle, report);
    }
    result.dataset.state = 'done';
    result.dataset.result = state;
    result.dataset.failures = failures.join(',');
    result.className = 'result ' + state.toLowerCase();
    result.replaceChildren(el('strong', null, t(state)), el('span', null, ' ' + detail));
    failures.forEach((k) => kinds.append(kindItem(k)));
    $('cli-output').textContent = cli.join('\n');
  }

  function renderSummary(dl, bundle, report) {
    const row = (term, value) => dl.append(el('dt', null, term), el('dd', null, value));
    row(t('subject'), bundle.subject + ' (' + bundle.format + ')');
    row(t('checkpoint'), report.checkpoint ? report.checkpoint.origin + ' · ' + t('size')(report.checkpoint.size) + ' · ' + t('root') + ' ' + BT.bytes.hex(report.checkpoint.root)
      : t('checkpointInvalid'));
    if (report.witnessed) {
      row(t('witnessed'), t('size')(report.witnessed.size));
    }
    report.cosignatures.forEach((c) => row(t('cosigned'), t('by') + ' ' + c.witness.name + ' ' + t('at') + ' ' + BT.verify.instantText(c.timestamp)));
    if (report.mapRoot) {
      row(t('mapRoot'), BT.bytes.hex(report.mapRoot));
    }
    row(t('keyEvents'), String(report.keyEventsChecked));
    row(t('organizationFacts'), bundle.organizationFacts ? String(bundle.organizationFacts.length) : t('noOrganizationFacts')(bundle.format));
    row(t('linkedRecords'), bundle.linkedRecords ? String(bundle.linkedRecords.length) : t('noLinkedRecords')(bundle.format));
    if (report.latestProven) {
      row(t('latest'), t('latestYes'));
    }
    if (report.finalStatus) {
      row(t('finalState'), report.finalStatus.state + ' · ' + t('custodian') + ' ' + report.finalStatus.custodian);
    }
  }

  function choose(chosen) {
    file = chosen || null;
    $('bundle-name').textContent = file ? file.name + ' (' + file.size + ' B)' : '';
    setError('bundle-error', '');
  }

  function start() {
    applyLanguage();
    $('language').addEventListener('click', () => {
      lang = lang === 'zh' ? 'en' : 'zh';
      applyLanguage();
    });
    $('bundle-file').addEventListener('change', () => choose($('bundle-file').files[0]));
    const drop = $('drop');
    drop.addEventListener('dragover', (e) => {
      e.preventDefault();
      drop.classList.add('over');
    });
    drop.addEventListener('dragleave', () => drop.classList.remove('over'));
    drop.addEventListener('drop', (e) => {
      e.preventDefault();
      drop.classList.remove('over');
      choose(e.dataTransfer.files[0]);
    });
    $('form').addEventListener('submit', (e) => {
      run(e).catch((err) => {
        $('result').dataset.state = 'error';
        $('result').textContent = String(err);
        throw err;
      });
    });
    document.body.dataset.ready = 'true';
  }

  document.addEventListener('DOMContentLoaded', start);
})(window.BT = window.BT || {});

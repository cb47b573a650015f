// The JS API (build/wasm/engine/postguard-engine.mjs): policy inputs, typed errors, offsets,
// lifetime. Native parity is in the other tests; this is about the API's own promises.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CORPUS, ENGINE_DIR } from '../test-support/helpers.mjs';

const have = existsSync(path.join(ENGINE_DIR, 'postguard-core.wasm'));
const api = have ? await import(pathToFileURL(path.join(ENGINE_DIR, 'postguard-engine.mjs')).href) : null;
const TARKA_FILE = path.join(CORPUS, 'orgs/tarka.json');
const TARKA = have ? readFileSync(TARKA_FILE, 'utf8') : '';
const NAMED = 'Proud of Noah Fairweather (Y7) at Bideford Road today! DM me 😂';
const opts = { skip: have ? false : `no engine in ${ENGINE_DIR}` };

test('createEngine: baseline findings with UTF-16 offsets', opts, async () => {
  const engine = await api.createEngine();
  const findings = engine.check(NAMED, { site: 'x.com' });
  const full = findings.find((f) => f.rule === 'pupil-privacy.full-name');
  assert.ok(full, JSON.stringify(findings));
  assert.equal(NAMED.slice(full.start, full.end), 'Noah Fairweather');
  for (const f of findings) {
    assert.deepEqual(Object.keys(f).slice(0, 7), ['rule', 'category', 'severity', 'start', 'end', 'message', 'policyRef']);
  }
  // Astral characters before a finding count as two UTF-16 units.
  const shifted = engine.check('👨‍👩‍👧‍👦😂 ' + NAMED, {});
  const full2 = shifted.find((f) => f.rule === 'pupil-privacy.full-name');
  assert.equal(full2.start - full.start, '👨‍👩‍👧‍👦😂 '.length);
  assert.equal(engine.checkJson('hello', {}), '{"findings":[]}');
  engine.dispose();
});

test('loadPolicy accepts an object, JSON text, bytes and {name, json} layers alike', opts, async () => {
  const engine = await api.createEngine();
  const ctx = { site: 'x.com' };
  const text = 'Loving my new job at Bideford Road Primary! #BRPSfamily';
  const results = [];
  for (const input of [JSON.parse(TARKA), TARKA, new TextEncoder().encode(TARKA), [{ name: 'tarka.json', json: TARKA }],
    [{ name: 'tarka.json', json: JSON.parse(TARKA) }]]) {
    const loaded = engine.loadPolicy(input, 'bideford-road');
    assert.equal(loaded.school, 'bideford-road');
    assert.equal(engine.school, 'bideford-road');
    assert.match(loaded.disclaimer, /views/i);
    results.push(JSON.stringify(engine.check(text, ctx)));
  }
  assert.ok(results[0].includes('disclaimer'), results[0]);
  assert.equal(new Set(results).size, 1);
  engine.dispose();
});

test('createEngine({policy, school}) equals createEngine() + loadPolicy', opts, async () => {
  const a = await api.createEngine({ policy: TARKA, school: 'torridge-vale' });
  const b = await api.createEngine();
  b.loadPolicy(TARKA, 'torridge-vale');
  const text = 'Torridge Vale Academy pay freeze news: the head told us today. DM me.';
  assert.deepEqual(a.check(text, {}), b.check(text, {}));
  assert.equal(a.disclaimer, b.disclaimer);
  a.dispose();
  b.dispose();
});

test('policy errors are PostGuardErrors with code, file and pointer; the old policy stays', opts, async () => {
  const engine = await api.createEngine({ policy: TARKA, school: 'bideford-road' });
  const before = engine.check(NAMED, {});
  const cases = [
    [[{ name: 'broken.json', json: '{"format": "postguard/1",' }], '', api.ErrorCode.policy_parse, 'broken.json'],
    [[{ name: 'schema.json', json: '{"format": "postguard/1", "organisation": {"id": 7}}' }], '', api.ErrorCode.policy_schema, 'schema.json'],
    [TARKA, 'atlantis', api.ErrorCode.policy_unknown_school, undefined],
    [[{ name: 'latin1.json', json: new Uint8Array([0x7b, 0xff, 0x7d]) }], '', api.ErrorCode.invalid_utf8, 'latin1.json'],
  ];
  for (const [input, school, code, file] of cases) {
    assert.throws(() => engine.loadPolicy(input, school), (e) => {
      assert.ok(e instanceof api.PostGuardError, String(e));
      assert.equal(e.name, 'PostGuardError');
      assert.equal(e.code, code, e.message);
      if (file) assert.equal(e.file, file);
      assert.equal(typeof e.message, 'string');
      assert.deepEqual(Object.keys(e.toJSON()).slice(0, 2), ['code', 'message']);
      return true;
    });
  }
  assert.equal(engine.school, 'bideford-road');
  assert.deepEqual(engine.check(NAMED, {}), before);
  engine.dispose();
});

test('context and text errors', opts, async () => {
  const engine = await api.createEngine();
  assert.throws(() => engine.check('x', { surface: 'tweet' }), { name: 'PostGuardError', code: api.ErrorCode.context_invalid });
  assert.throws(() => engine.check('x', { account: 7 }), { code: api.ErrorCode.context_invalid });
  assert.throws(() => engine.check('x', { images: -1 }), { code: api.ErrorCode.context_invalid });
  assert.throws(() => engine.check('x', { images: 1.5 }), { code: api.ErrorCode.context_invalid });
  assert.throws(() => engine.check(new Uint8Array([0x61, 0xff]), {}), { code: api.ErrorCode.invalid_utf8 });
  assert.throws(() => engine.check(42, {}), TypeError);
  // the engine is still fine afterwards, and a good context after a bad one works
  assert.deepEqual(engine.check('hello', { surface: 'dm' }), []);
  engine.dispose();
});

test('lone surrogates (DOM text) read as U+FFFD: offsets unchanged', opts, async () => {
  const engine = await api.createEngine();
  const good = engine.check('\uFFFD ' + NAMED, {});
  const lone = engine.check('\uD800 ' + NAMED, {});
  assert.deepEqual(lone, good);
  engine.dispose();
});

test('huge drafts grow the memory and still check; memory() reports it', opts, async () => {
  const engine = await api.createEngine();
  const small = engine.memory();
  const big = (NAMED + '\n').repeat(40000);  // ~2.6 MB of UTF-8
  const findings = engine.check(big, {});
  assert.ok(findings.length >= 40000, String(findings.length));
  const last = findings[findings.length - 1];
  assert.ok(last.end <= big.length);
  assert.ok(engine.memory().wasmMemoryBytes >= small.wasmMemoryBytes);
  assert.deepEqual(engine.check('hello', {}), []);
  engine.dispose();
});

test('dispose: later calls throw engine_unusable; twice is fine', opts, async () => {
  const engine = await api.createEngine();
  engine.dispose();
  engine.dispose();
  assert.throws(() => engine.check('x', {}), { code: api.ErrorCode.engine_unusable });
  assert.throws(() => engine.loadPolicy(TARKA), { code: api.ErrorCode.engine_unusable });
});

test('engines share one compiled module, with separate instances', opts, async () => {
  const module = await api.compileEngineModule();
  assert.ok(module instanceof WebAssembly.Module);
  const bytes = readFileSync(path.join(ENGINE_DIR, 'postguard-core.wasm'));
  const [a, b, c] = await Promise.all([
    api.createEngine({ wasmModule: module }),
    api.createEngine({ wasmModule: module, policy: TARKA, school: 'bideford-road' }),
    api.createEngine({ wasmBinary: bytes }),
  ]);
  assert.equal(a.school, '');
  assert.equal(b.school, 'bideford-road');
  assert.deepEqual(a.check(NAMED, {}), c.check(NAMED, {}));
  a.dispose();
  assert.ok(b.check(NAMED, {}).length > 0);
  b.dispose();
  c.dispose();
});

test('the shipped files: no eval, no Function(), no filesystem in the web path', opts, () => {
  const glue = readFileSync(path.join(ENGINE_DIR, 'postguard-core.mjs'), 'utf8');
  const apiSrc = readFileSync(path.join(ENGINE_DIR, 'postguard-engine.mjs'), 'utf8');
  for (const [name, src] of [['glue', glue], ['api', apiSrc]]) {
    assert.doesNotMatch(src, /\beval\s*\(/, `${name} calls eval`);
    assert.doesNotMatch(src, /new\s+Function\s*\(/, `${name} uses new Function`);
    assert.doesNotMatch(src, /\bimportScripts\s*\(/, `${name} uses importScripts`);
  }
  assert.doesNotMatch(glue, /\bFS\.|FS_createPath|MEMFS/, 'the glue has a filesystem (-sFILESYSTEM=0)');
  assert.match(glue, /export default createPostGuardCore/);
  assert.match(apiSrc, /new URL\(WASM_FILE, import\.meta\.url\)/);
});

test('baseline tables: the shipped file is used, given bytes too; missing, damaged or other tables are error 91', opts, async () => {
  const texts = [NAMED, 'Our pay offer and the restructure were discussed at SLT today', 'Add me on snap x'];
  const shipped = await api.createEngine({ policy: TARKA, school: 'bideford-road' });
  assert.equal(shipped.baselinePrebuilt, true);
  const bytes = readFileSync(path.join(ENGINE_DIR, 'postguard-baseline.bin'));
  const given = await api.createEngine({ baselineBinary: bytes, policy: TARKA, school: 'bideford-road' });
  assert.equal(given.baselinePrebuilt, true);
  for (const t of texts) assert.deepEqual(given.check(t, { site: 'x.com' }), shipped.check(t, { site: 'x.com' }));
  assert.ok(texts.flatMap((t) => shipped.check(t, { site: 'x.com' })).length >= 3);
  // The engine embeds no packs, so there is nothing to fall back to: each is a clear error,
  // never an engine with an empty baseline.
  const damaged = bytes.subarray(0, bytes.length - 8);
  await assert.rejects(api.createEngine({ baselineBinary: damaged }), (e) => e instanceof api.PostGuardError &&
    e.code === api.ErrorCode.engine_unusable && /rule packs/.test(e.message));
  await assert.rejects(api.createEngine({ baselineUrl: './no-such-file.bin' }), (e) =>
    e.code === api.ErrorCode.engine_unusable && /postguard-baseline\.bin/.test(e.message));
  // A snapshot of other packs: the same bytes with one byte of the packs' digest changed.
  const other = Uint8Array.from(bytes);
  other[12] ^= 0xff;
  await assert.rejects(api.createEngine({ baselineBinary: other }), (e) => e.code === api.ErrorCode.engine_unusable);
  for (const e of [shipped, given]) e.dispose();
});

test('warmUp: findings unchanged; the engine stays usable; a disposed engine refuses it', opts, async () => {
  const texts = [NAMED, 'Our pay offer and the restructure were discussed at SLT today', 'Add me on snap x', ''];
  const warm = await api.createEngine({ policy: TARKA, school: 'bideford-road' });
  warm.warmUp();
  warm.warmUp();  // twice is fine
  const plain = await api.createEngine({ policy: TARKA, school: 'bideford-road' });
  for (const t of texts) assert.deepEqual(warm.check(t, { site: 'x.com' }), plain.check(t, { site: 'x.com' }));
  // The warm-up's own context does not stick: a check with no context is a check with the defaults.
  assert.deepEqual(warm.check(NAMED), plain.check(NAMED));
  warm.warmUp();  // the engine keeps the last context: measure from the warm-up's own
  const before = warm.memory().mallocInUseBytes;
  for (let i = 0; i < 50; i++) warm.warmUp();
  assert.equal(warm.memory().mallocInUseBytes, before, 'warmUp leaks');
  warm.dispose();
  assert.throws(() => warm.warmUp(), (e) => e instanceof api.PostGuardError && e.code === api.ErrorCode.engine_unusable);
  plain.dispose();
});

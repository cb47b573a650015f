// The engine in a real MV3 extension service worker (headless Chromium through playwright-core):
// static ES module import, .wasm fetched relative to import.meta.url, no eval, no filesystem.
// Its findings must equal the node engine's. Skipped when Chromium or playwright-core is missing
// (playwright-core comes with tests/e2e-extension's npm install).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CORPUS, ENGINE_DIR, ROOT } from '../test-support/helpers.mjs';

const CHROMIUM = process.env.POSTGUARD_CHROMIUM || '/usr/bin/chromium';
const PLAYWRIGHT = ['tests/e2e-extension', 'tests/e2e-host', '.'].map((d) => path.join(ROOT, d, 'node_modules/playwright-core'))
  .find((p) => existsSync(path.join(p, 'package.json')));
const skip = !existsSync(path.join(ENGINE_DIR, 'postguard-core.wasm')) ? `no engine in ${ENGINE_DIR}`
  : !existsSync(CHROMIUM) ? `no Chromium at ${CHROMIUM}`
    : !PLAYWRIGHT ? 'playwright-core not installed (npm install in tests/e2e-extension)' : false;

const TEXTS = [
  'Proud of Noah Fairweather (Y7) at Bideford Road today! DM me 😂',
  '👨‍👩‍👧‍👦🏳️‍🌈 Loving my job at Bideford Road! Pay talks today were grim. Follow me @missj',
  'Nоah Fаirweather in Υ6 — full-width ＤＭ ｍｅ and ZWJ\u200dsplit',
];

const SW = `import { createEngine, PostGuardError } from './postguard-engine.mjs';
self.runChecks = async (bundle, school, texts) => {
  const t0 = performance.now();
  const engine = await createEngine({ policy: bundle, school });
  const createMs = performance.now() - t0;
  const findings = texts.map((t) => engine.check(t, { site: 'x.com' }));
  let error = null;
  try { engine.check('x', { surface: 'tweet' }); } catch (e) { error = { isPostGuardError: e instanceof PostGuardError, code: e.code }; }
  const prebuilt = engine.baselinePrebuilt;
  engine.dispose();
  return { findings, createMs, error, prebuilt };
};
`;

test('the engine runs in an MV3 extension service worker with the same findings', { skip, timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pg-sw-ext-'));
  const profile = mkdtempSync(path.join(tmpdir(), 'pg-sw-profile-'));
  let context;
  try {
    for (const f of ['postguard-core.mjs', 'postguard-core.wasm', 'postguard-engine.mjs', 'postguard-baseline.bin']) {
      copyFileSync(path.join(ENGINE_DIR, f), path.join(dir, f));
    }
    writeFileSync(path.join(dir, 'sw.mjs'), SW);
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({
      manifest_version: 3, name: 'postguard engine smoke test', version: '1.0',
      background: { service_worker: 'sw.mjs', type: 'module' },
      // MV3's default extension_pages CSP has no 'wasm-unsafe-eval': WebAssembly needs it.
      content_security_policy: { extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'" },
    }));
    const { chromium } = await import(pathToFileURL(path.join(PLAYWRIGHT, 'index.mjs')).href);
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: false,
      args: ['--headless=new', '--no-sandbox', `--disable-extensions-except=${dir}`, `--load-extension=${dir}`,
        '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const worker = context.serviceWorkers()[0] ?? await context.waitForEvent('serviceworker', { timeout: 30_000 });
    const bundle = readFileSync(path.join(CORPUS, 'orgs/tarka.json'), 'utf8');
    const got = await worker.evaluate(([b, t]) => self.runChecks(b, 'bideford-road', t), [bundle, TEXTS]);

    const api = await import(pathToFileURL(path.join(ENGINE_DIR, 'postguard-engine.mjs')).href);
    const engine = await api.createEngine({ policy: bundle, school: 'bideford-road' });
    const want = TEXTS.map((t) => engine.check(t, { site: 'x.com' }));
    engine.dispose();
    t.diagnostic(`in the service worker: fetch + compile + instantiate + baseline + tarka.json: ${got.createMs.toFixed(0)} ms`);
    assert.deepEqual(got.findings, want);
    assert.equal(got.prebuilt, true, 'the worker fetched postguard-baseline.bin and compiles on it');
    assert.ok(want.flat().length > 0);
    assert.deepEqual(got.error, { isPostGuardError: true, code: api.ErrorCode.context_invalid });
  } finally {
    await context?.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  }
});

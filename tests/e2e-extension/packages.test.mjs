// The store packages from extension/build.mjs (one zip per browser, same source): built here into
// a temporary folder; each manifest is right for its browser; the Firefox zip passes Mozilla's
// addons-linter (the linter `web-ext lint` runs) with no errors; the Edge zip (Chromium) loads in
// Chromium, keyless as a store install is, and checks a draft.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import linter from 'addons-linter';
import { repo, startServer, launch, checked, DRAFTS } from './lib.mjs';

const engineDir = process.env.POSTGUARD_ENGINE_DIR || path.join(repo, 'build/extension-engine');
let tmp, packages, version;

/** The entries of a zip (stored or deflated), read from its central directory. */
function unzip(file) {
  const buf = fs.readFileSync(file);
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  const out = new Map();
  for (let i = 0; i < count; i++) {
    const method = buf.readUInt16LE(at + 10), size = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28), extraLen = buf.readUInt16LE(at + 30), commentLen = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLen);
    const dataAt = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(dataAt, dataAt + size);
    out.set(name, method === 8 ? zlib.inflateRawSync(raw) : raw);
    at += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

const manifestOf = (browser) => JSON.parse(unzip(path.join(packages, `postguard-${browser}-${version}.zip`)).get('manifest.json'));

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-e2e-packages-'));
  packages = path.join(tmp, 'packages');
  execFileSync(process.execPath, [path.join(repo, 'extension/build.mjs'), '--out', path.join(tmp, 'unpacked'),
    '--engine', engineDir, '--packages', packages], { stdio: 'pipe' });
  version = JSON.parse(fs.readFileSync(path.join(repo, 'extension/manifest.json'), 'utf8')).version;
});
after(() => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });

test('one zip per browser, none carrying the development key', () => {
  assert.deepEqual(fs.readdirSync(packages).sort(),
    ['chrome', 'edge', 'firefox'].map((b) => `postguard-${b}-${version}.zip`));
  for (const b of ['chrome', 'edge', 'firefox']) {
    const files = unzip(path.join(packages, `postguard-${b}-${version}.zip`));
    const m = JSON.parse(files.get('manifest.json'));
    assert.equal(m.key, undefined, `${b}: no key`);
    assert.equal(m.manifest_version, 3);
    for (const f of ['content.js', 'sw.js', 'popup.html', 'engine/postguard-core.wasm', '_locales/en/messages.json', '_locales/cy/messages.json']) {
      assert.ok(files.has(f), `${b}: ${f}`);
    }
  }
});

test('Chrome and Edge: a service worker, and the managed storage schema', () => {
  for (const b of ['chrome', 'edge']) {
    const m = manifestOf(b);
    assert.deepEqual(m.background, { service_worker: 'sw.js', type: 'module' });
    assert.equal(m.storage.managed_schema, 'managed_schema.json');
    assert.ok(unzip(path.join(packages, `postguard-${b}-${version}.zip`)).has('managed_schema.json'));
  }
});

test('Firefox: background scripts, a fixed gecko id, no Chrome-only keys', () => {
  const m = manifestOf('firefox');
  assert.deepEqual(m.background, { scripts: ['sw.js'], type: 'module' });
  assert.equal(m.browser_specific_settings.gecko.id, 'postguard@postguard.org');
  assert.equal(m.minimum_chrome_version, undefined);
  assert.equal(m.storage, undefined, 'Firefox reads managed storage from policies.json, not a schema');
  for (const cs of m.content_scripts) assert.equal(cs.match_origin_as_fallback, undefined);
  assert.ok(!unzip(path.join(packages, `postguard-firefox-${version}.zip`)).has('managed_schema.json'));
});

test('Firefox: Mozilla\'s addons-linter finds no errors', async () => {
  const instance = linter.createInstance({
    config: { _: [path.join(packages, `postguard-firefox-${version}.zip`)], logLevel: 'fatal', stack: false,
      pretty: false, warningsAsErrors: false, metadata: false, output: 'none', boring: true, selfHosted: false,
      privileged: false },
    runAsBinary: false,
  });
  const r = await instance.run();
  const show = (list) => list.map((m) => `${m.code} ${m.file || ''}: ${m.message}`).join('\n    ');
  console.log(`addons-linter: ${r.errors.length} errors, ${r.warnings.length} warnings, ${r.notices.length} notices` +
    (r.warnings.length ? `\n  warnings:\n    ${show(r.warnings)}` : ''));
  assert.equal(r.errors.length, 0, show(r.errors));
});

test('Edge (Chromium) package: loads keyless and checks a draft', async () => {
  const dir = path.join(tmp, 'edge');
  for (const [name, data] of unzip(path.join(packages, `postguard-edge-${version}.zip`))) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), data);
  }
  const server = await startServer();
  const browser = await launch({ dir });
  try {
    const page = await browser.context.newPage();
    await page.goto(server.url('textarea.html'));
    await page.click('#composer');
    await page.keyboard.insertText(DRAFTS.pupil_contact);
    const s = await checked(page, 0, 15000);
    assert.equal(s.categories, 'pupil_contact');
  } finally {
    await browser.close();
    await server.close();
  }
});

#!/usr/bin/env node
// Builds the extension: build/extension/ (unpacked, development: carries the fixed "key" so the id
// is stable for tests and native host manifests) and build/extension-packages/ (one zip per
// browser — Chrome, Edge, Firefox — without the key, as the stores want). The worker and pages are
// plain modules; the content script is bundled from src/content/ with esbuild.
//
//   node extension/build.mjs [--out DIR] [--engine DIR] [--packages DIR]
//
// The engine (the wasm build's output, build/extension-engine/) is copied to <out>/engine/.
// Files are written only when their bytes change, and the zips are reproducible (fixed times).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? path.resolve(args[i + 1]) : dflt;
};
const out = opt('--out', path.join(repo, 'build/extension'));
const engineDir = opt('--engine', path.join(repo, 'build/extension-engine'));
const packagesDir = opt('--packages', path.join(repo, 'build/extension-packages'));
const ENGINE_FILES = ['postguard-engine.mjs', 'postguard-core.mjs', 'postguard-core.wasm', 'postguard-baseline.bin'];

let written = 0;
const files = new Map();   // relative path -> Buffer (what the unpacked build holds)

function put(rel, data) {
  files.set(rel, Buffer.isBuffer(data) ? data : Buffer.from(data));
}

// ---- sources ---------------------------------------------------------------------------------
const manifest = JSON.parse(fs.readFileSync(path.join(here, 'manifest.json'), 'utf8'));
put('manifest.json', JSON.stringify(manifest, null, 2) + '\n');
put('managed_schema.json', fs.readFileSync(path.join(here, 'managed_schema.json')));
for (const e of fs.readdirSync(path.join(here, 'src'), { withFileTypes: true })) {
  if (e.isFile()) put(e.name, fs.readFileSync(path.join(here, 'src', e.name)));
}
// The content script: src/content/*.js (one module per concept) bundled into one IIFE, since
// content scripts cannot be modules. esbuild comes from extension/package.json (npm ci there;
// scripts/setup.sh does it).
{
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    console.error('extension build: esbuild is missing; run `npm ci` in extension/ (scripts/setup.sh does)');
    process.exit(1);
  }
  const r = await esbuild.build({
    entryPoints: [path.join(here, 'src/content/main.js')], bundle: true, format: 'iife', write: false,
    target: 'chrome116', legalComments: 'none', logLevel: 'error', charset: 'utf8',
    banner: { js: '// PostGuard content script, bundled from extension/src/content/ by extension/build.mjs.' },
  });
  put('content.js', r.outputFiles[0].contents);
}
for (const loc of fs.readdirSync(path.join(here, '_locales'))) {
  const text = fs.readFileSync(path.join(here, '_locales', loc, 'messages.json'), 'utf8');
  JSON.parse(text);  // a broken locale file stops the build here, not in the browser
  put(`_locales/${loc}/messages.json`, text);
}
// Every key used by the English file exists in every other locale.
{
  const en = Object.keys(JSON.parse(files.get('_locales/en/messages.json')));
  for (const [rel, buf] of files) {
    if (!rel.startsWith('_locales/')) continue;
    const keys = new Set(Object.keys(JSON.parse(buf)));
    const missing = en.filter((k) => !keys.has(k));
    if (missing.length) throw new Error(`${rel} lacks: ${missing.join(', ')}`);
  }
}
// Icons: the PNGs the manifest names, rendered from store-assets/icon.svg by store-assets/render.sh
// and kept in extension/icons/ (the build needs no image tools).
for (const rel of new Set(Object.values(manifest.icons))) put(rel, fs.readFileSync(path.join(here, rel)));

// ---- the engine ------------------------------------------------------------------------------
const missing = ENGINE_FILES.filter((f) => !fs.existsSync(path.join(engineDir, f)));
if (missing.length) {
  console.error(`extension build: the wasm engine is missing from ${engineDir} (${missing.join(', ')}); ` +
    'build it first (scripts/setup.sh runs wasm before the extension)');
  process.exit(1);
}
for (const f of ENGINE_FILES) put(`engine/${f}`, fs.readFileSync(path.join(engineDir, f)));

// ---- write the unpacked build ----------------------------------------------------------------
function writeIfChanged(file, data) {
  try {
    if (fs.readFileSync(file).equals(data)) return;
  } catch { /* new */ }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, data);
  written++;
}
for (const [rel, data] of files) writeIfChanged(path.join(out, rel), data);
// Files from an earlier build that are no longer part of it.
(function prune(dir, rel) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) { prune(p, r); if (!fs.readdirSync(p).length) fs.rmdirSync(p); }
    else if (!files.has(r)) { fs.unlinkSync(p); written++; }
  }
})(out, '');

// ---- packages: one zip per browser (no key) --------------------------------------------------
// Chrome and Edge take the same MV3 manifest (Edge is Chromium). Firefox, from the same source:
// - background.scripts (an event page; Firefox has no extension service workers) running the
//   same sw.js as a module;
// - browser_specific_settings.gecko.id: the fixed id that policies.json ("3rdparty" managed
//   storage) and the native messaging manifest ("allowed_extensions") name;
// - no storage.managed_schema: Firefox does not read it (managed storage comes from enterprise
//   policies.json, or a native manifest of type "storage"); no Chrome-only keys.
const GECKO_ID = 'postguard@postguard.org';
function storeManifest(browser) {
  const m = structuredClone(manifest);
  delete m.key;
  if (browser === 'firefox') {
    m.background = { scripts: ['sw.js'], type: 'module' };
    // 140 (the ESR schools get) is the first to read data_collection_permissions; Android: 142.
    m.browser_specific_settings = {
      gecko: { id: GECKO_ID, strict_min_version: '140.0',
        // Nothing is collected or transmitted: every check runs on the device.
        data_collection_permissions: { required: ['none'] } },
      gecko_android: { strict_min_version: '142.0' },
    };
    delete m.minimum_chrome_version;
    delete m.storage;
    for (const cs of m.content_scripts) delete cs.match_origin_as_fallback;
    m.options_ui.open_in_tab = true;
  }
  return JSON.stringify(m, null, 2) + '\n';
}
for (const browser of ['chrome', 'edge', 'firefox']) {
  const entries = [...files]
    .filter(([rel]) => !(browser === 'firefox' && rel === 'managed_schema.json'))
    .map(([rel, data]) => [rel, rel === 'manifest.json' ? Buffer.from(storeManifest(browser)) : data]);
  entries.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  writeIfChanged(path.join(packagesDir, `postguard-${browser}-${manifest.version}.zip`), zip(entries));
}
// Packages from an earlier build for browsers or versions no longer built.
if (fs.existsSync(packagesDir)) {
  const wanted = new Set(['chrome', 'edge', 'firefox'].map((b) => `postguard-${b}-${manifest.version}.zip`));
  for (const f of fs.readdirSync(packagesDir)) {
    if (/^postguard-.*\.zip$/.test(f) && !wanted.has(f)) { fs.unlinkSync(path.join(packagesDir, f)); written++; }
  }
}

const id = extensionId(manifest.key);
console.log(`extension build: ${out} (id ${id}); ${written ? `${written} file(s) written` : 'up to date'}; ` +
  `packages in ${path.relative(repo, packagesDir)}`);

// ---- helpers ---------------------------------------------------------------------------------
function extensionId(key) {
  const hex = crypto.createHash('sha256').update(Buffer.from(key, 'base64')).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

function crc32(buf) {
  let c, crc = 0xffffffff;
  for (let n = 0; n < buf.length; n++) {
    c = (crc ^ buf[n]) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

// A plain zip (deflate), fixed timestamps so the same input gives the same bytes.
function zip(entries) {
  const local = [], central = [];
  let offset = 0;
  const DOS_TIME = 0, DOS_DATE = (2024 - 1980) << 9 | 1 << 5 | 1;
  for (const [name, data] of entries) {
    const nameBuf = Buffer.from(name);
    const deflated = zlib.deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0); h.writeUInt16LE(20, 4); h.writeUInt16LE(0x0800, 6); h.writeUInt16LE(8, 8);
    h.writeUInt16LE(DOS_TIME, 10); h.writeUInt16LE(DOS_DATE, 12); h.writeUInt32LE(crc, 14);
    h.writeUInt32LE(deflated.length, 18); h.writeUInt32LE(data.length, 22); h.writeUInt16LE(nameBuf.length, 26);
    local.push(h, nameBuf, deflated);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0); c.writeUInt16LE(20, 4); c.writeUInt16LE(20, 6); c.writeUInt16LE(0x0800, 8);
    c.writeUInt16LE(8, 10); c.writeUInt16LE(DOS_TIME, 12); c.writeUInt16LE(DOS_DATE, 14); c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(deflated.length, 20); c.writeUInt32LE(data.length, 24); c.writeUInt16LE(nameBuf.length, 28);
    c.writeUInt32LE(offset, 42);
    central.push(c, nameBuf);
    offset += h.length + nameBuf.length + deflated.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...local, cd, end]);
}

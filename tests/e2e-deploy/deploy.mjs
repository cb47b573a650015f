// Deploys the extension the way IT does on Linux, for the tests: packs the built extension as a CRX3
// with a test-only signing key, serves it and a gupdate manifest on 127.0.0.1, writes managed
// browser policy (ExtensionInstallForcelist, NativeMessagingUserLevelHosts, the extension's own
// 3rdparty settings) to a file of its own in /etc/chromium/policies/managed, and starts Chromium
// with a fresh profile and no --load-extension. Chromium then installs the extension itself.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, '../..');
export const extensionDir = process.env.POSTGUARD_EXTENSION_DIR || path.join(repo, 'build/extension');
export const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
export const fixturesDir = path.join(repo, 'tests/e2e-extension/fixtures');
export const corpusOrgs = path.resolve(repo, '../shared/corpus/orgs');
export const MANAGED_DIR = '/etc/chromium/policies/managed';
export const SCHOOL = 'torridge-vale';
export const SCHOOL_DISCLAIMER = 'All views my own and not those of Torridge Vale Academy.';

// Strict, like X or Facebook: no inline script, no eval, no 'wasm-unsafe-eval' (as the extension tests).
const STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "object-src 'none'; base-uri 'none'; frame-ancestors 'self'";
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css' };

/** ID = first 32 hex digits of sha256(DER SubjectPublicKeyInfo), 0-9a-f mapped to a-p. */
export function idFromPublicKey(der) {
  const hex = crypto.createHash('sha256').update(der).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

/** The Tarka trust's bundle from the shared corpus, with rule settings that exercise every step. */
export function trustPolicy() {
  const bundle = JSON.parse(fs.readFileSync(path.join(corpusOrgs, 'tarka.json'), 'utf8'));
  return {
    ...bundle,
    rules: {
      'category:pupil_contact': { severity: 'block' },
      'category:pupil_privacy': { severity: 'confirm' },
    },
  };
}

/**
 * Packs `extensionDir` (without its development "key", as the store and IT get it) into a CRX3
 * signed with a key made here. Chromium packs it itself (--pack-extension), so the file is exactly
 * what Chromium's own packer makes.
 */
export function packCrx(work) {
  if (!fs.existsSync(path.join(extensionDir, 'manifest.json'))) {
    throw new Error(`no built extension in ${extensionDir}: run scripts/setup.sh (or node extension/build.mjs), ` +
      'or set POSTGUARD_EXTENSION_DIR');
  }
  const src = path.join(work, 'postguard');
  fs.cpSync(extensionDir, src, { recursive: true });
  const manifestFile = path.join(src, 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  const devKey = manifest.key;
  delete manifest.key;
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + '\n');

  // A test-only key pair, made fresh each run: the repository holds no private key.
  const keyFile = path.join(work, 'postguard-test-key.pem');
  execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', keyFile],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  const der = execFileSync('openssl', ['pkey', '-in', keyFile, '-pubout', '-outform', 'DER']);
  const id = idFromPublicKey(der);

  execFileSync(chromiumPath, ['--headless=new', '--no-sandbox', `--user-data-dir=${path.join(work, 'pack-profile')}`,
    `--pack-extension=${src}`, `--pack-extension-key=${keyFile}`], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  const crxFile = `${src}.crx`;
  if (!fs.existsSync(crxFile)) throw new Error(`chromium --pack-extension wrote no ${crxFile}`);
  const crx = fs.readFileSync(crxFile);
  return { id, crx, crxFile, keyFile, publicKeyDer: der, version: manifest.version, devKey, packedDir: src };
}

/** CRX3 header fields: magic, format version, and the public keys of its RSA proofs (protobuf). */
export function readCrxHeader(crx) {
  const magic = crx.subarray(0, 4).toString('latin1');
  const version = crx.readUInt32LE(4);
  const headerLen = crx.readUInt32LE(8);
  const header = crx.subarray(12, 12 + headerLen);
  // CrxFileHeader { repeated AsymmetricKeyProof sha256_with_rsa = 2; ...; bytes signed_header_data = 10000 }
  // AsymmetricKeyProof { bytes public_key = 1; bytes signature = 2 }. Only length-delimited fields
  // occur here, so a tiny reader is enough (no protobuf library for three fields).
  const fields = (buf) => {
    const out = [];
    let i = 0;
    const varint = () => {
      let v = 0, shift = 0, b;
      do { b = buf[i++]; v += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
      return v;
    };
    while (i < buf.length) {
      const tag = varint();
      if ((tag & 7) !== 2) throw new Error(`unexpected CRX header wire type ${tag & 7}`);
      const len = varint();
      out.push({ field: Math.floor(tag / 8), data: buf.subarray(i, i + len) });
      i += len;
    }
    return out;
  };
  const rsaKeys = fields(header).filter((f) => f.field === 2)
    .map((f) => fields(f.data).find((g) => g.field === 1)?.data).filter(Boolean);
  return { magic, version, rsaKeys, zipStart: 12 + headerLen };
}

/**
 * Serves /updates.xml (gupdate), /postguard.crx and the fixture composers (with a strict CSP).
 * Records the paths asked for (never bodies or query strings: they carry nothing of ours, but a
 * test log is no place for them either).
 */
export async function startServer(pack) {
  const requests = [];
  let port = 0;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    requests.push({ path: url.pathname, at: Date.now() });
    if (url.pathname === '/updates.xml') {
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8', 'cache-control': 'no-store' });
      res.end(`<?xml version='1.0' encoding='UTF-8'?>
<gupdate xmlns='http://www.google.com/update2/response' protocol='2.0'>
  <app appid='${pack.id}'>
    <updatecheck codebase='http://127.0.0.1:${port}/postguard.crx' version='${pack.version}' />
  </app>
</gupdate>
`);
      return;
    }
    if (url.pathname === '/postguard.crx') {
      res.writeHead(200, { 'content-type': 'application/x-chrome-extension', 'content-length': pack.crx.length });
      res.end(pack.crx);
      return;
    }
    const rel = decodeURIComponent(url.pathname.replace(/^\/fixtures\//, ''));
    const file = path.resolve(fixturesDir, rel);
    if (url.pathname.startsWith('/fixtures/') && file.startsWith(fixturesDir + path.sep) && fs.existsSync(file)) {
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream',
        'content-security-policy': STRICT_CSP, 'cache-control': 'no-store' });
      fs.createReadStream(file).pipe(res);
      return;
    }
    res.writeHead(404);
    res.end('not found');
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  port = server.address().port;
  return {
    port, requests,
    updateUrl: `http://127.0.0.1:${port}/updates.xml`,
    fixture: (name) => `http://127.0.0.1:${port}/fixtures/${name}`,
    close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(r); }),
  };
}

/**
 * Writes this run's managed policy file; returns a remover that is safe to call twice. The file is
 * also removed if the process exits early (an assertion, Ctrl+C).
 */
export function writeManagedPolicy(policy) {
  const file = path.join(MANAGED_DIR, `postguard-e2e-deploy-${process.pid}.json`);
  const createdDirs = [];
  for (let d = MANAGED_DIR; !fs.existsSync(d); d = path.dirname(d)) createdDirs.push(d);
  fs.mkdirSync(MANAGED_DIR, { recursive: true });
  fs.writeFileSync(file + '.tmp', JSON.stringify(policy, null, 2));
  fs.renameSync(file + '.tmp', file);
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    fs.rmSync(file, { force: true });
    for (const d of createdDirs) { try { fs.rmdirSync(d); } catch { break; } }
    process.off('exit', remove);
  };
  process.on('exit', remove);
  for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => { remove(); process.exit(130); });
  return { file, remove };
}

/**
 * The policy document IT would push (force-install, no user-level native hosts, the school's
 * settings), plus one entry for the test's sake: by default (DeveloperToolsAvailability unset, i.e.
 * 0) Chromium keeps DevTools, and so Playwright, away from extensions installed by policy: their
 * service worker never shows up and opening one of their pages detaches the tab. 1 allows it.
 */
export function managedPolicyFor(pack, server, { policy = trustPolicy(), school = SCHOOL, devtools = true } = {}) {
  return {
    ExtensionInstallForcelist: [`${pack.id};${server.updateUrl}`],
    NativeMessagingUserLevelHosts: false,
    ...(devtools ? { DeveloperToolsAvailability: 1 } : {}),
    '3rdparty': { extensions: { [pack.id]: { policy, school } } },
  };
}

/**
 * The whole deployment: pack, serve, write policy, start Chromium without --load-extension and wait
 * for the extension's service worker. `close()` undoes all of it (also after a failure).
 * `devtools: false` leaves DeveloperToolsAvailability unset, as a real deployment does: the
 * extension's worker and pages are then out of the test's reach, so deploy() returns once the
 * browser runs, without `worker`.
 */
export async function deploy({ viewport = { width: 1000, height: 800 }, deviceScaleFactor = 1,
  userLevelHost = null, lang = 'en-GB', devtools = true } = {}) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-e2e-deploy-'));
  let server = null, policyFile = null, context = null;
  const close = async () => {
    try { await context?.close(); } catch { /* already gone */ }
    policyFile?.remove();
    await server?.close();
    fs.rmSync(work, { recursive: true, force: true });
  };
  try {
    const pack = packCrx(work);
    server = await startServer(pack);
    policyFile = writeManagedPolicy(managedPolicyFor(pack, server, { devtools }));
    const profile = path.join(work, 'profile');
    fs.mkdirSync(profile);
    if (userLevelHost) {
      // A user-level host manifest in the profile: NativeMessagingUserLevelHosts=false must hide it.
      fs.mkdirSync(path.join(profile, 'NativeMessagingHosts'));
      fs.writeFileSync(path.join(profile, 'NativeMessagingHosts', 'org.postguard.host.json'), JSON.stringify({
        name: 'org.postguard.host', description: 'PostGuard (user-level, must be refused by policy)',
        path: userLevelHost, type: 'stdio', allowed_origins: [`chrome-extension://${pack.id}/`],
      }));
    }
    const args = ['--headless=new', '--no-sandbox', '--no-first-run', '--disable-sync', `--lang=${lang}`,
      '--font-render-hinting=none', '--hide-scrollbars'];
    const launchedAt = Date.now();
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: false,   // --headless=new above: the old headless mode has no extensions
      args,
      // Playwright's defaults turn extensions off and stop the extension updater's network fetches,
      // which is exactly what force-install needs.
      ignoreDefaultArgs: ['--disable-extensions', '--disable-background-networking',
        '--disable-component-extensions-with-background-pages'],
      viewport, deviceScaleFactor,
      env: { ...process.env, LANGUAGE: lang.replace('-', '_') },
    });
    if (!devtools) {
      return { pack, server, policyFile: policyFile.file, context, worker: null, profile, args, close,
        launchedAt, browserCommandLine: browserCommandLine(profile) };
    }
    const isOurs = (w) => w.url().startsWith(`chrome-extension://${pack.id}/`);
    const worker = context.serviceWorkers().find(isOurs) ||
      await context.waitForEvent('serviceworker', { predicate: isOurs, timeout: 90_000 });
    const installMs = Date.now() - launchedAt;
    // Chromium hands an extension its 3rdparty policy once the extension's managed_schema is
    // registered, which is after the install: the worker's first start sees empty managed storage
    // and gets storage.onChanged (area "managed") a moment later.
    const managedAt = Date.now();
    await until(() => worker.evaluate(() => chrome.storage.managed.get('school').then((m) => !!m.school)), 30_000,
      'the extension\'s managed storage never received the 3rdparty policy (chrome://policy shows what Chromium has)');
    const managedMs = Date.now() - managedAt;
    return { pack, server, policyFile: policyFile.file, context, worker, profile, args, installMs, managedMs,
      close, browserCommandLine: browserCommandLine(profile) };
  } catch (e) {
    await close();
    throw e;
  }
}

/**
 * The command line of the running browser process for `profile`, as the kernel has it: what
 * Chromium was really started with, after Debian's /usr/bin/chromium wrapper added its own flags.
 */
export function browserCommandLine(profile) {
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let argv;
    try { argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean); } catch { continue; }
    if (argv.includes(`--user-data-dir=${profile}`) && !argv.some((a) => a.startsWith('--type='))) return argv;
  }
  return null;
}

/** Polls `probe` (async, truthy when done) every 100 ms for up to `ms`. */
export async function until(probe, ms, what) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until the composer's overlay has checked the current text; returns its attributes. */
export async function checked(page, timeout = 10_000) {
  await page.waitForFunction(() => document.querySelector('postguard-overlay')?.dataset.state === 'checked',
    null, { timeout, polling: 20 });
  return page.evaluate(() => {
    const o = document.querySelector('postguard-overlay');
    return { findings: Number(o.dataset.findings), categories: o.dataset.categories, severity: o.dataset.severity };
  });
}

/** The service worker's status reply (policy source, school, disclaimer, problems). */
export async function status(d) {
  const page = await d.context.newPage();
  try {
    await page.goto(`chrome-extension://${d.pack.id}/popup.html`);
    return await page.evaluate(() => chrome.runtime.sendMessage({ type: 'status' }));
  } finally {
    await page.close();
  }
}

/** The status once the worker has switched to the managed policy (it reloads on storage.onChanged). */
export async function managedStatus(d, ms = 15_000) {
  let last;
  await until(async () => { last = await status(d); return last.source === 'managed'; }, ms,
    'the extension did not switch to the managed policy');
  return last;
}

// Helpers for the extension's end-to-end tests: a fixture server with a strict CSP, Chromium with
// the real extension loaded (fixed id from the manifest key), a test policy from the corpus.
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
export const hostBin = process.env.POSTGUARD_HOST_BIN || path.join(repo, 'build/native/bin/postguard-host');
export const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
export const corpusOrgs = path.resolve(repo, '../shared/corpus/orgs');

// Strict, like X or Facebook: no inline script, no eval, and no 'wasm-unsafe-eval'.
export const STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "object-src 'none'; base-uri 'none'; frame-ancestors 'self'";

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.json': 'application/json', '.png': 'image/png' };

export const vendorDir = path.join(repo, 'build/e2e-extension-vendor');
export const EDITORS = ['quill', 'prosemirror', 'lexical', 'draft'];

/** Bundles the editor fixtures (editors/*.js, the real libraries from npm) with esbuild. */
export async function bundleEditors() {
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: EDITORS.map((e) => path.join(here, 'editors', `${e}.js`)),
    outdir: vendorDir, bundle: true, format: 'iife', minify: true, logLevel: 'error',
    define: { 'process.env.NODE_ENV': '"production"', global: 'window' },
  });
}

/** Serves fixtures/ (and vendored editor bundles under /vendor/) with the strict CSP header. */
export async function startServer(roots = { '/': path.join(here, 'fixtures'), '/vendor/': vendorDir }) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let file = null;
    for (const [prefix, dir] of Object.entries(roots).sort((a, b) => b[0].length - a[0].length)) {
      if (url.pathname.startsWith(prefix)) {
        const rel = decodeURIComponent(url.pathname.slice(prefix.length)) || 'index.html';
        const p = path.resolve(dir, rel);
        if (p.startsWith(path.resolve(dir))) file = p;
        break;
      }
    }
    if (!file || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404, { 'content-security-policy': STRICT_CSP });
      res.end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] || 'application/octet-stream',
      'content-security-policy': STRICT_CSP,
      'cache-control': 'no-store',
    });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return { url: (p) => `http://localhost:${port}/${p.replace(/^\//, '')}`, close: () => new Promise((r) => server.close(r)) };
}

export function extensionId(dir = extensionDir) {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  const hex = crypto.createHash('sha256').update(Buffer.from(manifest.key, 'base64')).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

/** The Tarka trust's bundle from the corpus, with test rule settings. */
export function testPolicy(extra = {}) {
  const bundle = JSON.parse(fs.readFileSync(path.join(corpusOrgs, 'tarka.json'), 'utf8'));
  return { ...bundle, ...extra };
}

/** A policy root for the real native host (POSTGUARD_POLICY_ROOT): the bundle and a school file. */
export function makePolicyRoot(policy, school) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-e2e-policy-'));
  fs.chmodSync(root, 0o755);
  fs.mkdirSync(path.join(root, 'policy.d'), { mode: 0o755 });
  fs.writeFileSync(path.join(root, 'policy.json'), JSON.stringify(policy));
  setSchool(root, school);
  return root;
}

/** Write-then-rename, as configuration management tools do. */
export function setSchool(root, school) {
  const file = path.join(root, 'policy.d', '10-school.json');
  fs.writeFileSync(file + '.tmp', JSON.stringify({ format: 'postguard/1', school }));
  fs.renameSync(file + '.tmp', file);
}

/**
 * Launches Chromium with the extension (unless `extension: false`).
 *   nativeHost: { root } registers the real postguard-host in the profile, reading `root`.
 *   args: more Chromium flags (e.g. --host-resolver-rules); ignoreHTTPSErrors for self-signed fixtures.
 */
export async function launch({ extension = true, nativeHost = null, env = {}, args: extraArgs = [], ignoreHTTPSErrors = false,
  dir = extensionDir } = {}) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-e2e-ext-'));
  const profile = path.join(tmp, 'profile');
  fs.mkdirSync(profile, { recursive: true });
  // A store package has no "key": Chromium then derives the id from the folder; found from the worker.
  const hasKey = !!JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')).key;
  let id = hasKey ? extensionId(dir) : null;
  const extraEnv = { ...env };
  if (nativeHost) {
    const hosts = path.join(profile, 'NativeMessagingHosts');
    fs.mkdirSync(hosts, { recursive: true });
    fs.writeFileSync(path.join(hosts, 'org.postguard.host.json'), JSON.stringify({
      name: 'org.postguard.host', description: 'PostGuard test', path: hostBin, type: 'stdio',
      allowed_origins: [`chrome-extension://${id}/`],
    }));
    extraEnv.POSTGUARD_POLICY_ROOT = nativeHost.root;
  }
  const args = ['--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--lang=en-GB', '--font-render-hinting=none'];
  if (extension) args.push(`--disable-extensions-except=${dir}`, `--load-extension=${dir}`);
  args.push(...extraArgs);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: false,   // --headless=new above: the old headless mode cannot load extensions
    args,
    viewport: { width: 1000, height: 800 },
    ignoreHTTPSErrors,
    env: { ...process.env, ...extraEnv },
  });
  let worker = null;
  if (extension) {
    const isOurs = (w) => (id ? w.url().startsWith(`chrome-extension://${id}/`) : /^chrome-extension:\/\/[a-p]{32}\/sw\.js$/.test(w.url()));
    worker = context.serviceWorkers().find(isOurs) || await context.waitForEvent('serviceworker', { predicate: isOurs });
    id ||= new URL(worker.url()).hostname;
  }
  return {
    context, worker, id, tmp,
    async close() {
      await context.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** The worker's status (policy source, school, problems), once it is ready. */
export async function status(browser) {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.id}/popup.html`);
  const s = await page.evaluate(() => chrome.runtime.sendMessage({ type: 'status' }));
  await page.close();
  return s;
}

/** Waits until the composer's overlay has checked the current text; returns its attributes. */
export async function checked(frame, index = 0, timeout = 5000) {
  await frame.waitForFunction((i) => {
    const o = document.querySelectorAll('postguard-overlay')[i];
    return o && o.dataset.state === 'checked';
  }, index, { timeout, polling: 20 });
  return overlayState(frame, index);
}

export function overlayState(frame, index = 0) {
  return frame.evaluate((i) => {
    const o = document.querySelectorAll('postguard-overlay')[i];
    if (!o) return null;
    const boxes = [...o.shadowRoot.querySelectorAll('.hl')].map((b) => {
      const r = b.getBoundingClientRect();
      return { category: b.dataset.category, rule: b.dataset.rule, start: +b.dataset.start, end: +b.dataset.end,
        left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    });
    return { state: o.dataset.state, findings: Number(o.dataset.findings), categories: o.dataset.categories,
      severity: o.dataset.severity, rev: Number(o.dataset.rev || 0), boxes };
  }, index);
}

/** Types into the focused composer and waits for the check of the final text. */
export async function typeAndCheck(frame, page, selector, text, index = 0) {
  await frame.click(selector);
  await page.keyboard.insertText(text);
  // The overlay state goes to checking on input; wait for the check of this text.
  return checked(frame, index);
}

export const DRAFTS = {
  disclaimer: "Sports day at Bideford Road today, such a lovely afternoon with everyone.",
  pupil_contact: 'y11s add me on snapchat if u want the answers b4 the mock',
  pupil_privacy: 'So proud of Noah Fairweather (Y7) who swam his first width without a float',
  confidential: 'Not allowed to say anything yet but staff check your emails Monday. The restructure is real',
  clean: 'Lovely weather for a walk by the river this weekend.',
};

/**
 * The engine's findings for `text`, asked over the same port protocol the content script uses,
 * from an extension page (the reference a composer's overlay must match).
 */
export async function engineCheck(browser, text, context) {
  const page = await browser.context.newPage();
  try {
    await page.goto(`chrome-extension://${browser.id}/popup.html`);
    return await page.evaluate(([text, context]) => new Promise((resolve, reject) => {
      const port = chrome.runtime.connect({ name: 'postguard-check' });
      port.onMessage.addListener((m) => {
        if (m.id !== 1) return;
        port.disconnect();
        if (m.type === 'findings') resolve(m.findings); else reject(new Error(JSON.stringify(m)));
      });
      port.postMessage({ type: 'check', id: 1, seq: 1, text, context });
    }), [text, context]);
  } finally {
    await page.close();
  }
}

/** What the overlay shows, reduced to comparable keys: "rule start-end" per highlighted finding. */
export async function overlayKeys(frame, index = 0) {
  const s = await overlayState(frame, index);
  return { state: s.state, findings: s.findings, keys: [...new Set(s.boxes.map((b) => `${b.rule} ${b.start}-${b.end}`))].sort() };
}

export function findingKeys(findings) {
  const atWarn = findings.filter((f) => f.severity !== 'info');
  return { findings: atWarn.length,
    keys: [...new Set(findings.filter((f) => f.end > f.start).map((f) => `${f.rule} ${f.start}-${f.end}`))].sort() };
}

/** Stops the extension's service worker through CDP (as Chromium does when it idles one out). */
export async function stopWorker(browser) {
  const ext = await browser.context.newPage();
  await ext.goto(`chrome-extension://${browser.id}/popup.html`);
  const cdp = await browser.context.newCDPSession(ext);
  const versions = [];
  cdp.on('ServiceWorker.workerVersionUpdated', (e) => versions.push(...e.versions));
  await cdp.send('ServiceWorker.enable');
  const deadline = Date.now() + 5000;
  let running;
  while (!(running = versions.find((v) => v.runningStatus === 'running' && v.scriptURL.endsWith('/sw.js')))) {
    if (Date.now() > deadline) throw new Error('the extension worker is not running');
    await ext.waitForTimeout(20);
  }
  await cdp.send('ServiceWorker.stopWorker', { versionId: running.versionId });
  while (!versions.some((v) => v.versionId === running.versionId && v.runningStatus === 'stopped')) {
    if (Date.now() > deadline) throw new Error('the extension worker did not stop');
    await ext.waitForTimeout(20);
  }
  await cdp.detach();
  await ext.close();
}

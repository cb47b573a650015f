#!/usr/bin/env node
// The extension demo: Chromium with the built extension and the real native host on the bundled
// demo page (served locally with a strict CSP, like the big sites). Headed when there is a display
// (stays open until you close the window); headless otherwise: types example drafts, saves a
// screenshot under build/demo/ and prints what was found.
//   node extension/demo/run.mjs [--headless]
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const require = createRequire(path.join(repo, 'tests/e2e-extension/package.json'));
const { chromium } = require('playwright-core');

const extensionDir = path.join(repo, 'build/extension');
const hostBin = path.join(repo, 'build/native/bin/postguard-host');
const outDir = path.join(repo, 'build/demo');
const orgs = fs.existsSync(path.resolve(repo, '../shared/corpus/orgs')) ? path.resolve(repo, '../shared/corpus/orgs')
  : path.join(repo, 'docs/examples/orgs');
const headless = process.argv.includes('--headless') || !process.env.DISPLAY;
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'";

const DRAFTS = {
  composer: "Sports day at Bideford Road! So proud of Noah Fairweather (Y6) who won the sack race. " +
    "Not allowed to say anything yet but the restructure is real.",
  reply: 'y6s add me on snapchat if u want the answers b4 the SATs',
};

const manifest = JSON.parse(fs.readFileSync(path.join(extensionDir, 'manifest.json'), 'utf8'));
const hex = crypto.createHash('sha256').update(Buffer.from(manifest.key, 'base64')).digest('hex').slice(0, 32);
const id = [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');

const server = http.createServer((req, res) => {
  const name = path.basename(new URL(req.url, 'http://x').pathname) || 'index.html';
  const file = path.join(here, name);
  if (!fs.existsSync(file) || name === 'run.mjs') { res.writeHead(404); res.end(); return; }
  const type = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript' }[path.extname(file)];
  res.writeHead(200, { 'content-type': type || 'application/octet-stream', 'content-security-policy': CSP });
  fs.createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://localhost:${server.address().port}/index.html`;

// A throwaway profile with the native host registered; the host reads the machine policy
// (/etc/postguard) or, when there is none, a demo root with the Tarka trust's bundle.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'postguard-demo-'));
const profile = path.join(tmp, 'profile');
fs.mkdirSync(path.join(profile, 'NativeMessagingHosts'), { recursive: true });
fs.writeFileSync(path.join(profile, 'NativeMessagingHosts', 'org.postguard.host.json'), JSON.stringify({
  name: 'org.postguard.host', description: 'PostGuard demo', path: hostBin, type: 'stdio',
  allowed_origins: [`chrome-extension://${id}/`],
}));
const root = path.join(tmp, 'policy');
fs.mkdirSync(path.join(root, 'policy.d'), { recursive: true, mode: 0o755 });
fs.chmodSync(tmp, 0o755);
fs.chmodSync(root, 0o755);
const bundle = JSON.parse(fs.readFileSync(path.join(orgs, 'tarka.json'), 'utf8'));
bundle.rules = { 'category:confidential': { severity: 'block' } };
fs.writeFileSync(path.join(root, 'policy.json'), JSON.stringify(bundle, null, 2));
fs.writeFileSync(path.join(root, 'policy.d', '10-school.json'), JSON.stringify({ format: 'postguard/1', school: 'bideford-road' }));

const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: false,
  args: [...(headless ? ['--headless=new'] : []), '--no-sandbox', `--disable-extensions-except=${extensionDir}`,
    `--load-extension=${extensionDir}`, '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--lang=en-GB'],
  viewport: { width: 900, height: 760 },
  env: { ...process.env, POSTGUARD_POLICY_ROOT: root },
});

try {
  const page = context.pages()[0] || await context.newPage();
  await page.goto(`chrome-extension://${id}/popup.html`);
  const status = await page.evaluate(() => chrome.runtime.sendMessage({ type: 'status' }));
  console.log(`    extension ${id}: policy from ${status.source}, school "${status.school}", ` +
    `${status.problems.length} problem(s), engine ${status.engineVersion}`);
  await page.goto(url);
  if (!headless) {
    console.log(`    Chromium is open on ${url} - type a post; close the window to end the demo.`);
    await new Promise((r) => context.on('close', r));
  } else {
    for (const [sel, text] of Object.entries(DRAFTS)) {
      await page.click(`#${sel}`);
      await page.keyboard.insertText(text);
    }
    await page.waitForFunction(() => {
      const o = [...document.querySelectorAll('postguard-overlay')];
      return o.length === 2 && o.every((x) => x.dataset.state === 'checked');
    }, null, { timeout: 15000 });
    const results = await page.evaluate(() => [...document.querySelectorAll('postguard-overlay')].map((o) => ({
      kind: o.dataset.kind, findings: o.dataset.findings, categories: o.dataset.categories,
      items: [...o.shadowRoot.querySelectorAll('.hl')].map((b) => ({ rule: b.dataset.rule, category: b.dataset.category,
        start: +b.dataset.start, end: +b.dataset.end })),
    })));
    // Open the first composer's panel and try to post it (blocked: confidential).
    await page.click('postguard-overlay .badge');
    await page.waitForTimeout(100);
    fs.mkdirSync(outDir, { recursive: true });
    const shot = path.join(outDir, 'postguard-demo.png');
    await page.screenshot({ path: shot });
    await page.keyboard.press('Escape');
    await page.click('#post');
    await page.waitForSelector('postguard-overlay .dialog:not([hidden])');
    const blockedShot = path.join(outDir, 'postguard-demo-post.png');
    await page.screenshot({ path: blockedShot });
    const dialog = await page.$eval('postguard-overlay .dialog', (d) => d.dataset.kind);
    const posted = await page.textContent('#status');
    const texts = Object.values(DRAFTS);
    for (const [i, r] of results.entries()) {
      console.log(`\n    ${r.kind === 'textarea' ? 'reply (textarea)' : 'post (contenteditable)'}: ` +
        `${r.findings} finding(s) at warn or above: ${r.categories || 'none'}`);
      const seen = new Set();
      for (const it of r.items) {
        const key = `${it.rule}:${it.start}`;
        if (seen.has(key)) continue;
        seen.add(key);
        console.log(`      ${it.category.padEnd(14)} ${it.rule.padEnd(28)} "${texts[i].slice(it.start, it.end)}"`);
      }
    }
    console.log(`\n    Pressing Post on the first draft: ${dialog === 'block' ? 'blocked' : dialog}` +
      `${posted ? ` (${posted})` : ' (nothing was posted)'}`);
    console.log(`    Screenshots: ${path.relative(process.cwd(), shot)}, ${path.relative(process.cwd(), blockedShot)}`);
  }
} finally {
  await context.close().catch(() => {});
  server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}

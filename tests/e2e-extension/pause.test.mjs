// Per-site pause, exactly as far as policy allows: the managed setting `allowSitePause` (Google
// Admin console / GPO / /etc/chromium/policies/managed) shows a pause toggle in the popup; without
// it there is no toggle, the worker refuses to pause, and a pause left in storage is ignored.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launch, checked, testPolicy, extensionId, DRAFTS } from './lib.mjs';

const MANAGED_DIR = '/etc/chromium/policies/managed';
const isRoot = process.getuid?.() === 0;
const skip = !isRoot && 'needs root (writes its own file in /etc/chromium/policies/managed)';
const POLICY = testPolicy({ rules: { 'category:confidential': { severity: 'block' } } });

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.close(); });

// Runs `body` with a managed policy file in place, removed afterwards.
async function withManaged(settings, body) {
  const file = path.join(MANAGED_DIR, `postguard-e2e-${process.pid}-pause.json`);
  const createdDir = !fs.existsSync(MANAGED_DIR);
  fs.mkdirSync(MANAGED_DIR, { recursive: true });
  fs.writeFileSync(file, JSON.stringify({
    '3rdparty': { extensions: { [extensionId()]: { policy: POLICY, school: 'bideford-road', ...settings } } },
  }));
  let browser;
  try {
    browser = await launch();
    await body(browser);
  } finally {
    await browser?.close();
    fs.rmSync(file, { force: true });
    if (createdDir) {
      try { fs.rmdirSync(MANAGED_DIR); fs.rmdirSync(path.dirname(MANAGED_DIR)); } catch { /* not empty */ }
    }
  }
}

async function composer(browser) {
  const page = await browser.context.newPage();
  await page.goto(server.url('textarea.html'));
  await page.click('#composer');
  await page.keyboard.insertText(DRAFTS.confidential);
  const s = await checked(page);
  assert.equal(s.severity, 'block');
  return page;
}

// The popup, opened for the fixture's tab (as the toolbar button would for the active tab).
async function popupFor(browser) {
  const popup = await browser.context.newPage();
  await popup.goto(`chrome-extension://${browser.id}/popup.html`);
  const tabId = await popup.evaluate(async () => (await chrome.tabs.query({ url: 'http://localhost/*' }))[0]?.id);
  assert.ok(tabId, 'the fixture tab is found');
  await popup.goto(`chrome-extension://${browser.id}/popup.html?tab=${tabId}`);
  await popup.waitForSelector('main[data-pause]');
  return popup;
}

test('allowed by policy: the popup pauses checks on this site, and resumes them', { skip }, async () => {
  await withManaged({ allowSitePause: true }, async (browser) => {
    const page = await composer(browser);
    const popup = await popupFor(browser);
    assert.equal(await popup.getAttribute('main', 'data-pause'), 'on');
    assert.match(await popup.textContent('#pause-label'), /Pause checks on localhost/);
    await popup.check('#pause-toggle');
    await popup.waitForSelector('main[data-pause="paused"]');

    // Paused: no findings, no highlights, and Post goes straight out.
    await page.waitForFunction(() => document.querySelector('postguard-overlay').dataset.state === 'paused', null, { timeout: 5000 });
    const o = await page.evaluate(() => {
      const e = document.querySelector('postguard-overlay');
      return { findings: e.dataset.findings, boxes: e.shadowRoot.querySelectorAll('.hl').length };
    });
    assert.deepEqual(o, { findings: '0', boxes: 0 });
    await page.click('#post');
    await page.waitForFunction(() => window.posted.length === 1, null, { timeout: 5000 });

    // Resumed: checked again at once, without typing.
    await popup.uncheck('#pause-toggle');
    await popup.waitForSelector('main[data-pause="on"]');
    await page.waitForFunction(() => {
      const d = document.querySelector('postguard-overlay').dataset;
      return d.state === 'checked' && d.severity === 'block';
    }, null, { timeout: 5000 });
  });
});

test('not allowed by policy: no toggle, the worker refuses, and a stored pause is ignored', { skip }, async () => {
  await withManaged({}, async (browser) => {
    const popup = await browser.context.newPage();
    await popup.goto(`chrome-extension://${browser.id}/popup.html`);
    const refused = await popup.evaluate(() => chrome.runtime.sendMessage({ type: 'setPause', site: 'localhost', paused: true }));
    assert.equal(refused.type, 'error');
    assert.equal(refused.error.code, 'pause-not-allowed');
    // Even a pause written straight into storage (by an earlier policy, or by hand) is not honoured.
    await popup.evaluate(() => chrome.storage.local.set({ pausedSites: ['localhost'] }));
    const page = await composer(browser);
    const p = await popupFor(browser);
    assert.equal(await p.getAttribute('main', 'data-pause'), 'unavailable');
    assert.equal(await p.isHidden('#pause'), true);
    // And Post is still stopped.
    await page.click('#post');
    await page.waitForFunction(() => document.querySelector('postguard-overlay').dataset.dialog === 'block', null, { timeout: 5000 });
    assert.deepEqual(await page.evaluate(() => window.posted), []);
    void popup;
  });
});

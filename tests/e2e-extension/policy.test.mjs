// Policy sources without a native host: the built-in baseline, and managed policy from
// /etc/chromium/policies/managed (chrome.storage.managed, validated against managed_schema.json).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launch, status, checked, testPolicy, extensionId, DRAFTS } from './lib.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.close(); });

async function draftOn(browser, fixture, text) {
  const page = await browser.context.newPage();
  await page.goto(server.url(fixture));
  await page.click('#composer');
  await page.keyboard.insertText(text);
  const s = await checked(page);
  return { page, s };
}

test('with no native host: the baseline policy, and checks still work', async () => {
  const browser = await launch();
  try {
    const s = await status(browser);
    assert.equal(s.source, 'baseline');
    assert.equal(s.school, '');
    assert.ok(s.problems.some((p) => p.from === 'native'), 'the missing host is reported for the options page');
    const { page, s: o } = await draftOn(browser, 'textarea.html', DRAFTS.pupil_contact);
    assert.equal(o.categories, 'pupil_contact');
    // The options page shows the same.
    await page.goto(`chrome-extension://${browser.id}/options.html`);
    await page.waitForSelector('main[data-source="baseline"]');
    assert.match(await page.textContent('#source'), /built-in baseline/);
  } finally {
    await browser.close();
  }
});

const MANAGED_DIR = '/etc/chromium/policies/managed';
const isRoot = process.getuid?.() === 0;

test('managed policy from /etc/chromium/policies/managed wins, with its school', { skip: !isRoot && 'needs root' }, async () => {
  const file = path.join(MANAGED_DIR, `postguard-e2e-${process.pid}.json`);
  const createdDir = !fs.existsSync(MANAGED_DIR);
  fs.mkdirSync(MANAGED_DIR, { recursive: true });
  const policy = testPolicy({ rules: { 'category:pupil_contact': { severity: 'block' } } });
  fs.writeFileSync(file, JSON.stringify({
    '3rdparty': { extensions: { [extensionId()]: { policy, school: 'torridge-vale' } } },
  }));
  let browser;
  try {
    browser = await launch();
    const s = await status(browser);
    assert.equal(s.source, 'managed', JSON.stringify(s));
    assert.equal(s.school, 'torridge-vale');
    assert.equal(s.disclaimer, 'All views my own and not those of Torridge Vale Academy.');
    const { page, s: o } = await draftOn(browser, 'textarea.html',
      'Another brilliant open evening at Torridge Vale tonight, thank you all.');
    assert.equal(o.categories, 'disclaimer');
    await page.click('postguard-overlay .badge');
    await page.click('postguard-overlay .panel button.fix');
    await page.waitForFunction(() => /Torridge Vale Academy\.$/.test(document.querySelector('#composer').value));
    // The managed rule setting applies: pupil contact is a block here.
    const { s: o2 } = await draftOn(browser, 'textarea.html', DRAFTS.pupil_contact);
    assert.equal(o2.severity, 'block');
  } finally {
    await browser?.close();
    fs.rmSync(file, { force: true });
    if (createdDir) {
      try { fs.rmdirSync(MANAGED_DIR); fs.rmdirSync(path.dirname(MANAGED_DIR)); } catch { /* not empty */ }
    }
  }
});

test('an invalid managed policy is reported and the next source is used', { skip: !isRoot && 'needs root' }, async () => {
  const file = path.join(MANAGED_DIR, `postguard-e2e-${process.pid}-bad.json`);
  const createdDir = !fs.existsSync(MANAGED_DIR);
  fs.mkdirSync(MANAGED_DIR, { recursive: true });
  fs.writeFileSync(file, JSON.stringify({
    '3rdparty': { extensions: { [extensionId()]: { policy: testPolicy(), school: 'no-such-school' } } },
  }));
  let browser;
  try {
    browser = await launch();
    const s = await status(browser);
    assert.equal(s.source, 'baseline', JSON.stringify(s));
    const problem = s.problems.find((p) => p.from === 'managed');
    assert.ok(problem, JSON.stringify(s.problems));
    assert.equal(problem.code, 22);  // policy_unknown_school
  } finally {
    await browser?.close();
    fs.rmSync(file, { force: true });
    if (createdDir) {
      try { fs.rmdirSync(MANAGED_DIR); fs.rmdirSync(path.dirname(MANAGED_DIR)); } catch { /* not empty */ }
    }
  }
});

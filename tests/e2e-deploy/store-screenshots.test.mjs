// The store screenshots (1280x800), taken from the force-installed extension configured by managed
// policy, on the fixture composers of the extension tests. Each one is taken only after the overlay
// shows the finding it illustrates, so a screenshot cannot silently show the wrong thing.
//
// Written to build/store-screenshots/ on every run; to refresh the committed ones:
//   POSTGUARD_STORE_SCREENSHOTS=store-assets/screenshots npm test --prefix tests/e2e-deploy
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { deploy, checked, repo, SCHOOL_DISCLAIMER } from './deploy.mjs';
import { pngSize } from './png.mjs';

const skip = process.getuid?.() !== 0 && 'writes /etc/chromium/policies/managed: needs root';
const outDir = path.resolve(repo, process.env.POSTGUARD_STORE_SCREENSHOTS || 'build/store-screenshots');

// 640x400 CSS pixels at 2x: the fixtures' 520 px composers fill the frame, and text stays sharp.
const VIEWPORT = { width: 640, height: 400 };
const SCALE = 2;

let d;
before(async () => {
  if (skip) return;
  fs.mkdirSync(outDir, { recursive: true });
  d = await deploy({ viewport: VIEWPORT, deviceScaleFactor: SCALE });
});
after(async () => { await d?.close(); });

async function draft(fixture, text, selector = '#composer') {
  const page = await d.context.newPage();
  await page.goto(d.server.fixture(fixture));
  await page.click(selector);
  await page.keyboard.insertText(text);
  return { page, state: await checked(page) };
}

async function shoot(page, name) {
  const file = path.join(outDir, name);
  // The caret blinks and highlights follow layout: let both settle before the picture.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.screenshot({ path: file, caret: 'hide', animations: 'disabled' });
  assert.deepEqual(pngSize(fs.readFileSync(file)), { width: 1280, height: 800 });
  await page.close();
}

async function openPanel(page) {
  await page.click('postguard-overlay .badge');
  await page.locator('postguard-overlay .panel').waitFor();
}

test('1: a school named without a disclaimer, with the school\'s own disclaimer as the fix', { skip }, async () => {
  const { page, state } = await draft('textarea.html',
    'Another brilliant open evening at Torridge Vale tonight. So proud of our students and staff!');
  assert.equal(state.categories, 'disclaimer');
  await openPanel(page);
  const panel = await page.locator('postguard-overlay .panel').innerText();
  assert.match(panel, new RegExp(SCHOOL_DISCLAIMER.replace(/[.]/g, '\\.')), 'the fix offers the school\'s disclaimer');
  await shoot(page, '1-disclaimer-fix.png');
});

test('2: an invitation to contact pupils outside school channels', { skip }, async () => {
  const { page, state } = await draft('contenteditable.html',
    'Year 11s, add me on snapchat if you want the answers before the mock');
  assert.equal(state.categories, 'pupil_contact');
  assert.equal(state.severity, 'block', 'this trust blocks pupil contact');
  await openPanel(page);
  await shoot(page, '2-pupil-contact.png');
});

test('3: confidential matters, with the panel open', { skip }, async () => {
  const { page, state } = await draft('textarea.html',
    'Not allowed to say anything yet but staff check your emails Monday. The restructure is real');
  assert.equal(state.categories, 'confidential');
  await openPanel(page);
  await shoot(page, '3-confidential-panel.png');
});

test('4: the confirm step when pressing Post', { skip }, async () => {
  const { page, state } = await draft('textarea.html',
    'So proud of Noah Fairweather (Y7) who swam his first width without a float today');
  assert.equal(state.categories, 'pupil_privacy');
  assert.equal(state.severity, 'confirm');
  await page.click('#post');
  await page.locator('postguard-overlay .dialog[data-kind="confirm"]').waitFor();
  assert.equal(await page.evaluate(() => window.posted.length), 0, 'nothing was posted');
  await shoot(page, '4-confirm-at-post.png');
});

test('5: the options page shows the policy set by IT through browser policy', { skip }, async () => {
  const page = await d.context.newPage();
  await page.goto(`chrome-extension://${d.pack.id}/options.html`);
  await page.waitForSelector('main[data-source="managed"]');
  assert.equal(await page.getAttribute('main', 'data-school'), 'torridge-vale');
  assert.match(await page.textContent('#source'), /IT team/);
  await shoot(page, '5-options-managed-policy.png');
});

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
import { deploy, checked, managedStatus, repo, SCHOOL, SCHOOL_DISCLAIMER } from './deploy.mjs';
import { pngSize } from './png.mjs';

const skip = process.getuid?.() !== 0 && 'writes /etc/chromium/policies/managed: needs root';
const outDir = path.resolve(repo, process.env.POSTGUARD_STORE_SCREENSHOTS || 'build/store-screenshots');

// 960x600 CSS pixels at 4/3: room for the 520 px composer and the panel beside it, sharp text.
const VIEWPORT = { width: 960, height: 600 };
const SCALE = 4 / 3;

let d;
before(async () => {
  if (skip) return;
  fs.mkdirSync(outDir, { recursive: true });
  d = await deploy({ viewport: VIEWPORT, deviceScaleFactor: SCALE });
  await managedStatus(d);   // the school's own policy is in force before the first picture
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
  // Highlights follow layout: let it settle before the picture.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.screenshot({ path: file, caret: 'hide', animations: 'disabled' });
  assert.deepEqual(pngSize(fs.readFileSync(file)), { width: 1280, height: 800 });
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
  const fix = page.locator('postguard-overlay .panel button.fix').first();
  await fix.waitFor();
  await shoot(page, '1-disclaimer-fix.png');
  // The button in the picture does what it says: it adds this school's own wording.
  await fix.click();
  await page.waitForFunction((t) => document.querySelector('#composer').value.endsWith(t), SCHOOL_DISCLAIMER);
  await page.close();
});

test('2: an invitation to contact pupils outside school channels', { skip }, async () => {
  const { page, state } = await draft('contenteditable.html',
    'Year 11s, add me on snapchat if you want the answers before the mock');
  assert.equal(state.categories, 'pupil_contact');
  assert.equal(state.severity, 'block', 'this trust blocks pupil contact');
  await openPanel(page);
  await shoot(page, '2-pupil-contact.png');
  await page.close();
});

test('3: confidential matters, with the panel open', { skip }, async () => {
  const { page, state } = await draft('textarea.html',
    'Not allowed to say anything yet but staff check your emails Monday. The restructure is real');
  assert.equal(state.categories, 'confidential');
  await openPanel(page);
  await shoot(page, '3-confidential-panel.png');
  await page.close();
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
  await page.close();
});

// The toolbar popup's page (what staff open from the PostGuard icon), in a tab.
test('5: the popup shows the policy set by IT through browser policy, and the school', { skip }, async () => {
  const page = await d.context.newPage();
  await page.goto(`chrome-extension://${d.pack.id}/popup.html`);
  await page.waitForSelector('main[data-source="managed"]');
  assert.equal(await page.getAttribute('main', 'data-school'), SCHOOL);
  assert.match(await page.textContent('#source'), /IT team \(browser policy\)/);
  await shoot(page, '5-popup-managed-policy.png');
  await page.close();
});

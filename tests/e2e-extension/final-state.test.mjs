// Typing as fast as the keyboard goes, with deletions and a worker stopped mid-burst: once typing
// stops, every composer's overlay shows exactly the engine's findings for the FINAL text (same
// rules, same offsets, same count), never a result for an earlier keystroke.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startServer, launch, makePolicyRoot, testPolicy, bundleEditors, EDITORS, DRAFTS, engineCheck,
  overlayKeys, findingKeys, stopWorker } from './lib.mjs';

const SETTLE_MS = 4000;

let server, root, browser;
before(async () => {
  await bundleEditors();
  server = await startServer();
  root = makePolicyRoot(testPolicy({ rules: { 'category:confidential': { severity: 'block' } } }), 'bideford-road');
  browser = await launch({ nativeHost: { root } });
});
after(async () => {
  await browser?.close();
  await server?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

// A fixed pseudo-random sequence, so a failure can be replayed.
function rng(seed) {
  return () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
}

const PIECES = [DRAFTS.disclaimer, DRAFTS.pupil_contact, DRAFTS.clean, DRAFTS.pupil_privacy, DRAFTS.confidential,
  'Views my own, not those of Bideford Road Primary.'];

async function editorText(page) {
  // What the content script reads: a textarea's value, an editable's text nodes (one line here).
  return page.evaluate(() => {
    const el = document.querySelector('#composer');
    return el.value ?? el.textContent;
  });
}

// Waits until the overlay matches the engine's findings for the editor's current text; returns
// how long after typing stopped that took, or fails with both sides.
async function assertFinal(page, label) {
  const text = await editorText(page);
  const t0 = Date.now();
  const overlay = () => page.evaluate(() => ({ ...(document.querySelector('postguard-overlay')?.dataset || {}) }));
  let o = await overlay();
  while (!o.surface && Date.now() - t0 < SETTLE_MS) { await page.waitForTimeout(20); o = await overlay(); }
  // The reference: the same engine, the same context (site, surface, account), the final text.
  const want = findingKeys(await engineCheck(browser, text, { site: o.site || 'localhost', surface: o.surface, account: o.account }));
  const since = Date.now();
  let shown;
  for (;;) {
    shown = await overlayKeys(page);
    if (shown.state === 'checked' && shown.findings === want.findings &&
        JSON.stringify(shown.keys) === JSON.stringify(want.keys)) return Date.now() - since;
    if (Date.now() - t0 > SETTLE_MS) break;
    await page.waitForTimeout(20);
  }
  assert.fail(`${label}: after typing stopped the overlay never showed the final text's findings ` +
    `(${text.length} chars): shown ${JSON.stringify(shown)}, engine ${JSON.stringify(want)}`);
}

const FIXTURES = ['textarea.html', 'contenteditable.html', ...EDITORS.map((e) => `${e}.html`)];
for (const [n, fixture] of FIXTURES.entries()) {
  test(`${fixture}: after each burst of fast typing the overlay reflects the final text`, async () => {
    const page = await browser.context.newPage();
    try {
      await page.goto(server.url(fixture));
      await page.click('#composer');
      const rand = rng(7 + n);
      const waits = [];
      for (let round = 0; round < 8; round++) {
        const piece = PIECES[Math.floor(rand() * PIECES.length)];
        // Round 3 stops the service worker while the burst is being typed.
        const stopping = round === 3 ? stopWorker(browser) : null;
        await page.keyboard.type(' ' + piece);
        const back = Math.floor(rand() * 8);
        for (let i = 0; i < back; i++) await page.keyboard.press('Backspace');
        if (rand() < 0.5) await page.keyboard.type(piece.slice(-back));
        await stopping;
        waits.push(await assertFinal(page, `${fixture} round ${round}`));
      }
      console.log(`${fixture}: overlay on the final text ${waits.join(', ')} ms after the reference was ready`);
    } finally {
      await page.close();
    }
  });
}

// Typing a 2,000-character draft: the editor's value and DOM are exactly what they are without the
// extension, and the overlay ends with every category. (Keystroke -> highlights latency, long
// tasks and idle work on that draft are measured by bench/extension_bench.mjs, not here.)
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startServer, launch, checked, makePolicyRoot, testPolicy, bundleEditors, EDITORS, DRAFTS } from './lib.mjs';

// 2,000 characters with findings of every category along the way, and line breaks.
function longDraft() {
  const parts = [DRAFTS.disclaimer, DRAFTS.pupil_contact, DRAFTS.clean, DRAFTS.pupil_privacy, DRAFTS.confidential];
  let s = '';
  for (let i = 0; s.length < 2000; i++) s += parts[i % parts.length] + (i % 3 === 2 ? '\n' : ' ');
  return s.slice(0, 2000);
}
const TEXT = longDraft();

let server, root;
before(async () => {
  await bundleEditors();
  server = await startServer();
  root = makePolicyRoot(testPolicy({ rules: { 'category:confidential': { severity: 'block' } } }), 'bideford-road');
});
after(async () => {
  await server?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

async function typeInto(browser, fixture) {
  const page = await browser.context.newPage();
  await page.goto(server.url(fixture));
  await page.click('#composer');
  await page.keyboard.type(TEXT);
  const snapshot = await page.evaluate(() => {
    const el = document.querySelector('#composer');
    // Draft.js draws random block keys per instance: those differ between any two runs.
    const html = el.outerHTML.replace(/ data-(offset-key|editor|block)="[^"]*"/g, '');
    return { value: el.value ?? null, html, text: el.value ?? el.innerText,
      model: window.editorText ? window.editorText() : null };
  });
  return { page, snapshot };
}

for (const fixture of ['textarea.html', 'contenteditable.html', ...EDITORS.map((e) => `${e}.html`)]) {
  test(`${fixture}: 2,000 typed characters leave the editor exactly as without the extension`, async () => {
    const plain = await launch({ extension: false });
    let without;
    try {
      without = (await typeInto(plain, fixture)).snapshot;
    } finally {
      await plain.close();
    }
    const browser = await launch({ nativeHost: { root } });
    try {
      const { page, snapshot } = await typeInto(browser, fixture);
      assert.equal(snapshot.value, without.value);
      assert.equal(snapshot.html, without.html, 'the editor DOM is unchanged by the extension');
      assert.equal(snapshot.model, without.model, 'the editor\'s own model is unchanged');
      assert.equal(snapshot.text.replace(/\s+/g, ' ').trim().length > 1900, true);
      const s = await checked(page, 0, 15000);
      assert.equal(s.categories, 'confidential disclaimer pupil_contact pupil_privacy');
    } finally {
      await browser.close();
    }
  });
}

// The real PostGuard extension in headless Chromium, on fixture composers served with a strict
// CSP (no 'wasm-unsafe-eval'), policy from the real native host reading the Tarka trust's bundle.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startServer, launch, status, checked, overlayState, testPolicy, makePolicyRoot, setSchool, bundleEditors, EDITORS, DRAFTS, hostBin } from './lib.mjs';

let server, browser, policyRoot;

// Confidential matters are a block for this test trust; pupil categories are confirm (baseline).
const POLICY = testPolicy({ rules: { 'category:confidential': { severity: 'block' } } });
const EXPECT = {
  disclaimer: { categories: 'disclaimer', severity: 'warn' },
  pupil_contact: { categories: 'pupil_contact', severity: 'confirm' },
  pupil_privacy: { categories: 'pupil_privacy', severity: 'confirm' },
  confidential: { categories: 'confidential', severity: 'block' },
};

before(async () => {
  assert.ok(fs.existsSync(hostBin), `build the host first: ${hostBin}`);
  policyRoot = makePolicyRoot(POLICY, 'bideford-road');
  await bundleEditors();
  server = await startServer();
  browser = await launch({ nativeHost: { root: policyRoot } });
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (policyRoot) fs.rmSync(policyRoot, { recursive: true, force: true });
});

async function freshPage(fixture) {
  const page = await browser.context.newPage();
  await page.goto(server.url(fixture));
  return page;
}

// The frame holding the composer, and a selector for it (open shadow roots are pierced by
// Playwright's CSS engine).
const FIXTURES = {
  textarea: { file: 'textarea.html', frame: (p) => p.mainFrame(), kind: 'textarea' },
  contenteditable: { file: 'contenteditable.html', frame: (p) => p.mainFrame(), kind: 'contenteditable' },
  shadow: { file: 'shadow.html', frame: (p) => p.mainFrame(), kind: 'textarea' },
  iframe: { file: 'iframe.html', frame: async (p) => {
    const handle = await p.waitForSelector('#frame');
    const f = await handle.contentFrame();
    await f.waitForSelector('#composer');
    return f;
  }, kind: 'contenteditable' },
  // The real editor libraries from npm, bundled by bundleEditors().
  ...Object.fromEntries(EDITORS.map((e) => [e, { file: `${e}.html`, frame: (p) => p.mainFrame(), kind: 'contenteditable' }])),
};

async function open(name) {
  const fx = FIXTURES[name];
  const page = await freshPage(fx.file);
  const frame = await fx.frame(page);
  await frame.waitForSelector('#composer');
  return { page, frame, fx };
}

async function typeDraft(page, frame, text) {
  await frame.click('#composer');
  await page.keyboard.insertText(text);
  return checked(frame);
}

// Where the text between start and end is drawn, measured independently of the extension: a DOM
// Range for contenteditable; for a textarea, the prefix width from canvas measureText in the
// textarea's own font (the drafts are one line).
function textRect(frame, start, end) {
  return frame.evaluate(([start, end]) => {
    const find = (root) => root.querySelector('#composer') ||
      [...root.querySelectorAll('*')].map((e) => e.shadowRoot && find(e.shadowRoot)).find(Boolean);
    const el = find(document);
    if (el instanceof HTMLTextAreaElement) {
      const cs = getComputedStyle(el);
      const ctx = document.createElement('canvas').getContext('2d');
      ctx.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
      const box = el.getBoundingClientRect();
      const x0 = box.left + parseFloat(cs.borderLeftWidth) + parseFloat(cs.paddingLeft);
      const y0 = box.top + parseFloat(cs.borderTopWidth) + parseFloat(cs.paddingTop);
      const left = x0 + ctx.measureText(el.value.slice(0, start)).width;
      const right = x0 + ctx.measureText(el.value.slice(0, end)).width;
      const lh = parseFloat(cs.lineHeight);
      return { left, right, top: y0, bottom: y0 + lh };
    }
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const node = walker.nextNode();
    const r = document.createRange();
    r.setStart(node, start);
    r.setEnd(node, end);
    const q = r.getBoundingClientRect();
    return { left: q.left, right: q.right, top: q.top, bottom: q.bottom };
  }, [start, end]);
}

test('policy comes from the real native host (Tarka, bideford-road)', async () => {
  const s = await status(browser);
  assert.equal(s.source, 'native', JSON.stringify(s));
  assert.equal(s.school, 'bideford-road');
  assert.deepEqual(s.problems, []);
});

const only = process.env.PG_FIXTURES ? process.env.PG_FIXTURES.split(',') : null;
for (const name of Object.keys(FIXTURES).filter((n) => !only || only.includes(n))) {
  describe(`${name} composer`, () => {
    for (const [category, want] of Object.entries(EXPECT)) {
      test(`${category}: findings, categories and highlight position`, async () => {
        const { page, frame } = await open(name);
        try {
          const s = await typeDraft(page, frame, DRAFTS[category]);
          assert.equal(s.categories, want.categories, JSON.stringify(s));
          assert.ok(s.findings >= 1);
          assert.equal(s.severity, want.severity);
          const box = s.boxes.find((b) => b.category === category);
          assert.ok(box, 'a highlight box for the finding');
          const expect = await textRect(frame, box.start, box.end);
          const tol = 3;
          assert.ok(Math.abs(box.left - expect.left) <= tol, `left ${box.left} vs text ${expect.left}`);
          assert.ok(Math.abs(box.right - expect.right) <= tol, `right ${box.right} vs text ${expect.right}`);
          assert.ok(box.top < expect.bottom && box.bottom > expect.top, `vertical overlap ${JSON.stringify([box, expect])}`);
          // The composer holds exactly the text typed: nothing was written into it.
          const value = await frame.$eval('#composer', (e) => e.value ?? e.textContent);
          assert.equal(value, DRAFTS[category]);
        } finally {
          await page.close();
        }
      });
    }

    test('a clean draft has no findings', async () => {
      const { page, frame } = await open(name);
      try {
        const s = await typeDraft(page, frame, DRAFTS.clean);
        assert.equal(s.findings, 0);
        assert.equal(s.categories, '');
        assert.equal(s.boxes.length, 0);
      } finally {
        await page.close();
      }
    });

    test('the disclaimer fix inserts the school\'s text through the editor; Ctrl+Z removes it', async () => {
      const { page, frame } = await open(name);
      try {
        await typeDraft(page, frame, DRAFTS.disclaimer);
        // Staff read the panel before fixing: past the editors' undo grouping delay (Quill 1 s),
        // so the fix is its own undo step, as it is for a person.
        await page.waitForTimeout(1100);
        // Keyboard: Tab from the composer is the page's business; open the panel with the badge.
        await frame.click('postguard-overlay .badge');
        const fix = await frame.waitForSelector('postguard-overlay .panel button.fix');
        assert.match(await fix.textContent(), /disclaimer/i);
        await fix.press('Enter');
        const composerText = () => frame.evaluate(() => {
          const find = (root) => root.querySelector('#composer') ||
            [...root.querySelectorAll('*')].map((e) => e.shadowRoot && find(e.shadowRoot)).find(Boolean);
          const e = find(document);
          return e.value ?? e.innerText;
        });
        await frame.waitForFunction(() => {
          const find = (root) => root.querySelector('#composer') ||
            [...root.querySelectorAll('*')].map((e) => e.shadowRoot && find(e.shadowRoot)).find(Boolean);
          const e = find(document);
          return /do not represent/.test(e.value ?? e.innerText);
        }, null, { timeout: 3000 });
        const after = await checked(frame);
        const value = await composerText();
        assert.match(value, /The views in this posting do not represent the views of my employer\./);
        assert.equal(after.categories, '', JSON.stringify(after));
        await page.keyboard.press('Control+z');
        await frame.waitForFunction(() => {
          const find = (root) => root.querySelector('#composer') ||
            [...root.querySelectorAll('*')].map((e) => e.shadowRoot && find(e.shadowRoot)).find(Boolean);
          const e = find(document);
          return !/do not represent/.test(e.value ?? e.innerText);
        }, null, { timeout: 3000 });
        const undone = await composerText();
        assert.equal(undone.trim(), DRAFTS.disclaimer);
        const s = await checked(frame);
        assert.equal(s.categories, 'disclaimer');
      } finally {
        await page.close();
      }
    });

    test('at Post: confirm asks "post anyway?", block stops the post', async () => {
      const { page, frame } = await open(name);
      try {
        const posted = () => frame.evaluate(() => window.posted.length);
        await typeDraft(page, frame, DRAFTS.pupil_privacy);
        await frame.click('#post');
        await frame.waitForSelector('postguard-overlay .dialog[data-kind="confirm"]');
        assert.equal(await posted(), 0, 'held until confirmed');
        await frame.click('postguard-overlay .dialog button.back');
        assert.equal(await posted(), 0, 'going back does not post');
        await frame.click('#post');
        await frame.click('postguard-overlay .dialog[data-kind="confirm"] button.post-anyway');
        await frame.waitForFunction(() => window.posted.length === 1, null, { timeout: 3000 });

        // Now a blocked draft: replace the text.
        await frame.click('#composer');
        await page.keyboard.press('Control+a');
        await page.keyboard.insertText(DRAFTS.confidential);
        await checked(frame);
        await frame.click('#post');
        await frame.waitForSelector('postguard-overlay .dialog[data-kind="block"]');
        assert.equal(await frame.$$eval('postguard-overlay .dialog[data-kind="block"] button.post-anyway', (b) => b.length), 0);
        await frame.click('postguard-overlay .dialog button.back');
        assert.equal(await posted(), 1, 'the blocked post did not go out');

        // Clean text posts straight away, without any dialog.
        await frame.click('#composer');
        await page.keyboard.press('Control+a');
        await page.keyboard.insertText(DRAFTS.clean);
        await checked(frame);
        await frame.click('#post');
        await frame.waitForFunction(() => window.posted.length === 2, null, { timeout: 3000 });
      } finally {
        await page.close();
      }
    });
  });
}

test('Ctrl+Enter on a blocked draft is stopped too', async () => {
  const { page, frame } = await open('contenteditable');
  try {
    await typeDraft(page, frame, DRAFTS.confidential);
    await page.keyboard.press('Control+Enter');
    await frame.waitForSelector('postguard-overlay .dialog[data-kind="block"]');
    assert.equal(await frame.evaluate(() => window.posted.length), 0);
    // Escape closes the dialog and returns focus to the composer.
    await page.keyboard.press('Escape');
    assert.equal(await frame.evaluate(() => document.activeElement.id), 'composer');
  } finally {
    await page.close();
  }
});

test('a composer added after load is found (MutationObserver)', async () => {
  const page = await freshPage('contenteditable.html');
  try {
    await page.waitForSelector('#composer2');
    await page.click('#composer2');
    await page.keyboard.insertText(DRAFTS.pupil_contact);
    await page.waitForFunction(() => [...document.querySelectorAll('postguard-overlay')]
      .some((o) => o.dataset.state === 'checked' && o.dataset.categories === 'pupil_contact'), null, { timeout: 5000 });
  } finally {
    await page.close();
  }
});

test('the panel is keyboard-operable and announces new warnings politely', async () => {
  const { page, frame } = await open('textarea');
  try {
    await typeDraft(page, frame, DRAFTS.pupil_contact);
    const live = await frame.$eval('postguard-overlay', (o) => {
      const l = o.shadowRoot.querySelector('[aria-live]');
      return { polite: l.getAttribute('aria-live'), text: l.textContent };
    });
    assert.equal(live.polite, 'polite');
    assert.match(live.text, /1 new/);
    await frame.focus('postguard-overlay .badge');
    await page.keyboard.press('Enter');
    await frame.waitForSelector('postguard-overlay .panel:not([hidden])');
    const item = await frame.$eval('postguard-overlay .panel li', (li) => li.textContent);
    assert.match(item, /invitation/i);
    assert.match(item, /Policy: /);
    await page.keyboard.press('Escape');
    await frame.waitForSelector('postguard-overlay .panel[hidden]', { state: 'attached' });
    assert.equal(await frame.evaluate(() => document.activeElement.id), 'composer');
  } finally {
    await page.close();
  }
});

test('a stopped service worker comes back: the next keystroke is still checked', async () => {
  const { page, frame } = await open('textarea');
  try {
    await typeDraft(page, frame, DRAFTS.clean);
    const ext = await browser.context.newPage();
    await ext.goto(`chrome-extension://${browser.id}/popup.html`);
    const before = (await status(browser)).loadedAt;
    const cdp = await browser.context.newCDPSession(ext);
    const versions = [];
    cdp.on('ServiceWorker.workerVersionUpdated', (e) => versions.push(...e.versions));
    await cdp.send('ServiceWorker.enable');
    await ext.waitForTimeout(200);
    const running = versions.find((v) => v.runningStatus === 'running' && v.scriptURL.endsWith('/sw.js'));
    assert.ok(running, 'the extension worker is running');
    await cdp.send('ServiceWorker.stopWorker', { versionId: running.versionId });
    const deadline = Date.now() + 5000;
    while (!versions.some((v) => v.versionId === running.versionId && v.runningStatus === 'stopped')) {
      assert.ok(Date.now() < deadline, 'the worker stopped');
      await ext.waitForTimeout(50);
    }
    await cdp.detach();
    await ext.close();
    const t0 = Date.now();
    await frame.click('#composer');
    await page.keyboard.press('End');
    await page.keyboard.insertText(' ' + DRAFTS.pupil_contact);
    const s = await checked(frame);
    console.log(`check after a worker stop: ${Date.now() - t0} ms (worker start included)`);
    assert.equal(s.categories, 'pupil_contact');
    assert.ok((await status(browser)).loadedAt > before, 'a new worker instance answered');
  } finally {
    await page.close();
  }
});

test('the native host\'s policyChanged applies live: another school, re-checked without typing', async () => {
  const { page, frame } = await open('textarea');
  try {
    const text = 'Another brilliant open evening at Torridge Vale tonight, thank you all.';
    const s = await typeDraft(page, frame, text);
    assert.equal(s.categories, '', 'Torridge Vale is not the employer at Bideford Road');
    setSchool(policyRoot, 'torridge-vale');
    await frame.waitForFunction(() => document.querySelector('postguard-overlay').dataset.categories === 'disclaimer',
      null, { timeout: 10000 });
    assert.equal((await status(browser)).school, 'torridge-vale');
  } finally {
    setSchool(policyRoot, 'bideford-road');
    await page.close();
  }
});

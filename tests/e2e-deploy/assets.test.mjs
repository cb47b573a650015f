// The store assets: every image has the size the stores ask for, the icons are what
// store-assets/render.sh makes from icon.svg (and the extension ships those same files), and the
// listing texts fit the store's limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repo } from './deploy.mjs';
import { pngSize } from './png.mjs';

const assets = path.join(repo, 'store-assets');
const ICON_SIZES = [16, 32, 48, 128];
const SCREENSHOTS = ['1-disclaimer-fix.png', '2-pupil-contact.png', '3-confidential-panel.png',
  '4-confirm-at-post.png', '5-popup-managed-policy.png'];
const size = (file) => pngSize(fs.readFileSync(file));

test('icons: 16, 32, 48 and 128 px, the same files in store-assets/icons and extension/icons', () => {
  for (const s of ICON_SIZES) {
    const store = path.join(assets, 'icons', `${s}.png`);
    assert.deepEqual(size(store), { width: s, height: s }, store);
    assert.ok(fs.readFileSync(store).equals(fs.readFileSync(path.join(repo, 'extension/icons', `${s}.png`))),
      `extension/icons/${s}.png differs from store-assets/icons/${s}.png: run store-assets/render.sh`);
  }
});

test('the manifest names every icon size, and each file has the size its key says', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'extension/manifest.json'), 'utf8'));
  assert.deepEqual(Object.keys(manifest.icons).map(Number).sort((a, b) => a - b), ICON_SIZES);
  for (const [s, rel] of Object.entries(manifest.icons)) {
    assert.deepEqual(size(path.join(repo, 'extension', rel)), { width: Number(s), height: Number(s) }, rel);
  }
});

test('the icons and promo tile are what render.sh makes from the SVG sources now', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-assets-'));
  try {
    execFileSync('bash', [path.join(assets, 'render.sh'), tmp, path.join(tmp, 'extension-icons')], { stdio: 'pipe' });
    const stale = [...ICON_SIZES.map((s) => `icons/${s}.png`), 'promo-tile-440x280.png']
      .filter((rel) => !fs.readFileSync(path.join(tmp, rel)).equals(fs.readFileSync(path.join(assets, rel))));
    assert.deepEqual(stale, [], 'store-assets/render.sh renders these differently: run it and commit the result');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('promo tile: 440x280', () => {
  assert.deepEqual(size(path.join(assets, 'promo-tile-440x280.png')), { width: 440, height: 280 });
});

test('five screenshots, each 1280x800', () => {
  const dir = path.join(assets, 'screenshots');
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.png')).sort(), SCREENSHOTS);
  for (const f of SCREENSHOTS) assert.deepEqual(size(path.join(dir, f)), { width: 1280, height: 800 }, f);
});

/** Sections of a listing file: "## Heading" -> the text under it. */
function sections(file) {
  const out = {};
  let name = null;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^## (.+)$/.exec(line);
    if (m) { name = m[1].trim(); out[name] = ''; continue; }
    if (name) out[name] += line + '\n';
  }
  for (const k of Object.keys(out)) out[k] = out[k].trim();
  return out;
}

const LISTINGS = {
  en: { file: 'en.md', name: 'Name', short: 'Short description', full: 'Full description' },
  cy: { file: 'cy.md', name: 'Enw', short: 'Disgrifiad byr', full: 'Disgrifiad llawn' },
};

for (const [lang, l] of Object.entries(LISTINGS)) {
  test(`listing (${lang}): name, a short description of at most 132 characters, a full description`, () => {
    const s = sections(path.join(assets, 'listing', l.file));
    assert.equal(s[l.name], 'PostGuard');
    const short = s[l.short];
    assert.ok(short && !short.includes('\n'), 'the short description is one line');
    assert.ok([...short].length <= 132, `short description is ${[...short].length} characters (store limit 132)`);
    assert.ok(s[l.full] && s[l.full].length > 500 && s[l.full].length <= 16000, 'full description 500-16,000 characters');
  });
}

test('the Welsh listing is a translation, not the English text', () => {
  const en = sections(path.join(assets, 'listing', 'en.md'));
  const cy = sections(path.join(assets, 'listing', 'cy.md'));
  assert.notEqual(cy['Disgrifiad byr'], en['Short description']);
  assert.notEqual(cy['Disgrifiad llawn'], en['Full description']);
});

// The store shows the manifest's description as the summary, so each locale's extDescription must
// fit the same 132 characters.
test('each locale\'s extDescription (the store summary) fits 132 characters', () => {
  const dir = path.join(repo, 'extension/_locales');
  for (const loc of fs.readdirSync(dir)) {
    const d = JSON.parse(fs.readFileSync(path.join(dir, loc, 'messages.json'), 'utf8')).extDescription.message;
    assert.ok([...d].length <= 132, `${loc}: ${[...d].length} characters`);
  }
});

test('the privacy policy says plainly that no draft leaves the device, and what is stored and read', () => {
  const text = fs.readFileSync(path.join(assets, 'privacy-policy.md'), 'utf8');
  for (const phrase of [/nothing you type ever leaves your device/i, /never sent anywhere/i, /never saved/i,
    /never logged/i, /What the extension stores/, /What the native host reads/, /no network connections/i]) {
    assert.match(text, phrase);
  }
});

// Force-install, tested for real: Chromium installs the packed extension from a local update server
// because managed policy says so, and configures it from the same policy (chrome.storage.managed).
// No --load-extension anywhere.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { deploy, readCrxHeader, idFromPublicKey, checked, managedStatus, repo, SCHOOL, SCHOOL_DISCLAIMER } from './deploy.mjs';

const isRoot = process.getuid?.() === 0;
const skip = !isRoot && 'writes /etc/chromium/policies/managed: needs root';
const hostBin = process.env.POSTGUARD_HOST_BIN || path.join(repo, 'build/native/bin/postguard-host');

let d;
before(async () => {
  if (skip) return;
  // A real host binary behind a user-level manifest: the policy must make Chromium refuse it.
  d = await deploy({ userLevelHost: fs.existsSync(hostBin) ? hostBin : '/bin/false' });
  console.log(`# installed by policy ${d.installMs} ms after launch, managed settings ${d.managedMs} ms later; ` +
    'update server saw: ' +
    [...new Set(d.server.requests.map((r) => r.path))].join(', '));
});
after(async () => { await d?.close(); });

test('the CRX is a CRX3 signed with the test key, without the development key', { skip }, () => {
  const h = readCrxHeader(d.pack.crx);
  assert.equal(h.magic, 'Cr24');
  assert.equal(h.version, 3);
  assert.ok(h.rsaKeys.some((k) => k.equals(d.pack.publicKeyDer)), 'the CRX carries our public key');
  assert.equal(idFromPublicKey(h.rsaKeys.find((k) => k.equals(d.pack.publicKeyDer))), d.pack.id);
  assert.equal(d.pack.crx.readUInt32LE(h.zipStart), 0x04034b50, 'a zip follows the header');
  const packed = JSON.parse(fs.readFileSync(path.join(d.pack.packedDir, 'manifest.json'), 'utf8'));
  assert.equal(packed.key, undefined);
  assert.notEqual(idFromPublicKey(Buffer.from(d.pack.devKey, 'base64')), d.pack.id, 'not the development id');
});

test('Chromium was started without --load-extension and fetched the update manifest and the CRX', { skip }, () => {
  // The browser process's real command line. Debian's wrapper adds "--load-extension=" followed by
  // whatever is in /usr/share/chromium/extensions (nothing, on a machine without Debian's extension
  // packages): no extension directory may be named there, nor anywhere else.
  const argv = d.browserCommandLine;
  assert.ok(argv, 'the browser process was found');
  const named = argv.filter((a) => /^--(load-extension|disable-extensions-except)=./.test(a));
  assert.deepEqual(named, [], 'no extension is loaded from a directory');
  assert.ok(!argv.some((a) => a.includes(d.pack.packedDir) || a.includes('build/extension')));
  const paths = d.server.requests.map((r) => r.path);
  assert.ok(paths.includes('/updates.xml'), paths.join(', '));
  assert.ok(paths.includes('/postguard.crx'), paths.join(', '));
  assert.ok(paths.indexOf('/updates.xml') < paths.indexOf('/postguard.crx'));
});

test('the extension is installed by policy: its worker runs under the id of the signing key', { skip }, async () => {
  assert.equal(new URL(d.worker.url()).host, d.pack.id);
  const self = await d.worker.evaluate(() => chrome.management.getSelf());
  assert.equal(self.id, d.pack.id);
  assert.equal(self.installType, 'admin', 'installed by enterprise policy');
  assert.equal(self.mayDisable, false, 'staff cannot turn a force-installed extension off');
  assert.equal(self.enabled, true);
  assert.equal(self.version, d.pack.version);
  // Chromium unpacked it into the profile and recorded the CRX's key in the installed manifest.
  const installed = path.join(d.profile, 'Default', 'Extensions', d.pack.id, `${d.pack.version}_0`, 'manifest.json');
  const m = JSON.parse(fs.readFileSync(installed, 'utf8'));
  assert.equal(m.key, d.pack.publicKeyDer.toString('base64'));
});

test('the managed settings reach chrome.storage.managed and the policy is in force', { skip }, async () => {
  const managed = await d.worker.evaluate(() => chrome.storage.managed.get(null));
  assert.equal(managed.school, SCHOOL);
  assert.equal(managed.policy.organisation.id, 'tarka');
  const s = await managedStatus(d);
  assert.equal(s.school, SCHOOL);
  assert.equal(s.disclaimer, SCHOOL_DISCLAIMER);
  assert.deepEqual(s.problems.filter((p) => p.from === 'managed'), []);
});

test('chrome://policy shows the policies applied, each with status OK', { skip }, async () => {
  const page = await d.context.newPage();
  try {
    await page.goto('chrome://policy');
    await page.locator('text=ExtensionInstallForcelist').first().waitFor({ timeout: 15_000 });
    // The page is built from custom elements with shadow roots: collect its text through them.
    const text = await page.evaluate(() => {
      const out = [];
      (function walk(n) {
        if (n.shadowRoot) walk(n.shadowRoot);
        for (const c of n.childNodes) {
          if (c.nodeType === Node.TEXT_NODE) { if (c.textContent.trim()) out.push(c.textContent.trim()); } else walk(c);
        }
      })(document.body);
      return out.join(' | ');
    });
    // Each row: name | value | source | scope | level | status.
    for (const name of ['ExtensionInstallForcelist', 'NativeMessagingUserLevelHosts', 'DeveloperToolsAvailability']) {
      const row = new RegExp(`${name} \\| [^|]+ \\| Platform \\| Machine \\| Mandatory \\| OK`);
      assert.ok(row.test(text), `${name}: no row with status OK (${text.slice(text.indexOf(name), text.indexOf(name) + 160)})`);
    }
    assert.ok(text.includes(`${d.pack.id};${d.server.updateUrl}`), 'the force-install entry names our id and server');
    // The extension's own section (3rdparty), validated against its managed_schema.
    const ext = text.slice(text.lastIndexOf(d.pack.id));
    for (const row of [/school \| "?torridge-vale"? \| Platform \| Machine \| Mandatory \| OK/,
      /policy \| \{"disclaimer"[^|]*\| Platform \| Machine \| Mandatory \| OK/]) {
      assert.ok(row.test(ext), `no OK row ${row} in the extension's section (${ext.slice(0, 300)})`);
    }
  } finally {
    await page.close();
  }
});

test('NativeMessagingUserLevelHosts=false: a user-level host manifest is not used', { skip }, async () => {
  const page = await d.context.newPage();
  try {
    await page.goto(`chrome-extension://${d.pack.id}/popup.html`);
    const err = await page.evaluate(() => new Promise((resolve) => {
      chrome.runtime.sendNativeMessage('org.postguard.host', { type: 'hello', id: 1 }, () => {
        resolve(chrome.runtime.lastError ? chrome.runtime.lastError.message : null);
      });
    }));
    assert.match(String(err), /not found/i, `the user-level host in the profile must be refused (got ${err})`);
  } finally {
    await page.close();
  }
});

test('a composer shows the managed school\'s findings and inserts the school\'s own disclaimer', { skip }, async () => {
  const page = await d.context.newPage();
  try {
    await page.goto(d.server.fixture('textarea.html'));
    await page.click('#composer');
    await page.keyboard.insertText('Another brilliant open evening at Torridge Vale tonight, thank you all.');
    const o = await checked(page);
    assert.equal(o.categories, 'disclaimer');
    await page.click('postguard-overlay .badge');
    const fix = page.locator('postguard-overlay .panel button.fix').first();
    await fix.waitFor();
    await fix.click();
    await page.waitForFunction((t) => document.querySelector('#composer').value.endsWith(t), SCHOOL_DISCLAIMER);
  } finally {
    await page.close();
  }
  // The managed rule settings apply too: pupil contact is a block for this trust.
  const page2 = await d.context.newPage();
  try {
    await page2.goto(d.server.fixture('textarea.html'));
    await page2.click('#composer');
    await page2.keyboard.insertText('y11s add me on snapchat if u want the answers b4 the mock');
    const o2 = await checked(page2);
    assert.equal(o2.categories, 'pupil_contact');
    assert.equal(o2.severity, 'block');
  } finally {
    await page2.close();
  }
});

// The same deployment without the test's DeveloperToolsAvailability entry, i.e. exactly what IT
// pushes. The extension is out of DevTools' reach now, so this watches a web page only: once the
// content script appears there, the school's own disclaimer shows that the managed policy arrived.
// TODO: in 7 of 16 runs here Chromium installed and ran the extension but never handed it its
// 3rdparty policy within 45 s (chrome://policy lists the extension's settings as "Not set", also
// after pressing "Reload policies"); with DeveloperToolsAvailability=1 it arrived every time (1-3 s). Chromium's
// side, not the extension's: it checks drafts with the baseline meanwhile.
test('as deployed (DeveloperToolsAvailability unset): a page gets the checks and the school\'s disclaimer',
  { skip, todo: 'Chromium often does not deliver the 3rdparty policy to a just-installed extension without DeveloperToolsAvailability' },
  async () => {
    await d?.close();
    d = null;
    const plain = await deploy({ devtools: false });
    try {
      const policy = JSON.parse(fs.readFileSync(plain.policyFile, 'utf8'));
      assert.equal(policy.DeveloperToolsAvailability, undefined);
      const page = await plain.context.newPage();
      const draft = 'Another brilliant open evening at Torridge Vale tonight, thank you all.';
      let fixed = false;
      let last = 'no check yet';
      const end = Date.now() + 25_000;
      // Content scripts reach pages loaded after the install, and the managed settings follow a
      // moment later: reload until the draft gets a disclaimer finding (the baseline does not know
      // Torridge Vale) and its fix inserts Torridge Vale's own wording.
      while (!fixed && Date.now() < end) {
        await page.goto(plain.server.fixture('textarea.html'));
        await page.click('#composer');
        await page.keyboard.insertText(draft);
        const o = await checked(page, 3000).catch(() => null);
        last = o ? JSON.stringify(o) : 'no overlay (extension not installed yet)';
        if (!o || o.categories !== 'disclaimer') { await page.waitForTimeout(300); continue; }
        await page.click('postguard-overlay .badge');
        await page.locator('postguard-overlay .panel button.fix').first().click();
        fixed = await page.waitForFunction((t) => document.querySelector('#composer').value.endsWith(t),
          SCHOOL_DISCLAIMER, { timeout: 2000 }).then(() => true, () => false);
      }
      assert.ok(last !== 'no overlay (extension not installed yet)', 'the extension was installed and checks drafts');
      assert.ok(fixed, `the force-installed extension never offered the school's own disclaimer (last: ${last})`);
      console.log(`# as deployed: checks with the school's policy ${Date.now() - plain.launchedAt} ms after launch`);
      // Why the other tests set DeveloperToolsAvailability: without it DevTools never sees the worker.
      assert.deepEqual(plain.context.serviceWorkers().map((w) => w.url()).filter((u) => u.includes(plain.pack.id)), []);
    } finally {
      await plain.close();
    }
  });

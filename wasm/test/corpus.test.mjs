// Differential test on the labelled corpora: every case, with its organisation's bundle, through
// the native CLI and the wasm CLI (`check --policy ORG.json --jsonl`): byte-identical replies,
// offsets included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { WORK, corpora, describeDiff, diffJsonl, missingPrereqs, runNative, runWasm } from '../test-support/helpers.mjs';

const missing = missingPrereqs();

for (const corpus of missing.length ? [] : corpora()) {
  const lines = readFileSync(corpus.cases, 'utf8').split('\n').filter((l) => l.trim());
  const byOrg = new Map();
  for (const line of lines) {
    const c = JSON.parse(line);
    if (!byOrg.has(c.org)) byOrg.set(c.org, []);
    byOrg.get(c.org).push(line);
  }
  test(`corpus ${corpus.name}: native and wasm findings are identical (${lines.length} cases)`, async (t) => {
    let anyFindings = false;
    for (const [org, orgLines] of byOrg) {
      await t.test(`${org} (${orgLines.length} cases)`, () => {
        const bundle = path.join(corpus.orgs, `${org}.json`);
        assert.ok(existsSync(bundle), `no bundle ${bundle}`);
        const cases = path.join(WORK, `corpus-${corpus.name.replace(/\W+/g, '_')}-${org}.jsonl`);
        writeFileSync(cases, orgLines.join('\n') + '\n');
        const args = ['--policy', bundle, '--jsonl', cases];
        const n = runNative(args);
        const w = runWasm(args);
        assert.equal(n.stderr, '', `native stderr: ${n.stderr}`);
        assert.equal(w.stderr, '', `wasm stderr: ${w.stderr}`);
        const { lines: count, diffs } = diffJsonl(n.stdout, w.stdout);
        assert.equal(count, orgLines.length, 'one reply per case');
        const texts = new Map(orgLines.map((l) => JSON.parse(l)).map((c) => [c.id, c.text]));
        assert.deepEqual(diffs.map((d) => `${d.id}: ${describeDiff(d, texts.get(d.id))}`), [],
          'native and wasm disagree');
        assert.equal(w.code, n.code, 'exit code');
        // Cases labelled with a category must produce findings, or the comparison proves little (a
        // group of benign near misses may rightly have none).
        const labelled = orgLines.some((l) => (JSON.parse(l).expect || []).length > 0);
        if (labelled) assert.ok(n.stdout.includes('"rule"'), 'no findings at all: is the policy loaded?');
        anyFindings ||= n.stdout.includes('"rule"');
      });
    }
    // Some case of the file must produce findings, whatever its groups hold.
    assert.ok(anyFindings || !lines.some((l) => (JSON.parse(l).expect || []).length > 0), 'no findings at all');
  });
}

test('prerequisites', { skip: missing.length === 0 }, () => {
  assert.fail(`missing: ${missing.join('; ')}`);
});

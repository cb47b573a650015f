// Differential test on generated and fuzzed drafts (wasm/test-support/generate.mjs): random Unicode,
// emoji and ZWJ sequences, combining marks, look-alikes, full-width forms, other scripts and
// huge inputs, through the native CLI and the wasm CLI. Findings must be identical.
//
// POSTGUARD_DIFF_SEED (default: a fixed seed; "random" for a new one each run) and
// POSTGUARD_DIFF_CASES (default 1500 per policy) tune the run. Failing cases are written to
// build/wasm/test-work/fuzz-diffs-<policy>.jsonl for replay with either CLI.
//
// Text in Thai, Lao, Khmer, Myanmar, Han, Hiragana or Katakana is included and must agree too:
// ICU finds words in those scripts with dictionaries that the wasm ICU data leaves out
// (scripts/icu-wasm-data.list), so the core makes each such character a word of its own in both
// builds (shared-rules/src/text/word_breaks.cpp). The count of such drafts is reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CORPUS, DICTIONARY_SCRIPTS, WORK, describeDiff, diffJsonl, missingPrereqs, runNative, runWasm } from '../test-support/helpers.mjs';
import { corpusTexts, generateCases } from '../test-support/generate.mjs';

const missing = missingPrereqs();
const seedEnv = process.env.POSTGUARD_DIFF_SEED;
const SEED = seedEnv === 'random' ? (Math.random() * 2 ** 32) >>> 0 : Number(seedEnv || 20240607);
const COUNT = Number(process.env.POSTGUARD_DIFF_CASES || 1500);

const policies = [
  { name: 'baseline', args: [], schools: [''] },
  ...['tarka', 'ark'].map((org) => {
    const file = path.join(CORPUS, 'orgs', `${org}.json`);
    let schools = [''];
    try {
      schools = ['', ...JSON.parse(readFileSync(file, 'utf8')).schools.map((s) => s.id)];
    } catch { /* reported by the run itself */ }
    return { name: org, args: ['--policy', file], schools };
  }),
];

for (const [k, policy] of (missing.length ? [] : policies).entries()) {
  test(`generated drafts, ${policy.name}: native and wasm findings are identical (seed ${SEED + k}, ${COUNT} + huge)`, async (t) => {
    const cases = generateCases({ seed: SEED + k, count: COUNT, corpusTexts: corpusTexts(path.join(CORPUS, 'dev.jsonl')),
      schools: policy.schools });
    const file = path.join(WORK, `fuzz-${policy.name}.jsonl`);
    writeFileSync(file, cases.map((c) => JSON.stringify(c)).join('\n') + '\n');
    const args = [...policy.args, '--jsonl', file];
    const n = runNative(args);
    const w = runWasm(args);
    assert.equal(n.stderr, '', `native stderr: ${n.stderr}`);
    assert.equal(w.stderr, '', `wasm stderr: ${w.stderr}`);
    const { lines, diffs } = diffJsonl(n.stdout, w.stdout);
    assert.equal(lines, cases.length, 'one reply per case');
    assert.equal(w.code, n.code, 'exit code');
    const byId = new Map(cases.map((c) => [c.id, c]));
    const dictionary = cases.filter((c) => DICTIONARY_SCRIPTS.test(c.text)).length;
    if (diffs.length) {
      writeFileSync(path.join(WORK, `fuzz-diffs-${policy.name}.jsonl`),
        diffs.map((d) => JSON.stringify(byId.get(d.id))).join('\n') + '\n');
    }
    const findings = n.stdout.split('"rule"').length - 1;
    t.diagnostic(`${cases.length} drafts (${dictionary} with dictionary-script text), ${findings} native findings, ` +
      `${diffs.length} differences`);
    assert.ok(dictionary > 0, 'no drafts in dictionary scripts: the generator lost them');
    assert.deepEqual(diffs.map((d) => `${d.id}: ${describeDiff(d, byId.get(d.id)?.text)}`), [], 'native and wasm disagree');
    assert.ok(findings > 0, 'no findings at all: the comparison proves little');
  });
}

test('prerequisites', { skip: missing.length === 0 }, () => {
  assert.fail(`missing: ${missing.join('; ')}`);
});

// wasm/postguard.mjs against the native `postguard check`: the same stdout, exit code and error
// messages for drafts, formats, contexts, stdin, bad policies and bad --jsonl lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { CORPUS, WORK, missingPrereqs, runNative, runWasm } from '../test-support/helpers.mjs';

const missing = missingPrereqs();
const TARKA = path.join(CORPUS, 'orgs/tarka.json');
const file = (name, content) => {
  const p = path.join(WORK, name);
  writeFileSync(p, content);
  return p;
};
const firstLine = (s) => s.split('\n')[0];

// [name, args, stdin, what to compare besides stdout and exit code: 'stderr' | 'stderr-first-line' | null]
const CASES = missing.length ? [] : [
  ['text format', ['Proud of Noah Fairweather (Y7) at Bideford Road today! DM me 😂'], null, 'stderr'],
  ['json format', ['--format', 'json', 'Proud of Noah Fairweather (Y7) at Bideford Road today! DM me 😂'], null, 'stderr'],
  ['bundle, school and context', ['--policy', TARKA, '--school', 'bideford-road', '--site', 'x.com', '--surface', 'comment',
    '--account', 'official', '--format', 'json', 'Great to see @BidefordRoadPS Y6 at the match 🏆 Noah Fairweather scored! DM me x'], null, 'stderr'],
  ['bundle, trust staff, text format with emoji before findings', ['--policy', TARKA,
    '👨‍👩‍👧‍👦🏳️‍🌈 Loving my job at Bideford Road! Pay talks today were grim, the head says cuts are coming. Follow me @missj'], null, 'stderr'],
  ['clean draft', ['Lovely sunny walk on the beach this morning.'], null, 'stderr'],
  ['images', ['--policy', TARKA, '--images', '2', '--format', 'json', 'Our Year 3 class on the trip today!'], null, 'stderr'],
  ['stdin with -', ['--format', 'json', '-'], 'Had a great chat with Chloe Bennett (Y9) about her exclusion.\n', 'stderr'],
  ['stdin without TEXT', ['--format', 'json'], 'Add me on snap, kids 😉', 'stderr'],
  ['stdin not UTF-8 (json)', ['--format', 'json'], Buffer.from([0x48, 0x69, 0x20, 0xff, 0xfe, 0x21]), 'stderr'],
  ['stdin not UTF-8 (text)', [], Buffer.from([0x61, 0xc3, 0x28]), 'stderr'],
  ['stdin overlong / surrogate UTF-8', ['--format', 'json'], Buffer.from([0x61, 0xed, 0xa0, 0x80, 0x62, 0xc0, 0xaf]), 'stderr'],
  ['bad surface', ['--surface', 'tweet', 'x'], null, 'stderr'],
  ['bad account', ['--account', 'work', 'x'], null, 'stderr'],
  ['negative images', ['--images', '-1', 'x'], null, 'stderr'],
  ['images like stoi', ['--images', '3abc', '--format', 'json', 'x'], null, 'stderr'],
  ['images not a number', ['--images', 'abc', 'x'], null, 'stderr-first-line'],
  ['missing policy file', ['--policy', path.join(WORK, 'nope.json'), 'x'], null, 'stderr'],
  ['policy not JSON (parse position from an exception inside the core)', ['--policy',
    file('bad-syntax.json', '{"format": "postguard/1",\n  "organisation": {"id": "x",}\n}'), 'x'], null, 'stderr'],
  ['policy schema error', ['--policy', file('bad-schema.json', '{"format": "postguard/1", "organisation": {"id": 7}}'), 'x'],
    null, 'stderr'],
  ['policy not UTF-8', ['--policy', file('bad-utf8.json', Buffer.from('{"format": "postguard/1", "organisation": {"id": "\xff"}}', 'latin1')), 'x'],
    null, 'stderr'],
  ['unknown school', ['--policy', TARKA, '--school', 'nowhere', 'x'], null, 'stderr'],
  ['bundle and overlay', ['--policy', TARKA, '--policy', file('overlay.json', '{"format": "postguard/1", "school": "torridge-vale"}'),
    '--format', 'json', 'Torridge Vale Academy rocks! Views my own.'], null, 'stderr'],
  ['unknown option', ['--colour', 'x'], null, 'stderr-first-line'],
  ['missing value', ['--policy'], null, 'stderr-first-line'],
  ['bad format', ['--format', 'xml', 'x'], null, 'stderr-first-line'],
  ['two drafts', ['one', 'two'], null, 'stderr-first-line'],
  ['TEXT and --jsonl', ['--jsonl', '-', 'x'], null, 'stderr'],
  ['missing --jsonl file', ['--jsonl', path.join(WORK, 'nope.jsonl')], null, 'stderr'],
  ['jsonl with bad lines', ['--policy', TARKA, '--jsonl', file('bad-lines.jsonl', Buffer.concat([
    Buffer.from([
      '{"id": 1, "school": "bideford-road", "text": "Noah Fairweather in Y6 was brilliant today"}',
      'not json',
      '[1, 2]',
      '"a string"',
      '',
      '   \t\r',
      '{"id": "no-text"}',
      '{"id": {"nested": [1, 2]}, "text": 42}',
      '{"id": "site-number", "text": "x", "site": 7}',
      '{"id": "school-null", "text": "Pay talks at Bideford Road", "school": null}',
      '{"id": "unknown-school", "text": "x", "school": "atlantis"}',
      '{"id": "bad-surface", "text": "x", "surface": "story"}',
      '{"id": "images", "text": "Our class trip!", "images": 3}',
      '{"id": "images-negative", "text": "x", "images": -2}',
      '{"id": "lone-surrogate", "text": "a\\ud800b"}',
      '{"id": "nul", "text": "Noah\\u0000Fairweather Y6"}',
      '{"id": "crlf", "text": "DM me on snap"}\r',
      '{"id": "dup", "id": "dup2", "text": "x"}',
      '{"text": "no id, follow me kids"}',
      '{"id": null, "text": "null id"}',
      // Not here: a float id ({"id": 1.5e3}): native echoes it as 1500.0 (nlohmann keeps the
      // number's type), the wasm CLI as 1500 (JSON.parse). Ids in the corpus are strings.
    ].join('\n') + '\n'),
    Buffer.from('{"id": "latin1", "text": "caf\xe9"}\n', 'latin1'),
    Buffer.from('{"id": "last-no-newline", "text": "Views my own"}'),
  ]))], null, 'stderr'],
  ['jsonl from stdin, baseline', ['--jsonl', '-'],
    '{"id": "a", "text": "Follow me on insta, year 10!"}\n{"id": "b", "text": "hello"}\n', 'stderr'],
  ['jsonl, policy error for the whole run', ['--policy', path.join(WORK, 'nope.json'), '--jsonl', '-'], '{"text": "x"}\n', 'stderr'],
];

for (const [name, args, input, compare] of CASES) {
  test(`check ${name}`, () => {
    const n = runNative(args, input ?? undefined);
    const w = runWasm(args, input ?? undefined);
    assert.equal(w.stdout, n.stdout, 'stdout');
    assert.equal(w.code, n.code, `exit code (native stderr: ${n.stderr})`);
    if (compare === 'stderr') assert.equal(w.stderr, n.stderr, 'stderr');
    if (compare === 'stderr-first-line') assert.equal(firstLine(w.stderr), firstLine(n.stderr), 'stderr (first line)');
  });
}

test('prerequisites', { skip: missing.length === 0 }, () => {
  assert.fail(`missing: ${missing.join('; ')}`);
});

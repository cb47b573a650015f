// Shared by the differential tests: where things are, running the two CLIs, comparing replies.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CORPUS = process.env.POSTGUARD_CORPUS_DIR || path.resolve(ROOT, '../shared/corpus');
export const NATIVE = process.env.POSTGUARD_NATIVE_CLI || path.join(ROOT, 'build/native/bin/postguard');
export const WASM_CLI = path.join(ROOT, 'wasm/postguard.mjs');
export const ENGINE_DIR = process.env.POSTGUARD_ENGINE_DIR || path.join(ROOT, 'build/wasm/engine');
// Scratch files go beside the engine under test (build/wasm/test-work for the preset's build).
export const WORK = process.env.POSTGUARD_WASM_TEST_WORK || path.join(ENGINE_DIR, '..', 'test-work');
mkdirSync(WORK, { recursive: true });

export function missingPrereqs() {
  const missing = [];
  if (!existsSync(NATIVE)) missing.push(`native CLI ${NATIVE} (cmake --build --preset native)`);
  if (!existsSync(path.join(ENGINE_DIR, 'postguard-core.wasm'))) missing.push(`wasm engine in ${ENGINE_DIR} (cmake --build --preset wasm)`);
  if (!existsSync(path.join(CORPUS, 'dev.jsonl'))) missing.push(`corpus ${CORPUS}/dev.jsonl`);
  return missing;
}

function run(cmd, args, input) {
  const r = spawnSync(cmd, args, {
    input, maxBuffer: 1 << 30, env: { ...process.env, POSTGUARD_ENGINE_DIR: ENGINE_DIR },
  });
  // EPIPE: the CLI exited (e.g. on a policy error) before reading all of its input; that is fine.
  if (r.error && r.error.code !== 'EPIPE') throw r.error;
  return { code: r.status, signal: r.signal, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8'),
    stdoutBytes: r.stdout };
}

export const runNative = (args, input) => run(NATIVE, ['check', ...args], input);
export const runWasm = (args, input) => run(process.execPath, [WASM_CLI, 'check', ...args], input);

export function readJsonl(file) {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

// The corpus files to diff: shared/corpus/dev.jsonl (+ orgs/) and any tests/corpus*/ with orgs/.
export function corpora() {
  const out = [{ name: 'dev', cases: path.join(CORPUS, 'dev.jsonl'), orgs: path.join(CORPUS, 'orgs') }];
  for (const d of readdirSync(path.join(ROOT, 'tests'))) {
    if (!d.startsWith('corpus')) continue;
    const dir = path.join(ROOT, 'tests', d);
    if (!existsSync(path.join(dir, 'orgs'))) continue;
    for (const f of readdirSync(dir)) {
      if (f.endsWith('.jsonl')) out.push({ name: `${d}/${f}`, cases: path.join(dir, f), orgs: path.join(dir, 'orgs') });
    }
  }
  return out;
}

/**
 * Line-by-line comparison of two --jsonl outputs. Returns the differences as
 * {line, id, native, wasm} (parsed replies), plus a count check.
 */
export function diffJsonl(nativeOut, wasmOut) {
  const a = nativeOut.split('\n').filter((l) => l.length);
  const b = wasmOut.split('\n').filter((l) => l.length);
  const diffs = [];
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] === b[i]) continue;
    const na = a[i] === undefined ? undefined : JSON.parse(a[i]);
    const wb = b[i] === undefined ? undefined : JSON.parse(b[i]);
    diffs.push({ line: i + 1, id: (na ?? wb)?.id, native: na, wasm: wb });
  }
  return { lines: n, diffs };
}

// A compact description of what differs between two replies (for messages).
export function describeDiff(d, text) {
  const key = (f) => `${f.rule}@${f.start}-${f.end}`;
  const nf = d.native?.findings, wf = d.wasm?.findings;
  if (!nf || !wf) return `native ${JSON.stringify(d.native)?.slice(0, 300)} / wasm ${JSON.stringify(d.wasm)?.slice(0, 300)}`;
  const ns = new Set(nf.map(key)), ws = new Set(wf.map(key));
  const onlyN = [...ns].filter((k) => !ws.has(k)), onlyW = [...ws].filter((k) => !ns.has(k));
  const snippet = text === undefined ? '' : ` text ${JSON.stringify(text.length > 160 ? text.slice(0, 160) + '…' : text)}`;
  return `only native: [${onlyN.join(', ')}] only wasm: [${onlyW.join(', ')}]${snippet}`;
}

// Scripts whose ICU word breaks come from dictionaries (brkitr/*dict), which the wasm ICU data
// leaves out (scripts/icu-wasm-data.list): Thai, Lao, Khmer, Myanmar, Han, Hiragana, Katakana.
export const DICTIONARY_SCRIPTS = /[\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

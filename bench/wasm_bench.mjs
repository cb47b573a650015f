#!/usr/bin/env node
// Speed and memory of the WebAssembly engine (issue 3 quality bars), with the native core measured
// in the same run on the same inputs (bench/core_bench, Google Benchmark):
//   latency    check of a 280-character and a 2,000-character post (the core bench's texts: the
//              first N code points of shared/corpus/dev.jsonl texts joined by blank lines),
//              baseline + shared/corpus/orgs/tarka.json, school bideford-road, site x.com;
//              median CPU time per check (process CPU over batches) and median wall time
//   ratio      wasm / native median CPU time (native: core_bench BM_Check/0 and /1 median_us)
//   cold start in a fresh node process: import the module, compile the .wasm, read the
//   build-time baseline tables (postguard-baseline.bin), instantiate,
//              compile the baseline + tarka.json bundle (createEngine({policy, school})); median
//              of 9 runs, wall and CPU; plus the first check after it and their sum (until the first findings)
//   size       postguard-core.wasm raw and gzip -9, the glue and the API module
//   heap       wasm linear memory and malloc'd bytes after loading the bundle
//   growth     the same after 100,000 checks of mixed drafts (leak check)
//
//   node bench/wasm_bench.mjs [--engine DIR] [--native-bench PATH] [--no-native] [--checks N]
//                             [--json] [--quick]
// The machine is shared: CPU time is the figure the targets use; wall time is printed beside it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, mkdtempSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = process.env.POSTGUARD_CORPUS_DIR || path.resolve(ROOT, '../shared/corpus');
const BUNDLE = path.join(CORPUS, 'orgs/tarka.json');
const SCHOOL = 'bideford-road';
const CONTEXT = { school: SCHOOL, site: 'x.com', surface: 'post', account: 'personal' };

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const flag = (name) => process.argv.includes(name);
const ENGINE_DIR = path.resolve(option('--engine', process.env.POSTGUARD_ENGINE_DIR || path.join(ROOT, 'build/wasm/engine')));
const NATIVE_BENCH = option('--native-bench', path.join(ROOT, 'build/native/bin/core_bench'));
const QUICK = flag('--quick');
const CHECKS = Number(option('--checks', QUICK ? 10000 : 100000));
const JSON_OUT = flag('--json');

const engineUrl = pathToFileURL(path.join(ENGINE_DIR, 'postguard-engine.mjs')).href;

// ---- cold start child ---------------------------------------------------------------------
if (flag('--cold-child')) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const api = await import(engineUrl);
  const t1 = performance.now();
  const module = await api.compileEngineModule();
  const t2 = performance.now();
  const bundle = readFileSync(BUNDLE);
  const engine = await api.createEngine({ wasmModule: module, policy: [{ name: BUNDLE, json: bundle }], school: SCHOOL });
  const t3 = performance.now();
  const cpu1 = process.cpuUsage(cpu0);
  // --warm: as the extension's worker does, warmUp() in idle time before the first draft arrives.
  const warm = flag('--warm');
  if (warm) engine.warmUp();
  const t3w = warm ? performance.now() : t3;
  const first = engine.check('Proud of our Y6 today! Great job everyone 👏', CONTEXT);
  const t4 = performance.now();
  process.stdout.write(JSON.stringify({ importMs: t1 - t0, compileWasmMs: t2 - t1, createMs: t3 - t2, totalMs: t3 - t0,
    cpuMs: (cpu1.user + cpu1.system) / 1000, warmUpMs: t3w - t3, firstCheckMs: t4 - t3w, findings: first.length }) + '\n');
  process.exit(0);
}

// ---- texts: the same as bench/core_bench.cpp ---------------------------------------------
function corpusTexts() {
  return readFileSync(path.join(CORPUS, 'dev.jsonl'), 'utf8').split('\n').filter((l) => l.trim())
    .map((l) => JSON.parse(l)).filter((c) => typeof c.text === 'string').map((c) => c.text);
}
// The first `chars` code points of the corpus texts joined by blank lines (text_of_chars).
function textOfChars(texts, chars) {
  let all = '';
  let cps = 0;
  for (let k = 0; cps < chars; k = (k + 1) % texts.length) {
    const piece = (all === '' ? '' : '\n\n') + texts[k];
    for (const ch of piece) {
      if (cps >= chars) break;
      all += ch;
      ++cps;
    }
  }
  return all;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};
const cpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

// Median CPU and wall time per check: batches of checks sized to ~2 ms, for ~minMs in total.
function measure(engine, text, minMs) {
  for (let i = 0, end = performance.now() + Math.max(200, minMs / 3); performance.now() < end; i++) engine.check(text, CONTEXT);
  const t0 = performance.now();
  engine.check(text, CONTEXT);
  const one = performance.now() - t0;
  const batch = Math.max(1, Math.round(2 / Math.max(one, 0.001)));
  const cpu = [], wall = [];
  const end = performance.now() + minMs;
  let findings = 0;
  while (performance.now() < end || cpu.length < 20) {
    const c0 = cpuUs();
    for (let i = 0; i < batch; i++) {
      const w0 = performance.now();
      findings = engine.check(text, CONTEXT).length;
      wall.push((performance.now() - w0) * 1000);
    }
    cpu.push((cpuUs() - c0) / batch);
  }
  return { cpuMedianUs: median(cpu), wallMedianUs: median(wall), checks: wall.length, findings };
}

function nativeFigures(texts) {
  if (flag('--no-native')) return { skipped: 'disabled (--no-native)' };
  if (!existsSync(NATIVE_BENCH)) return { skipped: `${NATIVE_BENCH} not built (cmake --build --preset native --target core_bench)` };
  const dir = mkdtempSync(path.join(tmpdir(), 'pg-wasm-bench-'));
  const out = path.join(dir, 'native.json');
  try {
    const r = spawnSync(NATIVE_BENCH, ['--benchmark_filter=BM_Check/[01]$', `--benchmark_min_time=${QUICK ? 0.2 : 0.5}`,
      `--benchmark_out=${out}`, '--benchmark_out_format=json'], { encoding: 'utf8', maxBuffer: 1 << 26,
      env: { ...process.env, POSTGUARD_CORPUS_DIR: CORPUS } });
    if (r.status !== 0 || !existsSync(out)) return { skipped: `core_bench failed: ${r.stderr || r.error}` };
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    const get = (name) => doc.benchmarks.find((b) => b.name === name && (b.run_type ?? 'iteration') === 'iteration');
    const fig = (b) => b && { cpuMedianUs: b.median_us, wallMedianUs: b.wall_median_us, findings: b.findings };
    const firstLine = (r.stdout.match(/^texts: .*$/m) || [''])[0];
    return { post280: fig(get('BM_Check/0')), post2000: fig(get('BM_Check/1')), texts: firstLine,
      build: doc.context?.library_build_type };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function coldStart(runs, warm = false) {
  const results = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--cold-child', '--engine', ENGINE_DIR,
      ...(warm ? ['--warm'] : [])], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`cold start child failed: ${r.stderr}`);
    const one = JSON.parse(r.stdout);
    // Until the first findings: what a staff member waits for when the worker starts on a keystroke.
    one.untilFirstFindingsMs = one.totalMs + one.firstCheckMs;
    results.push(one);
  }
  const pick = (k) => median(results.map((x) => x[k]));
  return { runs, totalMs: pick('totalMs'), cpuMs: pick('cpuMs'), importMs: pick('importMs'),
    compileWasmMs: pick('compileWasmMs'), createMs: pick('createMs'), firstCheckMs: pick('firstCheckMs'),
    warmUpMs: pick('warmUpMs'),
    untilFirstFindingsMs: pick('untilFirstFindingsMs'), minTotalMs: Math.min(...results.map((x) => x.totalMs)),
    maxTotalMs: Math.max(...results.map((x) => x.totalMs)) };
}

function sizes() {
  const wasm = readFileSync(path.join(ENGINE_DIR, 'postguard-core.wasm'));
  const size = (f) => statSync(path.join(ENGINE_DIR, f)).size;
  // The baseline tables ship beside the .wasm (compiled at build time; read by createEngine).
  const baseline = readFileSync(path.join(ENGINE_DIR, 'postguard-baseline.bin'));
  return { wasmBytes: wasm.length, wasmGzipBytes: gzipSync(wasm, { level: 9 }).length,
    baselineBytes: baseline.length, baselineGzipBytes: gzipSync(baseline, { level: 9 }).length,
    glueBytes: size('postguard-core.mjs'), apiBytes: size('postguard-engine.mjs') };
}

async function leakCheck(api, module, texts) {
  const engine = await api.createEngine({ wasmModule: module, policy: [{ name: BUNDLE, json: readFileSync(BUNDLE) }], school: SCHOOL });
  const afterLoad = engine.memory();
  // Mixed drafts: corpus texts, the two posts, and variants with emoji, look-alikes, marks.
  const drafts = [...texts, textOfChars(texts, 280), textOfChars(texts, 2000)];
  for (const t of texts.slice(0, 60)) {
    drafts.push(t.replace(/o/g, 'о').replace(/a/g, 'а'), t.replace(/ /g, ' 👨‍👩‍👧 '), t.normalize('NFD') + '\u0301\u200d',
      t.toUpperCase(), t.replace(/(\w)/g, '$1\u200b'));
  }
  const contexts = ['post', 'comment', 'dm', 'bio'].flatMap((surface) =>
    ['personal', 'official'].map((account) => ({ ...CONTEXT, surface, account })));
  // Every draft in every context once first: checks compile a pack regex, and make its matcher,
  // the first time a draft in a context reaches it (kept for the process, bounded by the packs).
  for (const d of drafts) for (const c of contexts) engine.check(d, c);
  const before = engine.memory();
  const t0 = performance.now();
  let findings = 0;
  for (let i = 0; i < CHECKS; i++) findings += engine.check(drafts[i % drafts.length], contexts[(i >> 3) % contexts.length]).length;
  const seconds = (performance.now() - t0) / 1000;
  const after = engine.memory();
  engine.dispose();
  return { afterLoad, before, after, checks: CHECKS, distinctDrafts: drafts.length, seconds, findings,
    growthMallocBytes: after.mallocInUseBytes - before.mallocInUseBytes,
    growthWasmBytes: after.wasmMemoryBytes - before.wasmMemoryBytes };
}

async function main() {
  if (!existsSync(path.join(ENGINE_DIR, 'postguard-core.wasm'))) {
    console.error(`wasm_bench: no engine in ${ENGINE_DIR}; build it: cmake --preset wasm && cmake --build --preset wasm`);
    process.exit(2);
  }
  const texts = corpusTexts();
  const post280 = textOfChars(texts, 280);
  const post2000 = textOfChars(texts, 2000);
  const api = await import(engineUrl);
  const module = await api.compileEngineModule();

  const cold = coldStart(QUICK ? 3 : 9);
  const warmed = coldStart(QUICK ? 3 : 5, true);
  const engine = await api.createEngine({ wasmModule: module, policy: [{ name: BUNDLE, json: readFileSync(BUNDLE) }], school: SCHOOL });
  const heapAfterBundle = engine.memory();
  // wasm and native in turn, five times: this shared machine's speed drifts by tens of percent
  // over seconds, so each ratio compares neighbouring measurements, and the figures reported are
  // the medians of the rounds (the ratios of each round are listed too).
  const ratio = (w, n) => (n && n.cpuMedianUs ? w.cpuMedianUs / n.cpuMedianUs : NaN);
  const rounds = [];
  for (let r = 0; r < (QUICK ? 1 : 5); r++) {
    const w280 = measure(engine, post280, QUICK ? 1000 : 1000);
    const w2000 = measure(engine, post2000, QUICK ? 1000 : 1000);
    const nat = nativeFigures(texts);
    rounds.push({ w280, w2000, nat, r280: ratio(w280, nat.post280), r2000: ratio(w2000, nat.post2000) });
  }
  const middle = (key) => [...rounds].sort((x, y) => (x[key] ?? 0) - (y[key] ?? 0))[rounds.length >> 1];
  const byCpu = (get) => [...rounds].sort((x, y) => get(x).cpuMedianUs - get(y).cpuMedianUs)[rounds.length >> 1];
  const wasm280 = byCpu((x) => x.w280).w280;
  const wasm2000 = byCpu((x) => x.w2000).w2000;
  const native = rounds[0].nat.skipped ? rounds[0].nat : { ...rounds[0].nat,
    post280: byCpu((x) => x.nat.post280).nat.post280, post2000: byCpu((x) => x.nat.post2000).nat.post2000 };
  engine.dispose();
  const leak = await leakCheck(api, module, texts);
  const size = sizes();
  const result = {
    engine: ENGINE_DIR,
    texts: { post280Bytes: Buffer.byteLength(post280), post2000Bytes: Buffer.byteLength(post2000) },
    wasm: { post280: wasm280, post2000: wasm2000 },
    native,
    ratio: native.skipped ? { post280: NaN, post2000: NaN } : { post280: middle('r280').r280, post2000: middle('r2000').r2000,
      rounds280: rounds.map((x) => x.r280), rounds2000: rounds.map((x) => x.r2000) },
    coldStart: cold,
    coldStartWarmed: warmed,
    size,
    heapAfterBundle,
    leak,
  };
  if (JSON_OUT) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return;
  }
  const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '-');
  const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : '-');
  const kb = (b) => `${(b / 1024).toFixed(0)} KB`;
  const mb = (b) => `${(b / 1048576).toFixed(2)} MB`;
  console.log(`== PostGuard wasm engine (${ENGINE_DIR}) ==`);
  console.log(`policy: baseline + ${path.relative(ROOT, BUNDLE)}, school ${SCHOOL}, site x.com; node ${process.version}`);
  console.log(`texts: 280 chars = ${result.texts.post280Bytes} bytes, 2000 chars = ${result.texts.post2000Bytes} bytes`);
  if (native.texts) console.log(`native core_bench ${native.texts}`);
  console.log('\nmedian per check: CPU us (wall us)');
  console.log(`${'text'.padEnd(11)} ${'wasm'.padStart(16)} ${'native'.padStart(16)} ${'wasm/native'.padStart(12)} ${'findings w/n'.padStart(13)}`);
  for (const [label, w, n, r] of [['280 chars', wasm280, native.post280, result.ratio.post280],
    ['2000 chars', wasm2000, native.post2000, result.ratio.post2000]]) {
    console.log(`${label.padEnd(11)} ${`${f1(w.cpuMedianUs)} (${f1(w.wallMedianUs)})`.padStart(16)} ` +
      `${n ? `${f1(n.cpuMedianUs)} (${f1(n.wallMedianUs)})` : 'skipped'.padStart(16)}`.padEnd(17) +
      ` ${f2(r).padStart(12)} ${`${w.findings}/${n ? n.findings : '-'}`.padStart(13)}`);
  }
  if (native.skipped) console.log(`native: ${native.skipped}`);
  else {
    console.log(`(medians of ${rounds.length} rounds, wasm then native in each; wasm/native by round: ` +
      `280 chars ${result.ratio.rounds280.map(f2).join(', ')}; 2000 chars ${result.ratio.rounds2000.map(f2).join(', ')})`);
  }
  console.log(`\ncold start (fresh node, median of ${cold.runs}): ${f1(cold.totalMs)} ms wall, ${f1(cold.cpuMs)} ms CPU ` +
    `(import ${f1(cold.importMs)}, compile .wasm ${f1(cold.compileWasmMs)}, instantiate + baseline + bundle ${f1(cold.createMs)}); ` +
    `first check after it ${f1(cold.firstCheckMs)} ms; until the first findings ${f1(cold.untilFirstFindingsMs)} ms; ` +
    `cold start range ${f1(cold.minTotalMs)}-${f1(cold.maxTotalMs)} ms`);
  console.log(`with warmUp() in idle time after the start (median of ${warmed.runs}): warm-up ${f1(warmed.warmUpMs)} ms, ` +
    `then the first check ${f1(warmed.firstCheckMs)} ms`);
  console.log(`size: postguard-core.wasm ${kb(size.wasmBytes)} (${kb(size.wasmGzipBytes)} gzip -9), ` +
    `postguard-baseline.bin ${kb(size.baselineBytes)} (${kb(size.baselineGzipBytes)} gzip -9), glue ${kb(size.glueBytes)}, ` +
    `API ${kb(size.apiBytes)}`);
  console.log(`heap after loading the bundle: wasm memory ${mb(heapAfterBundle.wasmMemoryBytes)}, malloc in use ${mb(heapAfterBundle.mallocInUseBytes)}`);
  console.log(`growth over ${leak.checks} checks (${leak.distinctDrafts} drafts, ${f1(leak.seconds)} s): ` +
    `malloc ${leak.growthMallocBytes} bytes, wasm memory ${leak.growthWasmBytes} bytes ` +
    `(${mb(leak.before.mallocInUseBytes)} -> ${mb(leak.after.mallocInUseBytes)})`);

  const rows = [
    ['280 chars: median check (CPU)', wasm280.cpuMedianUs, 'us', '<= 100', wasm280.cpuMedianUs <= 100],
    ['2000 chars: median check (CPU)', wasm2000.cpuMedianUs, 'us', '<= 500', wasm2000.cpuMedianUs <= 500],
    ['280 chars: wasm / native', result.ratio.post280, 'x', '<= 2.5', result.ratio.post280 <= 2.5],
    ['2000 chars: wasm / native', result.ratio.post2000, 'x', '<= 2.5', result.ratio.post2000 <= 2.5],
    ['cold start (wall)', cold.totalMs, 'ms', '<= 100', cold.totalMs <= 100],
    ['.wasm size', size.wasmBytes / 1048576, 'MB', '<= 2', size.wasmBytes <= 2 * 1048576],
    ['heap after bundle (wasm memory)', heapAfterBundle.wasmMemoryBytes / 1048576, 'MB', '<= 16', heapAfterBundle.wasmMemoryBytes <= 16 * 1048576],
    [`growth over ${leak.checks} checks (malloc)`, leak.growthMallocBytes / 1024, 'KB', '~ 0', leak.growthMallocBytes <= 64 * 1024 && leak.growthWasmBytes === 0],
  ];
  console.log(`\n${'target'.padEnd(40)} ${'measured'.padStart(12)} ${'goal'.padStart(8)} ${'met'.padStart(4)}`);
  for (const [what, v, unit, goal, ok] of rows) {
    console.log(`${what.padEnd(40)} ${`${f2(v)} ${unit}`.padStart(12)} ${goal.padStart(8)} ${(Number.isFinite(v) ? (ok ? 'yes' : 'NO') : '-').padStart(4)}`);
  }
}

await main();

#!/usr/bin/env node
// The extension's quality bars (issue 5), measured on the real extension in headless Chromium on
// each fixture composer (textarea, contenteditable, Quill, ProseMirror, Lexical, Draft.js) holding
// a 2,000-character draft with findings of every category:
//   latency    keystroke -> updated highlights: from the keydown to the overlay marked checked
//              again (its boxes are drawn before that), and to the next animation frame after it
//              (painted); p50/p95/max over N keystrokes (x and Backspace in turn). Bar: p95 <= 50 ms.
//   long tasks while typing 200 more characters: the V8 CPU profile (100 us samples) gives the
//              longest stretch the content script held the main thread at once (its frames, and
//              layout or editor code they called; gaps between samples over 1 ms, when the loaded
//              machine descheduled the thread, count 1 ms; the raw figure is printed too); a CDP
//              trace (devtools.timeline) gives its FunctionCall events (wall time, descheduling
//              included) and the tasks they ran in. Bar: nothing over 16 ms from the content
//              script. Also the page's PerformanceObserver('longtask') count (tasks
//              >= 50 ms, any cause: the editors' own work included).
//   idle       5 s with the draft in place and nothing happening: content-script samples in a CPU
//              profile and calls in a trace (bar: none), and CDP Performance.getMetrics
//              ScriptDuration/TaskDuration deltas beside a browser without the extension.
//
//   node bench/extension_bench.mjs [--keys N] [--only textarea,lexical] [--json FILE]
// Needs the extension built (POSTGUARD_EXTENSION_DIR, default build/extension), the native host
// (build/native/bin/postguard-host) and tests/e2e-extension's npm packages (npm ci there).
// The machine may be shared: figures come with the load average at the start.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, launch, checked, makePolicyRoot, testPolicy, bundleEditors, EDITORS, DRAFTS }
  from '../tests/e2e-extension/lib.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const KEYS = Number(opt('--keys', 40));
const ONLY = opt('--only', '');
const JSON_OUT = opt('--json', '');
const IDLE_MS = 5000;
const TYPED = 200;

const FIXTURES = ['textarea', 'contenteditable', ...EDITORS].filter((f) => !ONLY || ONLY.split(',').includes(f));

function longDraft() {
  const parts = [DRAFTS.disclaimer, DRAFTS.pupil_contact, DRAFTS.clean, DRAFTS.pupil_privacy, DRAFTS.confidential];
  let s = '';
  for (let i = 0; s.length < 2000; i++) s += parts[i % parts.length] + ' ';
  return s.slice(0, 2000);
}
const TEXT = longDraft();

const pct = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))]; };
const r1 = (x) => Math.round(x * 10) / 10;

async function trace(page, work) {
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
  const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.start', {
    traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel'] },
    transferMode: 'ReportEvents',
  });
  await work(cdp);
  await cdp.send('Tracing.end');
  await done;
  await cdp.detach();
  return events;
}

// Per main-thread task: how long it ran, and how much of it was the content script's own calls.
const idleNames = (a) => a.names;

// The V8 CPU profile of the page's renderer (all worlds, so the content script's isolated world
// too: its frames carry its chrome-extension:// URL). Extension messaging hands the worker's reply
// to the content script through native bindings, which traces do not mark as a FunctionCall of
// the script, so the sampled stacks are what attribute that work.
async function profile(page, work) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  await work(cdp);
  const { profile: prof } = await cdp.send('Profiler.stop');
  await cdp.detach();
  return prof;
}

// Contiguous stretches of main-thread time with a content-script frame on the stack: the longest
// is the longest the content script held the main thread at once (a task or a part of one).
function stretches(prof, extId) {
  const ours = `chrome-extension://${extId}/`;
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children || []) parent.set(c, n.id);
  const mine = new Map();
  const isMine = (id) => {
    if (mine.has(id)) return mine.get(id);
    const n = byId.get(id);
    const v = n.callFrame.url.startsWith(ours) || (parent.has(id) && isMine(parent.get(id)));
    mine.set(id, v);
    return v;
  };
  // A sample lasts until the next one. On a loaded machine the main thread (or the sampler) is
  // sometimes descheduled for milliseconds between two samples: such a gap is time the thread did
  // not run, so it counts at most GAP_CAP_MS in `longest` (and in full in `longestRaw`).
  const GAP_CAP_MS = 1;
  const runs = [], rawRuns = [];
  let run = 0, raw = 0, samples = 0;
  for (let i = 0; i < prof.samples.length; i++) {
    const dt = (prof.timeDeltas[i + 1] ?? 0) / 1000;
    if (isMine(prof.samples[i])) { run += Math.min(dt, GAP_CAP_MS); raw += dt; samples++; }
    else if (raw) { runs.push(run); rawRuns.push(raw); run = raw = 0; }
  }
  if (raw) { runs.push(run); rawRuns.push(raw); }
  runs.sort((a, b) => b - a);
  return { longest: runs[0] || 0, longestRaw: Math.max(0, ...rawRuns), over16: runs.filter((r) => r > 16).length,
    totalMs: runs.reduce((a, b) => a + b, 0), samples };
}
function attribute(events, extId) {
  const mainThreads = new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
    .map((e) => `${e.pid}:${e.tid}`));
  const onMain = (e) => mainThreads.has(`${e.pid}:${e.tid}`) && e.ph === 'X' && typeof e.dur === 'number';
  const tasks = events.filter((e) => onMain(e) && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask'));
  const ours = `chrome-extension://${extId}/`;
  const calls = events.filter((e) => onMain(e) && e.name === 'FunctionCall' &&
    String(e.args?.data?.url || '').startsWith(ours)).sort((a, b) => a.ts - b.ts);
  // Outermost content-script calls only (a call inside another is already counted in it).
  const outer = [];
  for (const c of calls) {
    const last = outer.at(-1);
    if (last && last.tid === c.tid && c.ts >= last.ts && c.ts + c.dur <= last.ts + last.dur) continue;
    outer.push(c);
  }
  const names = outer.map((c) => `${c.args.data.functionName || '(anonymous)'} :${c.args.data.lineNumber}`);
  let maxOurs = 0, maxTaskWithOurs = 0, over16 = 0;
  for (const t of tasks) {
    let mine = 0;
    for (const c of outer) if (c.tid === t.tid && c.pid === t.pid && c.ts >= t.ts && c.ts < t.ts + t.dur) mine += c.dur;
    if (!mine) continue;
    maxOurs = Math.max(maxOurs, mine / 1000);
    maxTaskWithOurs = Math.max(maxTaskWithOurs, t.dur / 1000);
    if (mine / 1000 > 16) over16++;
  }
  // The longest calls by name (for finding what to fix), e.g. "reposition content.js:812 23.1".
  const top = outer.filter((c) => c.dur > 8000).sort((a, b) => b.dur - a.dur).slice(0, 5)
    .map((c) => `${c.args.data.functionName || '(anonymous)'} :${c.args.data.lineNumber} ${(c.dur / 1000).toFixed(1)}`);
  return { calls: outer.length, maxOurs, maxTaskWithOurs, over16, top, names,
    maxTaskAny: Math.max(0, ...tasks.map((t) => t.dur / 1000)) };
}

async function benchFixture(browser, server, fixture) {
  const page = await browser.context.newPage();
  try {
    await page.goto(server.url(`${fixture}.html`));
    await page.evaluate(() => {
      window.__pgLongTasks = 0;
      new PerformanceObserver((l) => { window.__pgLongTasks += l.getEntries().length; }).observe({ type: 'longtask' });
    });
    await page.click('#composer');
    for (let i = 0; i < TEXT.length; i += 100) await page.keyboard.insertText(TEXT.slice(i, i + 100));
    await checked(page, 0, 20000);

    // -- latency: listener installed (and confirmed) before each key, so no keystroke is missed
    const toChecked = [], toFrame = [];
    let missed = 0;
    for (let i = 0; i < KEYS; i++) {
      await page.evaluate(() => {
        const o = document.querySelector('postguard-overlay');
        window.__pgLat = new Promise((resolve) => {
          let t0 = 0;
          const timer = setTimeout(() => { mo.disconnect(); resolve(null); }, 5000);
          window.addEventListener('keydown', () => { t0 = performance.now(); }, { once: true, capture: true });
          const mo = new MutationObserver(() => {
            if (!t0 || o.dataset.state !== 'checked') return;
            mo.disconnect();
            clearTimeout(timer);
            const checkedAt = performance.now() - t0;
            requestAnimationFrame(() => resolve([checkedAt, performance.now() - t0]));
          });
          mo.observe(o, { attributes: true, attributeFilter: ['data-state'] });
        });
      });
      await page.keyboard.press(i % 2 ? 'Backspace' : 'x');
      const r = await page.evaluate(() => window.__pgLat);
      if (!r) { missed++; continue; }
      toChecked.push(r[0]);
      toFrame.push(r[1]);
    }

    // -- long tasks while typing
    const typeMore = async () => {
      await page.keyboard.type('y11s add me on snapchat, views my own. '.repeat(6).slice(0, TYPED));
      await checked(page, 0, 20000);
    };
    const longBefore = await page.evaluate(() => window.__pgLongTasks);
    const typing = attribute(await trace(page, typeMore), browser.id);
    const longTasks = (await page.evaluate(() => window.__pgLongTasks)) - longBefore;
    const sampled = stretches(await profile(page, typeMore), browser.id);

    // -- idle
    await page.waitForTimeout(1000);
    let metrics;
    const idleSampled = stretches(await profile(page, () => page.waitForTimeout(IDLE_MS)), browser.id);
    const idle = attribute(await trace(page, async (cdp) => {
      await cdp.send('Performance.enable');
      const m0 = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
      await page.waitForTimeout(IDLE_MS);
      const m1 = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
      metrics = { scriptMs: (m1.ScriptDuration - m0.ScriptDuration) * 1000, taskMs: (m1.TaskDuration - m0.TaskDuration) * 1000 };
    }), browser.id);

    return {
      fixture, chars: TEXT.length, keys: KEYS, missed,
      p50: pct(toChecked, 0.5), p95: pct(toChecked, 0.95), max: Math.max(...toChecked),
      p95Painted: pct(toFrame, 0.95),
      typingCalls: typing.calls, longestContentScriptMs: sampled.longest, longestSampledStretchRawMs: sampled.longestRaw,
      longestTracedCallMs: typing.maxOurs, longestSampledStretchMs: sampled.longest, sampledStretchesOver16: sampled.over16,
      contentScriptMsPerChar: sampled.totalMs / TYPED, longestTaskWithContentScriptMs: typing.maxTaskWithOurs,
      contentScriptTasksOver16: typing.over16, longTasks50: longTasks,
      longestCalls: typing.top, idleCalls: idle.top.length ? idle.top : idle.calls ? idleNames(idle) : [],
      idleContentScriptCalls: idle.calls + idleSampled.samples, idleScriptMs: metrics.scriptMs, idleTaskMs: metrics.taskMs,
    };
  } finally {
    await page.close();
  }
}

const load = os.loadavg()[0];
await bundleEditors();
const server = await startServer();
const root = makePolicyRoot(testPolicy({ rules: { 'category:confidential': { severity: 'block' } } }), 'bideford-road');
const browser = await launch({ nativeHost: { root } });
const rows = [];
try {
  for (const f of FIXTURES) {
    const r = await benchFixture(browser, server, f);
    rows.push(r);
    console.log(`${f.padEnd(16)} keystroke->highlights p50 ${r1(r.p50)} p95 ${r1(r.p95)} max ${r1(r.max)} ms ` +
      `(painted p95 ${r1(r.p95Painted)}; missed ${r.missed}/${r.keys}) | typing: content script held the main thread ` +
      `at most ${r1(r.longestSampledStretchMs)} ms at once (sampled; ${r1(r.longestSampledStretchRawMs)} ms with ` +
      `descheduled gaps; ${r.sampledStretchesOver16} over 16 ms; ` +
      `${r1(r.contentScriptMsPerChar)} ms per char), longest traced call ${r1(r.longestTracedCallMs)} ms ` +
      `(its task ${r1(r.longestTaskWithContentScriptMs)} ms, ` +
      `${r.contentScriptTasksOver16} over 16 ms, longtask>=50ms ${r.longTasks50}) | idle ${IDLE_MS / 1000} s: ` +
      `content-script calls/samples ${r.idleContentScriptCalls}, page script ${r1(r.idleScriptMs)} ms, tasks ${r1(r.idleTaskMs)} ms` +
      (r.longestCalls.length ? `\n    longest content-script calls while typing (ms): ${r.longestCalls.join(', ')}` : '') +
      (r.idleCalls.length ? `\n    content-script calls while idle: ${r.idleCalls.join(', ')}` : ''));
  }
} finally {
  await browser.close();
  await server.close();
  fs.rmSync(root, { recursive: true, force: true });
}
// The same idle measurement on the same page in a browser without the extension: what the page
// and the browser do anyway (caret, compositor), for comparison with the figures above.
let baseline = null;
{
  const plain = await launch({ extension: false });
  const srv = await startServer();
  try {
    const page = await plain.context.newPage();
    await page.goto(srv.url('textarea.html'));
    await page.click('#composer');
    await page.keyboard.insertText(TEXT);
    await page.waitForTimeout(1000);
    const cdp = await plain.context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const m0 = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
    await page.waitForTimeout(IDLE_MS);
    const m1 = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
    baseline = { scriptMs: (m1.ScriptDuration - m0.ScriptDuration) * 1000, taskMs: (m1.TaskDuration - m0.TaskDuration) * 1000 };
  } finally {
    await plain.close();
    await srv.close();
  }
}
const worst = (k) => Math.max(...rows.map((r) => r[k]));
const summary = {
  loadAverage: load, chars: TEXT.length,
  p95WorstMs: worst('p95'), p95Bar: 50, p95Met: worst('p95') <= 50,
  longestContentScriptTaskMs: worst('longestContentScriptMs'), longTaskBar: 16, longTaskMet: worst('longestContentScriptMs') <= 16,
  idleContentScriptCalls: worst('idleContentScriptCalls'), idleMet: worst('idleContentScriptCalls') === 0,
  idleScriptMsWorst: worst('idleScriptMs'), idleTaskMsWorst: worst('idleTaskMs'), idleWithoutExtension: baseline,
  rows,
};
console.log(`\nload average ${load.toFixed(1)}; ${TEXT.length}-char draft` +
  `\n  keystroke -> highlights p95 (worst composer) ${r1(summary.p95WorstMs)} ms  (bar <= 50: ${summary.p95Met ? 'met' : 'NOT met'})` +
  `\n  longest content-script time in one task ${r1(summary.longestContentScriptTaskMs)} ms  (bar <= 16: ${summary.longTaskMet ? 'met' : 'NOT met'})` +
  `\n  idle: content-script calls in ${IDLE_MS / 1000} s ${summary.idleContentScriptCalls}  (bar 0: ${summary.idleMet ? 'met' : 'NOT met'}); ` +
  `page script time over ${IDLE_MS / 1000} s at most ${r1(summary.idleScriptMsWorst)} ms, tasks ${r1(summary.idleTaskMsWorst)} ms ` +
  `(textarea page without the extension: script ${r1(baseline.scriptMs)} ms, tasks ${r1(baseline.taskMs)} ms)`);
if (JSON_OUT) {
  fs.mkdirSync(path.dirname(path.resolve(JSON_OUT)), { recursive: true });
  fs.writeFileSync(JSON_OUT, JSON.stringify(summary, null, 2) + '\n');
}

// Host memory with a trust-sized and a generated 1 MB policy (issue 4: RSS <= 10 MB with a
// 1 MB policy). Starts the real postguard-host with a temporary policy root, sends getPolicy
// then subscribe through its stdin (native messaging framing) - what the extension's
// long-lived port does - and reads VmHWM (peak) and VmRSS with its anonymous / file-backed
// split (steady, after the replies) from /proc/<pid>/status. A second figure adds one native
// `check` on the same connection: the host then keeps the compiled policy (only `check`
// needs it), so that is the memory of a host used as the engine, for comparison.
//
// Usage: node bench/host_memory.mjs [--host PATH] [--runs N] [--keep DIR]
//   --host   the postguard-host binary (default build/native/bin/postguard-host)
//   --runs   runs per policy; the median is reported (default 3)
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const HOST = path.resolve(opt('--host', path.join(ROOT, 'build/native/bin/postguard-host')));
const RUNS = Number(opt('--runs', '3'));
const TARGET_KB = 10 * 1024;

// A deterministic pseudo-random stream, so every run measures the same policy.
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const SYL = ['ar', 'bel', 'cor', 'dun', 'el', 'fen', 'gar', 'hol', 'in', 'jas', 'kel', 'lor', 'mar', 'nor',
  'os', 'pen', 'quin', 'ros', 'sal', 'tor', 'ul', 'ven', 'wick', 'yar', 'zel', 'by', 'ton', 'ley', 'ford', 'ham'];
function word(r, n = 2 + Math.floor(r() * 2)) {
  let w = '';
  for (let i = 0; i < n; i++) w += SYL[Math.floor(r() * SYL.length)];
  return w;
}
const cap = (w) => w[0].toUpperCase() + w.slice(1);

// A trust bundle of about `bytes`: 60% in its schools (identities, disclaimers, a few
// phrases each), 40% in trust-wide phrases added to the baseline's sets (what a large trust
// adds: local names, internal codes, topics). The machine's school is one of them.
export function generatePolicy(bytes, seed = 1) {
  const r = rng(seed);
  const policy = {
    format: 'postguard/1',
    organisation: { id: 'bench-trust', name: 'Bench Learning Trust', aliases: ['BLT'], handles: ['@BenchLT'],
      domains: ['bench-trust.example.org.uk'], hashtags: ['#BenchTogether'] },
    school: 'school-0001',
    disclaimer: { text: 'Views my own, not those of my employer.' },
    phrases: { internal_ref: [], org_topic: [], sensitive_detail: [], first_names: [], secrecy: [] },
    schools: [],
  };
  const sets = Object.keys(policy.phrases);
  const size = () => JSON.stringify(policy).length;
  let n = 0;
  while (size() < bytes * 0.6) {
    // 50 schools between size checks keeps generation fast.
    for (let k = 0; k < 50; k++, n++) {
      const place = cap(word(r));
      const id = `school-${String(n).padStart(4, '0')}`;
      policy.schools.push({ id, name: `${place} ${r() < 0.5 ? 'Primary' : 'Academy'}`,
        aliases: [place, `${place} ${cap(word(r, 1))}`, `${place[0]}${cap(word(r, 1))[0]}PS`],
        handles: [`@${place}School`], domains: [`${place.toLowerCase()}.example.sch.uk`], hashtags: [`#${place}Family`],
        disclaimer: { text: `Views my own, not those of ${place} ${cap(word(r))}.` },
        phrases: { org_topic: [`${word(r)} ${word(r)} review`, `${word(r)} plan`] } });
    }
  }
  while (size() < bytes) {
    for (let k = 0; k < 200; k++) {
      const set = sets[Math.floor(r() * sets.length)];
      const phrase = set === 'first_names' ? cap(word(r)) : `${word(r)} ${word(r)}${r() < 0.3 ? ' ' + word(r) : ''}`;
      policy.phrases[set].push(phrase);
    }
  }
  return JSON.stringify(policy);
}

function frame(obj) {
  const body = Buffer.from(JSON.stringify(obj));
  const head = Buffer.alloc(4);
  head.writeUInt32LE(body.length);
  return Buffer.concat([head, body]);
}

function status(pid) {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)[1]);
  return { hwm: kb('VmHWM'), rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile') };
}

// One host process: getPolicy (all chunks), subscribe, then memory.
async function measure(policyText, withCheck) {
  const root = mkdtempSync(path.join(tmpdir(), 'pg-host-mem-'));
  try {
    writeFileSync(path.join(root, 'policy.json'), policyText);
    mkdirSync(path.join(root, 'policy.d'));
    const manifest = path.join(root, 'org.postguard.host.json');
    writeFileSync(manifest, JSON.stringify({ name: 'org.postguard.host', path: HOST, type: 'stdio',
      allowed_extensions: ['postguard@bench'] }));
    const child = spawn(HOST, [manifest, 'postguard@bench'], {
      env: { ...process.env, POSTGUARD_POLICY_ROOT: root }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    let buf = Buffer.alloc(0);
    const waiting = [];
    const messages = [];
    child.stdout.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 4 && buf.length >= 4 + buf.readUInt32LE(0)) {
        const len = buf.readUInt32LE(0);
        messages.push(JSON.parse(buf.subarray(4, 4 + len).toString('utf8')));
        buf = buf.subarray(4 + len);
      }
      while (waiting.length && waiting[0].test()) waiting.shift().resolve();
    });
    const until = (pred) => new Promise((resolve, reject) => {
      const test = () => pred();
      if (test()) return resolve();
      waiting.push({ test, resolve });
      setTimeout(() => reject(new Error(`host did not answer in time; stderr: ${stderr}`)), 60000).unref();
    });
    const started = process.hrtime.bigint();
    child.stdin.write(frame({ type: 'getPolicy', id: 1 }));
    await until(() => messages.some((m) => m.id === 1 && (m.type !== 'chunk' || m.part === m.parts - 1)));
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const reply = messages.find((m) => m.id === 1);
    if (reply.type === 'error') throw new Error(`getPolicy failed: ${reply.message}`);
    child.stdin.write(frame({ type: 'subscribe', id: 2 }));
    await until(() => messages.some((m) => m.id === 2));
    if (withCheck) {
      child.stdin.write(frame({ type: 'check', id: 3, text: 'Proud of everyone at school today!' }));
      await until(() => messages.some((m) => m.id === 3));
      if (messages.find((m) => m.id === 3).type !== 'findings') throw new Error('check failed');
    }
    await new Promise((res) => setTimeout(res, 200));  // let it settle (malloc_trim ran already)
    const mem = status(child.pid);
    child.stdin.end();
    await new Promise((res) => child.on('exit', res));
    const problems = reply.type === 'policy' ? reply.problems : null;
    return { ...mem, ms, basis: reply.type === 'policy' ? reply.basis : 'chunked', problems };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const trustSized = readFileSync(path.join(ROOT, '../shared/corpus/orgs/ark.json'), 'utf8');
const big = generatePolicy(1 << 20);
if (opt('--keep')) writeFileSync(opt('--keep'), big);
console.log(`host: ${HOST}`);
console.log(`policies: trust-sized ${trustSized.length} bytes, generated ${big.length} bytes`);
const mb = (kb) => (kb / 1024).toFixed(1);
const verdicts = [];
for (const [name, text] of [['trust-sized', trustSized], ['1 MB', big]]) {
  for (const withCheck of [false, true]) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await measure(text, withCheck));
    const med = (key) => median(runs.map((x) => x[key]));
    const ok = med('rss') <= TARGET_KB;
    const label = `${name}${withCheck ? ' + check' : ''}`;
    console.log(`${label.padEnd(20)} peak (VmHWM) ${mb(med('hwm'))} MB, steady (VmRSS) ${mb(med('rss'))} MB ` +
      `= anon ${mb(med('anon'))} + file-backed ${mb(med('file'))} MB [<= 10 MB: ${ok ? 'met' : 'NOT met'}], ` +
      `getPolicy ${med('ms').toFixed(0)} ms (median of ${RUNS})`);
    if (!withCheck) verdicts.push([name, ok]);
  }
}
const bar = verdicts.find(([name]) => name === '1 MB')[1];
console.log(`bar (steady RSS <= 10 MB with a 1 MB policy, after getPolicy + subscribe): ${bar ? 'met' : 'NOT met'}`);

#!/usr/bin/env node
// `postguard check` backed by the WebAssembly engine: the same options, output and exit codes
// as the native CLI (native-host/src/cli/command_check.cpp), so the two can be diffed.
//
//   node wasm/postguard.mjs check [--policy FILE]... [--school ID] [--site HOST]
//        [--surface post|comment|dm|bio] [--account personal|official] [--images N]
//        [--format text|json] [TEXT|-]
//   node wasm/postguard.mjs check --policy FILE --jsonl CASES|-
//
// Exit status: 0 nothing at warn or above, 1 findings at warn or above, 2 usage or policy error.
// The engine is loaded from build/wasm/engine/ (POSTGUARD_ENGINE_DIR overrides).
import { readFileSync, writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const EXIT_CLEAN = 0;
const EXIT_FINDINGS = 1;
const EXIT_USAGE = 2;
const SEVERITY_RANK = { info: 0, warn: 1, confirm: 2, block: 3 };

const USAGE = `usage: postguard.mjs check [options]   (the WebAssembly engine)

  check [--policy FILE]... [--school ID] [--site HOST] [--surface post|comment|dm|bio]
        [--account personal|official] [--images N] [--format text|json] [TEXT|-]
      Check one draft (TEXT, or - / nothing for standard input). Without --policy the
      built-in baseline is used. Give the trust bundle first, then school overlays.
  check --policy FILE --jsonl CASES|-
      Check one case per line ({"id", "school", "site", "surface", "account", "text"});
      writes {"id", "findings"} or {"id", "error"} per line.

Exit status: 0 nothing at warn or above, 1 findings at warn or above, 2 usage or policy error.
`;

class Output {
  constructor(fd) {
    this.fd = fd;
    this.parts = [];
    this.size = 0;
  }
  write(s) {
    this.parts.push(s);
    this.size += s.length;
    if (this.size > 1 << 16) this.flush();
  }
  flush() {
    if (!this.parts.length) return;
    const data = this.parts.join('');
    this.parts = [];
    this.size = 0;
    // writeSync to fds 1/2 can hit EAGAIN on pipes in non-blocking mode; retry.
    const buf = Buffer.from(data, 'utf8');
    let off = 0;
    while (off < buf.length) {
      try {
        off += writeSync(this.fd, buf, off);
      } catch (e) {
        if (e.code !== 'EAGAIN') throw e;
      }
    }
  }
}
const out = new Output(1);
const err = new Output(2);

function parseArgs(args) {
  const o = { policies: [], school: '', ctx: { site: '', surface: 'post', account: 'personal', images: 0 },
    format: 'text', jsonl: '', text: undefined, haveText: false };
  for (let i = 0; i < args.length; ++i) {
    const a = args[i];
    const value = () => {
      if (i + 1 >= args.length) {
        err.write(`postguard check: ${a} needs a value\n`);
        return undefined;
      }
      return args[++i];
    };
    let v;
    if (a === '--policy') {
      if ((v = value()) === undefined) return null;
      o.policies.push(v);
    } else if (a === '--school') {
      if ((v = value()) === undefined) return null;
      o.school = v;
    } else if (a === '--site' || a === '--surface' || a === '--account') {
      if ((v = value()) === undefined) return null;
      o.ctx[a.slice(2)] = v;
    } else if (a === '--images') {
      if ((v = value()) === undefined) return null;
      // std::stoi: leading whitespace, sign, digits; the rest ignored
      const m = /^\s*([+-]?\d+)/.exec(v);
      const n = m ? Number(m[1]) : NaN;
      if (!m || n > 2147483647 || n < -2147483648) {
        err.write('postguard check: --images needs a number\n');
        return null;
      }
      o.ctx.images = n;
    } else if (a === '--format') {
      if ((v = value()) === undefined) return null;
      o.format = v;
      if (v !== 'text' && v !== 'json') {
        err.write('postguard check: --format must be text or json\n');
        return null;
      }
    } else if (a === '--trace') {
      err.write('postguard check: --trace is only in the native CLI\n');
      return null;
    } else if (a === '--jsonl') {
      if ((v = value()) === undefined) return null;
      o.jsonl = v;
    } else if (a.length > 1 && a[0] === '-' && a !== '-') {
      err.write(`postguard check: unknown option ${a}\n`);
      return null;
    } else if (!o.haveText) {
      o.text = a;
      o.haveText = true;
    } else {
      err.write('postguard check: give the draft as one argument (quote it)\n');
      return null;
    }
  }
  return o;
}

const STRERROR = { ENOENT: 'No such file or directory', EACCES: 'Permission denied', EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory', ELOOP: 'Too many levels of symbolic links', ENAMETOOLONG: 'File name too long' };

// io::read_file: bytes, or {error: "PATH: cannot open (strerror)"}
function readBytes(path) {
  try {
    return { bytes: path === '-' ? readFileSync(0) : readFileSync(path) };
  } catch (e) {
    if (e.code === 'EISDIR') return { error: `${path}: read error` };
    return { error: `${path}: cannot open (${STRERROR[e.code] || e.message})` };
  }
}

function validateContext(ctx) {
  const bad = (field, value, allowed) => `${field} "${value}" is not valid; use one of: ${allowed}`;
  if (!['post', 'comment', 'dm', 'bio'].includes(ctx.surface)) return bad('surface', ctx.surface, 'post, comment, dm, bio');
  if (!['personal', 'official'].includes(ctx.account)) return bad('account', ctx.account, 'personal, official');
  if (ctx.images < 0) return bad('images', ctx.images, 'a count of 0 or more');
  return null;
}

function errorToString(e) {
  let s = '';
  if (e.file) s += `${e.file}: `;
  if (e.pointer) s += `${e.pointer}: `;
  return s + e.message;
}

// cli::load_policy: the files, then Policy::compile for the school. Returns {engine} or {error}.
async function loadPolicy(api, module, files, school) {
  const layers = [];
  for (const f of files) {
    const r = readBytes(f);
    if (r.error) {
      return { error: { code: api.ErrorCode.policy_parse, file: f, message: `cannot read the policy file (${r.error})` } };
    }
    layers.push({ name: f, json: new Uint8Array(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength) });
  }
  try {
    return { engine: await api.createEngine({ wasmModule: module, policy: layers, school }) };
  } catch (e) {
    if (e instanceof api.PostGuardError) return { error: e.toJSON() };
    throw e;
  }
}

// cli::utf16_slice: the code points of `text` wholly inside UTF-16 [start, end).
function utf16Slice(text, start, end) {
  let outText = '';
  let pos = 0;
  for (const ch of text) {
    const units = ch.length;
    if (pos >= start && pos + units <= end) outText += ch;
    pos += units;
  }
  return outText;
}

function printText(text, findings) {
  if (findings.length === 0) {
    out.write('No problems found.\n');
    return;
  }
  for (const f of findings) {
    out.write(`${f.severity}\t${f.category}\t${f.start}-${f.end}\t"${utf16Slice(text, f.start, f.end)}"\n  ${f.message}` +
      `\n  Policy: ${f.policyRef}  [${f.rule}]\n`);
    if (f.fix) out.write(`  Fix: ${f.fix.label}: "${f.fix.text}"\n`);
  }
}

const atWarn = (findings) => findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK.warn);

// std::getline on '\n' over the raw bytes; each line must be UTF-8 (nlohmann rejects it otherwise).
function* lines(bytes) {
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    yield bytes.subarray(start, end);
    start = end + 1;
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const wellFormed = (s) => (typeof s.isWellFormed === 'function' ? s.isWellFormed() : !LONE_SURROGATE.test(s));

// JSON the way nlohmann::json::parse(line, nullptr, false) accepts it: strict UTF-8, no lone
// surrogate escapes. Returns undefined where nlohmann would give a discarded value.
function parseLine(bytes) {
  let text;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
  let doc;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  let ok = true;
  const walk = (v) => {
    if (!ok) return;
    if (typeof v === 'string') {
      if (!wellFormed(v)) ok = false;
    } else if (Array.isArray(v)) {
      v.forEach(walk);
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        walk(k);
        walk(x);
      }
    }
  };
  walk(doc);
  return ok ? doc : undefined;
}

async function runJsonl(api, module, o) {
  const r = readBytes(o.jsonl);
  if (r.error) {
    err.write(`postguard check: ${r.error}\n`);
    return EXIT_USAGE;
  }
  const cache = new Map();
  const policyFor = async (school) => {
    const key = o.policies.length ? school : '';
    if (!cache.has(key)) cache.set(key, await loadPolicy(api, module, o.policies, key));
    return cache.get(key);
  };
  const base = await policyFor(o.school);
  if (base.error) {
    err.write(`postguard: policy error: ${errorToString(base.error)}\n`);
    return EXIT_USAGE;
  }
  let any = false;
  let lineNo = 0;
  for (const line of lines(r.bytes)) {
    ++lineNo;
    if (line.every((b) => b === 0x20 || b === 0x09 || b === 0x0d)) continue;
    const doc = parseLine(line);
    const isObject = doc !== null && typeof doc === 'object' && !Array.isArray(doc);
    const reply = { id: isObject && 'id' in doc ? doc.id : null };
    const fail = (msg) => {
      reply.error = msg;
      out.write(JSON.stringify(reply) + '\n');
    };
    if (!isObject) {
      fail(`line ${lineNo}: not a JSON object`);
      continue;
    }
    if (typeof doc.text !== 'string') {
      fail(`line ${lineNo}: "text" must be a string`);
      continue;
    }
    const ctx = { ...o.ctx };
    let school = o.school;
    let bad = false;
    for (const key of ['site', 'surface', 'account', 'school']) {
      if (!(key in doc) || doc[key] === null) continue;
      if (typeof doc[key] !== 'string') {
        fail(`line ${lineNo}: "${key}" must be a string`);
        bad = true;
        break;
      }
      if (key === 'school') school = doc[key];
      else ctx[key] = doc[key];
    }
    if (bad) continue;
    if (Number.isInteger(doc.images) && Math.abs(doc.images) <= 2147483647) ctx.images = doc.images;
    const policy = await policyFor(school);
    if (policy.error) {
      fail(errorToString(policy.error));
      continue;
    }
    let json;
    try {
      json = policy.engine.checkJson(doc.text, ctx);
    } catch (e) {
      if (!(e instanceof api.PostGuardError)) throw e;
      fail(e.message);
      continue;
    }
    const findings = JSON.parse(json).findings;
    reply.findings = findings;
    out.write(JSON.stringify(reply) + '\n');
    any = any || atWarn(findings);
  }
  return any ? EXIT_FINDINGS : EXIT_CLEAN;
}

async function commandCheck(api, module, args) {
  const o = parseArgs(args);
  if (!o) {
    err.write('\n' + USAGE);
    return EXIT_USAGE;
  }
  // postguard::validate(o.ctx), before any policy is read (the engine checks the same on every
  // check; the differential tests compare the messages).
  const bad = validateContext(o.ctx);
  if (bad) {
    err.write(`postguard check: ${bad}\n`);
    return EXIT_USAGE;
  }
  if (o.jsonl) {
    if (o.haveText) {
      err.write('postguard check: give either TEXT or --jsonl, not both\n');
      return EXIT_USAGE;
    }
    return runJsonl(api, module, o);
  }
  const policy = await loadPolicy(api, module, o.policies, o.school);
  if (policy.error) {
    err.write(`postguard: policy error: ${errorToString(policy.error)}\n`);
    return EXIT_USAGE;
  }
  const engine = policy.engine;
  const ctx = { ...o.ctx, school: engine.school };
  // The draft as bytes (stdin) or as the argument: invalid UTF-8 is the core's error to give.
  const bytes = !o.haveText || o.text === '-' ? readFileSync(0) : null;
  const text = bytes ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : o.text;
  let json;
  try {
    json = engine.checkJson(text, ctx);
  } catch (e) {
    if (!(e instanceof api.PostGuardError)) throw e;
    if (o.format === 'json') out.write(`{"error":${JSON.stringify(e.toJSON())}}\n`);
    err.write(`postguard check: ${errorToString(e)}\n`);
    return EXIT_USAGE;
  }
  const findings = JSON.parse(json).findings;
  if (o.format === 'json') {
    out.write(json.slice('{"findings":'.length, -1) + '\n');
  } else {
    printText(bytes ? new TextDecoder().decode(bytes) : text, findings);
  }
  return atWarn(findings) ? EXIT_FINDINGS : EXIT_CLEAN;
}

async function main(argv) {
  if (argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') {
    (argv.length === 0 ? err : out).write(USAGE);
    return argv.length === 0 ? EXIT_USAGE : EXIT_CLEAN;
  }
  const dir = process.env.POSTGUARD_ENGINE_DIR
    ? pathToFileURL(process.env.POSTGUARD_ENGINE_DIR.replace(/\/?$/, '/'))
    : new URL('../build/wasm/engine/', import.meta.url);
  let api;
  try {
    api = await import(new URL('postguard-engine.mjs', dir).href);
  } catch (e) {
    err.write(`postguard.mjs: cannot load the wasm engine from ${dir.pathname} (${e.message}); ` +
      'build it with: cmake --preset wasm && cmake --build --preset wasm\n');
    return EXIT_USAGE;
  }
  if (argv[0] === '--version' || argv[0] === 'version') {
    const e = await api.createEngine();
    out.write(`postguard ${e.version} (wasm)\n`);
    e.dispose();
    return EXIT_CLEAN;
  }
  if (argv[0] !== 'check') {
    err.write(`postguard: unknown command "${argv[0]}" (the wasm CLI has only "check")\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  const module = await api.compileEngineModule();
  return commandCheck(api, module, argv.slice(1));
}

let code;
try {
  code = await main(process.argv.slice(2));
} catch (e) {
  err.write(`postguard.mjs: ${e && e.stack ? e.stack : e}\n`);
  code = EXIT_USAGE;
}
out.flush();
err.flush();
process.exitCode = code;

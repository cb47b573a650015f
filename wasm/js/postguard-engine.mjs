// PostGuard engine: the rules core compiled to WebAssembly, as an ES module.
//
//   import { createEngine } from './postguard-engine.mjs';
//   const engine = await createEngine();                 // baseline policy
//   engine.loadPolicy(bundle, 'bideford-road');          // trust bundle (+ overlays), a school
//   const findings = engine.check(text, { site: 'x.com', surface: 'post', account: 'personal' });
//   engine.dispose();
//
// Works in an MV3 extension service worker (no eval, no filesystem, no dynamic import on the web
// path: the .wasm is fetched relative to this module's URL, or passed in as bytes or as a
// compiled WebAssembly.Module), in pages and workers, and in node (the .wasm is read from disk).
// Errors: every failure is thrown as a PostGuardError with the core's stable numeric `code`
// (see ErrorCode) plus `file` and `pointer` for policy errors. Types: postguard-engine.d.ts.
import createPostGuardCore from './postguard-core.mjs';

/** Stable error codes: the same numbers as postguard::ErrorCode in the C++ core. */
export const ErrorCode = Object.freeze({
  invalid_utf8: 10,
  policy_parse: 20,
  policy_schema: 21,
  policy_unknown_school: 22,
  policy_rule: 23,
  policy_regex: 24,
  context_invalid: 30,
  internal: 90,
  /** Not from the core: the engine was disposed, or an earlier call crashed the instance. */
  engine_unusable: 91,
});

export class PostGuardError extends Error {
  constructor(error) {
    super(error.message);
    this.name = 'PostGuardError';
    this.code = error.code;
    if (error.file !== undefined) this.file = error.file;
    if (error.pointer !== undefined) this.pointer = error.pointer;
  }
  /** The same shape as the core's error_to_json: {code, message, file?, pointer?}. */
  toJSON() {
    const out = { code: this.code, message: this.message };
    if (this.file !== undefined) out.file = this.file;
    if (this.pointer !== undefined) out.pointer = this.pointer;
    return out;
  }
}

const IS_NODE = typeof process === 'object' && process !== null && typeof process.versions === 'object' &&
  typeof process.versions.node === 'string';
const WASM_FILE = 'postguard-core.wasm';
// The baseline packs' phrase tables, compiled at build time (shipped beside the .wasm so the
// module stays small; without them each engine compiles the baseline from the packs: slower).
const BASELINE_FILE = 'postguard-baseline.bin';

// One promise per URL and purpose: the .wasm compiled (the expensive part; each engine
// instantiates its own) and the baseline tables' bytes (each engine copies them into its memory).
// A failed load is forgotten, so a later engine tries again.
const compiled = new Map();
const baselines = new Map();

function once(cache, url, load) {
  let p = cache.get(url.href);
  if (!p) {
    p = load(url);
    cache.set(url.href, p);
    p.catch(() => cache.delete(url.href));
  }
  return p;
}

// A file next to this module: its bytes in node (file: URLs), else the fetch response.
async function open(url) {
  if (url.protocol === 'file:' && IS_NODE) {
    // Only in node (dynamic import is not allowed in a service worker, and not reached there).
    const { readFile } = await import('node:fs/promises');
    return { bytes: new Uint8Array(await readFile(url)) };
  }
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`cannot fetch ${url.href}: HTTP ${response.status}`);
  return { response };
}

async function compileFrom(options) {
  if (options.wasmModule) return options.wasmModule;
  if (options.wasmBinary) return WebAssembly.compile(options.wasmBinary);
  const url = options.wasmUrl ? new URL(String(options.wasmUrl), import.meta.url) : new URL(WASM_FILE, import.meta.url);
  return once(compiled, url, async () => {
    const { bytes, response } = await open(url);
    if (bytes) return WebAssembly.compile(bytes);
    if (typeof WebAssembly.compileStreaming === 'function' &&
        (response.headers.get('content-type') || '').startsWith('application/wasm')) {
      return WebAssembly.compileStreaming(response);
    }
    return WebAssembly.compile(await response.arrayBuffer());
  });
}

// The baseline tables' bytes (postguard-baseline.bin). The engine embeds no rule packs, so
// without them it cannot check: an unreadable file is an error, never an empty baseline.
async function baselineFrom(options) {
  if (options.baselineBinary) return new Uint8Array(options.baselineBinary);
  const url = new URL(options.baselineUrl != null ? String(options.baselineUrl) : BASELINE_FILE, import.meta.url);
  try {
    return await once(baselines, url, async () => {
      const { bytes, response } = await open(url);
      return bytes ?? new Uint8Array(await response.arrayBuffer());
    });
  } catch (e) {
    throw new PostGuardError({ code: ErrorCode.engine_unusable,
      message: `baseline tables (${BASELINE_FILE}, shipped beside the engine): ${e.message}` });
  }
}

async function instantiateCore(module) {
  return createPostGuardCore({
    instantiateWasm(imports, receiveInstance) {
      WebAssembly.instantiate(module, imports).then((instance) => receiveInstance(instance, module));
      return {};
    },
    print: () => {},
    printErr: () => {},
  });
}

// A made-up draft for warmUp(): it reaches the phrase, proximity and regex passes.
const WARM_UP_TEXT = 'Great trip today with year 9! Message me on snap for the photos, our pay talks are on Friday.';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

class Engine {
  #core;
  #engine;
  #text = 0;      // UTF-8 buffer for drafts (grown as needed)
  #textCap = 0;
  #ctx = 0;       // the last context, as NUL-terminated JSON
  #ctxCap = 0;
  #ctxJson = null;
  #lastContext = undefined;
  #dead = null;   // why the engine cannot be used any more
  #school = '';
  #disclaimer = '';

  constructor(core, engine) {
    this.#core = core;
    this.#engine = engine;
  }

  get school() { return this.#school; }
  get disclaimer() { return this.#disclaimer; }
  get version() { return this.#call(() => this.#cstr(this.#core._pg_version())); }
  /** True when policies compile on the build-time baseline tables (postguard-baseline.bin). */
  get baselinePrebuilt() { return this.#call(() => this.#core._pg_baseline_prebuilt() === 1); }

  loadPolicy(bundle, school) {
    const layers = toLayers(bundle);
    const reply = this.#callJson(() => {
      for (const layer of layers) {
        const name = this.#writeTemp(encoder.encode(layer.name));
        const json = this.#writeTemp(layer.bytes);
        let ok;
        try {
          ok = this.#core._pg_add_source(this.#engine, name.ptr, name.len, json.ptr, json.len);
        } finally {
          this.#core._pg_free(name.ptr);
          this.#core._pg_free(json.ptr);
        }
        if (!ok) throw new PostGuardError({ code: ErrorCode.internal, message: 'out of memory in the engine' });
      }
      const sc = this.#writeTemp(encoder.encode(school == null ? '' : String(school)), true);
      try {
        return this.#core._pg_load_policy(this.#engine, sc.ptr);
      } finally {
        this.#core._pg_free(sc.ptr);
      }
    });
    this.#school = reply.school;
    this.#disclaimer = reply.disclaimer;
    this.#ctxJson = null;
    return { school: reply.school, disclaimer: reply.disclaimer };
  }

  check(text, context) {
    return JSON.parse(this.checkJson(text, context)).findings;
  }

  /**
   * Does in idle time what the first check would otherwise pay for: ICU's regex start-up and
   * V8's compile of the check path's functions (it compiles each on first call). Call it after
   * creating the engine, e.g. from a timer; findings are unaffected.
   */
  warmUp() {
    this.#call(() => this.#core._pg_warm_up());
    this.checkJson(WARM_UP_TEXT, { surface: 'post', account: 'personal' });
  }

  checkJson(text, context) {
    if (typeof text !== 'string' && !(text instanceof Uint8Array)) {
      throw new TypeError('check: text must be a string (or UTF-8 bytes in a Uint8Array)');
    }
    const json = this.#call(() => {
      const len = this.#writeText(text);
      this.#writeContext(context);
      return this.#takeString(this.#core._pg_check(this.#engine, this.#text, len, this.#ctx));
    });
    if (json.startsWith('{"error":')) throw new PostGuardError(JSON.parse(json).error);
    return json;
  }

  explain() {
    const json = this.#call(() => this.#takeString(this.#core._pg_explain(this.#engine)));
    const doc = JSON.parse(json);
    if (doc && doc.error && Object.keys(doc).length === 1) throw new PostGuardError(doc.error);
    return doc;
  }

  memory() {
    return this.#call(() => ({
      wasmMemoryBytes: this.#core.HEAPU8.buffer.byteLength,
      mallocInUseBytes: this.#core._pg_heap_used() >>> 0,
    }));
  }

  dispose() {
    if (this.#dead) return;
    try {
      if (this.#text) this.#core._pg_free(this.#text);
      if (this.#ctx) this.#core._pg_free(this.#ctx);
      this.#core._pg_engine_free(this.#engine);
    } catch {
      // the instance may already have crashed; dropping our references frees it anyway
    }
    this.#dead = 'the engine was disposed';
    this.#core = null;
  }

  [Symbol.dispose]() { this.dispose(); }

  // ---- internals ----------------------------------------------------------------------
  #call(fn) {
    if (this.#dead) throw new PostGuardError({ code: ErrorCode.engine_unusable, message: this.#dead });
    try {
      return fn();
    } catch (e) {
      if (e instanceof WebAssembly.RuntimeError || (e && e.name === 'RuntimeError')) {
        // A trap (out of memory, abort): the instance's state is unknown from here on.
        this.#dead = `the engine crashed (${e.message}); create a new one`;
        this.#core = null;
        throw new PostGuardError({ code: ErrorCode.engine_unusable, message: this.#dead });
      }
      throw e;
    }
  }

  #callJson(fn) {
    const doc = JSON.parse(this.#call(() => this.#takeString(fn())));
    if (doc.error) throw new PostGuardError(doc.error);
    return doc;
  }

  #cstr(ptr) {
    const heap = this.#core.HEAPU8;
    const end = heap.indexOf(0, ptr);
    return decoder.decode(heap.subarray(ptr, end));
  }

  #takeString(ptr) {
    if (!ptr) throw new PostGuardError({ code: ErrorCode.internal, message: 'out of memory in the engine' });
    try {
      return this.#cstr(ptr);
    } finally {
      this.#core._pg_free(ptr);
    }
  }

  // A malloc'd copy of bytes (NUL-terminated when nul); the caller pg_frees it.
  #writeTemp(bytes, nul = false) {
    const ptr = this.#core._pg_alloc(bytes.length + 1);
    if (!ptr) throw new PostGuardError({ code: ErrorCode.internal, message: 'out of memory in the engine' });
    const heap = this.#core.HEAPU8;
    heap.set(bytes, ptr);
    if (nul) heap[ptr + bytes.length] = 0;
    return { ptr, len: bytes.length };
  }

  // The draft as UTF-8 into the reusable buffer; returns its length in bytes. Lone surrogates
  // (possible in DOM text) become U+FFFD, which keeps UTF-16 offsets unchanged.
  #writeText(text) {
    const need = (typeof text === 'string' ? text.length * 3 : text.length) + 1;
    if (need > this.#textCap) {
      if (this.#text) this.#core._pg_free(this.#text);
      this.#text = 0;
      const cap = Math.max(need, 1024);
      const ptr = this.#core._pg_alloc(cap);
      if (!ptr) throw new PostGuardError({ code: ErrorCode.internal, message: 'out of memory in the engine' });
      this.#text = ptr;
      this.#textCap = cap;
    }
    if (typeof text !== 'string') {
      this.#core.HEAPU8.set(text, this.#text);
      return text.length;
    }
    return encoder.encodeInto(text, this.#core.HEAPU8.subarray(this.#text, this.#text + this.#textCap)).written;
  }

  #writeContext(context) {
    if (context === this.#lastContext && this.#ctxJson !== null) return;
    const json = context == null ? '{}' : JSON.stringify(context);
    this.#lastContext = context;
    if (json === this.#ctxJson) return;
    const bytes = encoder.encode(json);
    if (bytes.length + 1 > this.#ctxCap) {
      if (this.#ctx) this.#core._pg_free(this.#ctx);
      this.#ctx = 0;
      const cap = Math.max(bytes.length + 1, 256);
      const ptr = this.#core._pg_alloc(cap);
      if (!ptr) throw new PostGuardError({ code: ErrorCode.internal, message: 'out of memory in the engine' });
      this.#ctx = ptr;
      this.#ctxCap = cap;
    }
    const heap = this.#core.HEAPU8;
    heap.set(bytes, this.#ctx);
    heap[this.#ctx + bytes.length] = 0;
    this.#ctxJson = json;
  }
}

// The layers of a policy as {name, bytes}: a bundle object, its JSON text or bytes, or an array
// of {name, json} layers (json: text, bytes or an object). Bytes are passed on untouched, so
// a file that is not UTF-8 gets the core's own invalid_utf8 error.
function toLayers(bundle) {
  const bytesOf = (json) => {
    if (typeof json === 'string') return encoder.encode(json);
    if (json instanceof Uint8Array) return json;
    if (json instanceof ArrayBuffer) return new Uint8Array(json);
    return encoder.encode(JSON.stringify(json));
  };
  if (bundle == null) return [];
  if (Array.isArray(bundle)) {
    return bundle.map((layer, i) => {
      if (!layer || typeof layer !== 'object' || !('json' in layer)) {
        throw new TypeError(`loadPolicy: layer ${i} must be {name, json}`);
      }
      return { name: layer.name == null ? `layer ${i}` : String(layer.name), bytes: bytesOf(layer.json) };
    });
  }
  if (typeof bundle === 'string' || bundle instanceof Uint8Array || bundle instanceof ArrayBuffer ||
      typeof bundle === 'object') {
    return [{ name: 'bundle', bytes: bytesOf(bundle) }];
  }
  throw new TypeError('loadPolicy: give a bundle object, its JSON text, or an array of {name, json} layers');
}

/**
 * Creates an engine with the built-in baseline policy compiled (and `options.policy` loaded
 * for `options.school` when given).
 */
export async function createEngine(options = {}) {
  const [module, baseline] = await Promise.all([compileFrom(options), baselineFrom(options)]);
  const core = await instantiateCore(module);
  const selfTest = core._pg_self_test();
  if (selfTest) {
    const heap = core.HEAPU8;
    const doc = JSON.parse(decoder.decode(heap.subarray(selfTest, heap.indexOf(0, selfTest))));
    core._pg_free(selfTest);
    throw new PostGuardError(doc.error);
  }
  // Copied into the instance's memory for good: policies view the tables in place.
  const at = core._pg_alloc(baseline.length);
  if (!at) throw new PostGuardError({ code: ErrorCode.internal, message: 'out of memory for the baseline tables' });
  core.HEAPU8.set(baseline, at);
  if (!core._pg_provide_baseline(at, baseline.length)) {
    core._pg_free(at);
    throw new PostGuardError({ code: ErrorCode.engine_unusable,
      message: 'baseline tables: not made from this engine\'s rule packs (rebuild the engine folder)' });
  }
  const handle = core._pg_engine_new();
  if (!handle) throw new PostGuardError({ code: ErrorCode.internal, message: 'out of memory creating the engine' });
  const engine = new Engine(core, handle);
  try {
    // One compile: a bundle's policy always starts from the baseline.
    engine.loadPolicy(options.policy ?? [], options.school ?? '');
  } catch (e) {
    engine.dispose();
    throw e;
  }
  return engine;
}

/** Compiles the .wasm once (e.g. at service worker start) and returns the WebAssembly.Module. */
export async function compileEngineModule(options = {}) {
  return compileFrom(options);
}

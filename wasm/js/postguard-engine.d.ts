// Types for postguard-engine.mjs (kept by hand; see wasm/README.md).

/** Stable error codes: the same numbers as postguard::ErrorCode in the C++ core. */
export declare const ErrorCode: Readonly<{
  invalid_utf8: 10;
  policy_parse: 20;
  policy_schema: 21;
  policy_unknown_school: 22;
  policy_rule: 23;
  policy_regex: 24;
  context_invalid: 30;
  internal: 90;
  /** Not from the core: the engine was disposed, or an earlier call trapped. Create a new one. */
  engine_unusable: 91;
}>;
export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Every failure of the engine is thrown as one of these. */
export declare class PostGuardError extends Error {
  readonly name: 'PostGuardError';
  readonly code: ErrorCodeValue;
  /** The policy layer's name, for errors in a policy file. */
  readonly file?: string;
  /** JSON pointer into that file ("" or absent: the whole file). */
  readonly pointer?: string;
  /** {code, message, file?, pointer?}: the shape of the core's error_to_json. */
  toJSON(): { code: ErrorCodeValue; message: string; file?: string; pointer?: string };
}

export type Severity = 'info' | 'warn' | 'confirm' | 'block';
/** disclaimer | pupil_contact | pupil_privacy | confidential, or another name for other breaches. */
export type Category = 'disclaimer' | 'pupil_contact' | 'pupil_privacy' | 'confidential' | (string & {});

/** A one-click change: replace [start, end) with text (start == end inserts). UTF-16 offsets. */
export interface Fix {
  label: string;
  start: number;
  end: number;
  text: string;
}

/** DESIGN.md "Findings": start/end are UTF-16 code-unit offsets into the checked text. */
export interface Finding {
  rule: string;
  category: Category;
  severity: Severity;
  start: number;
  end: number;
  message: string;
  policyRef: string;
  fix?: Fix;
}

/** DESIGN.md "Check context"; every field is optional. */
export interface CheckContext {
  /** School id; defaults to the school the policy was loaded for. */
  school?: string;
  /** Host, e.g. "x.com". */
  site?: string;
  /** Default "post". */
  surface?: 'post' | 'comment' | 'dm' | 'bio';
  /** Default "personal". */
  account?: 'personal' | 'official';
  /** ISO 8601. */
  time?: string;
  /** Attached images (default 0). */
  images?: number;
}

/** Policy JSON as text, UTF-8 bytes, or an already-parsed object. */
export type PolicyJson = string | Uint8Array | ArrayBuffer | object;
/** One policy file: `name` is what errors call it. */
export interface PolicyLayer {
  name?: string;
  json: PolicyJson;
}
/** A trust bundle (object, JSON text or bytes), or its layers: the bundle first, then overlays. */
export type PolicyInput = PolicyJson | PolicyLayer[];

export interface LoadedPolicy {
  /** The school selected ("" = trust-central staff). */
  school: string;
  /** The disclaimer text the policy asks for (the "insert disclaimer" fix). */
  disclaimer: string;
}

export interface EngineMemory {
  /** Size of the instance's linear memory (it grows, never shrinks). */
  wasmMemoryBytes: number;
  /** Bytes currently allocated by malloc inside the instance. */
  mallocInUseBytes: number;
}

export interface Engine {
  /** The school of the loaded policy. */
  readonly school: string;
  /** The loaded policy's disclaimer text. */
  readonly disclaimer: string;
  /** The core's version. */
  readonly version: string;
  /** True when policies compile on the build-time baseline tables (postguard-baseline.bin). */
  readonly baselinePrebuilt: boolean;
  /**
   * Compiles baseline + these layers for `school` ("" or omitted: the bundle's default) and
   * makes it the engine's policy. On error (PostGuardError, codes 10 and 20-24) the previous
   * policy stays in use.
   */
  loadPolicy(policy: PolicyInput, school?: string): LoadedPolicy;
  /**
   * Findings for a draft, sorted by start offset. `text` is a string (lone surrogates are read
   * as U+FFFD, which keeps every UTF-16 offset) or UTF-8 bytes (invalid UTF-8 is error 10).
   * Throws PostGuardError: 10 invalid UTF-8, 30 bad context, 90 internal, 91 engine unusable.
   */
  check(text: string | Uint8Array, context?: CheckContext): Finding[];
  /**
   * Does in idle time what the first check would otherwise pay for (ICU's regex start-up, V8's
   * compile of the check path). Call it after creating the engine, e.g. from a timer.
   */
  warmUp(): void;
  /** As check, but the reply as JSON text: {"findings":[...]} (to forward without re-encoding). */
  checkJson(text: string | Uint8Array, context?: CheckContext): string;
  /** The merged policy with provenance (what `postguard policy explain` prints). */
  explain(): unknown;
  memory(): EngineMemory;
  /** Frees the engine; later calls throw PostGuardError 91. Safe to call twice. */
  dispose(): void;
}

export interface EngineOptions {
  /** A compiled module (e.g. from compileEngineModule), shared by several engines. */
  wasmModule?: WebAssembly.Module;
  /** The bytes of postguard-core.wasm. */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /** Where postguard-core.wasm is (default: next to this module, from import.meta.url). */
  wasmUrl?: string | URL;
  /**
   * The baseline packs compiled at build time (postguard-baseline.bin): their bytes, or where
   * the file is (default: next to this module). The engine embeds no packs, so the tables are
   * required: missing, unreadable or made from other packs is PostGuardError 91.
   */
  baselineBinary?: ArrayBuffer | Uint8Array;
  baselineUrl?: string | URL;
  /** Load this policy instead of the bare baseline (one compile instead of two). */
  policy?: PolicyInput;
  school?: string;
}

/** Creates an engine with the baseline (or options.policy) compiled. */
export declare function createEngine(options?: EngineOptions): Promise<Engine>;
/** Compiles postguard-core.wasm once; pass the result as options.wasmModule. */
export declare function compileEngineModule(
  options?: Pick<EngineOptions, 'wasmBinary' | 'wasmUrl' | 'wasmModule'>,
): Promise<WebAssembly.Module>;

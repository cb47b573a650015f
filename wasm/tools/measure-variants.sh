#!/usr/bin/env bash
# Builds the wasm engine with different code generation / link flags, each in its own build
# dir (build/wasm-variants/<name>, never published to build/extension-engine), and measures
# each with bench/wasm_bench.mjs --quick --json. Prints a Markdown table for wasm/README.md.
#   wasm/tools/measure-variants.sh [NAME...]     (default: all variants below)
# Slow: every variant rebuilds the core (2-4 minutes each on 2 cores).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
ICU=$(scripts/build-icu-wasm.sh --print-dir)
OUT=build/wasm-variants
mkdir -p "$OUT"

# name | cmake cache settings (;-separated lists are passed as they are)
VARIANTS=(
  "default|"
  "eh-js|-DPOSTGUARD_WASM_EXCEPTIONS=js"
  "eh-none|-DPOSTGUARD_WASM_EXCEPTIONS=none"
  "libcxx-extern|-DPOSTGUARD_WASM_INLINE_LIBCXX=OFF"
  "O2|-DPOSTGUARD_WASM_OPT=-O2"
  "Os|-DPOSTGUARD_WASM_OPT=-Os"
  "Oz|-DPOSTGUARD_WASM_OPT=-Oz"
  "emmalloc|-DPOSTGUARD_WASM_MALLOC=emmalloc"
  "lto|-DPOSTGUARD_WASM_LTO=ON"
  "stack-check|-DPOSTGUARD_WASM_EXTRA_LINK_FLAGS=-sSTACK_OVERFLOW_CHECK=2"
  "mem-16mb|-DPOSTGUARD_WASM_EXTRA_LINK_FLAGS=-sINITIAL_MEMORY=16MB"
)
want=("$@")
for v in "${VARIANTS[@]}"; do
  name=${v%%|*}; settings=${v#*|}
  if [[ ${#want[@]} -gt 0 ]] && ! printf '%s\n' "${want[@]}" | grep -qx "$name"; then continue; fi
  dir=$OUT/$name
  echo "== $name ($settings)" >&2
  args=(-S . -B "$dir" -G Ninja -DCMAKE_TOOLCHAIN_FILE=/usr/share/emscripten/cmake/Modules/Platform/Emscripten.cmake
    -DCMAKE_BUILD_TYPE=Release -DPOSTGUARD_BENCH=OFF -DPOSTGUARD_ICU_WASM_DIR="$ICU" -DPOSTGUARD_WASM_EXTENSION_DIR=)
  # reset every knob, then apply this variant's
  args+=(-DPOSTGUARD_WASM_OPT=-O3 -DPOSTGUARD_WASM_EXCEPTIONS=wasm -DPOSTGUARD_WASM_MALLOC=dlmalloc
    -DPOSTGUARD_WASM_LTO=OFF -DPOSTGUARD_WASM_INLINE_LIBCXX=ON -DPOSTGUARD_WASM_EXTRA_COMPILE_FLAGS= -DPOSTGUARD_WASM_EXTRA_LINK_FLAGS=)
  [[ -n $settings ]] && args+=("$settings")
  cmake "${args[@]}" >"$dir.configure.log" 2>&1 || { echo "configure failed: $dir.configure.log" >&2; continue; }
  cmake --build "$dir" >"$dir.build.log" 2>&1 || { echo "build failed: $dir.build.log" >&2; continue; }
  node bench/wasm_bench.mjs --quick --json --engine "$dir/engine" >"$dir.json" 2>"$dir.bench.log" \
    || { echo "bench failed: $dir.bench.log" >&2; continue; }
done

node - "$OUT" <<'JS'
const fs = require('fs'), path = require('path');
const dir = process.argv[2];
const rows = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => [f.slice(0, -5), JSON.parse(fs.readFileSync(path.join(dir, f)))]);
console.log('| variant | .wasm | gzip -9 | 280 chars CPU µs | 2000 chars CPU µs | wasm/native 280 / 2000 | cold start ms (wall / CPU) | heap after bundle |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const [name, r] of rows) {
  const kb = (b) => `${(b / 1024).toFixed(0)} KB`;
  console.log(`| ${name} | ${kb(r.size.wasmBytes)} | ${kb(r.size.wasmGzipBytes)} | ${r.wasm.post280.cpuMedianUs.toFixed(1)} | ` +
    `${r.wasm.post2000.cpuMedianUs.toFixed(1)} | ${r.ratio.post280.toFixed(2)} / ${r.ratio.post2000.toFixed(2)} | ` +
    `${r.coldStart.totalMs.toFixed(0)} / ${r.coldStart.cpuMs.toFixed(0)} | ${(r.heapAfterBundle.wasmMemoryBytes / 1048576).toFixed(1)} MB |`);
}
JS

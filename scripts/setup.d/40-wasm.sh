# Sourced by scripts/setup.sh after the native build: the WebAssembly engine (issue 3).
# Needs emscripten + nodejs, ICU for wasm (scripts/build-icu-wasm.sh, cached outside the tree),
# then the `wasm` preset; the result is copied to build/extension-engine/. Quick when nothing
# changed: the ICU cache is reused, configure runs only when the ICU dir changes, ninja no-ops.
step "WebAssembly engine (Emscripten): ICU for wasm, cmake --preset wasm"
ensure_packages emscripten nodejs
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}   # Debian's emscripten needs its acorn
PG_ICU_WASM=$("$PG_ROOT/scripts/build-icu-wasm.sh" --print-dir)
note "ICU for wasm: $PG_ICU_WASM"
(
  cd "$PG_ROOT"
  cache=build/wasm/CMakeCache.txt
  if [ ! -f build/wasm/build.ninja ] || ! grep -qx "POSTGUARD_ICU_WASM_DIR:[A-Z]*=$PG_ICU_WASM" "$cache" 2>/dev/null; then
    cmake --preset wasm -DPOSTGUARD_ICU_WASM_DIR="$PG_ICU_WASM" >/dev/null
  fi
  cmake --build --preset wasm
)
note "engine: build/extension-engine/ ($(du -k "$PG_ROOT/build/extension-engine/postguard-core.wasm" | cut -f1) KB .wasm)"

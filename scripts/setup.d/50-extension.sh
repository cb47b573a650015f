# Sourced by scripts/setup.sh: builds the browser extension into build/extension/ (unpacked, with
# the development key) and build/extension-packages/ (a zip per browser), copying the wasm engine
# from build/extension-engine/ (made by 40-wasm.sh). Quick when nothing changed: the build writes
# only files whose bytes differ. Then npm ci for the extension's browser tests when the lock changed.
step "Browser extension (build/extension)"
node "$PG_ROOT/extension/build.mjs"
ext_tests="$PG_ROOT/tests/e2e-extension"
if [ -f "$ext_tests/package-lock.json" ] && { [ ! -d "$ext_tests/node_modules" ] ||
    [ "$ext_tests/package-lock.json" -nt "$ext_tests/node_modules/.package-lock.json" ]; }; then
  note "npm ci in tests/e2e-extension"
  (cd "$ext_tests" && npm ci --no-audit --no-fund --loglevel=error)
fi
unset ext_tests

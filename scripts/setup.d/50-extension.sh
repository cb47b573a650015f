# Sourced by scripts/setup.sh: builds the browser extension into build/extension/ (unpacked, with
# the development key) and build/extension-packages/ (a zip per browser), copying the wasm engine
# from build/extension-engine/ (made by 40-wasm.sh). Quick when nothing changed: the build writes
# only files whose bytes differ. Then npm ci for the extension's browser tests when the lock changed.
step "Browser extension (build/extension)"
# openssl makes the throwaway certificate of the site-adapter tests' HTTPS fixture server.
ensure_packages openssl
# npm ci where a lock changed: extension/ (esbuild, which bundles the content script) before the
# build, tests/e2e-extension/ (Playwright, editor libraries, addons-linter) after it.
npm_ci_if_changed() {
  if [ -f "$1/package-lock.json" ] && { [ ! -d "$1/node_modules" ] ||
      [ "$1/package-lock.json" -nt "$1/node_modules/.package-lock.json" ]; }; then
    note "npm ci in ${1#"$PG_ROOT"/}"
    (cd "$1" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
npm_ci_if_changed "$PG_ROOT/extension"
node "$PG_ROOT/extension/build.mjs"
npm_ci_if_changed "$PG_ROOT/tests/e2e-extension"
unset -f npm_ci_if_changed

# Sourced by scripts/demo.sh: Chromium with the extension and the native host on the bundled demo
# page (extension/demo/). Headed where there is a display; headless otherwise, saving screenshots
# under build/demo/ and printing what was found.
step "PostGuard in the browser: the extension on the demo page"
node "$PG_ROOT/extension/demo/run.mjs"

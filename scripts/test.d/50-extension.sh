# Sourced by scripts/test.sh: the real extension in headless Chromium against fixture composers
# served with a strict CSP (findings, highlights, fixes + undo, Post confirm/block, DOM untouched,
# worker restart, no host / native host / managed policy). Writes and removes its own file in
# /etc/chromium/policies/managed for the managed-policy test (needs root; skipped otherwise).
step "Extension end-to-end in headless Chromium"
(cd "$PG_ROOT/tests/e2e-extension" && npm test)

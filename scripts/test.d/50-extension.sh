# Sourced by scripts/test.sh: the real extension in headless Chromium against fixture composers
# served with a strict CSP (findings, highlights, fixes + undo, Post confirm/block, DOM untouched,
# the overlay always ending on the final text's findings, worker restart, no host / native host /
# managed policy, per-site pause as far as policy allows), site adapters on HTTPS fixtures under the
# real sites' host names, and the store zips (Firefox one through Mozilla's addons-linter; the Edge
# one loaded keyless). Writes and removes its own files in /etc/chromium/policies/managed for the
# managed-policy and pause tests (needs root; skipped otherwise).
step "Extension end-to-end in headless Chromium"
(cd "$PG_ROOT/tests/e2e-extension" && npm test)

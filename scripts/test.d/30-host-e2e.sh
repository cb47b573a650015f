# Sourced by scripts/test.sh: the real native host started by headless
# Chromium for a test extension (getPolicy, policyChanged).
step "Native host end-to-end in headless Chromium"
(cd "$PG_ROOT/tests/e2e-host" && npm test)

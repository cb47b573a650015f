# Sourced by scripts/setup.sh: Debian's Chromium and Node.js for the browser
# tests and the demo, and the npm packages (playwright-core drives Chromium;
# it never downloads a browser of its own).
step "Chromium and Node.js"
ensure_packages chromium
# Node.js may come from the machine image rather than Debian: add Debian's only if missing.
command -v node >/dev/null || ensure_packages nodejs
command -v npm >/dev/null || ensure_packages npm
for dir in "$PG_ROOT/tests/e2e-host"; do
  [ -f "$dir/package-lock.json" ] || continue
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    note "npm ci in ${dir#$PG_ROOT/}"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done

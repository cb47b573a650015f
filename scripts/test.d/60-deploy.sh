# Sourced by scripts/test.sh: force-install for real (the built extension packed as a CRX3, served
# with a gupdate manifest on 127.0.0.1, installed by Chromium from ExtensionInstallForcelist in
# /etc/chromium/policies/managed and configured by its 3rdparty policy, no --load-extension), the
# store screenshots taken from that install (build/store-screenshots/), and the store-asset checks.
# The browser parts need root (they write managed policy) and are skipped otherwise.
step "Deployment: force-install through managed policy, store assets (tests/e2e-deploy)"
deploy_tests="$PG_ROOT/tests/e2e-deploy"
if [ ! -d "$deploy_tests/node_modules" ] ||
    [ "$deploy_tests/package-lock.json" -nt "$deploy_tests/node_modules/.package-lock.json" ]; then
  note "npm ci in tests/e2e-deploy"
  (cd "$deploy_tests" && npm ci --no-audit --no-fund --loglevel=error)
fi
(cd "$deploy_tests" && npm test)
unset deploy_tests

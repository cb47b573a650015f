#!/usr/bin/env bash
# Runs the deploy tests (npm test). As root, and where the kernel allows it, they run in a private
# mount namespace with an empty tmpfs over /etc/chromium/policies/managed: Chromium reads the test's
# policy file at the real path, while every other Chromium on the machine (other test suites running
# at the same time) never sees its force-install or NativeMessagingUserLevelHosts=false, and a killed
# run leaves nothing behind. POSTGUARD_DEPLOY_SHARED_POLICY=1 writes to the machine's folder instead
# (the tests then add and remove their own file there). Arguments: test files (default: all).
set -euo pipefail
cd "$(dirname "$0")"
tests=("$@")
[ ${#tests[@]} -gt 0 ] || tests=(deploy.test.mjs store-screenshots.test.mjs assets.test.mjs)
run() { exec node --test --test-concurrency=1 --test-reporter=spec "${tests[@]}"; }
managed=/etc/chromium/policies/managed
if [ "$(id -u)" -ne 0 ] || [ "${POSTGUARD_DEPLOY_SHARED_POLICY:-}" = 1 ] || [ -n "${POSTGUARD_DEPLOY_ISOLATED:-}" ]; then
  run
fi
if ! unshare --mount true 2>/dev/null; then
  echo "# no private mount namespace here: the policy file goes to the machine's $managed" >&2
  run
fi
created=()
for d in /etc/chromium /etc/chromium/policies "$managed"; do [ -d "$d" ] || created=("$d" "${created[@]}"); done
mkdir -p "$managed"
status=0
POSTGUARD_DEPLOY_ISOLATED=1 unshare --mount --propagation private -- sh -c \
  'mount -t tmpfs -o mode=0755,size=1m postguard-e2e-deploy "$0" && exec "$@"' "$managed" \
  node --test --test-concurrency=1 --test-reporter=spec "${tests[@]}" || status=$?
for d in "${created[@]}"; do rmdir "$d" 2>/dev/null || break; done
exit "$status"

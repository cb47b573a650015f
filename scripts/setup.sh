#!/usr/bin/env bash
# Installs what PostGuard needs on Debian 12 and builds everything. Idempotent.
source "$(dirname "$0")/lib/common.sh"

step "Debian packages"
ensure_packages "${NATIVE_PACKAGES[@]}"
build_native
for part in "$PG_ROOT"/scripts/setup.d/*.sh; do
  [ -e "$part" ] || continue
  # shellcheck source=/dev/null
  source "$part"
done

# Shared helpers for the project scripts. Source it; do not run it.
set -euo pipefail

PG_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export PG_ROOT

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
note() { printf '    %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# ensure_packages PKG... : installs the Debian packages that are missing
# (apt-get update only when something is missing), so re-runs are quick.
ensure_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    note "packages present: $*"
    return 0
  fi
  note "installing: ${missing[*]}"
  # Wait for another apt/dpkg run (unattended upgrades, a second set-up) instead of failing.
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
}

# Packages for the native build, its tests, benchmarks and fuzzers.
NATIVE_PACKAGES=(build-essential cmake ninja-build pkg-config nlohmann-json3-dev libicu-dev icu-devtools
  libboost-locale-dev gettext catch2 libbenchmark-dev clang libclang-rt-14-dev python3)

build_native() {
  step "Building the native core, CLI and host (cmake --preset native)"
  cd "$PG_ROOT"
  local extra=()
  if [ "${CI:-}" = "true" ]; then extra+=(-DPOSTGUARD_WERROR=ON); fi
  cmake --preset native "${extra[@]}" >/dev/null
  cmake --build --preset native
}

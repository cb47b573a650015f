#!/bin/sh
# Cross-compiles the parts of the native host that build without the core
# (framing, reply chunking, policy sources with the Windows implementation)
# with Debian's mingw-w64, so the Windows code keeps compiling in CI; runs the
# smoke test under wine when wine is installed. ICU and nlohmann for Windows
# are not available here, so the core, the dispatcher and main.cpp are not
# built for Windows yet. Also syntax-checks the macOS policy source (POSIX
# code) with the native compiler.
#   scripts/cross-compile-windows.sh [OUT_DIR]   (default build/mingw)
set -eu
cd "$(dirname "$0")/.."
out=${1:-build/mingw}
cxx=${CXX_MINGW:-x86_64-w64-mingw32-g++}
mkdir -p "$out"

flags="-std=c++17 -O2 -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion -Werror
  -Inative-host/src -Ishared-rules/include -DUNICODE -D_UNICODE"
srcs="native-host/src/host/framing.cpp native-host/src/host/reply_chunker.cpp
  native-host/src/host/policy_sources.cpp native-host/src/host/plist_xml.cpp
  native-host/src/host/policy_sources_windows.cpp tests/host/windows/smoke_main.cpp"

# shellcheck disable=SC2086
$cxx $flags $srcs -static -o "$out/postguard-host-smoke.exe" -ladvapi32 -lshell32 -lole32 -luuid
echo "built $out/postguard-host-smoke.exe"

# The JSON-using Windows code (manifests, install-host's registry writes):
# syntax only, against a folder holding just the header-only nlohmann.
if [ -d /usr/include/nlohmann ]; then
  mkdir -p "$out/nlohmann-only"
  cp -r /usr/include/nlohmann "$out/nlohmann-only/"
  for f in native-host/src/host/host_manifest.cpp native-host/src/host/caller_check.cpp \
           native-host/src/cli/command_install_host.cpp; do
    # shellcheck disable=SC2086
    $cxx $flags -isystem "$out/nlohmann-only" -fsyntax-only "$f"
    echo "$f: syntax OK (Windows)"
  done
fi

# shellcheck disable=SC2086
${CXX:-g++} $flags -fsyntax-only native-host/src/host/policy_sources_macos.cpp
echo "policy_sources_macos.cpp: syntax OK"

if command -v wine >/dev/null 2>&1; then
  wine "$out/postguard-host-smoke.exe"
else
  echo "wine is not installed: built, not run"
fi

#!/bin/sh
# Cross-compiles the parts of the native host that build without the core
# (framing, reply chunking, policy sources with the Windows implementation,
# the Windows main loop) with Debian's mingw-w64, so the Windows code keeps
# compiling in CI, and runs their tests (a smoke test, the loop's test through
# real pipes and change notifications, and the core-free Catch2 host tests)
# under wine when wine is installed
# (Debian's wine64 package; its binary is /usr/lib/wine/wine64). ICU and
# nlohmann for Windows are not available here, so the core, the dispatcher and
# main.cpp are not built for Windows yet. Also syntax-checks the macOS policy
# source (POSIX code) with the native compiler.
#   scripts/cross-compile-windows.sh [OUT_DIR]   (default build/mingw)
set -eu
cd "$(dirname "$0")/.."
out=${1:-build/mingw}
cxx=${CXX_MINGW:-x86_64-w64-mingw32-g++}
mkdir -p "$out"

flags="-std=c++17 -O2 -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion -Werror
  -Inative-host/src -Ishared-rules/include -DUNICODE -D_UNICODE"
common="native-host/src/host/framing.cpp native-host/src/host/reply_chunker.cpp
  native-host/src/host/policy_sources.cpp native-host/src/host/plist_xml.cpp
  native-host/src/host/policy_sources_windows.cpp"
libs="-ladvapi32 -lshell32 -lole32 -luuid"

# shellcheck disable=SC2086
$cxx $flags $common tests/host/windows/smoke_main.cpp -static -o "$out/postguard-host-smoke.exe" $libs
echo "built $out/postguard-host-smoke.exe"
# shellcheck disable=SC2086
$cxx $flags $common native-host/src/host/host_loop_common.cpp native-host/src/host/host_loop_windows.cpp tests/host/windows/host_loop_main.cpp -static \
  -o "$out/postguard-host-loop-test.exe" $libs
echo "built $out/postguard-host-loop-test.exe"

# The host's Catch2 tests that need neither the core nor POSIX (framing,
# chunking, the plist reader), against copies of the header-only Catch2 and
# nlohmann (never the whole of /usr/include, whose glibc headers would shadow
# mingw's). -municode: Catch2's main is wmain under UNICODE.
mkdir -p "$out/headers-only"
rm -rf "$out/headers-only/nlohmann" "$out/headers-only/boost" "$out/headers-only/catch2"
cp -r /usr/include/nlohmann /usr/include/catch2 "$out/headers-only/"
# shellcheck disable=SC2086
$cxx $flags -isystem "$out/headers-only" tests/catch_main.cpp tests/host/framing_test.cpp tests/host/plist_test.cpp \
  native-host/src/host/framing.cpp native-host/src/host/reply_chunker.cpp native-host/src/host/plist_xml.cpp \
  -static -municode -o "$out/postguard-host-unit-tests.exe"
echo "built $out/postguard-host-unit-tests.exe"

# The JSON- and Boost-using Windows code (manifests, install-host's registry
# writes, the message catalogs, main.cpp): syntax only, with a link to
# Boost's headers added to the header folder.
if [ -d /usr/include/boost ]; then
  ln -s /usr/include/boost "$out/headers-only/boost"
  for f in native-host/src/host/host_manifest.cpp native-host/src/host/caller_check.cpp \
           native-host/src/cli/command_install_host.cpp native-host/src/common/i18n.cpp \
           native-host/src/host/main.cpp; do
    # shellcheck disable=SC2086
    $cxx $flags -isystem "$out/headers-only" -fsyntax-only "$f"
    echo "$f: syntax OK (Windows)"
  done
fi

# shellcheck disable=SC2086
${CXX:-g++} $flags -fsyntax-only native-host/src/host/policy_sources_macos.cpp
echo "policy_sources_macos.cpp: syntax OK"

wine=$(command -v wine64 || command -v wine || true)
if [ -z "$wine" ] && [ -x /usr/lib/wine/wine64 ]; then wine=/usr/lib/wine/wine64; fi
if [ -n "$wine" ]; then
  # A prefix of our own under OUT_DIR (created on first use, ~20 s), quiet.
  export WINEPREFIX=${WINEPREFIX:-$PWD/$out/wineprefix} WINEDEBUG=${WINEDEBUG:--all}
  status=0
  "$wine" "$out/postguard-host-smoke.exe" || status=$?
  [ $status -eq 0 ] && { "$wine" "$out/postguard-host-loop-test.exe" || status=$?; }
  [ $status -eq 0 ] && { "$wine" "$out/postguard-host-unit-tests.exe" || status=$?; }
  # Stop this prefix's wineserver rather than leave it running.
  server=$(command -v wineserver || true)
  if [ -z "$server" ] && [ -x /usr/lib/wine/wineserver ]; then server=/usr/lib/wine/wineserver; fi
  [ -n "$server" ] && "$server" -k 2>/dev/null || true
  if [ $status -ne 0 ]; then
    echo "Windows tests failed under wine (status $status)" >&2
    exit $status
  fi
  echo "Windows tests passed under wine"
else
  echo "wine is not installed: built, not run"
fi

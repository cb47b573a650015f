# Sourced by scripts/test.sh: the native host's Windows pieces (framing,
# policy sources, the reader-thread main loop) cross-compiled with mingw-w64
# and their tests run under wine.
step "Windows build of the native host (mingw-w64, tests under wine)"
"$PG_ROOT/scripts/cross-compile-windows.sh" "build/mingw"

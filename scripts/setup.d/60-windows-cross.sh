# Sourced by scripts/setup.sh: Debian's mingw-w64 cross compiler, so the
# native host's Windows code keeps compiling, and wine64 to run its tests
# (scripts/cross-compile-windows.sh).
step "mingw-w64 and wine (Windows build of the native host)"
ensure_packages g++-mingw-w64-x86-64 wine64

#!/usr/bin/env bash
# Builds the native preset's benchmark and runs it briefly (about a minute),
# then prints the summary table: figures, ratios and the issue's targets
# (280 chars <= 50 us median; >= 50 MB/s on 1 MB; <= 4x the ICU
# normalisation floor; >= 20x faster than one std::regex per phrase).
#   bench/run.sh [extra Google Benchmark flags]
# Environment: POSTGUARD_BENCH_MIN_TIME (seconds per benchmark, default 0.3);
# POSTGUARD_BENCH_BUILD_DIR (an already configured build dir to use instead of
# the native preset's, e.g. one of your own while someone else builds native).
set -euo pipefail
cd "$(dirname "$0")/.."
MIN_TIME="${POSTGUARD_BENCH_MIN_TIME:-0.3}"
if [[ -n "${POSTGUARD_BENCH_BUILD_DIR:-}" ]]; then
  cmake --build "$POSTGUARD_BENCH_BUILD_DIR" --target core_bench
  exec "$POSTGUARD_BENCH_BUILD_DIR/bin/core_bench" --benchmark_min_time="$MIN_TIME" "$@"
fi
cmake --preset native >/dev/null
cmake --build --preset native --target core_bench
exec build/native/bin/core_bench --benchmark_min_time="$MIN_TIME" "$@"

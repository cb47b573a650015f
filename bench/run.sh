#!/usr/bin/env bash
# Builds the native preset's benchmark and runs it briefly (about a minute),
# then prints the summary table: figures, ratios and the issue's targets
# (280 chars <= 50 us median; >= 50 MB/s on 1 MB; <= 4x the ICU
# normalisation floor; >= 20x faster than one std::regex per phrase).
#   bench/run.sh [extra Google Benchmark flags]
set -euo pipefail
cd "$(dirname "$0")/.."
MIN_TIME="${POSTGUARD_BENCH_MIN_TIME:-0.3}"
cmake --preset native >/dev/null
cmake --build --preset native --target core_bench
exec build/native/bin/core_bench --benchmark_min_time="$MIN_TIME" "$@"

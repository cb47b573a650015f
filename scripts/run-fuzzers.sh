#!/usr/bin/env bash
# Configures and builds the `fuzz` preset (clang, ASan + UBSan, libFuzzer) and
# runs every fuzz target for SECONDS each (default 30). Exits non-zero if any
# target finds a crash, leak, timeout or undefined behaviour; the input that
# did it is left in build/fuzz/artifacts/.
#   scripts/run-fuzzers.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH="${1:-30}"
ROOT="$PWD"
CORPUS_DIR="${POSTGUARD_CORPUS_DIR:-$ROOT/../shared/corpus}"
BUILD="$ROOT/build/fuzz"

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target fuzz_targets

WORK="$BUILD/fuzz-work"
ART="$BUILD/artifacts"
mkdir -p "$WORK" "$ART"

# Seeds: corpus drafts (with two context bytes in front) for check, the
# organisation bundles and a few policy files for policy loading.
seed_dir() { local d="$WORK/seeds-$1"; rm -rf "$d"; mkdir -p "$d"; echo "$d"; }
CHECK_SEEDS=$(seed_dir check)
POLICY_SEEDS=$(seed_dir policy)
python3 - "$CORPUS_DIR/dev.jsonl" "$CHECK_SEEDS" <<'PY'
import json, sys, os
src, out = sys.argv[1], sys.argv[2]
with open(src, encoding="utf-8") as f:
    for n, line in enumerate(f):
        line = line.strip()
        if not line:
            continue
        case = json.loads(line)
        surface = ["post", "comment", "dm", "bio"].index(case.get("surface", "post")) if case.get("surface") in ("post", "comment", "dm", "bio") else 0
        ctx0 = surface | (4 if case.get("account") == "official" else 0)
        with open(os.path.join(out, "case-%03d" % n), "wb") as g:
            g.write(bytes([ctx0, n & 3]) + case["text"].encode("utf-8"))
PY
cp "$CORPUS_DIR"/orgs/*.json "$POLICY_SEEDS"/
cp tests/cli/golden/bad-policy.json "$POLICY_SEEDS"/ 2>/dev/null || true
printf '%s' '{"format": "postguard/1", "school": "bideford-road", "rules": {"category:confidential": {"severity": "block"}, "disclaimer.missing": {"enabled": false}}, "phrases": {"confidential_terms": ["Project {Falcon|Kite}", "zorb*"]}, "policyRefs": {"disclaimer": "Code 4.2"}}' > "$POLICY_SEEDS/overlay.json"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"

status=0
run_target() {
  local name="$1"; shift
  local bin="$BUILD/bin/$name"
  if [ ! -x "$bin" ]; then
    echo "== $name: not built, skipped"
    return
  fi
  local corpus="$WORK/corpus-$name"
  mkdir -p "$corpus"
  echo "== $name: ${SECONDS_EACH}s"
  if "$bin" -max_total_time="$SECONDS_EACH" -timeout=20 -rss_limit_mb=2560 -print_final_stats=1 \
      -artifact_prefix="$ART/$name-" "$corpus" "$@" >"$WORK/$name.log" 2>&1; then
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ *DONE)' "$WORK/$name.log" | tr '\n' ' '
    echo
    echo "== $name: OK"
  else
    echo "== $name: FAILED (log: $WORK/$name.log, artifacts: $ART/$name-*)"
    grep -E 'ERROR: |runtime error|SUMMARY|Test unit written' "$WORK/$name.log" | head -20 || true
    status=1
  fi
}

run_target fuzz_policy -max_len=16384 -dict="$ROOT/tests/fuzz/policy.dict" "$POLICY_SEEDS"
run_target fuzz_check -max_len=4096 "$CHECK_SEEDS"
if [ -d tests/fuzz/corpus/host ]; then
  run_target fuzz_host -max_len=65536 "$ROOT/tests/fuzz/corpus/host"
else
  run_target fuzz_host -max_len=65536
fi
exit $status

#!/usr/bin/env bash
# Every test: sets up first (idempotent), then unit, golden, corpus, fuzz and
# browser tests. FUZZ_SECONDS (default 20) sets how long each fuzzer runs.
source "$(dirname "$0")/lib/common.sh"
"$PG_ROOT/scripts/setup.sh"

cd "$PG_ROOT"
step "Unit and golden tests (ctest)"
ctest --preset native

step "Detection quality on the labelled corpus (each category >= 0.90, benign alarms <= 5%)"
"$PG_ROOT/build/native/bin/postguard" eval --policy-dir "$PG_ROOT/../shared/corpus/orgs" \
  --require 0.90 "$PG_ROOT/../shared/corpus/dev.jsonl" | sed -n '1,7p'
if [ -f "$PG_ROOT/tests/corpus/holdout.jsonl" ]; then
  step "Held-out corpus (written without looking at the rules; reported, not gated)"
  "$PG_ROOT/build/native/bin/postguard" eval --policy-dir "$PG_ROOT/tests/corpus/orgs" \
    "$PG_ROOT/tests/corpus/holdout.jsonl" | sed -n '1,7p'
fi

for part in "$PG_ROOT"/scripts/test.d/*.sh; do
  [ -e "$part" ] || continue
  # shellcheck source=/dev/null
  source "$part"
done
step "All tests passed"

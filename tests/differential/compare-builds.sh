#!/usr/bin/env bash
# Are two builds of the core giving byte-identical findings? For speed work:
# build the old core (e.g. from a `git worktree` of the commit before) and the
# new one, then
#   tests/differential/compare-builds.sh OLD/postguard NEW/postguard [STRESS_COUNT]
# Runs `postguard check --jsonl` of both over every corpus (the shared dev
# corpus and tests/corpus*/, each case with its own org's bundle, and every
# case with the baseline alone) and over generated stress drafts
# (gen_stress.py: look-alikes, full-width, spaced/dotted letters, digit swaps,
# emoji, marks, format characters, random Unicode, long documents, huge
# words), then diffs the outputs. Exit 0 only when every output is identical.
set -euo pipefail
old="$1"; new="$2"; stress="${3:-400}"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

corpora=("$root/../shared/corpus/dev.jsonl:$root/../shared/corpus/orgs")
for d in "$root"/tests/corpus*/; do
  for f in "$d"*.jsonl; do [ -e "$f" ] && corpora+=("$f:${d}orgs"); done
done

runs=0; diffs=0; cases=0
# compare NAME CASES [--policy FILE]
compare() {
  local name="$1" cases_file="$2"; shift 2
  [ -s "$cases_file" ] || return 0
  "$old" check "$@" --jsonl "$cases_file" >"$work/old.out" 2>"$work/old.err" || true
  "$new" check "$@" --jsonl "$cases_file" >"$work/new.out" 2>"$work/new.err" || true
  runs=$((runs + 1))
  cases=$((cases + $(wc -l <"$cases_file")))
  if ! cmp -s "$work/old.out" "$work/new.out" || ! cmp -s "$work/old.err" "$work/new.err"; then
    diffs=$((diffs + 1))
    echo "DIFFERENT: $name" >&2
    diff <(cat "$work/old.err" "$work/old.out") <(cat "$work/new.err" "$work/new.out") | head -20 >&2 || true
  fi
  if [ ! -s "$work/old.out" ]; then
    echo "NO OUTPUT: $name (is the binary right?)" >&2
    diffs=$((diffs + 1))
  fi
}

# per_org NAME CASES ORGS_DIR: each case with its org's bundle, then all with the baseline alone.
per_org() {
  local name="$1" cases_file="$2" orgs="$3"
  for org in "$orgs"/*.json; do
    local o; o="$(basename "$org" .json)"
    python3 -c 'import json,sys
for l in open(sys.argv[1], encoding="utf-8"):
    if l.strip() and json.loads(l).get("org") == sys.argv[2]: sys.stdout.write(l)' "$cases_file" "$o" >"$work/cases.jsonl"
    compare "$name [$o]" "$work/cases.jsonl" --policy "$org"
  done
  compare "$name [baseline]" "$cases_file"
}

for entry in "${corpora[@]}"; do
  file="${entry%%:*}"; orgs="${entry#*:}"
  per_org "$(basename "$file")" "$file" "$orgs"
  python3 "$here/gen_stress.py" "$file" "$orgs" "$stress" >"$work/stress.jsonl"
  per_org "stress from $(basename "$file")" "$work/stress.jsonl" "$orgs"
done
echo "compare-builds: $runs runs, $cases case checks, $diffs different"
[ "$diffs" -eq 0 ]

# Sourced by scripts/test.sh: every labelled corpus is well formed (one validator,
# tests/corpus-tools/validate_corpus.py): case format, labels that follow from the
# corpus README, bundles that parse, and invented data only (drama-range phone
# numbers, example.* domains).
step "Corpus structure (every labelled set: format, labels, invented data)"
for corpus in "$PG_ROOT/../shared/corpus" "$PG_ROOT"/tests/corpus-*/; do
  corpus=${corpus%/}
  [ "$(basename "$corpus")" = corpus-tools ] && continue
  ls "$corpus"/*.jsonl >/dev/null 2>&1 || continue
  if ! report=$(python3 "$PG_ROOT/tests/corpus-tools/validate_corpus.py" "$corpus" 2>&1); then
    printf '%s\n' "$report" >&2
    die "corpus $(basename "$corpus") is not well formed (problems above)"
  fi
  printf '    %s: %s\n' "$(basename "$corpus")" "$(printf '%s\n' "$report" | tail -n 1)"
done

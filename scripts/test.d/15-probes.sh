# Sourced by scripts/test.sh: the benign near-miss probes (tests/corpus-probes).
# Gated on the benign false-alarm bar (<= 5%); the positive controls beside
# them show the same rules still find the breaches next to those near misses.
step "Benign near-miss probes (false alarms by kind of language; gated at <= 5%)"
probe_out=$("$PG_ROOT/build/native/bin/postguard" eval --policy-dir "$PG_ROOT/tests/corpus-probes/orgs" \
  "$PG_ROOT/tests/corpus-probes/benign-nearmiss.jsonl")
printf '%s\n' "$probe_out" | sed -n '1,6p'
probe_pct=$(printf '%s\n' "$probe_out" | sed -n 's/^benign false alarms: [0-9]*\/[0-9]* (\([0-9.]*\)%)$/\1/p')
if [ -z "$probe_pct" ] || ! awk -v p="$probe_pct" 'BEGIN { exit !(p <= 5.0) }'; then
  echo "benign near-miss probes: false alarms ${probe_pct:-?}% exceed 5% (see the misses: postguard eval --policy-dir tests/corpus-probes/orgs tests/corpus-probes/benign-nearmiss.jsonl)" >&2
  exit 1
fi
"$PG_ROOT/build/native/bin/postguard" eval --policy-dir "$PG_ROOT/tests/corpus-probes/orgs" \
  "$PG_ROOT/tests/corpus-probes/positive-controls.jsonl" | sed -n '1,5p'

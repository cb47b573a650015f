# Sourced by scripts/test.sh: every libFuzzer target, briefly (FUZZ_SECONDS
# each, default 20; run scripts/run-fuzzers.sh 600 for a long session).
step "Fuzzing (libFuzzer, ASan + UBSan): ${FUZZ_SECONDS:-20}s per target"
"$PG_ROOT/scripts/run-fuzzers.sh" "${FUZZ_SECONDS:-20}"

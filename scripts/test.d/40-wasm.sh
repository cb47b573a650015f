# Sourced by scripts/test.sh: the wasm engine against the native CLI, finding for finding
# (corpora + generated/fuzzed drafts; wasm/test/). Setup has built both already.
step "WebAssembly engine: native vs wasm differential tests (node --test wasm/test/)"
(cd "$PG_ROOT" && node --test wasm/test/)

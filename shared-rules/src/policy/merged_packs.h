// The baseline packs merged, saved by the build inside the baseline snapshot
// (engine/baseline_tables.cpp), so a policy compile starts from them instead
// of parsing the packs' JSON: that parse and merge was a third of a policy
// load natively and of the WebAssembly engine's cold start.
//
// What is saved is exactly what merging the packs with PackPhrases::skip
// gives: every set (without its phrase lists, which the baseline tables hold
// compiled), with its regexes, and every rule, with the origin of each value.
#pragma once

#include <string_view>

#include "match/byte_io.h"
#include "policy/policy_model.h"

namespace postguard::policy {

void save_merged_packs(const MergedPolicy& packs, match::ByteWriter& out);
// False (and `packs` unspecified) when the bytes are damaged.
bool load_merged_packs(match::ByteReader& in, MergedPolicy& packs);

// The packs merged, as merge() starts from them (PackPhrases::skip); what the
// build saves.
Result<MergedPolicy> merge_packs_without_phrases();

}  // namespace postguard::policy

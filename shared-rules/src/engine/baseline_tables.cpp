// The baseline's compiled phrase tables: saved by the build (the snapshot
// tool) and viewed in place at run time, so a cold start does not expand,
// fold and build ~14,000 baseline patterns into an automaton (most of a
// policy compile, and in WebAssembly most of the cold start). The runtime
// path that compiles them from the packs stays the reference: the snapshot
// is used only when it was made from these same embedded packs, and a test
// compares the two byte for byte.
#include <map>
#include <mutex>

#include "embedded/embedded_files.h"
#include "engine/compiled_policy.h"
#include "policy/merged_packs.h"

namespace postguard {
namespace {

constexpr uint32_t kMagic = 0x54424750;  // "PGBT"
constexpr uint32_t kFormat = 10;         // bump when the layout (or what a pattern means) changes

// FNV-1a: a fingerprint of the packs, not a defence (the snapshot is ours).
uint64_t fnv1a(uint64_t h, std::string_view bytes) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

// The packs' own digest is the build's (embed_files.cmake): hashing their
// ~200 KB here cost every cold start about 1M instructions.
uint64_t embedded_packs_digest() {
  const uint64_t h = fnv1a(14695981039346656037ull, std::to_string(kFormat));
  return fnv1a(h, embedded::packs_digest());
}

std::string save_baseline_tables(const BaselineTables& t) {
  match::ByteWriter out;
  out.u32(kMagic);
  out.u32(kFormat);
  out.u64(t.packs_digest);
  out.u32(static_cast<uint32_t>(t.set_names.size()));
  for (const auto& name : t.set_names) out.string(name);
  const auto& patterns = t.layer.patterns;
  std::vector<uint8_t> flags;
  std::vector<uint32_t> capitals, set_begin{0};
  std::vector<SetId> sets;
  for (const auto& info : patterns) {
    flags.push_back(info.flags);
    capitals.push_back(info.capitalised_words);
    sets.insert(sets.end(), info.sets.begin(), info.sets.end());
    set_begin.push_back(static_cast<uint32_t>(sets.size()));
  }
  out.array(flags.data(), flags.size());
  out.array(capitals.data(), capitals.size());
  out.array(set_begin.data(), set_begin.size());
  out.array(sets.data(), sets.size());
  t.layer.matcher.save(out);
  policy::save_merged_packs(t.merged_packs, out);
  // In pattern order, so the same packs give the same bytes.
  std::map<std::string_view, const match::StartSet*> starts;
  for (const auto& [pattern, start] : t.regex_starts) starts.emplace(pattern, &start);
  out.u32(static_cast<uint32_t>(starts.size()));
  for (const auto& [pattern, start] : starts) {
    out.string(pattern);
    match::save_start_set(*start, out);
  }
  return out.bytes();
}

std::shared_ptr<const BaselineTables> load_baseline_tables(std::string_view bytes) {
  match::ByteReader in(bytes);
  if (in.u32() != kMagic || in.u32() != kFormat) return nullptr;
  auto t = std::make_shared<BaselineTables>();
  t->from_snapshot = true;
  t->packs_digest = in.u64();
  const uint32_t names = in.u32();
  for (uint32_t i = 0; i < names && in.ok(); ++i) t->set_names.emplace_back(in.string());
  size_t n_flags = 0, n_capitals = 0, n_begin = 0, n_sets = 0;
  const uint8_t* flags = in.array<uint8_t>(n_flags);
  const uint32_t* capitals = in.array<uint32_t>(n_capitals);
  const uint32_t* set_begin = in.array<uint32_t>(n_begin);
  const SetId* sets = in.array<SetId>(n_sets);
  if (!in.ok() || n_capitals != n_flags || n_begin != n_flags + 1 || set_begin[n_flags] != n_sets) return nullptr;
  if (!t->layer.matcher.load(in) || t->layer.matcher.pattern_count() != n_flags) return nullptr;
  if (!policy::load_merged_packs(in, t->merged_packs)) return nullptr;
  const uint32_t regexes = in.u32();
  for (uint32_t i = 0; i < regexes && in.ok(); ++i) {
    std::string pattern(in.string());
    if (!match::load_start_set(in, t->regex_starts[std::move(pattern)])) return nullptr;
  }
  if (!in.done()) return nullptr;
  for (size_t k = 0; k < n_sets; ++k) {
    if (sets[k] >= names) return nullptr;
  }
  auto& patterns = t->layer.patterns;
  patterns.reserve(n_flags);  // written once (a resize would zero 25,000 entries first: a cold start's cost)
  for (size_t i = 0; i < n_flags; ++i) {
    if (set_begin[i] > set_begin[i + 1]) return nullptr;
    patterns.push_back(PatternInfo{flags[i], capitals[i], SetRange{sets + set_begin[i], sets + set_begin[i + 1]}});
  }
  return t;
}

namespace {

// The process's tables. Set on first use (the embedded snapshot, else the
// packs compiled) or by provide_baseline_tables(); policies keep their own
// reference, so replacing them never pulls tables from under a policy.
std::mutex tables_mutex;
std::shared_ptr<const BaselineTables> current_tables;

std::shared_ptr<const BaselineTables> load_if_current(std::string_view bytes) {
  auto loaded = load_baseline_tables(bytes);
  return loaded && loaded->packs_digest == embedded_packs_digest() ? loaded : nullptr;
}

}  // namespace

std::shared_ptr<const BaselineTables> baseline_tables() {
  std::lock_guard<std::mutex> lock(tables_mutex);
  if (!current_tables) current_tables = load_if_current(embedded::baseline_snapshot());
  if (!current_tables) {
    // No snapshot (the snapshot tool; a wasm host that has not provided one
    // yet) or one from other packs: compile them.
    auto built = compile_baseline_tables();
    if (built) current_tables = std::move(built).value();
  }
  return current_tables;
}

bool provide_baseline_tables(std::string_view bytes) {
  auto loaded = load_if_current(bytes);
  if (!loaded) return false;
  std::lock_guard<std::mutex> lock(tables_mutex);
  current_tables = std::move(loaded);
  return true;
}

bool baseline_tables_prebuilt() {
  const auto t = baseline_tables();
  return t && t->from_snapshot;
}

}  // namespace postguard

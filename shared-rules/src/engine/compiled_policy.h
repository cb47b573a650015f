// A merged policy compiled for matching: the baseline packs' phrases in one
// Aho-Corasick automaton (built once per process, or loaded from the snapshot
// embedded at build time), the trust's and school's phrases, names and
// disclaimers in a second; regexes compiled once, rules resolved to set ids.
#pragma once

#include <unicode/regex.h>

#include <array>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "match/phrase_matcher.h"
#include "match/regex_prefilter.h"
#include "policy/policy_model.h"
#include "postguard/postguard.h"

namespace postguard {

using SetId = uint16_t;

// The sets the engine's own code reads (rules/*.cpp, engine/check.cpp),
// resolved to ids once per compile (Policy::Impl::code_sets) instead of
// looked up by name at every check. The derived ones the engine fills from
// code, not phrases; a compile always makes them, first, in this order. The
// others come from the packs (a test holds them to the packs' names; were
// one renamed away, reading it would give no spans). A set listed here is
// always matched: the context pruning never skips it.
enum class CodeSet : uint8_t {
  // derived
  employer,             // the employer, confirmed
  employer_candidates,  // employer names still to confirm from their context
  disclaimer_own,       // the school's own wording and accepted disclaimers
  name_full,            // First Surname (not a titled adult)
  name_first,           // a capitalised first name
  name_titled,          // Mr/Mrs/Dr Surname
  handle_other,         // an @handle that is not the employer's
  // from the packs
  addressed_to_adult,
  class_tag_after_name,
  daily_routine,
  education_context,
  employment_cue,
  famous_people,
  first_names,
  greeting_word,
  handle_candidates,
  name_title,
  not_surnames,
  other_org_suffix,
  other_place_suffix,
  parent_word,
  person_after_name,
  place_name_ending,
  place_route_before,
  shop_or_outing,
  staff_handle,
  titles,
  count
};
inline constexpr size_t kCodeSetCount = static_cast<size_t>(CodeSet::count);
inline constexpr size_t kDerivedSetCount = static_cast<size_t>(CodeSet::handle_other) + 1;
// The sets' names, as policies and packs write them (indexed by CodeSet).
inline constexpr std::array<const char*, kCodeSetCount> kCodeSetNames = {
    "employer",          "employer_candidates", "disclaimer_own",     "name.full",         "name.first",
    "name.titled",       "handle.other",        "addressed_to_adult", "class_tag_after_name", "daily_routine",
    "education_context", "employment_cue",      "famous_people",      "first_names",       "greeting_word",
    "handle_candidates", "name_title",          "not_surnames",       "other_org_suffix",  "other_place_suffix",
    "parent_word",       "person_after_name",   "place_name_ending",  "place_route_before", "shop_or_outing",
    "staff_handle",      "titles"};
inline constexpr const char* name_of(CodeSet c) { return kCodeSetNames[static_cast<size_t>(c)]; }
inline constexpr SetId kNoSet = UINT16_MAX;

// The sets a pattern belongs to: a range in PhraseLayer::pattern_sets (one
// array for all patterns instead of a vector each: a large policy has tens
// of thousands of patterns).
struct SetRange {
  const SetId* first = nullptr;
  const SetId* last = nullptr;
  const SetId* begin() const { return first; }
  const SetId* end() const { return last; }
  size_t size() const { return static_cast<size_t>(last - first); }
};

struct PatternInfo {
  enum Flags : uint8_t { prefix = 1, exact = 2, acronym = 4, ambiguous_word = 8, starts_nonword = 16 };
  uint8_t flags = 0;
  uint32_t capitalised_words = 0;  // employer names: bit i = word i starts with a capital
  SetRange sets;
};

// One automaton and what its pattern ids mean.
struct PhraseLayer {
  PhraseLayer() = default;
  PhraseLayer(const PhraseLayer&) = delete;  // patterns point into pattern_sets
  PhraseLayer& operator=(const PhraseLayer&) = delete;

  match::PhraseMatcher matcher;
  std::vector<PatternInfo> patterns;
  std::vector<SetId> pattern_sets;
};

// The baseline packs' phrase sets, compiled: the same for every policy, so
// one per process, shared. Set ids: the derived sets first, then every pack
// set in name order (policy files can only add phrases to these sets).
struct BaselineTables {
  uint64_t packs_digest = 0;  // of the embedded packs it was compiled from
  bool from_snapshot = false; // viewed in the embedded snapshot's bytes
  std::vector<std::string> set_names;
  PhraseLayer layer;
  // The packs merged without their phrase lists: where every policy compile
  // starts (policy/merged_packs.h), so none parses the packs' JSON.
  policy::MergedPolicy merged_packs;
  // The prefilter start set of every pack regex (pattern text -> set).
  std::unordered_map<std::string, match::StartSet> regex_starts;
};

// The process's baseline tables: the embedded snapshot when it matches the
// embedded packs, else compiled from the packs (once).
std::shared_ptr<const BaselineTables> baseline_tables();
// Compiles them from the packs (what the snapshot tool saves).
Result<std::shared_ptr<const BaselineTables>> compile_baseline_tables();
std::string save_baseline_tables(const BaselineTables& tables);
// Views `bytes` in place (they must outlive the result); nullptr if damaged.
std::shared_ptr<const BaselineTables> load_baseline_tables(std::string_view bytes);
uint64_t embedded_packs_digest();

// An ICU pattern compiled on first use: a check runs only the regexes its
// prefilter lets through, so a cold start compiles none and a short post a
// few. Every regex comes from the packs, which the build compiles once
// (make_baseline_snapshot), so a pattern that does not compile here is a
// build that skipped that step; it then never matches.
class LazyPattern {
 public:
  explicit LazyPattern(std::string text) : text_(std::move(text)) {}
  const std::string& text() const { return text_; }
  const icu::RegexPattern* get() const;
  // ICU's error name and offset when the text does not compile, else "".
  static std::string compile_error(const std::string& text);

 private:
  std::string text_;
  mutable std::once_flag once_;
  mutable std::unique_ptr<icu::RegexPattern> pattern_;
};

struct CompiledRegex {
  // Shared: compiles reuse one pattern per text (ICU patterns are immutable;
  // each check makes its own matchers).
  std::shared_ptr<const LazyPattern> lazy;
  match::StartSet start;  // where a match can begin (prefilter)
  const icu::RegexPattern* pattern() const { return lazy->get(); }
};

struct CompiledCondition {
  std::vector<SetId> sets;
  int within = -1;
  policy::Condition::Side side = policy::Condition::Side::either;
};

struct CompiledRule {
  const policy::RuleSpec* spec = nullptr;
  std::vector<SetId> match;
  std::vector<SetId> require;
  std::vector<CompiledRegex> patterns;
  std::vector<CompiledCondition> near;
  std::vector<CompiledCondition> unless;
  std::string policy_ref;  // after the trust's category mapping
};

struct Policy::Impl {
  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  // After compiling, only what checks read: the rules, school, disclaimer,
  // policy references and the inputs (explain merges those again for the
  // phrases, identities and provenance).
  policy::MergedPolicy merged;
  std::shared_ptr<const BaselineTables> baseline;  // the baseline packs' phrases
  PhraseLayer own;                                 // everything else: trust, school, names, disclaimers
  std::vector<std::string> set_names;
  std::map<std::string, SetId> set_index;
  std::array<SetId, kCodeSetCount> code_sets{};  // kNoSet where the policy lacks the set
  std::vector<std::pair<SetId, CompiledRegex>> set_regexes;
  // Per entry of set_regexes: the rules that read its set, or empty when the
  // engine's own code reads it (a CodeSet) or a rule reads it that
  // applies everywhere. A check skips the regex when none of those rules
  // applies to its context (a caption regex for Instagram rules on x.com).
  std::vector<std::vector<uint32_t>> set_regex_readers;
  std::vector<CompiledRule> rules;
  std::vector<std::string> employer_handles;  // folded, for telling other handles apart

  SetId set(const std::string& name) const { return set_index.at(name); }
  SetId set(CodeSet c) const { return code_sets[static_cast<size_t>(c)]; }
};

// check(), optionally keeping every rule's own findings (one_per_spot false:
// for the tests of single rules; check() drops a finding inside another of
// its category at no lower severity), and optionally running every set regex
// (prune_regexes false: for the test that pruning changes no finding).
Result<std::vector<Finding>> check_findings(const Policy& policy, std::string_view text, const Context& context,
                                            bool one_per_spot, bool prune_regexes = true);

// `baseline` defaults to baseline_tables(); tests pass tables compiled
// from the packs to compare with the snapshot.
Result<std::shared_ptr<const Policy::Impl>> compile_policy(policy::MergedPolicy merged,
                                                           std::shared_ptr<const BaselineTables> baseline = nullptr);

}  // namespace postguard

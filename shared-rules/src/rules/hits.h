// What the matchers found in one draft: spans of folded text per phrase set.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include <unicode/unistr.h>

#include "engine/compiled_policy.h"
#include "text/normalized_text.h"

namespace postguard::rules {

struct Span {
  uint32_t begin = 0;  // folded byte offsets
  uint32_t end = 0;
  bool operator<(const Span& o) const { return begin != o.begin ? begin < o.begin : end < o.end; }
  bool operator==(const Span& o) const { return begin == o.begin && end == o.end; }
};

// The folded text as UTF-16 for ICU regex (its fast path), with the map back
// to folded byte offsets. The map is kept sparse: only the non-ASCII
// characters are listed (between them bytes and UTF-16 units go one to one),
// so building it costs a scan, not two arrays the size of the draft.
struct RegexInput {
  icu::UnicodeString text;
  std::string_view bytes;  // the folded text itself
  explicit RegexInput(const std::string& folded);
  // Folded byte offset -> UTF-16 index (a byte inside a character gives the
  // character's index; bytes.size() gives text.length()).
  uint32_t utf16_at(size_t byte) const;
  // UTF-16 index -> folded byte offset where its character starts
  // (text.length() gives bytes.size()).
  uint32_t byte_at(size_t unit) const;

 private:
  std::vector<uint32_t> wide_byte_;  // byte offset of each non-ASCII character
  std::vector<uint32_t> wide_unit_;  // its UTF-16 index
};

// Runs the regex over the input, adding each non-empty match as a Span. With
// a known start set it only tries positions where a match can begin.
void find_all(const CompiledRegex& regex, const RegexInput& in, std::vector<Span>& out);

// Several regexes at once: the same spans as find_all on each, but regexes
// with a known start set share one pass over the text (a byte -> regexes
// table), instead of one pass each.
struct RegexJob {
  const CompiledRegex* regex;
  std::vector<Span>* out;
};
void find_all(const std::vector<RegexJob>& jobs, const RegexInput& in);
// How the shared pass finds starts (the same spans either way): by testing
// every byte of the draft against every regex's start set (byte_scan), or
// by finding the literals every match of a regex holds first and trying
// only the starts around them (literal_first, for regexes whose factors are
// known; see match/regex_factors.h). `automatic`: literal-first from
// kLiteralFirstBytes bytes on.
enum class RegexPass { automatic, byte_scan, literal_first };
inline constexpr size_t kLiteralFirstBytes = 1024;
void find_all(const std::vector<RegexJob>& jobs, const RegexInput& in, RegexPass how);

// ICU matchers kept by this thread between checks (one per distinct pattern
// used), for tests that hold the cache to a fixed size over many checks.
size_t cached_matcher_count();

struct Hits {
  const Policy::Impl& policy;
  const text::NormalizedText& nt;
  std::string_view original;  // the draft, UTF-8
  std::vector<std::vector<Span>> by_set;
  RegexInput regex_input;
  // Matches of each regex rule's patterns, sorted (index = rule index); filled
  // in the shared regex pass for the rules that will be evaluated.
  std::vector<std::vector<Span>> rule_regex_spans;
  std::vector<uint8_t> rule_regex_done;

  const std::vector<Span>& of(SetId id) const { return by_set[id]; }
  // A set the engine's code reads: no spans when the policy lacks it.
  const std::vector<Span>& of(CodeSet c) const {
    static const std::vector<Span> none;
    const SetId id = policy.set(c);
    return id == kNoSet ? none : by_set[id];
  }
  // The derived sets, which the code fills (every compile makes them).
  std::vector<Span>& derived(CodeSet c) { return by_set[policy.set(c)]; }
  void sort_and_dedupe();
};

// Words between two spans (0 when they touch or overlap).
uint32_t word_distance(const text::NormalizedText& nt, const Span& a, const Span& b);

// Is some span of `sets` within `within` words of `t` (on the given side)?
bool condition_holds(const Hits& hits, const CompiledCondition& c, const Span& t, bool skip_overlapping = false);

// Derived sets, filled from code (see compiled_policy.h `derived`).
void confirm_employer(Hits& hits);
void find_person_names(Hits& hits);
void find_other_handles(Hits& hits);

// Will evaluate_rules look at this rule in this context?
bool rule_applies(const CompiledRule& rule, const Context& ctx);

// Evaluates every enabled rule whose context filter matches.
void evaluate_rules(const Hits& hits, const Context& ctx, std::vector<Finding>& out);

}  // namespace postguard::rules

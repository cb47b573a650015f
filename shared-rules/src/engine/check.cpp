// The check: normalise, run every matcher once, derive the code-made sets,
// evaluate the rules, map spans back to UTF-16.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "engine/compiled_policy.h"
#include "rules/hits.h"
#include "text/normalized_text.h"
#include "text/utf8.h"

namespace postguard {
namespace {

// End of an inflected form of a pattern ending at `end`, or 0: the first of
// "'s", "s", "es", "ed", "d", "ing", "er", "ers", "'" (in that order) that
// follows it and ends at a word boundary. Written out by the suffixes' first
// bytes: this runs for every phrase hit that ends inside a word.
inline size_t inflected_end(const text::NormalizedText& nt, size_t end) {
  const size_t n = nt.size();
  if (end >= n) return 0;
  const char* t = nt.text.data();  // t[n] is the string's NUL
  auto ends_word = [&](size_t len) { return end + len <= n && nt.boundary[end + len]; };
  switch (t[end]) {
    case 's':
      return ends_word(1) ? end + 1 : 0;
    case 'd':
      return ends_word(1) ? end + 1 : 0;
    case 'e':
      if (t[end + 1] == 's' && ends_word(2)) return end + 2;
      if (t[end + 1] == 'd' && ends_word(2)) return end + 2;
      if (t[end + 1] == 'r' && ends_word(2)) return end + 2;
      if (t[end + 1] == 'r' && t[end + 2] == 's' && ends_word(3)) return end + 3;
      return 0;
    case 'i':
      return t[end + 1] == 'n' && t[end + 2] == 'g' && ends_word(3) ? end + 3 : 0;
    case '\'':
      if (t[end + 1] == 's' && ends_word(2)) return end + 2;
      return ends_word(1) ? end + 1 : 0;
    default:
      return 0;
  }
}

// Do the words of [begin, end) start with capitals where the name has them?
bool capitalised_like(const text::NormalizedText& nt, size_t begin, size_t end, uint32_t mask) {
  int word = 0;
  for (size_t i = begin; i < end && word < 32; ++i) {
    if (i == begin || nt.text[i - 1] == ' ') {
      if ((mask >> word & 1u) && !nt.upper[i]) return false;
      ++word;
    }
  }
  return true;
}

bool all_upper(const text::NormalizedText& nt, size_t begin, size_t end) {
  for (size_t i = begin; i < end; ++i) {
    const char c = nt.text[i];
    if (c >= 'a' && c <= 'z' && !nt.upper[i]) return false;
  }
  return true;
}

#if defined(__GNUC__) || defined(__clang__)
#define POSTGUARD_INLINE_LAMBDA __attribute__((always_inline))
#else
#define POSTGUARD_INLINE_LAMBDA
#endif

void run_phrases(rules::Hits& hits) {
  const Policy::Impl& p = hits.policy;
  const text::NormalizedText& nt = hits.nt;
  const SetId candidates = p.set(CodeSet::employer_candidates);
  const SetId employer = p.set(CodeSet::employer);
  // People who never use capitals get no capitalisation checks.
  const bool uses_capitals = std::find(nt.upper.begin(), nt.upper.end(), 1) != nt.upper.end();
  // The matcher reports only matches that start at a word boundary, or
  // anywhere for the patterns that start with a non-word byte
  // (PatternInfo::starts_nonword, given to the matcher as `anywhere`).
  // Inlined into the scan (a call per match cost a tenth of the phrase stage).
  auto on_match = [&](const PhraseLayer& layer, size_t begin, size_t end, uint32_t id) POSTGUARD_INLINE_LAMBDA {
    const PatternInfo& info = layer.patterns[id];
    size_t stop = end;
    if (info.flags & PatternInfo::prefix) {
      while (stop < nt.size() && !nt.boundary[stop]) ++stop;
    } else if (!nt.boundary[end]) {
      if (info.flags & PatternInfo::exact) return;
      stop = inflected_end(nt, end);
      if (stop == 0) return;
    }
    const rules::Span span{static_cast<uint32_t>(begin), static_cast<uint32_t>(stop)};
    for (SetId s : info.sets) {
      if (s == employer && (info.flags & PatternInfo::acronym) && !all_upper(nt, begin, end)) continue;
      if (s == employer && uses_capitals && !capitalised_like(nt, begin, end, info.capitalised_words)) continue;
      // Acronyms and one-word names are confirmed later, from their context.
      if (s == employer && (info.flags & PatternInfo::ambiguous_word)) {
        hits.by_set[candidates].push_back(span);
        continue;
      }
      hits.by_set[s].push_back(span);
    }
  };
  // The baseline's matcher and the policy's own, in one pass (hits are sorted
  // and deduplicated afterwards, so the order of the matches does not matter).
  const PhraseLayer& base = p.baseline->layer;
  match::PhraseMatcher::scan_pair(
      base.matcher, [&](size_t begin, size_t end, uint32_t id) { on_match(base, begin, end, id); }, &p.own.matcher,
      [&](size_t begin, size_t end, uint32_t id) { on_match(p.own, begin, end, id); }, nt.text, nt.boundary.data());
}

// Every regex in one shared pass: the sets' regexes, and (when the context is
// known) the patterns of the regex rules that will be evaluated.
void run_regexes(rules::Hits& hits, const Context* ctx, bool prune) {
  const Policy::Impl& p = hits.policy;
  // Which rules apply in this context, worked out once for both uses below.
  std::vector<uint8_t> applies;
  if (ctx) {
    applies.resize(p.rules.size());
    for (size_t r = 0; r < p.rules.size(); ++r) applies[r] = rules::rule_applies(p.rules[r], *ctx);
  }
  std::vector<rules::RegexJob> jobs;
  for (size_t k = 0; k < p.set_regexes.size(); ++k) {
    const auto& [set, regex] = p.set_regexes[k];
    // Skipped when only rules that do not apply here read the set (with no
    // context, as for trace(), every regex runs).
    const auto& readers = p.set_regex_readers[k];
    if (prune && ctx && !readers.empty() &&
        std::none_of(readers.begin(), readers.end(), [&](uint32_t r) { return applies[r] != 0; })) {
      continue;
    }
    jobs.push_back({&regex, &hits.by_set[set]});
  }
  if (ctx) {
    hits.rule_regex_spans.resize(p.rules.size());
    hits.rule_regex_done.assign(p.rules.size(), 0);
    for (size_t r = 0; r < p.rules.size(); ++r) {
      const CompiledRule& rule = p.rules[r];
      if (rule.spec->type != "regex" || !applies[r]) continue;
      for (const auto& regex : rule.patterns) jobs.push_back({&regex, &hits.rule_regex_spans[r]});
      hits.rule_regex_done[r] = 1;
    }
  }
  rules::find_all(jobs, hits.regex_input);
  for (size_t r = 0; r < hits.rule_regex_done.size(); ++r) {
    if (hits.rule_regex_done[r]) std::sort(hits.rule_regex_spans[r].begin(), hits.rule_regex_spans[r].end());
  }
}

}  // namespace

namespace {

rules::Hits match_all(const Policy::Impl& p, const text::NormalizedText& nt, std::string_view text,
                      const Context* ctx, bool prune = true) {
  rules::Hits hits{p, nt, text, std::vector<std::vector<rules::Span>>(p.set_names.size()), rules::RegexInput(nt.text), {}, {}};
  run_phrases(hits);
  run_regexes(hits, ctx, prune);
  hits.sort_and_dedupe();
  rules::confirm_employer(hits);
  rules::find_person_names(hits);
  rules::find_other_handles(hits);
  hits.sort_and_dedupe();
  return hits;
}

}  // namespace

Result<std::string> trace(const Policy& policy, std::string_view text, const Context& context) {
  if (text::find_invalid_utf8(text)) {
    Error e;
    e.code = ErrorCode::invalid_utf8;
    e.message = "the text is not valid UTF-8";
    return e;
  }
  if (auto e = validate(context)) return *e;
  const Policy::Impl& p = policy.impl();
  const text::NormalizedText nt = text::normalize(text);
  const rules::Hits hits = match_all(p, nt, text, nullptr);
  nlohmann::ordered_json j;
  j["folded"] = nt.text;
  for (size_t s = 0; s < hits.by_set.size(); ++s) {
    for (const auto& span : hits.by_set[s]) {
      j["sets"][p.set_names[s]].push_back(nt.text.substr(span.begin, span.end - span.begin));
    }
  }
  return j.dump(2);
}

namespace {

// One warning per spot: a finding whose span lies inside another finding of
// the same category, at the same or a higher severity, says nothing new to
// the person writing ("add me on snapchat" and "snapchat" are one
// invitation). Findings with a fix are always kept. One sweep per category in
// order of start, longest first, remembering the furthest end reached at each
// severity: a finding is inside an earlier one when some end at its severity
// or above reaches its own end.
void drop_contained(std::vector<Finding>& findings) {
  if (findings.size() < 2) return;
  std::vector<uint32_t> order(findings.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    const Finding& x = findings[a];
    const Finding& y = findings[b];
    if (x.category != y.category) return x.category < y.category;
    if (x.start != y.start) return x.start < y.start;
    if (x.end != y.end) return x.end > y.end;
    if (x.severity != y.severity) return x.severity > y.severity;
    return a < b;
  });
  std::vector<uint8_t> drop(findings.size(), 0);
  constexpr int kLevels = static_cast<int>(Severity::block) + 1;
  for (size_t k = 0; k < order.size();) {
    const std::string& category = findings[order[k]].category;
    bool seen[kLevels] = {};
    uint32_t reach[kLevels] = {};  // furthest end of a finding at that severity so far
    for (; k < order.size() && findings[order[k]].category == category; ++k) {
      const Finding& f = findings[order[k]];
      const int level = static_cast<int>(f.severity);
      bool inside = false;
      for (int s = level; s < kLevels && !inside; ++s) inside = seen[s] && reach[s] >= f.end;
      if (inside && !f.fix) drop[order[k]] = 1;
      seen[level] = true;
      reach[level] = std::max(reach[level], f.end);
    }
  }
  size_t out = 0;
  for (size_t i = 0; i < findings.size(); ++i) {
    if (!drop[i]) {
      if (out != i) findings[out] = std::move(findings[i]);
      ++out;
    }
  }
  findings.resize(out);
}

}  // namespace

Result<std::vector<Finding>> check(const Policy& policy, std::string_view text, const Context& context) {
  return check_findings(policy, text, context, /*one_per_spot=*/true);
}

Result<std::vector<Finding>> check_findings(const Policy& policy, std::string_view text, const Context& context,
                                            bool one_per_spot, bool prune_regexes) {
  if (auto bad = text::find_invalid_utf8(text)) {
    Error e;
    e.code = ErrorCode::invalid_utf8;
    e.message = "the text is not valid UTF-8 (at byte " + std::to_string(*bad) + ")";
    return e;
  }
  if (auto e = validate(context)) return *e;
  try {
    const Policy::Impl& p = policy.impl();
    const text::NormalizedText nt = text::normalize(text);
    const rules::Hits hits = match_all(p, nt, text, &context, prune_regexes);
    std::vector<Finding> findings;
    findings.reserve(16);  // most drafts have fewer: no regrowth (each moves every finding)
    rules::evaluate_rules(hits, context, findings);
    if (one_per_spot) drop_contained(findings);
    // Stable sort by position: sort small keys, then move each finding once
    // (findings carry several strings; moving them in the sort costs more).
    struct Key {
      uint32_t start, end, index;
    };
    std::vector<Key> keys(findings.size());
    for (size_t i = 0; i < findings.size(); ++i) keys[i] = {findings[i].start, findings[i].end, static_cast<uint32_t>(i)};
    std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
      if (a.start != b.start) return a.start < b.start;
      if (a.end != b.end) return a.end < b.end;
      return a.index < b.index;
    });
    std::vector<Finding> sorted;
    sorted.reserve(findings.size());
    for (const Key& k : keys) sorted.push_back(std::move(findings[k.index]));
    return sorted;
  } catch (const std::exception& ex) {
    Error e;
    e.code = ErrorCode::internal;
    e.message = std::string("internal error: ") + ex.what();
    return e;
  }
}

}  // namespace postguard

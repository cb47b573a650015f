// One evaluator per rule type. All types share the context filter and the
// near/unless conditions; they differ in what triggers them.
#include <algorithm>

#include "rules/hits.h"

namespace postguard::rules {
namespace {

bool contains(const std::vector<std::string>& list, const std::string& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

// "x.com" matches "x.com" and "mobile.x.com".
bool site_matches(const std::vector<std::string>& sites, const std::string& host) {
  for (const auto& s : sites) {
    if (host == s) return true;
    if (host.size() > s.size() && host.compare(host.size() - s.size(), s.size(), s) == 0 &&
        host[host.size() - s.size() - 1] == '.') {
      return true;
    }
  }
  return false;
}

bool filter_allows(const policy::Filter& f, const Context& ctx) {
  if (!f.surfaces.empty() && !contains(f.surfaces, ctx.surface)) return false;
  if (!f.accounts.empty() && !contains(f.accounts, ctx.account)) return false;
  if (!f.sites.empty() && !site_matches(f.sites, ctx.site)) return false;
  if (ctx.images < f.min_images) return false;
  return true;
}

std::vector<Span> union_of(const Hits& hits, const std::vector<SetId>& sets) {
  std::vector<Span> out;
  for (SetId s : sets) out.insert(out.end(), hits.of(s).begin(), hits.of(s).end());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<Span> regex_triggers(const Hits& hits, const CompiledRule& rule) {
  std::vector<Span> out;
  for (const auto& regex : rule.patterns) find_all(regex, hits.regex_input, out);
  std::sort(out.begin(), out.end());
  return out;
}

// An exception overlapping its trigger is a rival reading of the same words,
// and the wider reading wins: one that reaches past the trigger ("no kids"
// over "kids", a negation before its scope) cancels it; one inside the trigger
// ("report's out" inside "till the report's out") or the same words as it
// does not. The side of the condition still applies (before: it starts before
// the trigger; after: it ends after it).
bool exception_widens_trigger(const Hits& hits, const CompiledCondition& c, const Span& t) {
  using Side = policy::Condition::Side;
  constexpr uint32_t kMaxSpan = 512;  // as condition_holds: how far before t an overlapping span can start
  for (SetId s : c.sets) {
    const std::vector<Span>& v = hits.of(s);
    auto it = std::lower_bound(v.begin(), v.end(), Span{t.begin > kMaxSpan ? t.begin - kMaxSpan : 0, 0});
    for (; it != v.end() && it->begin < t.end; ++it) {
      const Span& h = *it;
      if (h.end <= t.begin) continue;  // before the trigger, not over it
      const bool before = h.begin < t.begin, after = h.end > t.end;
      if (!before && !after) continue;  // inside the trigger or the same words
      if (c.side == Side::before && !before) continue;
      if (c.side == Side::after && !after) continue;
      return true;
    }
  }
  return false;
}

// "you're a teacher and a Y10 called Mason Whitfield": a name belongs to the
// description right before it. For a name rule, a hit of one of its near sets
// (the employer aside: "a teacher at <school>, Jane Morton" is the adult) that
// ends at most two words before the name is that description; the end of the
// last one, or 0.
// The longest span of each set, worked out on first use in a check: spans
// that start further than that before an offset cannot reach it.
class LongestSpans {
 public:
  explicit LongestSpans(const Hits& hits) : hits_(hits), longest_(hits.by_set.size(), kUnknown) {}
  uint32_t of(SetId s) {
    if (longest_[s] == kUnknown) {
      uint32_t m = 0;
      for (const Span& h : hits_.of(s)) m = std::max(m, h.end - h.begin);
      longest_[s] = m;
    }
    return longest_[s];
  }

 private:
  static constexpr uint32_t kUnknown = UINT32_MAX;
  const Hits& hits_;
  std::vector<uint32_t> longest_;
};

uint32_t introducer_end(const Hits& hits, const CompiledRule& rule, const Span& t, LongestSpans& longest) {
  const SetId employer = hits.policy.set(CodeSet::employer);
  uint32_t best = 0;
  // A span ending at or before t is at most two words before it when it ends
  // at or after `near_end`, the first offset at most two words back (word_of
  // only grows): one comparison per span instead of a word_distance call.
  const auto& word_of = hits.nt.word_of;
  const uint32_t at = hits.nt.word_index(t.begin);
  const uint32_t near_end =
      at <= 2 ? 0 : static_cast<uint32_t>(std::lower_bound(word_of.begin(), word_of.end(), at - 2) - word_of.begin());
  for (const auto& c : rule.near) {
    for (SetId s : c.sets) {
      if (s == employer) continue;
      const std::vector<Span>& v = hits.of(s);
      auto it = std::lower_bound(v.begin(), v.end(), Span{t.begin, 0});
      const uint32_t reach = longest.of(s);
      auto k = std::lower_bound(v.begin(), it, Span{near_end > reach ? near_end - reach : 0, 0});
      for (; k != it; ++k) {  // spans starting before t (and able to end at near_end or later)
        if (k->end <= t.begin && k->end > best && k->end >= near_end) best = k->end;
      }
    }
  }
  return best;
}

// condition_holds for an exception, counting only hits after `barrier`: what
// lies before the name's own description is about someone else.
bool exception_after(const Hits& hits, const CompiledCondition& c, const Span& t, uint32_t barrier) {
  using Side = policy::Condition::Side;
  for (SetId s : c.sets) {
    const std::vector<Span>& v = hits.of(s);
    // Sorted: from the first span at the barrier, up to the first one starting
    // after t further than `within` words (those after it are further still).
    for (auto k = std::lower_bound(v.begin(), v.end(), Span{barrier, 0}); k != v.end(); ++k) {
      const Span& h = *k;
      if (c.within >= 0 && h.begin >= t.end && word_distance(hits.nt, t, h) > static_cast<uint32_t>(c.within)) break;
      if (h.begin < t.end && t.begin < h.end) continue;  // overlapping: exception_widens_trigger's case
      if (c.side == Side::before && h.begin >= t.begin) continue;
      if (c.side == Side::after && h.end <= t.end) continue;
      if (c.within < 0 || word_distance(hits.nt, t, h) <= static_cast<uint32_t>(c.within)) return true;
    }
  }
  return false;
}

bool conditions_allow(const Hits& hits, const CompiledRule& rule, const Span& t, LongestSpans& longest) {
  for (const auto& c : rule.near) {
    if (!condition_holds(hits, c, t)) return false;
  }
  const uint32_t barrier = rule.spec->type == "person_name" ? introducer_end(hits, rule, t, longest) : 0;
  for (const auto& c : rule.unless) {
    const bool held = barrier == 0 ? condition_holds(hits, c, t, /*skip_overlapping=*/true)
                                   : exception_after(hits, c, t, barrier);
    if (held || exception_widens_trigger(hits, c, t)) return false;
  }
  return true;
}

Finding make_finding(const Hits& hits, const CompiledRule& rule, const Span& s) {
  const policy::RuleSpec& spec = *rule.spec;
  Finding f;
  f.rule = spec.id;
  f.category = spec.category;
  f.severity = spec.severity.value;
  f.start = hits.nt.original_start(s.begin);
  f.end = hits.nt.original_end(s.end);
  f.message = spec.message.value;
  f.policy_ref = rule.policy_ref;
  return f;
}

}  // namespace

bool rule_applies(const CompiledRule& rule, const Context& ctx) {
  return rule.spec->enabled.value && filter_allows(rule.spec->when, ctx);
}

void evaluate_rules(const Hits& hits, const Context& ctx, std::vector<Finding>& out) {
  LongestSpans longest(hits);
  for (size_t index = 0; index < hits.policy.rules.size(); ++index) {
    const CompiledRule& rule = hits.policy.rules[index];
    const policy::RuleSpec& spec = *rule.spec;
    if (!rule_applies(rule, ctx)) continue;
    // The triggers, sorted and unique: read in place where they already are
    // (a copy per rule was most of the allocations of a short check).
    std::vector<Span> own;
    const std::vector<Span>* found = &own;
    if (spec.type == "regex") {
      // Usually found already, in the shared regex pass (check.cpp).
      if (index < hits.rule_regex_done.size() && hits.rule_regex_done[index]) found = &hits.rule_regex_spans[index];
      else own = regex_triggers(hits, rule);
    } else if (spec.type == "person_name") {
      found = &hits.of(spec.names == "first" ? CodeSet::name_first : CodeSet::name_full);
    } else if (rule.match.size() == 1) {
      found = &hits.of(rule.match[0]);  // a set's spans are sorted and unique already
    } else {
      own = union_of(hits, rule.match);
    }
    const std::vector<Span>& triggers = *found;
    if (triggers.empty()) continue;  // nothing can fire
    if (spec.type == "requirement") {
      // Satisfied anywhere in the text; otherwise one finding, on the first trigger.
      bool satisfied = false;
      for (SetId s : rule.require) satisfied = satisfied || !hits.of(s).empty();
      if (satisfied) continue;
      for (size_t i = 0; i < triggers.size(); ++i) {
        Span t = triggers[i];
        if (!conditions_allow(hits, rule, t, longest)) continue;
        // "Quill Harbour Primary School", not just "Quill Harbour".
        for (size_t k = i + 1; k < triggers.size() && triggers[k].begin < t.end; ++k) t.end = std::max(t.end, triggers[k].end);
        Finding f = make_finding(hits, rule, t);
        if (spec.fix == "insert-disclaimer") {
          const std::string& text = hits.policy.merged.disclaimer.value;
          const bool needs_gap = !hits.original.empty() && hits.original.back() != '\n';
          Fix fix;
          fix.label = "Add your school's disclaimer";
          fix.start = fix.end = hits.nt.length16;
          fix.text = (needs_gap ? (ctx.surface == "post" ? "\n\n" : " ") : "") + text;
          f.fix = std::move(fix);
        }
        out.push_back(std::move(f));
        break;
      }
      continue;
    }
    Span last{0, 0};
    bool have_last = false;
    for (const Span& t : triggers) {
      if (!conditions_allow(hits, rule, t, longest)) continue;
      // Overlapping triggers of one rule make one finding.
      if (have_last && t.begin < last.end) {
        if (t.end > last.end) {
          last.end = t.end;
          out.back().end = hits.nt.original_end(t.end);
          if (out.back().fix && spec.fix == "remove") out.back().fix->end = out.back().end;
        }
        continue;
      }
      Finding f = make_finding(hits, rule, t);
      if (spec.fix == "remove") {
        Fix fix;
        fix.label = "Remove this";
        fix.start = f.start;
        fix.end = f.end;
        f.fix = fix;
      }
      out.push_back(std::move(f));
      last = t;
      have_last = true;
    }
  }
}

}  // namespace postguard::rules

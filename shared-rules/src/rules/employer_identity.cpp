// Does the draft name the employer? Handles, hashtags, domains and multi-word
// names are unambiguous. Two kinds of name need more:
//  - a single word ("Ark", "Auriga") or an acronym ("AAT") counts only near
//    school or work language, after a cue such as "at"/"our", or as a
//    possessive ("Noah's Ark", "the star Auriga", "my AAT diploma" are not
//    the employer);
//  - an acronym must be in capitals (checked while matching) and must not be
//    another organisation's initials spelled out before it
//    ("British Dyslexia Association (BDA)").
#include <algorithm>
#include <array>
#include <cstring>
#include <optional>

#include "rules/hits.h"
#include "rules/spelled_out_index.h"

namespace postguard::rules {
namespace {

bool is_letter(char c) { return c >= 'a' && c <= 'z'; }

// "Xxx Yyy Zzz (XYZ)": the words before "(" spell the acronym in [b, e).
bool spelled_out_before(const text::NormalizedText& nt, uint32_t b, uint32_t e) {
  const std::string& t = nt.text;
  if (b == 0 || t[b - 1] != '(') return false;
  const std::string acronym = t.substr(b, e - b);
  // Initials of the words before the bracket, last first.
  std::string initials;
  size_t i = b - 1;
  while (i > 0 && initials.size() < acronym.size()) {
    --i;
    if (is_letter(t[i]) && (i == 0 || !is_letter(t[i - 1]))) initials.insert(initials.begin(), t[i]);
    if (t[i] == '.' || t[i] == '!' || t[i] == '?' || t[i] == '\n') break;
  }
  return initials == acronym;
}

// Spans of `v` (sorted) that start at q.
bool starts_at(const std::vector<Span>& v, uint32_t q) {
  const auto it = std::lower_bound(v.begin(), v.end(), q, [](const Span& x, uint32_t at) { return x.begin < at; });
  return it != v.end() && it->begin == q;
}

// "Mary Seacole", "R.D. Blackmore": a capitalised given name or a person's
// initials right before a one-word name make it a surname.
bool after_given_name(const text::NormalizedText& nt, const std::vector<Span>& given, uint32_t b) {
  if (b < 2 || nt.text[b - 1] != ' ') return false;
  // Initials: one or two capital letters, dotted or not ("R.D.", "RD", "J.").
  // A lone undotted capital is the word "A" or "I", not an initial.
  uint32_t w = b - 1, letters = 0;
  bool initials = true, dotted = false;
  while (w > 0 && nt.text[w - 1] != ' ') {
    --w;
    const char c = nt.text[w];
    if (c == '.') {
      dotted = true;
      continue;
    }
    if (!is_letter(c) || !nt.upper[w]) initials = false;
    ++letters;
  }
  if (initials && (letters == 2 || (letters == 1 && dotted))) return true;
  for (const Span& g : given) {
    if (g.end == b - 1 && nt.upper[g.begin]) return true;
    if (g.begin >= b) break;
  }
  return false;
}

}  // namespace

// "Border Oaks Nursery", "Fernlea Community Garden": the name is part of a
// longer name of something else. Words like "nursery" need a capital (the
// school's own nursery class is "Acresfield nursery"); place words such as
// "nature reserve" or "road" (`any_case`) never continue a school's name.
bool followed_by_other_organisation(const Hits& hits, const std::vector<Span>& suffixes,
                                    const std::vector<Span>& any_case, const Span& s) {
  const text::NormalizedText& nt = hits.nt;
  const uint32_t q = s.end + 1;
  if (s.end >= nt.size() || nt.text[s.end] != ' ' || q >= nt.size()) return false;
  auto at_q = [&](const std::vector<Span>& v) {  // v is sorted (Hits::sort_and_dedupe)
    const auto it = std::lower_bound(v.begin(), v.end(), q, [](const Span& x, uint32_t at) { return x.begin < at; });
    return it != v.end() && it->begin == q;
  };
  return at_q(any_case) || (nt.upper[q] && at_q(suffixes));
}

namespace {

// "Neill's Summerhill", "Jo's Kingsway": a one-word name owned by someone
// else's possessive is their thing, not the employer.
bool after_other_possessive(const text::NormalizedText& nt, uint32_t b) {
  if (b < 4 || nt.text[b - 1] != ' ' || nt.text.compare(b - 3, 2, "'s") != 0) return false;
  uint32_t w = b - 3;
  while (w > 0 && !nt.boundary[w]) --w;
  return nt.upper[w] != 0;
}

// "Lord Kinnaird", "Mrs Fenwick", "Loch Carron": a title or place word
// (name_title, sorted) right before a one-word name makes it a person's or a
// place's name. The school's own "St Aidan's" is a longer name, found whole.
bool after_title(const text::NormalizedText& nt, const std::vector<Span>& titles, uint32_t b) {
  if (b < 2 || nt.text[b - 1] != ' ') return false;
  const uint32_t end = b - 1;
  constexpr uint32_t kLongestTitle = 16;  // the set holds single short words
  auto it = std::lower_bound(titles.begin(), titles.end(), Span{end > kLongestTitle ? end - kLongestTitle : 0, 0});
  for (; it != titles.end() && it->begin < end; ++it) {
    if (it->end == end) return true;
  }
  return false;
}

// Is a span of `near` (sorted; max_end[i] = the largest end of near[0..i])
// within `within` words of s and not inside it? Looks only at the spans that
// can be that near, instead of at every one for each candidate: those before
// the last index whose max end is still too far before s are all too far
// (word_index grows with the offset), and once spans start too far after s
// so do all later ones.
bool near_context(const text::NormalizedText& nt, const std::vector<Span>& near, const std::vector<uint32_t>& max_end,
                  const Span& s, uint32_t within) {
  const uint32_t at = nt.word_index(s.begin);
  auto too_far_before = [&](uint32_t end) { return end <= s.begin && at - std::min(at, nt.word_index(end)) > within; };
  // First index whose max end is not too far before s (the predicate holds for a prefix).
  size_t i = static_cast<size_t>(std::partition_point(max_end.begin(), max_end.end(), too_far_before) - max_end.begin());
  for (; i < near.size(); ++i) {
    const Span& h = near[i];
    const uint32_t d = word_distance(nt, s, h);
    if (d <= within && !(h.begin >= s.begin && h.end <= s.end)) return true;
    if (h.begin >= s.end && d > within) break;
  }
  return false;
}

}  // namespace

void confirm_employer(Hits& hits) {
  const Policy::Impl& p = hits.policy;
  auto& employer = hits.derived(CodeSet::employer);
  if (p.set(CodeSet::other_org_suffix) != kNoSet) {
    const auto& suffixes = hits.of(CodeSet::other_org_suffix);
    const auto& any_case = hits.of(CodeSet::other_place_suffix);
    auto other = [&](const Span& s) {
      if (!followed_by_other_organisation(hits, suffixes, any_case, s)) return false;
      // ...unless a longer employer name covers it ("Netherton Park Academy").
      return !std::any_of(employer.begin(), employer.end(), [&](const Span& e) {
        return e.begin <= s.begin && e.end > s.end + 1;
      });
    };
    employer.erase(std::remove_if(employer.begin(), employer.end(), other), employer.end());
    auto& candidates = hits.derived(CodeSet::employer_candidates);
    candidates.erase(std::remove_if(candidates.begin(), candidates.end(), other), candidates.end());
  }
  // "Marlow Road", "Penhallow Bay", "Colne Valley": a name ending in a place
  // word is also the road, beach or valley itself, so it needs the same
  // context as a one-word name ("roadworks on Marlow Road" is not the school).
  if (p.set(CodeSet::place_name_ending) != kNoSet) {
    const auto& endings = hits.of(CodeSet::place_name_ending);
    // "St Bride's", "St Aidan's": a saint's name alone is also the church, so
    // it needs context too; "St Bride's Primary" is the school's longer name.
    const auto& name_titles = hits.of(CodeSet::name_title);
    auto titled_short = [&](const Span& s) {
      if (!starts_at(name_titles, s.begin)) return false;
      const auto ti = std::lower_bound(name_titles.begin(), name_titles.end(), s.begin,
                                       [](const Span& x, uint32_t at) { return x.begin < at; });
      const uint32_t rest = ti->end + 1;
      if (rest >= s.end || hits.nt.text[ti->end] != ' ') return false;
      return std::find(hits.nt.text.begin() + rest, hits.nt.text.begin() + s.end, ' ') == hits.nt.text.begin() + s.end;
    };
    // Per end of a place word, the latest begin (sorted by end): is there an
    // ending x with x.end == s.end and x.begin > s.begin?
    std::vector<std::pair<uint32_t, uint32_t>> ending_at;
    ending_at.reserve(endings.size());
    for (const Span& x : endings) ending_at.emplace_back(x.end, x.begin);
    std::sort(ending_at.begin(), ending_at.end());
    auto ends_in_place_word = [&](const Span& s) {
      const auto it = std::upper_bound(ending_at.begin(), ending_at.end(), std::make_pair(s.end, UINT32_MAX));
      return it != ending_at.begin() && std::prev(it)->first == s.end && std::prev(it)->second > s.begin;
    };
    auto place_named = [&](const Span& s) {
      if (s.begin >= s.end || !is_letter(hits.nt.text[s.begin])) return false;  // handles, tags, domains
      return titled_short(s) || ends_in_place_word(s);
    };
    auto& candidates = hits.derived(CodeSet::employer_candidates);
    for (const Span& s : employer) {
      if (place_named(s)) candidates.push_back(s);
    }
    employer.erase(std::remove_if(employer.begin(), employer.end(), place_named), employer.end());
  }
  const bool has_context = p.set(CodeSet::education_context) != kNoSet;
  const auto& titles = hits.of(CodeSet::name_title);
  const auto& routes = hits.of(CodeSet::place_route_before);
  const auto& visits = hits.of(CodeSet::shop_or_outing);
  const auto& cues = hits.of(CodeSet::employment_cue);
  const auto& routine = hits.of(CodeSet::daily_routine);
  const auto& person_after = hits.of(CodeSet::person_after_name);
  const auto& given = hits.of(CodeSet::first_names);
  // "before work", "home from work": context words that only tell the author's
  // day say nothing about the name beside them.
  std::vector<Span> ctx_spans;
  std::vector<uint32_t> ctx_ends;
  if (has_context) {
    // routine is sorted: a span of it holds h when one of those starting at
    // or before h.begin reaches h.end (running maximum of their ends).
    std::vector<uint32_t> routine_reach(routine.size());
    for (size_t k = 0; k < routine.size(); ++k) routine_reach[k] = std::max(routine[k].end, k ? routine_reach[k - 1] : 0u);
    for (const Span& h : hits.of(CodeSet::education_context)) {
      const auto first_after = std::upper_bound(routine.begin(), routine.end(), h.begin,
                                                [](uint32_t at, const Span& r) { return at < r.begin; });
      const size_t before = static_cast<size_t>(first_after - routine.begin());
      if (before > 0 && routine_reach[before - 1] >= h.end) continue;
      ctx_spans.push_back(h);
    }
    uint32_t m = 0;
    for (const Span& h : ctx_spans) ctx_ends.push_back(m = std::max(m, h.end));
  }
  std::vector<uint32_t> cue_reach(cues.size());  // cues are sorted; the running maximum of their ends
  for (size_t k = 0; k < cues.size(); ++k) cue_reach[k] = std::max(cues[k].end, k ? cue_reach[k - 1] : 0u);
  std::optional<SpelledOutIndex> spelled;  // built for the first acronym
  // Is s inside an employer name? The names found so far are sorted (the
  // first `sorted_names`, with the running maximum of their ends), then the
  // ones confirmed below, in the order confirmed (looked at one by one).
  const size_t sorted_names = std::is_sorted(employer.begin(), employer.end()) ? employer.size() : 0;
  std::vector<uint32_t> max_end(sorted_names);
  for (size_t k = 0; k < sorted_names; ++k) max_end[k] = std::max(employer[k].end, k ? max_end[k - 1] : 0u);
  auto inside_employer = [&](const Span& s) {
    const auto first_after = std::upper_bound(employer.begin(), employer.begin() + static_cast<std::ptrdiff_t>(sorted_names),
                                              s.begin, [](uint32_t at, const Span& x) { return at < x.begin; });
    const size_t before = static_cast<size_t>(first_after - employer.begin());  // those with begin <= s.begin
    if (before > 0 && max_end[before - 1] >= s.end) return true;
    for (size_t k = sorted_names; k < employer.size(); ++k) {
      if (employer[k].begin <= s.begin && s.end <= employer[k].end) return true;
    }
    return false;
  };
  for (const Span& s : hits.derived(CodeSet::employer_candidates)) {
    if (spelled_out_before(hits.nt, s.begin, s.end)) continue;  // another organisation's initials
    if (after_title(hits.nt, titles, s.begin)) continue;
    // "Kelvin, my old boss", "Kelvin was some man": a person of that name.
    if (starts_at(person_after, s.end + 1) || starts_at(person_after, s.end + 2)) continue;  // after a space or ", "
    if (after_title(hits.nt, routes, s.begin)) continue;  // "sledging down Hollin Bank": the hill itself
    if (after_other_possessive(hits.nt, s.begin)) continue;
    // "on the Kennet", "the Auriga": a one-word name after "the" is a place or thing.
    const bool acronym = s.end - s.begin >= 2 && std::all_of(hits.nt.upper.begin() + s.begin, hits.nt.upper.begin() + s.end,
                                                             [](uint8_t u) { return u != 0; });
    // ...unless a school word follows it ("the Lyng Broad kids", "the Kelvin staff").
    if (!acronym && s.begin >= 4 && hits.nt.text.compare(s.begin - 4, 4, "the ") == 0 &&
        (s.begin == 4 || hits.nt.boundary[s.begin - 4]) && !starts_at(ctx_spans, s.end + 1)) {
      continue;
    }
    if (acronym) {
      if (!spelled) spelled.emplace(hits.nt, employer);
      if (spelled->spelled_out(s.begin, s.end)) continue;
    } else if (after_given_name(hits.nt, given, s.begin)) {
      continue;
    }
    bool confirmed = has_context && near_context(hits.nt, ctx_spans, ctx_ends, s, 10);
    // "Afternoon tea at Fenwick", "Fenwick's Christmas window": with no school or work word near, a
    // shop's or day out's words make the name the shop or place, whatever cue or possessive it has.
    if (!confirmed && std::any_of(visits.begin(), visits.end(),
                                  [&](const Span& h) { return word_distance(hits.nt, s, h) <= 10; })) {
      continue;
    }
    if (!confirmed) {
      // A cue ending at most one word before s: skip the cues whose ends (the
      // running maximum, which only grows) are all further back; only cues
      // starting at or before s.begin can end before it.
      const uint32_t at = hits.nt.word_index(s.begin);
      auto too_far_before = [&](uint32_t end) { return end <= s.begin && at - std::min(at, hits.nt.word_index(end)) > 1; };
      size_t k = static_cast<size_t>(std::partition_point(cue_reach.begin(), cue_reach.end(), too_far_before) - cue_reach.begin());
      for (; k < cues.size() && cues[k].begin <= s.begin && !confirmed; ++k) {
        const Span& h = cues[k];
        if (h.end <= s.begin && word_distance(hits.nt, h, s) <= 1) confirmed = true;
      }
    }
    // "BDA's fastest ever": the possessive of a name is the organisation itself.
    if (hits.nt.text.compare(s.end - std::min<uint32_t>(2, s.end), 2, "'s") == 0) confirmed = true;
    // Part of a longer employer name already found ("Ark" in "Ark Cedarwood") is fine too.
    if (!confirmed && inside_employer(s)) confirmed = true;
    if (confirmed) {
      employer.push_back(s);
      if (spelled) spelled->cover(s);
    }
  }
  std::sort(employer.begin(), employer.end());
}

}  // namespace postguard::rules

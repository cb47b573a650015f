#include "rules/hits.h"

#include <algorithm>

namespace postguard::rules {

void Hits::sort_and_dedupe() {
  for (auto& v : by_set) {
    if (v.size() < 2) continue;
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  }
}

uint32_t word_distance(const text::NormalizedText& nt, const Span& a, const Span& b) {
  if (a.end <= b.begin) {
    const uint32_t x = nt.word_index(a.end), y = nt.word_index(b.begin);
    return y > x ? y - x : 0;
  }
  if (b.end <= a.begin) {
    const uint32_t x = nt.word_index(b.end), y = nt.word_index(a.begin);
    return y > x ? y - x : 0;
  }
  return 0;
}

bool condition_holds(const Hits& hits, const CompiledCondition& c, const Span& t) {
  using Side = policy::Condition::Side;
  for (SetId s : c.sets) {
    for (const Span& h : hits.of(s)) {
      if (c.side == Side::before && h.begin >= t.begin) continue;
      if (c.side == Side::after && h.end <= t.end) continue;
      if (c.within < 0 || word_distance(hits.nt, t, h) <= static_cast<uint32_t>(c.within)) return true;
    }
  }
  return false;
}

}  // namespace postguard::rules

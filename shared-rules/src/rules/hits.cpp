#include "rules/hits.h"

#include <algorithm>
#include <cstring>
#include <memory>

#include <unicode/regex.h>

#include "text/utf8.h"

namespace postguard::rules {

RegexInput::RegexInput(const std::string& folded) : bytes(folded) {
  text = icu::UnicodeString::fromUTF8(folded);
  byte_of.reserve(static_cast<size_t>(text.length()) + 1);
  utf16_of.assign(folded.size() + 1, 0);
  for (size_t i = 0; i < folded.size();) {
    const size_t at = i;
    const char32_t c = text::decode_utf8(folded, i);
    const auto u = static_cast<uint32_t>(byte_of.size());
    for (size_t k = at; k < i; ++k) utf16_of[k] = u;
    byte_of.push_back(static_cast<uint32_t>(at));
    if (c >= 0x10000) byte_of.push_back(static_cast<uint32_t>(at));
  }
  utf16_of[folded.size()] = static_cast<uint32_t>(byte_of.size());
  byte_of.push_back(static_cast<uint32_t>(folded.size()));
}

namespace {

bool starts_with_prefix(const match::StartSet& start, std::string_view t, size_t i) {
  const size_t rest = t.size() - i;
  for (const std::string& p : start.prefixes) {
    if (p[0] == t[i] && p.size() <= rest && std::memcmp(p.data(), t.data() + i, p.size()) == 0) return true;
  }
  return false;
}

}  // namespace

void find_all(const CompiledRegex& regex, const RegexInput& in, std::vector<Span>& out) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::RegexMatcher> m(regex.pattern->matcher(in.text, status));
  if (U_FAILURE(status)) return;
  auto add = [&](int32_t b, int32_t e) {
    if (e > b) out.push_back({in.byte_of[static_cast<size_t>(b)], in.byte_of[static_cast<size_t>(e)]});
  };
  if (!regex.start.known) {
    while (m->find(status) && U_SUCCESS(status)) add(m->start(status), m->end(status));
    return;
  }
  // Try only where a match can start; look-behind and \b still see the text
  // around the position (transparent bounds).
  m->useTransparentBounds(true);
  m->useAnchoringBounds(false);
  const std::string_view t = in.bytes;
  const int64_t length = in.text.length();
  auto ascii_word = [](unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || (c >= 'A' && c <= 'Z');
  };
  for (size_t i = 0; i < t.size();) {
    const auto c = static_cast<unsigned char>(t[i]);
    if (!regex.start.bytes[c] || (regex.start.at_word_boundary && i > 0 && ascii_word(static_cast<unsigned char>(t[i - 1])) && ascii_word(c)) ||
        (!regex.start.literal.empty() && t.compare(i, regex.start.literal.size(), regex.start.literal) != 0) ||
        (!regex.start.prefixes.empty() && !starts_with_prefix(regex.start, t, i))) {
      ++i;
      continue;
    }
    status = U_ZERO_ERROR;
    m->region(in.utf16_of[i], length, status);
    if (U_SUCCESS(status) && m->lookingAt(status) && U_SUCCESS(status)) {
      const int32_t b = m->start(status), e = m->end(status);
      add(b, e);
      const size_t next = in.byte_of[static_cast<size_t>(e)];
      i = next > i ? next : i + 1;
      continue;
    }
    ++i;
  }
}

void Hits::sort_and_dedupe() {
  for (auto& v : by_set) {
    if (v.size() < 2) continue;
    if (!std::is_sorted(v.begin(), v.end())) std::sort(v.begin(), v.end());
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

bool condition_holds(const Hits& hits, const CompiledCondition& c, const Span& t, bool skip_overlapping) {
  using Side = policy::Condition::Side;
  const text::NormalizedText& nt = hits.nt;
  auto side_ok = [&](const Span& h) {
    if (skip_overlapping && h.begin < t.end && t.begin < h.end) return false;
    if (c.side == Side::before) return h.begin < t.begin;
    if (c.side == Side::after) return h.end > t.end;
    return true;
  };
  // Spans are short (a phrase, a name, a regex match); this bounds how far
  // before the window a span that reaches into it can start.
  constexpr uint32_t kMaxSpan = 512;
  for (SetId s : c.sets) {
    const std::vector<Span>& v = hits.of(s);
    if (v.empty()) continue;
    if (c.within < 0) {
      if ((c.side == Side::either && !skip_overlapping) || side_ok(v.front()) || side_ok(v.back())) return true;
      if (std::any_of(v.begin(), v.end(), side_ok)) return true;
      continue;
    }
    // Only hits inside the word window around t can qualify: find it by position.
    const uint32_t w = static_cast<uint32_t>(c.within) + 1;
    const uint32_t w0 = nt.word_index(t.begin), w1 = nt.word_index(t.end);
    const uint32_t lo_word = w0 > w ? w0 - w : 0, hi_word = w1 + w;
    const uint32_t lo = lo_word < nt.word_starts.size() ? nt.word_starts[lo_word] : static_cast<uint32_t>(nt.size());
    const uint32_t hi = hi_word < nt.word_starts.size() ? nt.word_starts[hi_word] : static_cast<uint32_t>(nt.size());
    auto it = std::lower_bound(v.begin(), v.end(), Span{lo > kMaxSpan ? lo - kMaxSpan : 0, 0});
    for (; it != v.end() && it->begin <= hi; ++it) {
      if (side_ok(*it) && word_distance(nt, t, *it) <= static_cast<uint32_t>(c.within)) return true;
    }
  }
  return false;
}

}  // namespace postguard::rules

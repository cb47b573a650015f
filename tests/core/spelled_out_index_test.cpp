// The spelled-out index (an acronym's initials as capitalised words elsewhere
// in the draft) against the plain scan it replaced: every capitalised word
// with the acronym's first letter tried in turn. Seeded generated drafts of
// capitalised and lower-case words, acronyms, employer names covered before
// and after the index is built.
#include <random>

#include "rules/spelled_out_index.h"
#include "test_support.h"
#include "text/normalized_text.h"

using postguard::rules::Span;
using postguard::rules::SpelledOutIndex;

namespace {

bool is_letter(char c) { return c >= 'a' && c <= 'z'; }

// The scan as it was (rules/employer_identity.cpp before the index).
struct ReferenceScan {
  const postguard::text::NormalizedText& nt;
  std::vector<uint8_t> covered;
  ReferenceScan(const postguard::text::NormalizedText& text, const std::vector<Span>& employer)
      : nt(text), covered(text.size(), 0) {
    for (const Span& x : employer) cover(x);
  }
  void cover(const Span& x) {
    for (uint32_t i = x.begin; i < x.end && i < covered.size(); ++i) covered[i] = 1;
  }
  bool spelled_out(uint32_t b, uint32_t e) const {
    const std::string& t = nt.text;
    const uint32_t n = static_cast<uint32_t>(t.size());
    std::vector<uint32_t> starts;
    for (uint32_t i = 0; i < n; ++i) {
      if (is_letter(t[i]) && nt.boundary[i] && nt.upper[i]) starts.push_back(i);
    }
    auto adjacent = [&](size_t k) {
      uint32_t p = starts[k];
      while (p < n && t[p] != ' ') ++p;
      return p + 1 == starts[k + 1];
    };
    const size_t len = e - b;
    if (len == 0 || !is_letter(t[b])) return false;
    auto usable = [&](uint32_t w) { return !(w >= b && w < e) && !covered[w] && !nt.upper[w + 1 < n ? w + 1 : w]; };
    for (size_t k = 0; k < starts.size(); ++k) {
      if (t[starts[k]] != t[b]) continue;
      if (k + len > starts.size()) break;
      bool match = true;
      for (size_t j = 0; j < len && match; ++j) {
        const uint32_t w = starts[k + j];
        match = t[w] == t[b + j] && usable(w) && (j == 0 || adjacent(k + j - 1));
      }
      if (match) return true;
    }
    return false;
  }
};

}  // namespace

TEST_CASE("spelled-out index: known cases", "[employer][index]") {
  const auto nt = postguard::text::normalize("Kent Garden Supplies opened. I love KGS and the AAT. Ark Academy Trust (AAT)");
  SpelledOutIndex index(nt, {});
  const auto kgs = nt.text.find("kgs");
  CHECK(index.spelled_out(static_cast<uint32_t>(kgs), static_cast<uint32_t>(kgs + 3)));
  const auto aat = nt.text.find("aat");
  CHECK(index.spelled_out(static_cast<uint32_t>(aat), static_cast<uint32_t>(aat + 3)));
  // Covered by the employer's own name, "Ark Academy Trust" spells nothing.
  const auto ark = nt.text.find("ark academy trust");
  SpelledOutIndex covered(nt, {Span{static_cast<uint32_t>(ark), static_cast<uint32_t>(ark + 17)}});
  CHECK_FALSE(covered.spelled_out(static_cast<uint32_t>(aat), static_cast<uint32_t>(aat + 3)));
  CHECK(covered.spelled_out(static_cast<uint32_t>(kgs), static_cast<uint32_t>(kgs + 3)));
}

TEST_CASE("spelled-out index: agrees with the plain scan on generated drafts", "[employer][index][random]") {
  std::mt19937 rng(1201);
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  const std::vector<std::string> words = {"Kent", "Garden", "Supplies", "kent", "garden", "Ark", "Academy", "Trust",
                                          "all",  "about",  "Trip",     "KGS",  "AAT",    "AT",  "K",       "G.",
                                          "(",    "Kelvin", "Grove",    "Sch",  "s",      "A",   "Ab",      "Gx"};
  size_t checks = 0, found = 0;
  for (int round = 0; round < 400; ++round) {
    std::string draft;
    const size_t n = 1 + pick(40);
    for (size_t i = 0; i < n; ++i) {
      draft += words[pick(words.size())];
      draft += pick(6) == 0 ? ", " : pick(9) == 0 ? ". " : " ";
    }
    const auto nt = postguard::text::normalize(draft);
    const uint32_t size = static_cast<uint32_t>(nt.size());
    std::vector<Span> employer;
    for (int k = 0; k < 2 && size > 4; ++k) {
      const auto b = static_cast<uint32_t>(pick(size - 1));
      employer.push_back(Span{b, std::min<uint32_t>(size, b + 1 + static_cast<uint32_t>(pick(12)))});
    }
    SpelledOutIndex index(nt, employer);
    ReferenceScan reference(nt, employer);
    for (int q = 0; q < 30; ++q) {
      // Runs of capitals (the acronyms the engine asks about) and any span.
      uint32_t b = static_cast<uint32_t>(pick(size));
      uint32_t e = b;
      if (q % 2 == 0) {
        while (e < size && nt.upper[e]) ++e;
      } else {
        e = std::min<uint32_t>(size, b + static_cast<uint32_t>(pick(5)));
      }
      INFO("round " << round << " draft " << draft << " span " << b << "-" << e);
      const bool expected = reference.spelled_out(b, e);
      REQUIRE(index.spelled_out(b, e) == expected);
      found += expected;
      ++checks;
      if (q % 10 == 9 && e > b) {  // an employer name found later
        index.cover(Span{b, e});
        reference.cover(Span{b, e});
      }
    }
  }
  CHECK(checks == 12000);
  CHECK(found > 100);  // the drafts do spell acronyms out
}

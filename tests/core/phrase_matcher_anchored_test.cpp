// The word-anchored phrase matcher against a reference: std::string::find
// for every pattern, keeping the matches that start at a boundary (or
// anywhere, for the patterns added `anywhere`). On seeded generated text with
// patterns sharing prefixes and suffixes and non-ASCII bytes, with random
// boundaries, and on every corpus text with its real word boundaries; the
// tables saved and loaded must scan the same.
#include <algorithm>
#include <random>
#include <set>
#include <tuple>


#include "corpus_texts.h"
#include "match/phrase_matcher.h"
#include "test_support.h"
#include "text/normalized_text.h"

using postguard::match::PhraseMatcher;

namespace {

using Match = std::tuple<size_t, size_t, uint32_t>;  // begin, end, id

std::vector<Match> reference(const std::vector<std::string>& patterns, const std::vector<bool>& anywhere,
                             const std::string& text, const std::vector<uint8_t>& boundary) {
  std::vector<Match> out;
  for (uint32_t id = 0; id < patterns.size(); ++id) {
    const auto& p = patterns[id];
    if (p.empty()) continue;
    for (size_t pos = text.find(p); pos != std::string::npos; pos = text.find(p, pos + 1)) {
      if (anywhere[id] || boundary[pos]) out.emplace_back(pos, pos + p.size(), id);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<Match> scan(const PhraseMatcher& m, const std::string& text, const std::vector<uint8_t>& boundary) {
  std::vector<Match> out;
  m.scan(text, boundary.data(), [&](size_t begin, size_t end, uint32_t id) { out.emplace_back(begin, end, id); });
  const size_t reported = out.size();
  std::sort(out.begin(), out.end());
  CHECK(std::adjacent_find(out.begin(), out.end()) == out.end());  // each once
  CHECK(out.size() == reported);
  return out;
}

PhraseMatcher build(const std::vector<std::string>& patterns, const std::vector<bool>& anywhere) {
  PhraseMatcher m;
  for (size_t i = 0; i < patterns.size(); ++i) m.add(patterns[i], anywhere[i]);
  m.compile();
  return m;
}

// A copy viewed in saved bytes (`bytes` must outlive it).
PhraseMatcher reload(const PhraseMatcher& m, std::string& bytes) {
  postguard::match::ByteWriter w;
  m.save(w);
  bytes = w.bytes();
  postguard::match::ByteReader r(bytes);
  PhraseMatcher loaded;
  REQUIRE(loaded.load(r));
  REQUIRE(r.done());
  return loaded;
}

}  // namespace

TEST_CASE("anchored matcher: known cases", "[matcher]") {
  const std::vector<std::string> patterns = {"he", "she", "his", "hers", "pay", "pay rise", "@pay", "\xC3\xA9t\xC3\xA9", "e"};
  const std::vector<bool> anywhere = {false, false, false, false, false, false, true, false, true};
  const PhraseMatcher m = build(patterns, anywhere);
  // "he" at 2 and "she" at 1 start inside "ushers"; "@pay" at 10 inside "she@pay"
  const std::string text = "ushers she@pay pay rise \xC3\xA9t\xC3\xA9";
  std::vector<uint8_t> boundary(text.size() + 1, 0);
  for (size_t b : {0, 6, 7, 10, 11, 14, 15, 18, 19, 23, 24, 29}) boundary[b] = 1;
  const auto got = scan(m, text, boundary);
  CHECK(got == reference(patterns, anywhere, text, boundary));
  // "he" inside "ushers" and "she" starts inside a word: not reported; "e" may start anywhere.
  CHECK(std::count(got.begin(), got.end(), Match{7, 10, 1}) == 1);
  CHECK(std::count(got.begin(), got.end(), Match{1, 3, 0}) == 0);
  CHECK(std::count(got.begin(), got.end(), Match{10, 14, 6}) == 1);  // '@pay' inside "she@pay"
  CHECK(std::count(got.begin(), got.end(), Match{15, 23, 5}) == 1);
  CHECK(std::count(got.begin(), got.end(), Match{24, 29, 7}) == 1);  // at the text's end
  CHECK(scan(m, "", boundary).empty());
}

TEST_CASE("anchored matcher: duplicate and empty patterns", "[matcher]") {
  PhraseMatcher m;
  CHECK(m.add("abc") == 0);
  CHECK(m.add("abc") == 1);
  CHECK(m.add("") == 2);
  m.compile();
  const std::vector<uint8_t> all(6, 1);
  CHECK(scan(m, "xabcx", all) == std::vector<Match>{{1, 4, 0}, {1, 4, 1}});
  CHECK(m.pattern_count() == 3);
  CHECK(m.pattern_length(2) == 0);
  PhraseMatcher none;
  none.compile();
  CHECK(scan(none, "xabcx", all).empty());
}

TEST_CASE("anchored matcher: agrees with the reference on generated text", "[matcher][random]") {
  std::mt19937 rng(20261201);
  // Few letters, so patterns share prefixes and suffixes and overlap in the
  // text; '@' and '#' start the `anywhere` ones; both halves of a two-byte
  // letter and a byte no pattern uses.
  const std::string alphabet = "ab c@#\xC3\xA9\xFF";
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  auto random_string = [&](size_t max_len) {
    std::string s;
    const size_t n = 1 + pick(max_len);
    for (size_t i = 0; i < n; ++i) s.push_back(alphabet[pick(alphabet.size() - 1)]);  // no 0xFF in patterns
    return s;
  };
  for (int round = 0; round < 300; ++round) {
    std::vector<std::string> patterns;
    std::vector<bool> anywhere;
    const size_t count = 1 + pick(40);
    for (size_t i = 0; i < count; ++i) {
      std::string p = random_string(7);
      if (!patterns.empty() && pick(3) == 0) p = patterns[pick(patterns.size())] + p;         // shared prefix
      else if (!patterns.empty() && pick(3) == 0) p = p + patterns[pick(patterns.size())];    // shared suffix
      patterns.push_back(p);
      anywhere.push_back(p[0] == '@' || p[0] == '#' || pick(8) == 0);
    }
    const PhraseMatcher m = build(patterns, anywhere);
    std::string bytes;
    const PhraseMatcher loaded = reload(m, bytes);
    for (int t = 0; t < 4; ++t) {
      std::string text;
      const size_t n = pick(300);
      for (size_t i = 0; i < n; ++i) text.push_back(alphabet[pick(alphabet.size())]);
      if (pick(2) == 0) text = patterns[pick(patterns.size())] + text + patterns[pick(patterns.size())];  // at both ends
      std::vector<uint8_t> boundary(text.size() + 1, 0);
      for (size_t i = 0; i < boundary.size(); ++i) boundary[i] = pick(3) == 0 || i == 0;
      if (t == 3) std::fill(boundary.begin(), boundary.end(), 1);
      INFO("round " << round << " text " << t);
      const auto expected = reference(patterns, anywhere, text, boundary);
      REQUIRE(scan(m, text, boundary) == expected);
      REQUIRE(scan(loaded, text, boundary) == expected);
    }
  }
}

TEST_CASE("anchored matcher: agrees with the reference on every corpus text", "[matcher][corpus]") {
  const std::vector<std::string> texts = pgtest::all_corpus_texts();
  REQUIRE(texts.size() > 2000);
  // Patterns cut from the folded corpus itself (so they occur, also inside
  // words, across word gaps and in non-ASCII text), with prefixes and
  // suffixes of one another; a fifth may start anywhere.
  std::vector<postguard::text::NormalizedText> folded;
  for (const auto& t : texts) folded.push_back(postguard::text::normalize(t));
  std::mt19937 rng(42);
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  std::set<std::string> unique;
  while (unique.size() < 1500) {
    const std::string& f = folded[pick(folded.size())].text;
    if (f.size() < 2) continue;
    const size_t at = pick(f.size() - 1);
    const std::string p = f.substr(at, 1 + pick(std::min<size_t>(24, f.size() - at)));
    unique.insert(p);
    if (p.size() > 3) unique.insert(p.substr(0, p.size() - 2));
    if (p.size() > 3) unique.insert(p.substr(2));
  }
  std::vector<std::string> patterns(unique.begin(), unique.end());
  std::vector<bool> anywhere;
  for (size_t i = 0; i < patterns.size(); ++i) anywhere.push_back(pick(5) == 0);
  const PhraseMatcher m = build(patterns, anywhere);
  std::string bytes;
  const PhraseMatcher loaded = reload(m, bytes);
  // All texts joined (one scan, one reference pass), with their own boundaries.
  std::string all;
  std::vector<uint8_t> boundary;
  for (const auto& f : folded) {
    all += f.text;
    boundary.insert(boundary.end(), f.boundary.begin(), f.boundary.begin() + static_cast<std::ptrdiff_t>(f.size()));
  }
  boundary.push_back(1);
  const auto expected = reference(patterns, anywhere, all, boundary);
  CHECK(expected.size() > 100000);
  CHECK(scan(m, all, boundary) == expected);
  CHECK(scan(loaded, all, boundary) == expected);
  // And each text on its own (a match at a text's very start and end).
  size_t checked = 0;
  for (size_t k = 0; k < folded.size(); k += 7) {
    const auto& f = folded[k];
    INFO("text " << k);
    REQUIRE(scan(m, f.text, f.boundary) == reference(patterns, anywhere, f.text, f.boundary));
    ++checked;
  }
  CHECK(checked > 300);
}

TEST_CASE("anchored matcher: scan_everywhere reports every occurrence", "[matcher]") {
  const std::vector<std::string> patterns = {"ab", "b", "abab", "ba"};
  const std::vector<bool> anywhere(patterns.size(), false);
  const PhraseMatcher m = build(patterns, anywhere);
  const std::string text = "ababab";
  std::vector<Match> got;
  m.scan_everywhere(text, [&](size_t b, size_t e, uint32_t id) { got.emplace_back(b, e, id); });
  std::sort(got.begin(), got.end());
  CHECK(got == reference(patterns, anywhere, text, std::vector<uint8_t>(text.size() + 1, 1)));
}

TEST_CASE("anchored matcher: any nonzero boundary entry is a boundary", "[matcher]") {
  // The scan reads the boundary entries eight at a time and keeps one bit per
  // nonzero entry: entries other than 1 (a high bit alone, all bits, low bits
  // that carry) must each start exactly one walk, in every lane of the eight
  // and in the tail past the last full eight.
  std::mt19937 rng(7);
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  const std::vector<std::string> patterns = {"a", "ab", "ba", "b b", "aab", "@a"};
  const std::vector<bool> anywhere = {false, false, false, false, false, true};
  const PhraseMatcher m = build(patterns, anywhere);
  const uint8_t values[] = {1, 2, 0x7F, 0x80, 0x81, 0xFE, 0xFF};
  for (int round = 0; round < 200; ++round) {
    std::string text;
    const size_t n = pick(70);
    for (size_t i = 0; i < n; ++i) text.push_back("ab @"[pick(4)]);
    std::vector<uint8_t> boundary(text.size() + 1, 0), ones(text.size() + 1, 0);
    for (size_t i = 0; i < boundary.size(); ++i) {
      if (pick(2) == 0) {
        boundary[i] = values[pick(sizeof values)];
        ones[i] = 1;
      }
    }
    INFO("round " << round);
    const auto expected = reference(patterns, anywhere, text, ones);
    REQUIRE(scan(m, text, boundary) == expected);
    REQUIRE(scan(m, text, ones) == expected);
  }
}

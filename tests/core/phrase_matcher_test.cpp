// The Aho-Corasick matcher against a brute-force search (differential test).
#include <algorithm>
#include <random>
#include <set>

#include "match/phrase_matcher.h"
#include "test_support.h"

using postguard::match::PhraseMatcher;

namespace {

std::vector<std::pair<size_t, uint32_t>> brute(const std::vector<std::string>& patterns, const std::string& text) {
  std::vector<std::pair<size_t, uint32_t>> out;
  for (uint32_t id = 0; id < patterns.size(); ++id) {
    const auto& p = patterns[id];
    for (size_t pos = text.find(p); pos != std::string::npos; pos = text.find(p, pos + 1)) out.emplace_back(pos + p.size(), id);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::pair<size_t, uint32_t>> scan(const PhraseMatcher& m, const std::string& text) {
  std::vector<std::pair<size_t, uint32_t>> out;
  size_t last_begin = 0;
  bool ordered = true;
  m.scan_everywhere(text, [&](size_t begin, size_t end, uint32_t id) {
    ordered = ordered && begin >= last_begin && end - begin == m.pattern_length(id);
    last_begin = begin;
    out.emplace_back(end, id);
  });
  CHECK(ordered);  // documented: in order of begin
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("phrase matcher: known cases", "[matcher]") {
  PhraseMatcher m;
  const std::vector<std::string> patterns = {"he", "she", "his", "hers", "pay", "pay rise", "\xC3\xA9t\xC3\xA9"};
  for (const auto& p : patterns) m.add(p);
  m.compile();
  CHECK(m.pattern_count() == patterns.size());
  CHECK(m.pattern_length(5) == 8);
  const std::string text = "ushers get a pay rise in \xC3\xA9t\xC3\xA9";
  CHECK(scan(m, text) == brute(patterns, text));
  CHECK(scan(m, "").empty());
  CHECK(m.memory_bytes() > 0);
}

TEST_CASE("phrase matcher: duplicate patterns get their own ids", "[matcher]") {
  PhraseMatcher m;
  CHECK(m.add("abc") == 0);
  CHECK(m.add("abc") == 1);
  m.compile();
  CHECK(scan(m, "xabcx") == std::vector<std::pair<size_t, uint32_t>>{{4, 0}, {4, 1}});
}

TEST_CASE("phrase matcher: agrees with brute force on random input", "[matcher][random]") {
  std::mt19937 rng(7);
  const std::string alphabet = "ab c\xC3\xA9";  // bytes, including a multi-byte letter's halves
  auto random_string = [&](size_t max_len) {
    std::string s;
    const size_t n = std::uniform_int_distribution<size_t>(1, max_len)(rng);
    for (size_t i = 0; i < n; ++i) s.push_back(alphabet[std::uniform_int_distribution<size_t>(0, alphabet.size() - 1)(rng)]);
    return s;
  };
  for (int round = 0; round < 200; ++round) {
    PhraseMatcher m;
    std::vector<std::string> patterns;
    const int count = std::uniform_int_distribution<int>(1, 30)(rng);
    for (int i = 0; i < count; ++i) {
      patterns.push_back(random_string(6));
      m.add(patterns.back());
    }
    m.compile();
    for (int t = 0; t < 5; ++t) {
      std::string text = random_string(200);
      text += std::string("\xFF\x00zz", 4);  // bytes no pattern uses
      INFO("round " << round);
      REQUIRE(scan(m, text) == brute(patterns, text));
    }
  }
}

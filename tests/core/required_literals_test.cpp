// The regex prefilter's required literals (StartSet::tail): a literal run or
// a group of literal alternatives anywhere in a pattern's top-level sequence,
// or inside a positive lookahead, that every match must hold. A regex is only
// handed to ICU at a start whose run of span bytes holds one of them.
#include <catch2/catch.hpp>

#include <random>
#include <set>
#include <string>
#include <vector>

#include "compiled_regex.h"
#include "match/regex_prefilter.h"
#include "pack_regexes.h"
#include "rules/hits.h"

using postguard::match::start_set;

TEST_CASE("required literals: runs and groups anywhere in the sequence, and in a lookahead", "[prefilter]") {
  CHECK(start_set("\\b\\d+(?:\\.\\d+)? ?%").tail == std::vector<std::string>{"%"});
  CHECK(start_set("\\b(?:follow|add)(?: [a-z'.-]+){1,5} back\\b").tail == std::vector<std::string>{" back"});
  CHECK(start_set("\\b(?:mr|mrs)\\.? [a-z'-]+ here\\b").tail == std::vector<std::string>{" here"});
  // An escaped sign is a literal character: " (" beats the one-letter group.
  CHECK(start_set("\\b(?:it's|its) [a-z'-]+ \\((?:ta|hlta)\\)").tail == std::vector<std::string>{" ("});
  // Inside a trailing positive lookahead; "[^\n]" lets the match run to a new line only.
  const auto s = start_set("\\b(?:seesaw|teams)\\b(?=[^\\n]{0,80}?\\b(?:message|dm) me (?:there|on it)\\b)");
  CHECK(s.tail == std::vector<std::string>{"on it", "there"});
  CHECK(s.span['x']);
  CHECK(s.span[0xE2]);
  CHECK_FALSE(s.span['\n']);
  // The search for "on it" / "there" stops where a match's reach ends:
  // "seesaw" 6 + 80 characters of up to 4 bytes + "message" 7 + " me " 4 +
  // "there" 5.
  CHECK(s.tail_window == 6 + 320 + 7 + 4 + 5);
  CHECK(start_set("\\b\\d+(?:\\.\\d+)? ?%").tail_window == 0);  // "+": no limit
  CHECK(start_set("\\bab{2,5} ?%").tail_window == 1 + 5 + 1 + 1);
  // Not required: optional or repeated parts, the first element (the start
  // set tests it), negative lookarounds, and fixed-length patterns (ICU
  // rejects a wrong start quickly there).
  CHECK(start_set("\\b\\d+ ?(?:%)?").tail.empty());
  CHECK(start_set("\\bab+c?").tail.empty());
  CHECK(start_set("\\b(?:uncle|aunt) [a-z]+\\b(?! (?:of|from))").tail.empty());  // " " alone: too weak
  CHECK(start_set("\\bnew head\\b(?! (?:boy|girl))").tail.empty());
  // Escapes whose letters mean a character are not read as those letters.
  CHECK(start_set("\\b\\d+ \\u00e9+ ok").tail.empty());
  // A range in a negated class is not worked out: no span, no tail.
  CHECK(start_set("\\bx[^a-z]+ done").tail.empty());
}

namespace {

// Text made of the pack regexes' own required literals and prefixes, glued
// with the bytes around them, so that near-misses (a literal with the wrong
// bytes before it, past a full stop or a new line) are common.
std::vector<std::string> pieces_from_packs(const std::vector<std::string>& regexes) {
  std::set<std::string> out = {" ", " ", ".", "\n", "7", "42", "3.5", "@", "'", "-", "(", ")", "x", "a", "£", "é", "mr ", "is "};
  for (const auto& r : regexes) {
    const auto st = start_set(r);
    for (const auto& t : st.tail) out.insert(t);
    for (const auto& t : st.prefixes) out.insert(t);
  }
  return {out.begin(), out.end()};
}

}  // namespace

TEST_CASE("required literals never drop a match: every pack regex vs ICU's find() over near-miss text", "[prefilter]") {
  const auto regexes = pgtest::pack_regexes();
  REQUIRE(regexes.size() >= 5);
  const auto pieces = pieces_from_packs(regexes);
  std::mt19937 rng(11);
  size_t with_tail = 0, matched = 0;
  for (const auto& pattern : regexes) {
    INFO("pattern: " << pattern);
    const auto fast = pgtest::compiled_regex(pattern, true);
    const auto slow = pgtest::compiled_regex(pattern, false);
    with_tail += fast.start.tail.empty() ? 0 : 1;
    for (int round = 0; round < 200; ++round) {
      std::string text;
      // Every fourth text is long, past the reach of the bounded patterns.
      const size_t n = round % 4 == 3 ? 100 + rng() % 150 : 10 + rng() % 30;
      for (size_t k = 0; k < n; ++k) text += pieces[rng() % pieces.size()];
      const postguard::rules::RegexInput in(text);
      std::vector<postguard::rules::Span> a, b;
      postguard::rules::find_all(fast, in, a);
      postguard::rules::find_all(slow, in, b);
      INFO("text: " << text);
      REQUIRE(a == b);
      matched += b.empty() ? 0 : 1;
    }
  }
  CHECK(with_tail >= 10);  // the packs' quantified patterns mostly have one
  CHECK(matched > 0);      // the texts do reach matches, not only near-misses
}

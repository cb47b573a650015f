// The regex prefilter's literal prefixes read past the leading group
// ("(?:it's|this is) (?:sir|miss)" -> "it's sir", ...), a leading group whose
// alternatives each start with \b counts as starting at a word boundary, and
// the tail literals are searched once per run of span bytes (literal first)
// instead of again from every start. None of it may change a match: each
// regex must find exactly what ICU's own find() finds.
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
using postguard::rules::find_all;
using postguard::rules::RegexInput;
using postguard::rules::RegexJob;
using postguard::rules::Span;

TEST_CASE("literal prefixes: through literal text and groups of literal alternatives", "[prefilter][prefixes]") {
  CHECK(start_set("\\b(?:it's|this is) (?:sir|miss)(?=[.,!?)\\n]| x\\b)").prefixes ==
        std::vector<std::string>{"it's sir", "it's miss", "this is sir", "this is miss"});
  // A \b first in an alternative consumes nothing.
  const auto means = start_set("(?:\\bmeans?|\\bequal to|=) (?:losing )?(?:post|job)\\b");
  CHECK(means.prefixes == std::vector<std::string>{"mean", "equal to ", "= "});
  CHECK(means.at_word_boundary);  // every alternative starts with \b or a sign
  // The prefixes' bytes feed the shared pass's tables at offsets 0-3.
  const auto short_means = start_set("(?:\\bmeans?|=) x");
  REQUIRE(short_means.ahead.size() >= 3);
  CHECK(short_means.ahead[0] == std::vector<unsigned char>{'=', 'm'});
  CHECK(short_means.ahead[2] == std::vector<unsigned char>{'a', 'x'});
  // An optional sign lets a word character start the match: no boundary known.
  CHECK_FALSE(start_set("(?:\\bmean|=?x) y").at_word_boundary);
  CHECK_FALSE(start_set("(?:mean|=) y").at_word_boundary);
  // A plain leading word, an escaped sign, an optional or repeated character.
  CHECK(start_set("\\bpay\\b(?! (?:award|deal))").prefixes == std::vector<std::string>{"pay"});
  CHECK(start_set("\\bof your (?:kids|children)\\b").prefixes == std::vector<std::string>{"of your kids", "of your children"});
  CHECK(start_set("\\b(?:mr|mrs)\\. [a-z]").prefixes == std::vector<std::string>{"mr. ", "mrs. "});
  CHECK(start_set("\\bex-?[a-z]+").prefixes == std::vector<std::string>{"ex"});
  CHECK(start_set("\\b(?:follow(?:ed|ing)?|add) x").prefixes == std::vector<std::string>{"follow", "add x"});
  CHECK(start_set("\\b(?:ab+c|d) x").prefixes == std::vector<std::string>{"ab", "d x"});
  // A whole UTF-8 character is optional, not its last byte.
  CHECK(start_set("\\b(?:café?|caf) x").prefixes == std::vector<std::string>{"caf", "caf x"});
  // One byte is not enough for a leading word: the second-byte test knows more.
  CHECK(start_set("\\bx?y").prefixes.empty());
  // "a|b" at the top level: nothing is known (the first alternative alone would drop b's matches).
  CHECK_FALSE(start_set("ab|z").known);
  CHECK_FALSE(start_set("(?:a)b|z").known);
  CHECK(start_set("(?:ab|z)").known);
}

namespace {

std::vector<Span> icu_find(const std::string& pattern, const RegexInput& in) {
  const auto slow = pgtest::compiled_regex(pattern, false);
  std::vector<Span> out;
  find_all(slow, in, out);
  return out;
}

// The pattern's own start set without its tail literals: every start the
// rest of the prefilter allows goes to ICU.
postguard::CompiledRegex without_tail(const std::string& pattern) {
  auto r = pgtest::compiled_regex(pattern, true);
  r.start.tail.clear();
  r.start.tail_at.fill(0);
  return r;
}

}  // namespace

TEST_CASE("tail search: the same matches with and without it, at the text's ends and over overlapping starts",
          "[prefilter][tail]") {
  // Hand-made shapes: a common first word and a rare literal far on, with
  // and without a bound on the reach, several literals sharing a first byte,
  // and literals that overlap each other.
  const std::vector<std::string> patterns = {
      "(?:\\bmeans?|\\bequals?|=) (?:losing )?(?:a |two |[a-z]+'s )?(?:post|posts|job|jobs|role)\\b",
      "\\b(?:the|a) (?:[a-z]+ ){0,3}(?:post|postbox|job)\\b",
      "\\b(?:the|a) [a-z ]+(?:post|postbox|job)\\b",
      "\\bof (?:the )?(?:[a-z]+ ){0,2}(?:pos|post|postie)s?\\b",
      "\\b(?:it's|its) [a-z'-]+ \\((?:ta|tutor)\\)",
      "(?:=|\\bis) [a-z]{1,6} ?(?:ab|aba|bab)",
  };
  const std::vector<std::string> pieces = {"means", "mean", "equals", "=", " ", " ", " ", "two ", "a ", "the ", "of ",
                                           "post", "posts", "postbox", "pos", "postie", "job", "jobs", "role", "ta",
                                           "'s ", ".", ",", "it's ", "its ", "(", ")", "(ta)", "is ", "ab", "ba",
                                           "losing ", "teaching ", "x", "é", "\n"};
  std::mt19937 rng(7);
  size_t with_tail = 0, matched = 0, at_start = 0, at_end = 0;
  for (const auto& pattern : patterns) {
    INFO("pattern: " << pattern);
    const auto fast = pgtest::compiled_regex(pattern, true);
    const auto plain = without_tail(pattern);
    with_tail += fast.start.tail.empty() ? 0 : 1;
    for (int round = 0; round < 400; ++round) {
      std::string text;
      const size_t n = round % 5 == 4 ? 200 + rng() % 200 : 3 + rng() % 25;
      for (size_t k = 0; k < n; ++k) text += pieces[rng() % pieces.size()];
      const RegexInput in(text);
      INFO("text: " << text);
      const std::vector<Span> expected = icu_find(pattern, in);
      std::vector<Span> one, shared, untailed;
      find_all(fast, in, one);  // the single-regex scan
      std::vector<Span> other;
      const auto second = pgtest::compiled_regex("\\bjob\\b", true);
      find_all(std::vector<RegexJob>{{&fast, &shared}, {&second, &other}}, in);  // the shared pass
      find_all(plain, in, untailed);
      REQUIRE(one == expected);
      REQUIRE(shared == expected);
      REQUIRE(untailed == expected);
      matched += expected.empty() ? 0 : 1;
      for (const Span& s : expected) {
        at_start += s.begin == 0 ? 1 : 0;
        at_end += s.end == text.size() ? 1 : 0;
      }
    }
  }
  CHECK(with_tail >= 5);
  CHECK(matched > 100);
  CHECK(at_start > 0);  // the texts reach both ends
  CHECK(at_end > 0);
}

TEST_CASE("tail search and prefixes: every pack regex finds what ICU finds over text of its own literals",
          "[prefilter][tail]") {
  const auto regexes = pgtest::pack_regexes();
  REQUIRE(regexes.size() >= 5);
  std::set<std::string> piece_set = {" ", " ", " ", ".", ",", "\n", "7", "42", "'", "-", "(", ")", "x", "£", "é", "=", "is "};
  for (const auto& r : regexes) {
    const auto st = start_set(r);
    for (const auto& t : st.tail) piece_set.insert(t);
    for (const auto& t : st.prefixes) piece_set.insert(t);
  }
  const std::vector<std::string> pieces(piece_set.begin(), piece_set.end());
  std::mt19937 rng(23);
  size_t matched = 0;
  for (const auto& pattern : regexes) {
    INFO("pattern: " << pattern);
    const auto fast = pgtest::compiled_regex(pattern, true);
    for (int round = 0; round < 60; ++round) {
      std::string text;
      const size_t n = round % 4 == 3 ? 80 + rng() % 120 : 4 + rng() % 20;
      for (size_t k = 0; k < n; ++k) text += pieces[rng() % pieces.size()];
      const RegexInput in(text);
      INFO("text: " << text);
      std::vector<Span> shared;
      find_all(std::vector<RegexJob>{{&fast, &shared}}, in);
      const auto expected = icu_find(pattern, in);
      REQUIRE(shared == expected);
      matched += expected.empty() ? 0 : 1;
    }
  }
  CHECK(matched > 0);
}

// The bytes around a match start that the regex prefilter works out (ahead:
// the first characters and lookaheads; behind: a fixed-length lookbehind)
// must never drop a real match: the shared pass and the one-regex pass are
// held against ICU's own find() over random text made to nearly match.
#include <catch2/catch.hpp>

#include <unicode/regex.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "engine/compiled_policy.h"
#include "match/regex_prefilter.h"
#include "compiled_regex.h"
#include "rules/hits.h"

namespace {

using postguard::match::start_set;

bool lists(const std::vector<unsigned char>& l, const std::string& bytes) {
  return l == std::vector<unsigned char>(bytes.begin(), bytes.end());
}

// Shapes the prefilter reads, and shapes it must not over-read (alternatives
// of different lengths, optional parts, variable-length lookbehinds,
// non-ASCII digits and white space, multi-byte literals).
const std::vector<std::string> kPatterns = {
    "(?<=[.!?:;] )[a-z](?= \\((?:y|yr|year|class))",
    "(?<=, )[a-z](?=, )",
    "(?<=ab|c)x",
    "(?<=a)(?<=[ab])x",
    "(?<![a-z])@[a-z]+",
    "a(?=bc)b",
    "a(?=b)bcd",
    "a(?=b|cd)",
    "(?:ab|cd)e",
    "(?:ab|c)d",
    "(?:a|b)+c",
    "x\\s?y",
    "x\\sy",
    "\\d{2}z",
    "[\\d,]+k",
    "\\b\\d+ ?%",
    "£ ?\\d",
    "é(?=x)",
    "(?<=é)a",
    "(?<=\\.)b",
    "a(?!b)c",
    "\\ba\\.b",
    "q(?:u|)i",
    "\\bof (?:the |a )?[a-z]+ (?:garden|plot)\\b",
    "\\b(?:mr|mrs)\\.? [a-z]+ here\\b",
    "(?<=[a-z0-9._-])@(?:gmail|me)\\.(?:com|co\\.uk)\\b",
    "\\b(?:07|7)\\d{3} ?\\d{3}\\b",
    "(?<=(?:^|[.!?\\n])\\s{0,3})(?:mum|dad)\\b",
    // Tails: a last group every match ends with, and the bytes a match can hold.
    "\\bof (?:the |a )?(?:(?!(?:in|at)\\b)[a-z0-9'-]+ ){0,3}(?:garden|plots?|bug hotel)\\b",
    "(?:a|b)[a-z ]{0,6}(?:cd|e)",
    "x[a-z, ]+(?:ab|\xC3\xA9)\\b",
    "\\d+ ?(?:k|grand)\\b",
    "\\bmr\\s+(?:here|there)(?! now)",
    "y(?:es|ou)?",
};

std::string random_text(std::mt19937& rng, size_t n) {
  static const std::vector<std::string> pieces = {
      "a", "b", "c", "d", "e", "x", "y", "z", "q", "u", "i", "k", "yr", "class", " ", " ", ",", ", ", ". ", ": ", "! ",
      "(", " (", " (y", " (yr", "@", "@me.com", "@gmail.co.uk", "ab", "cd", "bc", "bcd", "7", "07", "12", "3", "%",
      " %", "£", "£ ", "\xC3\xA9", "\xC3\xA9x", "\xD9\xA3",  // é, éx, Arabic-Indic digit three
      "\xC2\xA0", "\xE2\x80\x83", "\n", "of the ", "of a ", "garden", "plot", "mr", "mrs", "mr.", " here", "mum",
      "dad", "qi", "qui", "\xF0\x9F\x98\x80", "-", ".", "in ", "at ", "plot", "plots", "bug hotel", "bug", "hotel",
      "painting", "'", "k", "grand", "mr ", "here", "there", " now", "you", "yes", "cd", "xab", "x,"};
  std::string s;
  while (s.size() < n) s += pieces[rng() % pieces.size()];
  return s;
}

}  // namespace

TEST_CASE("regex prefilter: bytes ahead of and behind a match start", "[prefilter]") {
  auto s = start_set("(?<=[.!?:;] )[a-z](?= \\((?:y|yr|year|class|age|aged))");
  REQUIRE(s.ahead.size() == 4);
  CHECK(lists(s.ahead[0], "abcdefghijklmnopqrstuvwxyz"));
  CHECK(lists(s.ahead[1], " "));
  CHECK(lists(s.ahead[2], "("));
  CHECK(lists(s.ahead[3], "acy"));  // y|yr|year|class|age|aged: the first letters
  REQUIRE(s.behind.size() == 2);
  CHECK(lists(s.behind[0], " "));
  CHECK(lists(s.behind[1], "!.:;?"));

  s = start_set("\\b(?:password|pin)\\b");  // "pa" / "pi": then the alternatives differ in length
  REQUIRE(s.ahead.size() == 3);
  CHECK(lists(s.ahead[1], "ai"));
  CHECK(lists(s.ahead[2], "ns"));

  s = start_set("£ ?\\d");  // a multi-byte literal, then an optional space: nothing after it
  REQUIRE(s.ahead.size() == 2);
  CHECK(lists(s.ahead[0], "\xC2"));
  CHECK(lists(s.ahead[1], "\xA3"));

  CHECK(start_set("(?<=ab|c)x").behind.empty());      // lookbehind alternatives of two lengths
  CHECK(start_set("(?<=a {0,2})x").behind.empty());  // a variable-length lookbehind
  CHECK(start_set("(?<![a-z])x").behind.empty());    // a negative one says nothing
  CHECK(start_set("x|(?<=a)y").behind.empty());      // top-level alternatives
  CHECK(lists(start_set("(?<=a)(?<=[ab])x").behind[0], "a"));  // both hold

  s = start_set("a(?=b|cd)");  // the lookahead reaches past the match: still a constraint
  REQUIRE(s.ahead.size() == 2);
  CHECK(lists(s.ahead[1], "bc"));
  s = start_set("\\d\\d");  // \d can be a non-ASCII digit: one position, lead bytes included
  REQUIRE(s.ahead.size() == 1);
  CHECK(std::count(s.ahead[0].begin(), s.ahead[0].end(), 0xD9) == 1);  // "٣" is U+0663, D9 A3
  CHECK(std::count(s.ahead[0].begin(), s.ahead[0].end(), 0xE2) == 0);  // "–" is not a digit
  CHECK(start_set("x\\s?y").ahead.size() == 1);  // an optional element ends what is known
  CHECK(start_set("(?:a|b)+c").ahead.size() == 1);
  CHECK(start_set("a.b").ahead.size() == 1);
}

TEST_CASE("regex prefilter: the literals every match ends with, and the bytes it can hold", "[prefilter]") {
  auto s = start_set("\\bof (?:the |a )?(?:[a-z0-9'-]+ ){0,4}(?:garden|paintings?|bug hotel)\\b");
  CHECK(s.tail == std::vector<std::string>{"bug hotel", "garden", "painting"});
  CHECK(s.span['z']);
  CHECK(s.span[' ']);
  CHECK(s.span['\'']);
  CHECK_FALSE(s.span['.']);  // the match cannot run past a full stop
  CHECK_FALSE(s.span[',']);
  CHECK_FALSE(start_set("a{2,5}(?:b|c)").span['5']);  // "{2,5}" is a count, not text
  CHECK_FALSE(start_set("a{2,5}(?:b|c)").span[',']);
  CHECK(s.tail_at['g' + 1] - s.tail_at['g'] == 1);
  CHECK(start_set("\\bpay\\b(?! (?:award|deal))").tail.empty());  // the last group is a lookahead's
  CHECK(start_set("a(?:b|c)?").tail.empty());                       // optional
  CHECK(start_set("a(?:b|c)+").tail.empty());                       // repeated
  CHECK(start_set("a(?:b|c)d").tail.empty());                       // not last
  CHECK(start_set("a.(?:b|c)").tail.empty());                       // "." can be any character
  CHECK(start_set("a\\S+(?:b|c)").tail.empty());
  CHECK(start_set("a(?:b|c)|d").tail.empty());  // top-level alternatives
  CHECK(start_set("a(?:b|[cd])").tail.empty());  // an alternative with no literal start
  s = start_set("\\d+ ?(?:k|grand)\\b");
  CHECK(s.tail == std::vector<std::string>{"grand", "k"});
  CHECK(s.span[0xD9]);  // "٣": a digit may be any multi-byte character's bytes
  CHECK(s.span[0xA3]);
}

TEST_CASE("regex prefilter: ahead and behind never drop a match (random near-matches)", "[prefilter]") {
  std::vector<postguard::CompiledRegex> fast, slow;
  for (const auto& p : kPatterns) {
    fast.push_back(pgtest::compiled_regex(p, true));
    slow.push_back(pgtest::compiled_regex(p, false));
  }
  std::mt19937 rng(29);
  size_t found = 0;
  for (int round = 0; round < 1500; ++round) {
    const std::string text = random_text(rng, 1 + rng() % 200);
    const postguard::rules::RegexInput in(text);
    std::vector<std::vector<postguard::rules::Span>> shared(kPatterns.size()), want(kPatterns.size());
    std::vector<postguard::rules::RegexJob> jobs;
    for (size_t k = 0; k < kPatterns.size(); ++k) {
      if (fast[k].start.known) jobs.push_back({&fast[k], &shared[k]});
      postguard::rules::find_all(slow[k], in, want[k]);
    }
    postguard::rules::find_all(jobs, in);
    for (size_t k = 0; k < kPatterns.size(); ++k) {
      INFO("pattern: " << kPatterns[k] << "\ntext: " << text);
      std::vector<postguard::rules::Span> one;
      postguard::rules::find_all(fast[k], in, one);
      REQUIRE(one == want[k]);
      if (fast[k].start.known) REQUIRE(shared[k] == want[k]);
      found += want[k].size();
    }
  }
  CHECK(found > 500);  // the texts do hit the patterns
}

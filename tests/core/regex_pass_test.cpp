// The shared regex pass (all regexes of a check in one walk over the text)
// must find exactly what ICU's own find() finds, regex by regex, and the
// second-character prefilter must never drop a real match start.
#include <catch2/catch.hpp>

#include <unicode/regex.h>

#include <fstream>
#include <random>
#include <sstream>

#include <nlohmann/json.hpp>

#include "engine/compiled_policy.h"
#include "match/regex_prefilter.h"
#include "pack_regexes.h"
#include "compiled_regex.h"
#include "rules/hits.h"

namespace {

std::string random_folded(std::mt19937& rng, size_t n) {
  static const std::vector<std::string> pieces = {
      "a", "e", "x", "p", "l", "w", "u", "0", "7", "4", " ", " ", ".", ":", "-", "/", "@", "#", "!", "'", "£", "%",
      "password", "pass", "login", "log-in", "wifi", "pin", "is", " k", "grand", "ex-", "ex", "kids", "@mr.", "@gmail.com",
      "07700 900", "y7", "a year 9", "a y", "\xC3\xA9", "\xF0\x9F\x98\x80", "username", "details", "–", "for the office",
      "£5", "£", "10%", "3.5k"};
  std::string s;
  while (s.size() < n) s += pieces[rng() % pieces.size()];
  return s;
}

}  // namespace

TEST_CASE("shared regex pass: same spans as ICU's find() for every pack regex together", "[prefilter]") {
  const auto patterns = pgtest::pack_regexes();
  REQUIRE(patterns.size() >= 8);
  std::vector<postguard::CompiledRegex> fast, slow;
  for (const auto& p : patterns) {
    fast.push_back(pgtest::compiled_regex(p, true));
    slow.push_back(pgtest::compiled_regex(p, false));
  }
  std::mt19937 rng(11);
  for (int round = 0; round < 400; ++round) {
    const std::string text = random_folded(rng, 1 + rng() % 400);
    const postguard::rules::RegexInput in(text);
    std::vector<std::vector<postguard::rules::Span>> got(patterns.size()), want(patterns.size());
    std::vector<postguard::rules::RegexJob> jobs;
    for (size_t k = 0; k < patterns.size(); ++k) {
      jobs.push_back({&fast[k], &got[k]});
      postguard::rules::find_all(slow[k], in, want[k]);
    }
    postguard::rules::find_all(jobs, in);
    for (size_t k = 0; k < patterns.size(); ++k) {
      INFO("pattern: " << patterns[k] << "\ntext: " << text);
      REQUIRE(got[k] == want[k]);
    }
  }
}

TEST_CASE("shared regex pass: more than 64 regexes", "[prefilter]") {
  std::vector<postguard::CompiledRegex> fast, slow;
  for (int k = 0; k < 70; ++k) {
    const std::string p = "\\b" + std::string(1, static_cast<char>('a' + k % 26)) + "[a-z]" + (k % 2 ? "x" : "");
    fast.push_back(pgtest::compiled_regex(p, true));
    slow.push_back(pgtest::compiled_regex(p, false));
  }
  const std::string text = "ab cd ex fax gab hix zz qqx abx";
  const postguard::rules::RegexInput in(text);
  std::vector<std::vector<postguard::rules::Span>> got(fast.size()), want(fast.size());
  std::vector<postguard::rules::RegexJob> jobs;
  for (size_t k = 0; k < fast.size(); ++k) {
    jobs.push_back({&fast[k], &got[k]});
    postguard::rules::find_all(slow[k], in, want[k]);
  }
  postguard::rules::find_all(jobs, in);
  size_t found = 0;
  for (size_t k = 0; k < fast.size(); ++k) {
    REQUIRE(got[k] == want[k]);
    found += got[k].size();
  }
  CHECK(found > 5);
}

TEST_CASE("regex prefilter: second character of a match", "[prefilter]") {
  using postguard::match::start_set;
  auto s = start_set("\\bex-?[a-z'-]+ (?:kids|pupils)\\b");
  REQUIRE(s.second_known);
  CHECK(s.second['x']);
  CHECK_FALSE(s.second['e']);
  s = start_set("(?<=[a-z0-9._-])@(?:gmail|me)\\.com");
  REQUIRE(s.second_known);
  CHECK(s.second['g']);
  CHECK(s.second['m']);
  CHECK_FALSE(s.second['x']);
  CHECK_FALSE(start_set("ab|cd").second_known);   // top-level alternatives
  CHECK_FALSE(start_set("a?b").second_known);     // optional first character
  CHECK_FALSE(start_set("a+b").second_known);     // repeated first character
  CHECK_FALSE(start_set("ab?c").second_known);    // optional second character
  CHECK_FALSE(start_set("\\d\\d").second_known);  // first element not a plain character
  CHECK_FALSE(start_set("a").second_known);       // no second character
}

// The regex pass's literal-first mode (match/regex_factors.h): each regex's
// required literals and their window are worked out from the pattern, and a
// long draft's pass tries a regex only at the starts its literals allow. It
// may never change a match: the spans must be exactly those of the byte scan
// (every byte tested against every regex's start set), on generated drafts
// and on every corpus text.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>


#include "compiled_regex.h"
#include "corpus_texts.h"
#include "match/regex_factors.h"
#include "match/regex_prefilter.h"
#include "pack_regexes.h"
#include "rules/hits.h"
#include "text/normalized_text.h"

using postguard::CompiledRegex;
using postguard::match::kFactorUnbounded;
using postguard::match::start_set;
using postguard::rules::find_all;
using postguard::rules::RegexInput;
using postguard::rules::RegexJob;
using postguard::rules::RegexPass;
using postguard::rules::Span;

namespace {

postguard::match::RegexFactors factors(const std::string& p) { return start_set(p).factors; }

// Each regex's spans from one shared pass over `text` (folded), made the given way.
std::vector<std::vector<Span>> spans(const std::vector<CompiledRegex>& regexes, const std::string& text, RegexPass how) {
  const RegexInput in(text);
  std::vector<std::vector<Span>> out(regexes.size());
  std::vector<RegexJob> jobs;
  for (size_t k = 0; k < regexes.size(); ++k) jobs.push_back({&regexes[k], &out[k]});
  find_all(jobs, in, how);
  return out;
}

// Folded drafts built from pieces that the pack regexes and the tests'
// patterns look for, with non-ASCII characters, punctuation and random bytes
// between them (the seeded generator repeats every run).
std::string random_folded(std::mt19937& rng, size_t pieces) {
  static const std::vector<std::string> words = {
      "the ", "of ", "of the ", "my ", "our ", "this ", "it's ", "it is ", "this is ", "mr ", "miss ", "sir ", "mrs ",
      "password", " is ", ": ", "wifi ", "login ", "pin ", "code ", "1234", "07700 900 123", "£", "£12k", "20%", "5 grand",
      "a*", "3 a*s", "all a*", "from the hospital ", "came ", "@", "@mr_smith", "gmail.com", "follow ", " back", "added ",
      " on insta", "year 6", "y10", "class ", "garden", " display", "kids ", "mum ", "nan ", "hi ", "sam, ", "mum's ",
      ", a, ", " (y5)", "little j is ", "in the newsletter", "report is out", "new head", "means ", "cut ", "jobs",
      "teaching ", "seesaw ", "message me there", "best way to stay in touch", "ex-pupils ", "well ", "pay ", "from yoga ",
      "é", "ü", "–", "—", "🙂", "٣", "\u00a0", "x", ". ", "! ", "? ", "\n", ", ", " ", " ", " ", "-", "'", "s", "ing ",
      "the office team ", "the it staff ", "go ", "leave ", "it team "};
  std::string s;
  for (size_t k = 0; k < pieces; ++k) {
    const auto pick = rng() % 10;
    if (pick == 0) {
      const size_t len = 1 + rng() % 8;
      for (size_t i = 0; i < len; ++i) s += static_cast<char>('a' + rng() % 26);
    } else {
      s += words[rng() % words.size()];
    }
  }
  return s;
}

std::vector<CompiledRegex> compiled(const std::vector<std::string>& patterns) {
  std::vector<CompiledRegex> out;
  for (const auto& p : patterns) out.push_back(pgtest::compiled_regex(p));
  return out;
}

}  // namespace

TEST_CASE("literal-first: the factors and windows read from a pattern", "[prefilter][literal-first]") {
  // A leading group of literal alternatives: at the start.
  auto f = factors("\\b(?:password|pin)\\b ?(?:is|:) ?\\S+");
  CHECK(f.known);
  // (read on through the group after it: "password is", "pin:"...)
  REQUIRE_FALSE(f.literals.empty());
  for (const auto& l : f.literals) CHECK((l.rfind("password", 0) == 0 || l.rfind("pin", 0) == 0));
  CHECK(f.lo == 0);
  CHECK(f.hi == 0);
  // A rare tail literal after a bounded group: the window is the group's lengths.
  f = factors("\\b(?:[1-9]|1[0-2]|one|straight) a\\*s?(?![a-z0-9])");
  CHECK(f.known);
  for (const auto& l : f.literals) CHECK(l.find(" a*") != std::string::npos);
  // After an unbounded part: no limit but the run of span bytes.
  f = factors("\\b[a-z]+(?: [a-z'.-]+){1,5} back\\b");
  CHECK(f.known);
  CHECK(f.literals == std::vector<std::string>{"back"});
  CHECK(f.lo == 4);  // "[a-z]+" and " [a-z]+" hold 3 bytes at least, then " "
  CHECK(f.hi == kFactorUnbounded);
  CHECK(f.span_known);
  CHECK(f.span[static_cast<unsigned char>('q')]);
  CHECK_FALSE(f.span[static_cast<unsigned char>('.') + 1]);  // '/' is in no part of the pattern
  // A positive lookahead's text counts (it lies after the start).
  f = factors("(?<=, )[a-z](?=, )");
  CHECK(f.literals == std::vector<std::string>{", "});
  CHECK(f.lo == 1);
  CHECK(f.hi == 1);
  // A class of a few ASCII characters is a set of one-byte literals.
  CHECK(factors("[xyz]\\s").literals == std::vector<std::string>{"x", "y", "z"});
  // Nothing every match must hold, or syntax not read: no factors (the byte scan stays).
  CHECK_FALSE(factors("\\b[a-z]+\\b").known);
  CHECK_FALSE(factors("(?i)password").known);
  CHECK_FALSE(factors("\\bpass\\x41").known);
  CHECK_FALSE(factors("(a)\\1").known);
  CHECK_FALSE(factors("(?:ab)?c?").known);
  // An unbounded window with a pattern that may hold any byte (".") has no span to bound it.
  CHECK_FALSE(factors("\\b[a-z].*yz").known);
  // An optional group holds nothing required; the literal after it does.
  f = factors("\\bof (?:the )?garden");
  CHECK(f.known);
  CHECK(f.hi != kFactorUnbounded);
}

TEST_CASE("literal-first: the text a leading lookbehind requires before the start", "[prefilter][literal-first]") {
  using postguard::match::behind_literals;
  using V = std::vector<std::string>;
  // Read back from the lookbehind's end while the parts are few strings.
  CHECK(behind_literals("(?<=\\bthe (?:office|it) (?:team|staff) )(?:go|leave)") ==
        V{"the it staff ", "the it team ", "the office staff ", "the office team "});
  // A part of many strings stops the reading; what was read still holds.
  CHECK(behind_literals("(?<=^(?:hi )?[a-z]{2,15}, )(?:mum|nan)\\b") == V{", "});
  CHECK(behind_literals("(?<=[xy]z)q") == V{"xz", "yz"});
  CHECK(behind_literals("(?<=a+)b") == V{"a"});  // the last repetition's
  // Other assertions at the start are passed over.
  CHECK(behind_literals("\\b(?<!x)(?<=ab)c") == V{"ab"});
  CHECK(behind_literals("(?<=(?:ab|cd)\\b)e") == V{"ab", "cd"});
  // Every alternative must end in known text.
  CHECK(behind_literals("(?<=ab|c)d") == V{"ab", "c"});
  CHECK(behind_literals("(?<=[.!?] {0,2}|[-~] )(?:mr|miss) ") ==
        V{"!", "! ", "!  ", "- ", ".", ". ", ".  ", "?", "? ", "?  ", "~ "});
  // Nothing known: a lookbehind that may match nothing, one after text the
  // match consumes, a negative one, none, or syntax not read.
  CHECK(behind_literals("(?<=(?:ab)?)c").empty());
  CHECK(behind_literals("(?<=\\s{0,8})mum").empty());
  CHECK(behind_literals("a(?<=ab)c").empty());
  CHECK(behind_literals("(?<!ab)c").empty());
  CHECK(behind_literals("abc").empty());
  CHECK(behind_literals("(?i)(?<=ab)c").empty());
  // Start sets carry them with the factors.
  CHECK(start_set("(?<=, )[a-z](?=, )").factors.behind == V{", "});
}

TEST_CASE("literal-first: the snapshot keeps the factors", "[prefilter][literal-first]") {
  const auto s = start_set("\\b(?:cut|close)\\b (?:the )?(?:[a-z]+ )?(?:unit|nursery)\\b");
  postguard::match::ByteWriter w;
  postguard::match::save_start_set(s, w);
  postguard::match::ByteReader r(w.bytes());
  postguard::match::StartSet back;
  REQUIRE(postguard::match::load_start_set(r, back));
  CHECK(r.done());
  CHECK(back == s);
  CHECK(back.factors.literals == s.factors.literals);
  // And the text a lookbehind requires.
  const auto l = start_set("(?<=\\b(?:the|our) (?:team|staff) )(?:will be going|leaving)\\b");
  REQUIRE(l.factors.behind.size() == 4);
  postguard::match::ByteWriter lw;
  postguard::match::save_start_set(l, lw);
  postguard::match::ByteReader lr(lw.bytes());
  postguard::match::StartSet lback;
  REQUIRE(postguard::match::load_start_set(lr, lback));
  CHECK(lr.done());
  CHECK(lback == l);
  CHECK(lback.factors.behind == l.factors.behind);
}

TEST_CASE("literal-first: the same spans as the byte scan on generated drafts", "[prefilter][literal-first]") {
  // Hand-made shapes (starts and ends of the text, factors near each other,
  // overlapping candidates, windows before and after the factor) and every
  // pack regex, in one pass as the check runs them.
  std::vector<std::string> patterns = {
      "ab",
      "\\bab(?:c|d)?\\b",
      "a[a-z]{0,3}b",  // a window of up to 3 bytes before the "b"
      "(?:xa|a)a*b",   // overlapping: "aaab" matches from its first "a"
      "\\b[a-z]{1,4} back\\b",
      "(?<=, )[a-z](?=, )",
      "(?:é|ü)[a-z]?s",  // non-ASCII factors
      "[\\d]{2}%",
      "\\b(?:[1-9]|1[0-2]|one|two|all) a\\*s?(?![a-z0-9])",
      "\\bmiss (?:you|u) (?:loads |so much )?in [1-9][a-z]\\b",
      "(?:^|, )(?:mum|nan)\\b",
      "\\b(?:it's|this is) [a-z]+ from (?:yoga|the hospital)\\b",
      "x$",
      "^\\S+",
      // Lookbehinds whose text is tested before ICU (behind_literals).
      "(?<=\\bthe (?:office|it) (?:team|staff) )(?:go|leave)\\b",
      "(?<=^(?:hi )?[a-z]{2,15}, )(?:mum|nan)\\b",
      "(?<=(?:é|–) )[a-z]+ing\\b",
      "(?<=a|the )x",
      // A last group whose literals begin one another (the tail search takes the shortest).
      "\\bof (?:[a-z]+ ){0,2}(?:dis|display|displays)\\b",
  };
  for (const auto& p : pgtest::pack_regexes()) patterns.push_back(p);
  const std::vector<CompiledRegex> regexes = compiled(patterns);
  size_t with_factors = 0;
  for (const auto& r : regexes) with_factors += r.start.factors.known ? 1 : 0;
  CHECK(with_factors * 10 >= regexes.size() * 9);  // nearly every regex goes literal-first

  std::mt19937 rng(20261201);
  size_t matches = 0, at_start = 0, at_end = 0;
  for (int round = 0; round < 400; ++round) {
    const std::string text = random_folded(rng, round % 20 == 0 ? 3000 : 1 + rng() % 60);
    const auto scan = spans(regexes, text, RegexPass::byte_scan);
    const auto first = spans(regexes, text, RegexPass::literal_first);
    for (size_t k = 0; k < regexes.size(); ++k) {
      INFO("pattern: " << patterns[k] << "\ntext: " << text);
      REQUIRE(first[k] == scan[k]);
      matches += scan[k].size();
      for (const Span& s : scan[k]) {
        at_start += s.begin == 0 ? 1 : 0;
        at_end += s.end == text.size() ? 1 : 0;
      }
    }
  }
  // The drafts did exercise the regexes, the text's first byte and its last.
  CHECK(matches > 5000);
  CHECK(at_start > 50);
  CHECK(at_end > 50);
}

TEST_CASE("literal-first: the same spans as the byte scan on every corpus text", "[prefilter][literal-first][corpus]") {
  const std::vector<std::string> raw = pgtest::all_corpus_texts();
  REQUIRE(raw.size() > 2000);
  const std::vector<std::string> patterns = pgtest::pack_regexes();
  const std::vector<CompiledRegex> regexes = compiled(patterns);
  // Each text alone (literal-first forced) and the texts joined into long
  // drafts (where the check itself goes literal-first).
  std::vector<std::string> texts;
  std::string joined;
  for (const auto& t : raw) {
    texts.push_back(postguard::text::normalize(t).text);
    joined += texts.back() + "\n\n";
    if (joined.size() > 64 * 1024) texts.push_back(std::move(joined)), joined.clear();
  }
  texts.push_back(joined);
  size_t matches = 0;
  for (const auto& text : texts) {
    const auto scan = spans(regexes, text, RegexPass::byte_scan);
    const auto first = spans(regexes, text, RegexPass::literal_first);
    const auto automatic = spans(regexes, text, RegexPass::automatic);
    for (size_t k = 0; k < regexes.size(); ++k) {
      INFO("pattern: " << patterns[k] << "\ntext: " << text.substr(0, 300));
      REQUIRE(first[k] == scan[k]);
      REQUIRE(automatic[k] == scan[k]);
      matches += scan[k].size();
    }
  }
  CHECK(matches > 1000);
}

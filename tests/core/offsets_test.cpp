// Findings' start/end are UTF-16 code units into the original draft (what the
// DOM uses). The vehicle is the employer mention that the disclaimer
// requirement reports: the trust alias "Zorblax Quantum" of the test bundle,
// so nothing here depends on the baseline's wording.
#include <random>

#include "test_support.h"
#include "text/normalized_text.h"

using namespace pgtest;
using postguard::ErrorCode;

namespace {

struct Span16 {
  uint32_t start, end;
};

// The span of the disclaimer finding (the first employer mention).
std::optional<Span16> employer_span(const std::string& text) {
  static const Policy policy = bundle_policy();
  const auto findings = of_rule(check_ok(policy, text, personal_post()), "disclaimer.missing");
  if (findings.empty()) return std::nullopt;
  REQUIRE(findings.size() == 1);
  return Span16{findings[0].start, findings[0].end};
}

void expect_span(const std::string& prefix, const std::string& match, const std::string& suffix) {
  const std::string text = prefix + match + suffix;
  INFO("text: " << text);
  const auto s = employer_span(text);
  REQUIRE(s.has_value());
  CHECK(s->start == u16(prefix));
  CHECK(s->end == u16(prefix) + u16(match));
  CHECK(slice16(text, s->start, s->end) == match);
}

}  // namespace

TEST_CASE("offsets: plain ASCII", "[offsets]") {
  expect_span("", "Zorblax Quantum", "");
  expect_span("Proud to work at ", "Zorblax Quantum", " this year.");
}

TEST_CASE("offsets: emoji before the match are surrogate pairs", "[offsets]") {
  expect_span("\xF0\x9F\x98\x80 ", "Zorblax Quantum", "");                          // 😀 = 2 units
  expect_span("\xF0\x9F\x98\x80\xF0\x9F\x8E\x89\xF0\x9F\x92\x9C ", "Zorblax Quantum", " \xF0\x9F\x98\x80");
  expect_span("\xF0\x9F\x91\x8B\xF0\x9F\x8F\xBD hi from ", "Zorblax Quantum", "");  // 👋🏽 skin tone
  expect_span("\xF0\x9D\x90\x80\xF0\x9D\x90\x81 ", "Zorblax Quantum", "");          // 𝐀𝐁 (math bold, astral)
}

TEST_CASE("offsets: ZWJ sequences and flags", "[offsets]") {
  // 👨‍👩‍👧‍👦 = 4 astral emoji + 3 ZWJ = 11 units.
  const std::string family = "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7\xE2\x80\x8D\xF0\x9F\x91\xA6";
  REQUIRE(u16(family) == 11);
  expect_span(family + " ", "Zorblax Quantum", " " + family);
  // 🏊‍♂️ (swimmer + ZWJ + male sign + VS16) = 5 units.
  expect_span("\xF0\x9F\x8F\x8A\xE2\x80\x8D\xE2\x99\x82\xEF\xB8\x8F gala at ", "Zorblax Quantum", "");
  // 🇬🇧🏴󠁧󠁢󠁷󠁬󠁳󠁿 : regional indicators and a tag sequence (Wales flag, 14 units).
  const std::string wales = "\xF0\x9F\x8F\xB4\xF3\xA0\x81\xA7\xF3\xA0\x81\xA2\xF3\xA0\x81\xB7\xF3\xA0\x81\xAC\xF3\xA0\x81\xB3\xF3\xA0\x81\xBF";
  expect_span("\xF0\x9F\x87\xAC\xF0\x9F\x87\xA7" + wales + " ", "Zorblax Quantum", wales);
}

TEST_CASE("offsets: combining marks", "[offsets]") {
  // e + U+0301 before the match: two units for one visible character.
  expect_span("Cafe\xCC\x81 at ", "Zorblax Quantum", "");
  // A mark inside the match is part of it (accents are ignored for matching).
  expect_span("", "Zorbla\xCC\x81x Quantum", "");
  expect_span("", "Zo\xCC\x88\xCC\x81rblax Quantum", " rocks");
}

TEST_CASE("offsets: a highlight never splits a base letter from its combining mark", "[offsets][grapheme]") {
  // "Quantum" + U+0301 on the final m: the mark belongs to the matched letter,
  // so the highlight (and a remove fix) must cover it.
  expect_span("We love ", "Zorblax Quantu\xCC\x81m\xCC\x81", " today");
  expect_span("", "Zorblax Quantum\xCC\x81\xCC\xA7", "!");
}

TEST_CASE("offsets: right-to-left text around an English match", "[offsets]") {
  const std::string arabic = "\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7";  // مرحبا
  const std::string hebrew = "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D";          // שלום
  expect_span(arabic + " ", "Zorblax Quantum", " " + hebrew);
  expect_span(hebrew + " " + arabic + " ", "Zorblax Quantum", "");
  // With bidi controls (RLM, LRE ... PDF) around the match.
  expect_span("\xE2\x80\x8F" + arabic + " \xE2\x80\xAA", "Zorblax Quantum", "\xE2\x80\xAC " + hebrew);
}

TEST_CASE("offsets: full-width letters", "[offsets]") {
  // ＺＯＲＢＬＡＸ　Ｑｕａｎｔｕｍ (U+3000 ideographic space between). A draft
  // that uses capitals must capitalise the name's words as the bundle does.
  expect_span("\xEF\xBC\x88", "\xEF\xBC\xBA\xEF\xBC\xAF\xEF\xBC\xB2\xEF\xBC\xA2\xEF\xBC\xAC\xEF\xBC\xA1\xEF\xBC\xB8"
              "\xE3\x80\x80\xEF\xBC\xB1\xEF\xBD\x95\xEF\xBD\x81\xEF\xBD\x8E\xEF\xBD\x94\xEF\xBD\x95\xEF\xBD\x8D",
              "\xEF\xBC\x89");
}

TEST_CASE("offsets: zero-width characters inside a word", "[offsets]") {
  expect_span("at ", "Zor\xE2\x80\x8B" "blax Quantum", "");                      // ZWSP
  expect_span("at ", "Z\xC2\xAD" "orblax Qu\xE2\x80\x8C" "antum", "");             // soft hyphen, ZWNJ
  expect_span("at ", "Zorblax\xE2\x80\x8B Quan\xEF\xBB\xBFtum", "");              // ZWSP before space, BOM
}

TEST_CASE("offsets: spaced and dotted letters", "[offsets]") {
  expect_span("I teach at ", "Z.o.r.b.l.a.x Quantum", " now");
  expect_span("I teach at ", "Z o r b l a x Quantum", "");
  expect_span("\xF0\x9F\x98\x80 ", "Z-o-r-b-l-a-x Quantum", "");
}

TEST_CASE("offsets: two spaced words with different separators stay two words", "[offsets][spaced-mixed]") {
  // "Z-o-r-b-l-a-x Q.u.a.n.t.u.m": the separator changes from "-" to "." at
  // the space, so the space is a word gap, not one more letter separator.
  expect_span("\xF0\x9F\x98\x80 ", "Z-o-r-b-l-a-x Q.u.a.n.t.u.m", "");
  expect_span("", "Z.o.r.b.l.a.x Q.u.a.n.t.u.m", "");
}

TEST_CASE("offsets: confusable look-alikes", "[offsets]") {
  // Cyrillic о (U+043E), а (U+0430), х (U+0445); Greek Ο (U+039F).
  expect_span("at ", "Z\xD0\xBErbl\xD0\xB0\xD1\x85 Quantum", "");
  expect_span("at ", "Z\xCE\x9FRBLAX QUANTUM", "");
}

TEST_CASE("offsets: digit-for-letter swaps", "[offsets]") {
  expect_span("at ", "Z0rbl4x Quantum", "");
  expect_span("\xF0\x9F\x98\x80 ", "Zorblax Qu4ntum", " 3pm");
}

TEST_CASE("offsets: the disclaimer fix inserts at the UTF-16 end of the draft", "[offsets]") {
  const Policy p = bundle_policy();
  const std::string text = "\xF0\x9F\x98\x80 Zorblax Quantum \xF0\x9F\x87\xAC\xF0\x9F\x87\xA7";
  const auto f = of_rule(check_ok(p, text, personal_post()), "disclaimer.missing");
  REQUIRE(f.size() == 1);
  REQUIRE(f[0].fix.has_value());
  CHECK(f[0].fix->start == u16(text));
  CHECK(f[0].fix->end == u16(text));
}

TEST_CASE("offsets: empty input", "[offsets]") {
  const Policy p = bundle_policy();
  CHECK(check_ok(p, "", personal_post()).empty());
  CHECK(check_ok(p, "   \n\t ", personal_post()).empty());
  const auto nt = postguard::text::normalize("");
  CHECK(nt.size() == 0);
  CHECK(nt.length16 == 0);
  CHECK(nt.boundary.size() == 1);
}

TEST_CASE("offsets: a huge input (several MB) maps the last match exactly", "[offsets][huge]") {
  std::string chunk = "Lorem ipsum \xF0\x9F\x98\x80 dolor \xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7 sit e\xCC\x81 amet. ";
  std::string prefix;
  prefix.reserve(5u << 20);
  while (prefix.size() < (4u << 20)) prefix += chunk;
  const std::string text = prefix + "Zorblax Quantum" + " the end";
  const auto s = employer_span(text);
  REQUIRE(s.has_value());
  CHECK(s->start == u16(prefix));
  CHECK(s->end == u16(prefix) + 15);
}

TEST_CASE("invalid UTF-8 is an error, not a guess", "[offsets][utf8]") {
  const Policy p = bundle_policy();
  const std::vector<std::pair<std::string, size_t>> cases = {
      {"\xFF", 0},
      {"abc\x80", 3},                        // lone continuation byte
      {"ok \xE2\x82", 3},                    // truncated 3-byte sequence
      {"\xC0\xAF", 0},                       // overlong '/'
      {"\xE0\x80\xAF", 0},                   // overlong 3-byte
      {"x\xED\xA0\x80y", 1},                 // UTF-16 surrogate encoded in UTF-8
      {"\xF4\x90\x80\x80", 0},               // above U+10FFFF
      {"Zorblax Quantum \xF0\x9F\x98", 16},  // truncated emoji at the end
      {"\xC3\x28", 0},                       // bad continuation
  };
  for (const auto& [text, at] : cases) {
    INFO("bytes at " << at);
    CHECK(postguard::text::find_invalid_utf8(text) == at);
    auto r = postguard::check(p, text, personal_post());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::invalid_utf8);
    CHECK_THAT(r.error().message, Catch::Contains("UTF-8"));
    CHECK_THAT(r.error().message, Catch::Contains(std::to_string(at)));
  }
  // Valid edge cases are accepted.
  for (const std::string& ok : {std::string("\xEF\xBF\xBF"), std::string("\xF4\x8F\xBF\xBF"), std::string("\x7F"),
                               std::string("a\0b", 3)}) {
    CHECK_FALSE(postguard::text::find_invalid_utf8(ok).has_value());
    CHECK(postguard::check(p, ok, personal_post()).ok());
  }
}

TEST_CASE("an invalid context is an error", "[offsets]") {
  const Policy p = bundle_policy();
  Context c = personal_post();
  c.surface = "story";
  auto r = postguard::check(p, "hello", c);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::context_invalid);
  CHECK_THAT(r.error().message, Catch::Contains("story"));
  c = personal_post();
  c.account = "work";
  r = postguard::check(p, "hello", c);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::context_invalid);
}

// The schema's pattern matcher against ICU's regex, which it stands in for:
// every pattern in the published schemas must be handled without ICU, and must
// agree with ICU's RegexMatcher::find() on generated strings and on every code
// point in the classes it uses.
#include <unicode/regex.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <random>
#include <set>

#include "embedded/embedded_files.h"
#include "policy/json_schema.h"
#include "policy/schema_pattern.h"
#include "test_support.h"
#include "text/utf8.h"

using postguard::policy::SchemaPattern;

namespace {

void collect_patterns(const nlohmann::json& j, std::set<std::string>& out) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) {
      if (k == "pattern" && v.is_string()) out.insert(v.get<std::string>());
      else collect_patterns(v, out);
    }
  } else if (j.is_array()) {
    for (const auto& v : j) collect_patterns(v, out);
  }
}

std::set<std::string> schema_patterns() {
  std::set<std::string> out;
  collect_patterns(nlohmann::json::parse(postguard::embedded::policy_schema()), out);
  collect_patterns(nlohmann::json::parse(postguard::embedded::pack_schema()), out);
  return out;
}

struct IcuPattern {
  std::unique_ptr<icu::RegexPattern> re;
  explicit IcuPattern(const std::string& p) {
    UErrorCode status = U_ZERO_ERROR;
    UParseError pe;
    re.reset(icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(p), 0, pe, status));
    REQUIRE(U_SUCCESS(status));
  }
  bool find(const std::string& s) const {
    UErrorCode status = U_ZERO_ERROR;
    const icu::UnicodeString input = icu::UnicodeString::fromUTF8(s);
    std::unique_ptr<icu::RegexMatcher> m(re->matcher(input, status));
    REQUIRE(U_SUCCESS(status));
    return m->find(status);
  }
};

std::string utf8(UChar32 c) {
  std::string s;
  postguard::text::append_utf8(s, static_cast<char32_t>(c));
  return s;
}

// Pieces that matter to the patterns: their literals and class edges, white
// space of every kind, line ends (ICU's $ before a final one), non-ASCII
// letters and digits, emoji.
const std::vector<std::string> kPieces = {
    "a", "z", "m", "A", "Z", "0", "9", "5", "-", "_", ".", "@", "#", " ", "\t", "\n", "\r\n", "\r",
    "\v", "\f", "\xC2\x85", "\xC2\xA0", "\xE2\x80\xA8", "\xE3\x80\x80", "\xE2\x80\x8B", "é", "ß", "Ж",
    "٣", "١", "_", "/", ":", "ab", "school", "co", "uk", "x1", "\xF0\x9F\x98\x80", "\xE2\x80\x8D", "'"};

}  // namespace

TEST_CASE("every pattern in the published schemas is matched without ICU") {
  const auto patterns = schema_patterns();
  REQUIRE(patterns.size() >= 5);
  for (const auto& p : patterns) {
    INFO("pattern " << p);
    CHECK(SchemaPattern::compile(p).has_value());
  }
}

TEST_CASE("the schema pattern matcher agrees with ICU's regex on generated values") {
  std::set<std::string> patterns = schema_patterns();
  // More shapes in the subset, beyond what the schemas use today.
  for (const char* extra : {"^(ab)+$", "a(b(c)?)*d", "^[^\\s#]+$", "\\d+", "^\\w+$", "x?y*", "[a-c\\-]+z",
                            "^(\\.[a-z]+)?$", "^$", "@", "^[A-Z][a-z]*( [A-Z][a-z]*)*$", "co$"}) {
    patterns.insert(extra);
  }
  std::mt19937 rng(20261201);
  for (const auto& p : patterns) {
    INFO("pattern " << p);
    const auto simple = SchemaPattern::compile(p);
    REQUIRE(simple.has_value());
    const IcuPattern icu(p);
    for (int i = 0; i < 4000; ++i) {
      std::string s;
      const int len = static_cast<int>(rng() % 9);
      for (int k = 0; k < len; ++k) s += kPieces[rng() % kPieces.size()];
      INFO("value [" << s << "]");
      REQUIRE(simple->search(s) == icu.find(s));
    }
  }
}

TEST_CASE("the schema pattern matcher's classes agree with ICU on every code point") {
  for (const char* p : {"^[^\\s#]+$", "^\\s$", "^\\d$", "^\\w$", "^[a-z0-9_.-]$", "^x$"}) {
    INFO("pattern " << p);
    const auto simple = SchemaPattern::compile(p);
    REQUIRE(simple.has_value());
    const IcuPattern icu(p);
    for (UChar32 c = 0; c <= 0x10FFFF; c += (c < 0x3000 ? 1 : 7)) {
      if (c >= 0xD800 && c <= 0xDFFF) continue;
      const std::string s = utf8(c);
      INFO("U+" << std::hex << c);
      REQUIRE(simple->search(s) == icu.find(s));
    }
  }
}

TEST_CASE("syntax outside the subset is left to ICU") {
  for (const char* p : {"a|b", "a{2}", ".", "a+?", "(?:a)", "\\p{L}", "[[a-z]&&[^x]]", "\\bword", "[a-z", "(a",
                        "a)", "*a", "^+", "\\S", "[]", "a**"}) {
    INFO("pattern " << p);
    CHECK_FALSE(SchemaPattern::compile(p).has_value());
  }
}

TEST_CASE("long values: the matcher's limit, ICU beyond it, and the same verdicts either side") {
  std::mt19937 rng(42);
  for (const auto& p : schema_patterns()) {
    INFO("pattern " << p);
    const auto simple = SchemaPattern::compile(p);
    REQUIRE(simple.has_value());
    const IcuPattern icu(p);
    for (int i = 0; i < 200; ++i) {
      // Long runs of the pattern's own shapes: dotted domains, handles, slugs, near the limit.
      std::string s = i % 2 ? "@" : "#";
      while (s.size() < SchemaPattern::kMaxValueBytes - 8) s += kPieces[rng() % 12] + (rng() % 3 ? "" : ".");
      INFO("value [" << s << "]");
      const auto found = simple->search(s);
      REQUIRE(found.has_value());
      REQUIRE(*found == icu.find(s));
    }
    CHECK_FALSE(simple->search(std::string(SchemaPattern::kMaxValueBytes + 1, 'a')).has_value());
  }
}

TEST_CASE("a policy with very long handles and domains is validated, not crashed on") {
  // Far past the matcher's limit: ICU's regex answers (recursion per repetition would not scale).
  const std::string long_handle = "@" + std::string(200000, 'a');
  std::string long_domain;
  for (int i = 0; i < 50000; ++i) long_domain += "ab.";
  long_domain += "uk";
  nlohmann::json doc = nlohmann::json::parse(pgtest::kBundle);
  doc["organisation"]["handles"] = {long_handle, long_handle + " x"};
  doc["organisation"]["domains"] = {long_domain, long_domain + "."};
  const auto problems = postguard::policy::policy_schema().validate(doc);
  std::set<std::string> where;
  for (const auto& p : problems) where.insert(p.pointer);
  CHECK(where == std::set<std::string>{"/organisation/handles/1", "/organisation/domains/1"});
}

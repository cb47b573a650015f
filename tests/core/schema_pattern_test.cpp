// The schema validator matches "pattern" keywords with std::regex for ASCII
// values and ICU's regex otherwise (policy/json_schema.cpp): for every
// pattern in the published schemas the two must give the same answers.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "embedded/embedded_files.h"
#include "policy/json_schema.h"

namespace {

void collect(const nlohmann::json& j, std::set<std::string>& out) {
  if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      if (key == "pattern" && value.is_string()) out.insert(value.get<std::string>());
      collect(value, out);
    }
  } else if (j.is_array()) {
    for (const auto& v : j) collect(v, out);
  }
}

}  // namespace

TEST_CASE("schema patterns: std::regex and ICU agree on ASCII values", "[schema]") {
  std::set<std::string> patterns;
  collect(nlohmann::json::parse(postguard::embedded::policy_schema()), patterns);
  collect(nlohmann::json::parse(postguard::embedded::pack_schema()), patterns);
  REQUIRE(patterns.size() >= 5);
  static const std::string alphabet = "abzAZ09_-.#@ \t/:";
  std::mt19937 rng(5);
  std::vector<std::string> values = {"", "#", "@", "a", "ysgol-y-dderwen", "#OrwellHeathStars", "#two words",
                                     "@Tarka_Trust", "school.example.sch.uk", "example", "a..b", "-lead", "x_1"};
  for (int i = 0; i < 3000; ++i) {
    std::string v;
    for (size_t n = rng() % 14; n > 0; --n) v.push_back(alphabet[rng() % alphabet.size()]);
    values.push_back(v);
  }
  size_t matched = 0;
  for (const auto& p : patterns) {
    for (const auto& v : values) {
      INFO("pattern " << p << " value \"" << v << "\"");
      const bool a = postguard::policy::schema_pattern_matches(p, v);
      REQUIRE(a == postguard::policy::schema_pattern_matches_icu(p, v));
      matched += a;
    }
  }
  CHECK(matched > 100);  // the values exercise both answers
  // Non-ASCII values keep ICU's Unicode classes: a no-break space is white space.
  CHECK_FALSE(postguard::policy::schema_pattern_matches("^#[^\\s#]+$", "#two\xc2\xa0words"));
  CHECK(postguard::policy::schema_pattern_matches("^#[^\\s#]+$", "#Dyddgŵyl"));
}

// findings_to_json writes its JSON directly; it must be byte for byte what
// nlohmann's DOM dump() gives (what it was built with before), for every
// kind of string a policy can put in a finding: quotes, backslashes,
// control characters, non-ASCII text, with and without a fix.
#include <catch2/catch.hpp>

#include <random>

#include <nlohmann/json.hpp>

#include "postguard/postguard.h"
#include "test_support.h"

namespace {

std::string dom_json(const std::vector<postguard::Finding>& findings) {
  nlohmann::ordered_json arr = nlohmann::ordered_json::array();
  for (const auto& f : findings) {
    nlohmann::ordered_json j;
    j["rule"] = f.rule;
    j["category"] = f.category;
    j["severity"] = postguard::to_string(f.severity);
    j["start"] = f.start;
    j["end"] = f.end;
    j["message"] = f.message;
    j["policyRef"] = f.policy_ref;
    if (f.fix) j["fix"] = {{"label", f.fix->label}, {"start", f.fix->start}, {"end", f.fix->end}, {"text", f.fix->text}};
    arr.push_back(std::move(j));
  }
  return arr.dump();
}

std::string random_string(std::mt19937& rng) {
  static const std::vector<std::string> pieces = {"a", "Z", " ", "\"", "\\", "/", "\n", "\r", "\t", "\b", "\f",
                                                  std::string(1, '\0'), "\x01", "\x1f", "\x7f", "\xC3\xA9",
                                                  "\xE2\x80\x94", "\xF0\x9F\x98\x82", "fy marn i yn unig", "<>&'"};
  std::string s;
  const size_t n = rng() % 12;
  for (size_t k = 0; k < n; ++k) s += pieces[rng() % pieces.size()];
  return s;
}

}  // namespace

TEST_CASE("findings JSON: the direct writer gives nlohmann's bytes", "[json]") {
  std::mt19937 rng(3);
  const postguard::Severity severities[] = {postguard::Severity::info, postguard::Severity::warn,
                                            postguard::Severity::confirm, postguard::Severity::block};
  REQUIRE(postguard::findings_to_json({}) == "[]");
  for (int round = 0; round < 2000; ++round) {
    std::vector<postguard::Finding> findings(rng() % 4);
    for (auto& f : findings) {
      f.rule = random_string(rng);
      f.category = random_string(rng);
      f.severity = severities[rng() % 4];
      f.start = static_cast<uint32_t>(rng());
      f.end = static_cast<uint32_t>(rng() % 1000);
      f.message = random_string(rng);
      f.policy_ref = random_string(rng);
      if (rng() % 2) f.fix = postguard::Fix{random_string(rng), static_cast<uint32_t>(rng() % 70000), 4294967295u, random_string(rng)};
    }
    const std::string want = dom_json(findings);
    REQUIRE(postguard::findings_to_json(findings) == want);
  }
  // Real findings, with a disclaimer fix.
  const auto policy = pgtest::bundle_policy();
  auto r = postguard::check(policy, "Proud of Quill Harbour Primary School today! \"Great\" work \xF0\x9F\x8E\x89", pgtest::personal_post());
  REQUIRE(r);
  REQUIRE(!r.value().empty());
  REQUIRE(postguard::findings_to_json(r.value()) == dom_json(r.value()));
}

TEST_CASE("findings JSON: text that is not UTF-8 is reported as before", "[json]") {
  postguard::Finding f;
  f.rule = "x";
  f.message = "bad \xC3";
  bool threw_new = false, threw_old = false;
  try { (void)postguard::findings_to_json({f}); } catch (const std::exception&) { threw_new = true; }
  try { (void)dom_json({f}); } catch (const std::exception&) { threw_old = true; }
  REQUIRE(threw_new == threw_old);
}

TEST_CASE("error JSON and json_string: the direct writer gives nlohmann's bytes", "[json]") {
  std::mt19937 rng(11);
  const std::vector<std::string> pieces = {"a", "Z", " ", "\"", "\\", "\n", "\t", "\r", "\b", "\f", "\x01", "\x1f",
                                           "/", "é", "😀", "\u2028", "{", "}", "ysgol", "/rules/0/severity"};
  auto random_text = [&] {
    std::string s;
    for (int k = 0, n = static_cast<int>(rng() % 12); k < n; ++k) s += pieces[rng() % pieces.size()];
    return s;
  };
  for (int i = 0; i < 2000; ++i) {
    postguard::Error e;
    e.code = static_cast<postguard::ErrorCode>(rng() % 8);
    e.message = random_text();
    if (rng() % 2) e.file = random_text();
    if (rng() % 2) e.pointer = random_text();
    nlohmann::ordered_json j;
    j["code"] = static_cast<int>(e.code);
    j["message"] = e.message;
    if (!e.file.empty()) j["file"] = e.file;
    if (!e.pointer.empty()) j["pointer"] = e.pointer;
    REQUIRE(postguard::error_to_json(e) == j.dump());
    const std::string t = random_text();
    REQUIRE(postguard::json_string(t) == nlohmann::json(t).dump());
  }
}

TEST_CASE("error JSON: a file name that is not UTF-8 still gives valid JSON", "[json]") {
  postguard::Error e;
  e.code = postguard::ErrorCode::policy_parse;
  e.message = "not valid JSON";
  e.file = "trust\xff\xfe.json";
  const auto doc = nlohmann::json::parse(postguard::error_to_json(e));
  CHECK(doc["file"] == "trust\xEF\xBF\xBD\xEF\xBF\xBD.json");
  CHECK(doc["message"] == "not valid JSON");
}

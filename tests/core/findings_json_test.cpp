// findings_to_json writes its JSON by hand (for speed); it must stay byte for
// byte what nlohmann's ordered_json dump() gives for the same findings, the
// format DESIGN.md fixes and the hosts' golden tests hold.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <random>

#include "postguard/postguard.h"

namespace {

std::string reference(const std::vector<postguard::Finding>& findings) {
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
    if (f.fix) {
      j["fix"] = {{"label", f.fix->label}, {"start", f.fix->start}, {"end", f.fix->end}, {"text", f.fix->text}};
    }
    arr.push_back(std::move(j));
  }
  return arr.dump();
}

// Valid UTF-8 with every byte class JSON escaping cares about.
std::string random_text(std::mt19937& rng) {
  static const std::vector<std::string> pieces = {
      "a", "Z", " ", "\"", "\\", "/", "\b", "\f", "\n", "\r", "\t", std::string(1, '\0'), "\x01", "\x1f", "\x7f",
      "é", "ŵ", "—", "’", "👍", "👨‍👩‍👧", "\u200b", "\u2028", "views my own", "{\"x\":1}"};
  std::string s;
  const size_t n = rng() % 12;
  for (size_t i = 0; i < n; ++i) s += pieces[rng() % pieces.size()];
  return s;
}

}  // namespace

TEST_CASE("findings JSON: the same bytes as nlohmann's dump", "[findings]") {
  CHECK(postguard::findings_to_json({}) == "[]");
  std::mt19937 rng(11);
  const postguard::Severity severities[] = {postguard::Severity::info, postguard::Severity::warn,
                                            postguard::Severity::confirm, postguard::Severity::block};
  for (int round = 0; round < 2000; ++round) {
    std::vector<postguard::Finding> findings(rng() % 4);
    for (auto& f : findings) {
      f.rule = random_text(rng);
      f.category = random_text(rng);
      f.severity = severities[rng() % 4];
      f.start = static_cast<uint32_t>(rng());
      f.end = static_cast<uint32_t>(rng() % 1000);
      f.message = random_text(rng);
      f.policy_ref = random_text(rng);
      if (rng() % 2) f.fix = postguard::Fix{random_text(rng), static_cast<uint32_t>(rng() % 50), 0, random_text(rng)};
    }
    INFO("round " << round);
    REQUIRE(postguard::findings_to_json(findings) == reference(findings));
  }
}

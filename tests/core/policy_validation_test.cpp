// Every kind of policy error: it names the file and the JSON pointer, says
// what to write instead, and never yields a working Policy.
#include <set>

#include <nlohmann/json.hpp>

#include "test_support.h"

using namespace pgtest;
using nlohmann::json;
using postguard::Error;
using postguard::ErrorCode;

namespace {

// `mutate` edits a copy of the test bundle.
template <class F>
std::string bundle_edited(F mutate) {
  json b = json::parse(kBundle);
  mutate(b);
  return b.dump();
}

struct Expect {
  ErrorCode code;
  std::string pointer;
  std::vector<std::string> says;  // substrings of the message
};

// Checks compile() (alone, and as an overlay after the valid bundle when
// `as_overlay`) and validate() report the expected error.
void expect_error(const std::string& file_text, const Expect& want, const std::string& school = "",
                  bool as_overlay = false) {
  const std::string name = "bad-policy.json";
  INFO("file: " << file_text);
  std::vector<PolicySource> sources;
  if (as_overlay) sources.push_back(bundle_source());
  sources.push_back({name, file_text});
  auto r = Policy::compile(sources, school);
  REQUIRE_FALSE(r.ok());  // never a working policy
  const Error& e = r.error();
  INFO("error: " << e.to_string());
  CHECK(e.code == want.code);
  CHECK(e.file == name);
  CHECK(e.pointer == want.pointer);
  for (const auto& s : want.says) CHECK_THAT(e.message, Catch::Contains(s, Catch::CaseSensitive::No));
  CHECK_THAT(e.to_string(), Catch::StartsWith(name + ": "));
  if (!as_overlay) {
    const auto all = Policy::validate({name, file_text});
    REQUIRE_FALSE(all.empty());
    bool found = false;
    for (const auto& v : all) {
      CHECK(v.file == name);
      found = found || (v.code == want.code && v.pointer == want.pointer);
    }
    CHECK(found);
  }
}

}  // namespace

TEST_CASE("validation: the test bundle and the corpus bundles are valid", "[validation]") {
  CHECK(Policy::validate(bundle_source()).empty());
  for (const char* org : {"tarka", "ark", "auriga", "dudley", "acresfield"}) {
    const std::string path = corpus_dir() + "/orgs/" + org + ".json";
    const auto errors = Policy::validate({path, read_file(path)});
    INFO(path << ": " << (errors.empty() ? "" : errors[0].to_string()));
    CHECK(errors.empty());
  }
}

TEST_CASE("validation: not JSON", "[validation]") {
  expect_error("{\"format\": \"postguard/1\",\n  \"organisation\": }", {ErrorCode::policy_parse, "", {"JSON", "line 2"}});
  expect_error("", {ErrorCode::policy_parse, "", {"JSON"}});
  expect_error("[1, 2", {ErrorCode::policy_parse, "", {"JSON", "column"}});
}

TEST_CASE("validation: not UTF-8", "[validation]") {
  expect_error("{\"format\": \"postguard/1\", \"description\": \"caf\xE9\"}", {ErrorCode::invalid_utf8, "", {"UTF-8"}});
}

TEST_CASE("validation: wrong type", "[validation]") {
  expect_error(bundle_edited([](json& b) { b["schools"] = json::object(); }),
               {ErrorCode::policy_schema, "/schools", {"array", "object"}});
  expect_error(bundle_edited([](json& b) { b["organisation"]["aliases"] = "TLP"; }),
               {ErrorCode::policy_schema, "/organisation/aliases", {"array"}});
  expect_error(R"({"format": "postguard/1", "rules": {"disclaimer.missing": {"enabled": "false"}}})",
               {ErrorCode::policy_schema, "/rules/disclaimer.missing/enabled", {"boolean"}});
  expect_error("[]", {ErrorCode::policy_schema, "", {"object"}});
}

TEST_CASE("validation: bad enum value", "[validation]") {
  expect_error(R"({"format": "postguard/2"})", {ErrorCode::policy_schema, "/format", {"postguard/1"}});
  expect_error(R"({"format": "postguard/1", "rules": {"disclaimer.missing": {"severity": "loud"}}})",
               {ErrorCode::policy_schema, "/rules/disclaimer.missing/severity", {"block", "loud"}});
  expect_error(R"({"format": "postguard/1", "rules": {"disclaimer.missing": {"severity": "Block"}}})",
               {ErrorCode::policy_schema, "/rules/disclaimer.missing/severity", {"block"}});
}

TEST_CASE("validation: unknown field with a did-you-mean", "[validation]") {
  expect_error(bundle_edited([](json& b) { b["organization"] = b["organisation"]; }),
               {ErrorCode::policy_schema, "/organization", {"unknown field", "\"organisation\""}});
  expect_error(bundle_edited([](json& b) { b["schools"][1]["alias"] = json::array({"ME"}); }),
               {ErrorCode::policy_schema, "/schools/1/alias", {"\"aliases\""}});
  expect_error(R"({"format": "postguard/1", "rules": {"disclaimer.missing": {"severty": "info"}}})",
               {ErrorCode::policy_schema, "/rules/disclaimer.missing/severty", {"\"severity\""}});
  // Nothing close: the allowed fields are listed.
  expect_error(R"({"format": "postguard/1", "zzzzzzzz": 1})",
               {ErrorCode::policy_schema, "/zzzzzzzz", {"organisation", "schools"}});
}

TEST_CASE("validation: missing required field", "[validation]") {
  expect_error(R"({"organisation": {"id": "x", "name": "X"}})", {ErrorCode::policy_schema, "", {"\"format\""}});
  expect_error(bundle_edited([](json& b) { b["organisation"].erase("name"); }),
               {ErrorCode::policy_schema, "/organisation", {"\"name\""}});
  expect_error(bundle_edited([](json& b) { b["schools"][0].erase("id"); }),
               {ErrorCode::policy_schema, "/schools/0", {"\"id\""}});
  expect_error(bundle_edited([](json& b) { b["disclaimer"] = json::object(); }),
               {ErrorCode::policy_schema, "/disclaimer", {"\"text\""}});
}

TEST_CASE("validation: patterns for slug, handle, hashtag, domain", "[validation]") {
  expect_error(bundle_edited([](json& b) { b["organisation"]["id"] = "Zorblax Trust"; }),
               {ErrorCode::policy_schema, "/organisation/id", {"Zorblax Trust", "lower-case"}});
  expect_error(bundle_edited([](json& b) { b["schools"][1]["id"] = "marsh_end"; }),
               {ErrorCode::policy_schema, "/schools/1/id", {"marsh_end"}});
  expect_error(bundle_edited([](json& b) { b["organisation"]["handles"][0] = "ZorblaxQT"; }),
               {ErrorCode::policy_schema, "/organisation/handles/0", {"ZorblaxQT", "@"}});
  expect_error(bundle_edited([](json& b) { b["schools"][0]["hashtags"][0] = "QHfamily"; }),
               {ErrorCode::policy_schema, "/schools/0/hashtags/0", {"#"}});
  expect_error(bundle_edited([](json& b) { b["organisation"]["hashtags"][0] = "#two words"; }),
               {ErrorCode::policy_schema, "/organisation/hashtags/0", {"#"}});
  expect_error(bundle_edited([](json& b) { b["organisation"]["domains"][0] = "https://zorblax.example.org.uk"; }),
               {ErrorCode::policy_schema, "/organisation/domains/0", {"https://"}});
  expect_error(R"({"format": "postguard/1", "school": "Quill Harbour"})", {ErrorCode::policy_schema, "/school", {}});
  expect_error(R"({"format": "postguard/1", "officialAccounts": ["QHoffice"]})",
               {ErrorCode::policy_schema, "/officialAccounts/0", {"@"}});
}

TEST_CASE("validation: empty strings where text is needed", "[validation]") {
  expect_error(bundle_edited([](json& b) { b["disclaimer"]["text"] = ""; }),
               {ErrorCode::policy_schema, "/disclaimer/text", {"empty"}});
  expect_error(R"({"format": "postguard/1", "phrases": {"confidential_terms": [""]}})",
               {ErrorCode::policy_schema, "/phrases/confidential_terms/0", {"empty"}});
}

TEST_CASE("validation: unknown rule id", "[validation]") {
  expect_error(R"({"format": "postguard/1", "rules": {"no-such-rule": {"enabled": false}}})",
               {ErrorCode::policy_rule, "/rules/no-such-rule", {"no-such-rule", "policy explain"}});
  // A prefix of a real id: suggested.
  expect_error(R"({"format": "postguard/1", "rules": {"disclaimer": {"enabled": false}}})",
               {ErrorCode::policy_rule, "/rules/disclaimer", {"did you mean", "disclaimer.missing"}});
  // JSON pointer escaping of "/" and "~" in the key.
  expect_error(R"({"format": "postguard/1", "rules": {"a/b~c": {"enabled": false}}})",
               {ErrorCode::policy_rule, "/rules/a~1b~0c", {"a/b~c"}});
  // As an overlay after a valid bundle the overlay is blamed.
  expect_error(R"({"format": "postguard/1", "rules": {"no-such-rule": {"enabled": false}}})",
               {ErrorCode::policy_rule, "/rules/no-such-rule", {"no-such-rule"}}, "quill-harbour", true);
}

TEST_CASE("validation: a misspelt rule id gets a did-you-mean", "[validation][suggest]") {
  // One letter missing: an admin needs the right id, not a list to search.
  expect_error(R"({"format": "postguard/1", "rules": {"disclaimer.mising": {"enabled": false}}})",
               {ErrorCode::policy_rule, "/rules/disclaimer.mising", {"did you mean", "\"disclaimer.missing\""}});
}

TEST_CASE("validation: unknown category", "[validation]") {
  expect_error(R"({"format": "postguard/1", "rules": {"category:confidental": {"severity": "block"}}})",
               {ErrorCode::policy_rule, "/rules/category:confidental", {"confidental"}});
}

TEST_CASE("validation: unknown phrase set lists the known ones", "[validation]") {
  expect_error(R"({"format": "postguard/1", "phrases": {"confidential_term": ["Project Falcon"]}})",
               {ErrorCode::policy_rule, "/phrases/confidential_term", {"confidential_term", "confidential_terms"}});
  // The engine's private sets (a rule's own literal phrases) are not open to policies.
  expect_error(R"({"format": "postguard/1", "phrases": {"disclaimer.missing#match": ["x"]}})",
               {ErrorCode::policy_rule, "/phrases/disclaimer.missing#match", {}});
}

TEST_CASE("validation: unknown school lists the known ones", "[validation]") {
  // Named by an overlay file: that file and /school.
  {
    auto r = Policy::compile({bundle_source(), {"o.json", R"({"format": "postguard/1", "school": "nowhere"})"}});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::policy_unknown_school);
    CHECK(r.error().file == "o.json");
    CHECK(r.error().pointer == "/school");
    CHECK_THAT(r.error().message, Catch::Contains("nowhere") && Catch::Contains("quill-harbour") &&
                                      Catch::Contains("marsh-end"));
  }
  // Named in the bundle itself.
  {
    json b = json::parse(kBundle);
    b["school"] = "nowhere";
    auto r = Policy::compile({{"b.json", b.dump()}});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::policy_unknown_school);
    CHECK(r.error().file == "b.json");
    CHECK(r.error().pointer == "/school");
  }
  // Chosen by the caller (--school): still lists the known schools.
  {
    auto r = Policy::compile({bundle_source()}, "nowhere");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::policy_unknown_school);
    CHECK_THAT(r.error().message, Catch::Contains("quill-harbour") && Catch::Contains("marsh-end"));
  }
}

TEST_CASE("validation: the caller's unknown school names the bundle that lists the schools", "[validation][school-file]") {
  auto r = Policy::compile({bundle_source()}, "nowhere");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().file == "zorblax.json");
  CHECK(r.error().pointer == "/schools");
}

TEST_CASE("validation: errors inside a school's entry are found whichever school is checked", "[validation][school-entry]") {
  // A typo in one school's settings must not pass `policy validate` (which
  // compiles the file for no particular school), nor be ignored when the
  // policy is compiled for a different school.
  const std::string text = bundle_edited([](json& b) {
    b["schools"][1]["rules"] = {{"disclaimer.mising", {{"severity", "block"}}}};
  });
  const auto errors = Policy::validate({"b.json", text});
  CHECK_FALSE(errors.empty());
  if (!errors.empty()) CHECK(errors[0].pointer == "/schools/1/rules/disclaimer.mising");
  auto r = Policy::compile({{"b.json", text}}, "quill-harbour");
  CHECK_FALSE(r.ok());
  // Compiled for that school it is reported, with the pointer into the entry.
  auto s = Policy::compile({{"b.json", text}}, "marsh-end");
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().pointer == "/schools/1/rules/disclaimer.mising");
}

TEST_CASE("validation: an overlay for a school the bundle does not have is an error", "[validation][overlay-school]") {
  // A typo in the overlay's school id would otherwise drop its settings silently.
  auto r = Policy::compile({bundle_source(), {"o.json", R"({"format": "postguard/1", "school": "quill-harbor",
                                                          "rules": {"disclaimer.missing": {"severity": "block"}}})"}},
                           "quill-harbour");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::policy_unknown_school);
  CHECK(r.error().file == "o.json");
  CHECK(r.error().pointer == "/school");
}

TEST_CASE("validation: validate() reports every schema problem, each with its pointer", "[validation]") {
  const std::string text = R"({"format": "postguard/1",
    "organisation": {"id": "Bad Id", "name": "", "handles": ["nohandle"]},
    "rules": {"disclaimer.missing": {"severity": "loud"}}})";
  const auto errors = Policy::validate({"many.json", text});
  std::set<std::string> pointers;
  for (const auto& e : errors) {
    CHECK(e.file == "many.json");
    CHECK(e.code == ErrorCode::policy_schema);
    CHECK_FALSE(e.message.empty());
    pointers.insert(e.pointer);
  }
  CHECK(pointers == std::set<std::string>{"/organisation/id", "/organisation/name", "/organisation/handles/0",
                                          "/rules/disclaimer.missing/severity"});
  // compile() reports the first and says there are more.
  auto r = Policy::compile({{"many.json", text}});
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message, Catch::Contains("more"));
}

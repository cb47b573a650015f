// Policy merge: baseline -> trust -> school -> overlay, and the provenance
// explain_json() reports for each value.
#include <thread>

#include <nlohmann/json.hpp>

#include "test_support.h"

using namespace pgtest;
using nlohmann::json;
using postguard::Severity;

namespace {

const std::string kRule = "disclaimer.missing";
const std::string kText = "Lovely assembly at Quill Harbour";

// The bundle with extra trust-level and school-level fields.
std::string bundle_with(const json& trust_extra, const json& school_extra) {
  json b = json::parse(kBundle);
  for (const auto& [k, v] : trust_extra.items()) b[k] = v;
  for (const auto& [k, v] : school_extra.items()) b["schools"][0][k] = v;
  return b.dump();
}

std::string overlay_with(const json& extra) {
  json o = {{"format", "postguard/1"}};
  for (const auto& [k, v] : extra.items()) o[k] = v;
  return o.dump();
}

json explain(const Policy& p) { return json::parse(p.explain_json()); }

json rule_of(const json& explained, const std::string& id) {
  for (const auto& r : explained["rules"]) {
    if (r["id"] == id) return r;
  }
  FAIL("rule " << id << " not in explain_json");
  return {};
}

Finding the_finding(const Policy& p, const std::string& text = kText) {
  const auto f = of_rule(check_ok(p, text, personal_post()), kRule);
  REQUIRE(f.size() == 1);
  return f[0];
}

}  // namespace

TEST_CASE("merge: severity precedence baseline -> trust -> school -> overlay", "[merge]") {
  auto rules = [](const char* s) { return json{{"disclaimer.missing", {{"severity", s}}}}; };
  const json none = json::object();

  {  // baseline
    const Policy p = compile_ok({{"b.json", bundle_with(none, none)}}, "quill-harbour");
    const json r = rule_of(explain(p), kRule);
    CHECK(r["severity"]["value"] == "warn");
    CHECK(r["severity"]["from"]["layer"] == "baseline");
    CHECK_THAT(r["severity"]["from"]["file"].get<std::string>(), Catch::StartsWith("packs/"));
    CHECK_THAT(r["severity"]["from"]["pointer"].get<std::string>(), Catch::EndsWith("/severity"));
    CHECK(the_finding(p).severity == Severity::warn);
  }
  {  // trust
    const Policy p = compile_ok({{"b.json", bundle_with({{"rules", rules("confirm")}}, none)}}, "quill-harbour");
    const json r = rule_of(explain(p), kRule);
    CHECK(r["severity"]["value"] == "confirm");
    CHECK(r["severity"]["from"] == json({{"layer", "trust"}, {"file", "b.json"},
                                         {"pointer", "/rules/disclaimer.missing/severity"}}));
    CHECK(the_finding(p).severity == Severity::confirm);
  }
  {  // school beats trust
    const Policy p = compile_ok(
        {{"b.json", bundle_with({{"rules", rules("confirm")}}, {{"rules", rules("block")}})}}, "quill-harbour");
    const json r = rule_of(explain(p), kRule);
    CHECK(r["severity"]["value"] == "block");
    CHECK(r["severity"]["from"] == json({{"layer", "school"}, {"file", "b.json"},
                                         {"pointer", "/schools/0/rules/disclaimer.missing/severity"}}));
    CHECK(the_finding(p).severity == Severity::block);
    // Another school of the same bundle keeps the trust's value.
    const Policy other = compile_ok(
        {{"b.json", bundle_with({{"rules", rules("confirm")}}, {{"rules", rules("block")}})}}, "marsh-end");
    CHECK(rule_of(explain(other), kRule)["severity"]["value"] == "confirm");
  }
  {  // overlay beats school
    const Policy p = compile_ok({{"b.json", bundle_with({{"rules", rules("confirm")}}, {{"rules", rules("block")}})},
                                 {"o.json", overlay_with({{"rules", rules("info")}})}},
                                "quill-harbour");
    const json r = rule_of(explain(p), kRule);
    CHECK(r["severity"]["value"] == "info");
    CHECK(r["severity"]["from"] == json({{"layer", "overlay"}, {"file", "o.json"},
                                         {"pointer", "/rules/disclaimer.missing/severity"}}));
    CHECK(the_finding(p).severity == Severity::info);
  }
}

TEST_CASE("merge: enabled, message and policyRef follow the same order", "[merge]") {
  const json trust = {{"rules", {{kRule, {{"enabled", false}, {"message", "Trust says."}, {"policyRef", "Trust 1.1"}}}}}};
  const json school = {{"rules", {{kRule, {{"enabled", true}, {"message", "School says."}}}}}};
  {
    const Policy p = compile_ok({{"b.json", bundle_with(trust, json::object())}}, "quill-harbour");
    CHECK(of_rule(check_ok(p, kText, personal_post()), kRule).empty());
    const json r = rule_of(explain(p), kRule);
    CHECK(r["enabled"]["value"] == false);
    CHECK(r["enabled"]["from"]["layer"] == "trust");
    CHECK(r["enabled"]["from"]["pointer"] == "/rules/disclaimer.missing/enabled");
  }
  {
    const Policy p = compile_ok({{"b.json", bundle_with(trust, school)}}, "quill-harbour");
    const Finding f = the_finding(p);
    CHECK(f.message == "School says.");
    CHECK(f.policy_ref == "Trust 1.1");
    const json r = rule_of(explain(p), kRule);
    CHECK(r["enabled"]["from"]["layer"] == "school");
    CHECK(r["message"]["from"]["layer"] == "school");
    CHECK(r["policyRef"]["from"]["layer"] == "trust");
    CHECK(r["policyRef"]["value"] == "Trust 1.1");
  }
  {
    const Policy p = compile_ok({{"b.json", bundle_with(trust, school)},
                                 {"o.json", overlay_with({{"rules", {{kRule, {{"policyRef", "Overlay 2.2"}}}}}})}},
                                "quill-harbour");
    const Finding f = the_finding(p);
    CHECK(f.policy_ref == "Overlay 2.2");
    CHECK(rule_of(explain(p), kRule)["policyRef"]["from"] ==
          json({{"layer", "overlay"}, {"file", "o.json"}, {"pointer", "/rules/disclaimer.missing/policyRef"}}));
  }
}

TEST_CASE("merge: category-wide settings", "[merge]") {
  // A category setting reaches every rule of the category...
  const Policy p = compile_ok(
      {{"b.json", bundle_with({{"rules", {{"category:confidential", {{"severity", "block"}}}}}}, json::object())}},
      "quill-harbour");
  int n = 0;
  const json explained = explain(p);
  for (const auto& r : explained["rules"]) {
    if (r["category"] != "confidential") continue;
    ++n;
    CHECK(r["severity"]["value"] == "block");
    CHECK(r["severity"]["from"]["pointer"] == "/rules/category:confidential/severity");
  }
  CHECK(n >= 1);
  // ...a rule's own setting in the same layer wins whatever the key order...
  for (const bool rule_first : {true, false}) {
    json rules = json::object();
    const std::string text = rule_first ? R"({"disclaimer.missing": {"severity": "info"}, "category:disclaimer": {"severity": "block"}})"
                                        : R"({"category:disclaimer": {"severity": "block"}, "disclaimer.missing": {"severity": "info"}})";
    const Policy q = compile_ok({{"b.json", bundle_with({{"rules", json::parse(text)}}, json::object())}}, "quill-harbour");
    CHECK(the_finding(q).severity == Severity::info);
  }
  // ...and a later layer's category setting beats an earlier layer's rule setting.
  const Policy q = compile_ok({{"b.json", bundle_with({{"rules", {{kRule, {{"severity", "info"}}}}}},
                                                      {{"rules", {{"category:disclaimer", {{"enabled", false}}}}}})}},
                              "quill-harbour");
  CHECK(of_rule(check_ok(q, kText, personal_post()), kRule).empty());
}

TEST_CASE("merge: the trust's own clause per category", "[merge]") {
  const Policy p = compile_ok({{"b.json", bundle_with({{"policyRefs", {{"disclaimer", "Zorb Code 4.2"}}}}, json::object())}},
                              "quill-harbour");
  CHECK(the_finding(p).policy_ref == "Zorb Code 4.2");
  const json e = explain(p);
  CHECK(e["policyRefs"]["disclaimer"]["value"] == "Zorb Code 4.2");
  CHECK(e["policyRefs"]["disclaimer"]["from"]["pointer"] == "/policyRefs/disclaimer");
  // The school maps it again; a rule's explicit policyRef wins over the mapping.
  const Policy q = compile_ok({{"b.json", bundle_with({{"policyRefs", {{"disclaimer", "Zorb Code 4.2"}}}},
                                                      {{"policyRefs", {{"disclaimer", "QH Handbook 3"}}}})}},
                              "quill-harbour");
  CHECK(the_finding(q).policy_ref == "QH Handbook 3");
  const Policy r = compile_ok({{"b.json", bundle_with({{"policyRefs", {{"disclaimer", "Zorb Code 4.2"}}}}, json::object())},
                               {"o.json", overlay_with({{"rules", {{kRule, {{"policyRef", "Rule ref"}}}}}})}},
                              "quill-harbour");
  CHECK(the_finding(r).policy_ref == "Rule ref");
}

TEST_CASE("merge: the disclaimer text by layer", "[merge]") {
  {
    const json e = explain(bundle_policy("quill-harbour"));
    CHECK(e["disclaimer"]["value"] == "Quill Harbour line: my views, not the school's.");
    CHECK(e["disclaimer"]["from"] ==
          json({{"layer", "school"}, {"file", "zorblax.json"}, {"pointer", "/schools/0/disclaimer/text"}}));
  }
  {
    const json e = explain(bundle_policy("marsh-end"));
    CHECK(e["disclaimer"]["value"] == "Trust line: these views are mine alone.");
    CHECK(e["disclaimer"]["from"] == json({{"layer", "trust"}, {"file", "zorblax.json"}, {"pointer", "/disclaimer/text"}}));
  }
  {
    const Policy p = compile_ok({bundle_source(), {"o.json", overlay_with({{"disclaimer", {{"text", "Overlay line."}}}})}},
                                "quill-harbour");
    CHECK(p.disclaimer_text() == "Overlay line.");
    CHECK(explain(p)["disclaimer"]["from"]["layer"] == "overlay");
    const auto f = of_rule(check_ok(p, kText, personal_post()), kRule);
    REQUIRE(f.size() == 1);
    REQUIRE(f[0].fix.has_value());
    CHECK_THAT(f[0].fix->text, Catch::EndsWith("Overlay line."));
  }
  {
    const json e = explain(compile_ok({}));
    CHECK(e["disclaimer"]["from"]["layer"] == "baseline");
    CHECK_FALSE(e["disclaimer"]["value"].get<std::string>().empty());
  }
}

TEST_CASE("merge: which school, and overlays for other schools", "[merge]") {
  // The overlay names the school when the caller does not.
  const Policy p = compile_ok({bundle_source(), {"o.json", overlay_with({{"school", "marsh-end"}})}});
  CHECK(p.school() == "marsh-end");
  const json e = explain(p);
  CHECK(e["school"]["value"] == "marsh-end");
  CHECK(e["school"]["from"]["file"] == "o.json");
  CHECK(e["school"]["from"]["pointer"] == "/school");
  // An overlay for another school does not apply.
  const Policy q = compile_ok({bundle_source(), {"o.json", overlay_with({{"school", "marsh-end"},
                                                                          {"rules", {{kRule, {{"enabled", false}}}}}})}},
                              "quill-harbour");
  CHECK(q.school() == "quill-harbour");
  CHECK(of_rule(check_ok(q, kText, personal_post()), kRule).size() == 1);
  CHECK(explain(q)["files"] == json({"zorblax.json", "o.json"}));
}

TEST_CASE("merge: provenance of identities and added phrases", "[merge]") {
  const Policy p = compile_ok({bundle_source(), {"o.json", overlay_with({{"phrases", {{"confidential_terms", {"Zorbfalcon"}}}}})}},
                              "quill-harbour");
  const json e = explain(p);
  CHECK(e["organisation"]["id"] == "zorblax");
  bool trust_handle = false, school_tag = false, other_school = false;
  for (const auto& i : e["employer"]) {
    if (i["text"] == "@ZorblaxQT") {
      trust_handle = true;
      CHECK(i["kind"] == "handle");
      CHECK(i["owner"] == "zorblax");
      CHECK(i["from"] == json({{"layer", "trust"}, {"file", "zorblax.json"}, {"pointer", "/organisation/handles/0"}}));
    }
    if (i["text"] == "#QHfamily") {
      school_tag = true;
      CHECK(i["kind"] == "hashtag");
      CHECK(i["owner"] == "quill-harbour");
      CHECK(i["from"] == json({{"layer", "school"}, {"file", "zorblax.json"}, {"pointer", "/schools/0/hashtags/0"}}));
    }
    if (i["owner"] == "marsh-end") other_school = true;
  }
  CHECK(trust_handle);
  CHECK(school_tag);
  CHECK_FALSE(other_school);
  REQUIRE(e["addedPhrases"].contains("confidential_terms"));
  CHECK(e["addedPhrases"]["confidential_terms"][0]["value"] == "Zorbfalcon");
  CHECK(e["addedPhrases"]["confidential_terms"][0]["from"] ==
        json({{"layer", "overlay"}, {"file", "o.json"}, {"pointer", "/phrases/confidential_terms/0"}}));
}

TEST_CASE("a compiled policy is a value: copies and threads give the same findings", "[merge]") {
  const Policy p = bundle_policy();
  const std::string text = "\xF0\x9F\x98\x80 Great day at Quill Harbour with Zorbina, password: x7!yz";
  const std::string expected = postguard::findings_to_json(check_ok(p, text, personal_post()));
  Policy copy = p;
  Policy moved = std::move(copy);
  CHECK(postguard::findings_to_json(check_ok(moved, text, personal_post())) == expected);
  std::vector<std::string> results(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < results.size(); ++t) {
    threads.emplace_back([&, t] {
      std::string last;
      for (int i = 0; i < 50; ++i) {
        auto r = postguard::check(p, text, personal_post());
        last = r ? postguard::findings_to_json(r.value()) : "error";
      }
      results[t] = last;
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& r : results) CHECK(r == expected);
}

TEST_CASE("findings JSON has the documented fields in order", "[merge]") {
  const Policy p = bundle_policy();
  const std::string text = "Sports day at Quill Harbour";
  const json arr = json::parse(postguard::findings_to_json(check_ok(p, text, personal_post())));
  REQUIRE(arr.is_array());
  REQUIRE_FALSE(arr.empty());
  const auto ordered = nlohmann::ordered_json::parse(postguard::findings_to_json(check_ok(p, text, personal_post())));
  std::vector<std::string> keys;
  for (const auto& [k, _] : ordered[0].items()) keys.push_back(k);
  CHECK(keys == std::vector<std::string>{"rule", "category", "severity", "start", "end", "message", "policyRef", "fix"});
  CHECK(arr[0]["fix"].contains("start"));
  CHECK(arr[0]["fix"].contains("end"));
  CHECK(arr[0]["fix"].contains("text"));
  // Errors as JSON carry the numeric code.
  postguard::Error err;
  err.code = postguard::ErrorCode::invalid_utf8;
  err.message = "bad";
  err.file = "f.json";
  err.pointer = "/x";
  CHECK(json::parse(postguard::error_to_json(err)) ==
        json({{"code", 10}, {"message", "bad"}, {"file", "f.json"}, {"pointer", "/x"}}));
  CHECK(err.to_string() == "f.json: /x: bad");
}

// `postguard policy validate` on real files: a bundle's rule settings and
// clause mappings naming a rule or category that does not exist are errors
// with the file, the JSON pointer and a did-you-mean.
#include <catch2/catch.hpp>

#include <sstream>

#include "cli/cli.h"
#include "host_test_support.h"

using host_test::json;

namespace {

struct Run {
  int code;
  std::string out, err;
};

Run validate(const std::string& path) {
  std::istringstream in;
  std::ostringstream out, err;
  const int code = postguard::cli::run({"policy", "validate", path}, {in, out, err});
  return {code, out.str(), err.str()};
}

// The corpus bundle with `edit` applied, written to DIR/bundle.json.
std::string edited_bundle(const host_test::TempDir& dir, void (*edit)(json&)) {
  json b = json::parse(host_test::corpus_bundle("tarka"));
  edit(b);
  const auto path = (dir.path() / "bundle.json").string();
  host_test::write_file(path, b.dump(2));
  return path;
}

}  // namespace

TEST_CASE("policy validate: a clause for an unknown category is an error with a did-you-mean", "[cli][validate]") {
  host_test::TempDir dir;
  const auto path = edited_bundle(dir, [](json& b) { b["policyRefs"] = {{"confidentail", "Code of Conduct 7.2"}}; });
  const Run r = validate(path);
  CHECK(r.code == 2);
  const std::string all = r.out + r.err;
  CHECK_THAT(all, Catch::Contains(path) && Catch::Contains("/policyRefs/confidentail") &&
                      Catch::Contains("did you mean \"confidential\"") && Catch::Contains("pupil_privacy"));
}

TEST_CASE("policy validate: the same in a school's entry, which is checked whichever school is selected",
          "[cli][validate]") {
  host_test::TempDir dir;
  const auto path = edited_bundle(dir, [](json& b) { b["schools"][0]["policyRefs"] = {{"pupil_contacts", "5.1"}}; });
  const Run r = validate(path);
  CHECK(r.code == 2);
  CHECK_THAT(r.out + r.err, Catch::Contains("/schools/0/policyRefs/pupil_contacts") &&
                                Catch::Contains("did you mean \"pupil_contact\""));
}

TEST_CASE("policy validate: an unknown category in the rule settings gets a did-you-mean", "[cli][validate]") {
  host_test::TempDir dir;
  const auto path = edited_bundle(dir, [](json& b) { b["rules"] = {{"category:confidentail", {{"enabled", false}}}}; });
  const Run r = validate(path);
  CHECK(r.code == 2);
  CHECK_THAT(r.out + r.err, Catch::Contains("/rules/category:confidentail") &&
                                Catch::Contains("did you mean \"confidential\""));
}

TEST_CASE("policy validate: the real categories are accepted", "[cli][validate]") {
  host_test::TempDir dir;
  const auto path = edited_bundle(dir, [](json& b) {
    b["policyRefs"] = {{"confidential", "Code of Conduct 7.2"}, {"pupil_contact", "5.1"}};
    b["rules"] = {{"category:reputation", {{"severity", "info"}}}};
  });
  const Run r = validate(path);
  CHECK(r.code == 0);
}

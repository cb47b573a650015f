// condition_holds looks only at spans that reach into the word window around
// a trigger (and skips, unlooked-up, those ending before its first word).
// "within N words" must still hold exactly at N and fail at N + 1, on both
// sides, with other spans of the set further away than the window.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "test_support.h"

namespace {

std::string words(int k) {
  std::string s;
  for (int i = 0; i < k; ++i) s += " zz";
  return s;
}

}  // namespace

TEST_CASE("conditions: 'within' words holds at the limit and not one word past it", "[rules][proximity]") {
  // pupil-contact.invite: @contact_invite near @pupil_audience within 25 words.
  const nlohmann::json overlay = {{"format", "postguard/1"},
                                  {"phrases", {{"contact_invite", {"zorbtrig"}}, {"pupil_audience", {"zorbnear"}}}}};
  const postguard::Policy p = pgtest::compile_ok({pgtest::bundle_source(), {"overlay.json", overlay.dump()}}, "quill-harbour");
  const postguard::Context ctx = pgtest::personal_post();
  auto fires = [&](const std::string& text) {
    INFO("text: " << text);
    return !pgtest::of_rule(pgtest::check_ok(p, text, ctx), "pupil-contact.invite").empty();
  };
  REQUIRE(fires("zorbtrig zorbnear"));
  REQUIRE_FALSE(fires("zorbtrig"));
  for (int k = 20; k <= 30; ++k) {
    INFO(k << " words between");
    const bool near = k <= 25;
    CHECK(fires("zorbtrig" + words(k) + " zorbnear") == near);                             // after
    CHECK(fires("zorbnear" + words(k) + " zorbtrig") == near);                             // before
    CHECK(fires("zorbnear" + words(40) + " zorbtrig" + words(k) + " zorbnear") == near);   // one far before too
    CHECK(fires("zorbnear" + words(k) + " zorbtrig" + words(40) + " zorbnear") == near);   // one far after too
    CHECK(fires("zorbnear zorbnear" + words(k + 30) + " zorbtrig" + words(k) + " zorbnear") == near);
  }
}

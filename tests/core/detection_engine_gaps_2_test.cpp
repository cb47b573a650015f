// Engine gaps found by reading the misses of two sets that had been blind
// (fresh and north, even ids): the text held the right words, and the engine
// lost them. Each test fails without its change:
//  - an adult-role exception ("teacher") read past a nearer description of a
//    pupil ("a teacher and a Y10 called Mason Whitfield");
//  - a nickname in quotes between a given name and a surname;
//  - dotted initials ("S.M.") joined into one word by the spaced-letter fold.
#include <string>

#include "test_support.h"
#include "text/normalized_text.h"

using namespace pgtest;

namespace {

bool privacy(const std::string& text, const Context& ctx = personal_post()) {
  return !of_category(check_ok(bundle_policy(), text, ctx), "pupil_privacy").empty();
}

}  // namespace

TEST_CASE("names: an adult role does not cancel a name that a nearer pupil description introduces",
          "[gaps2][names]") {
  // The role is the writer's; the name belongs to the pupil described right before it.
  CHECK(privacy("POV: you're a teacher and a Y10 called Mason Whitfield tells you your lanyard is cringe"));
  CHECK(privacy("Being a form tutor means a Year 8 named Priya Lockhart explaining TikTok to you at 8.40am"));
  // The role still names the adult when nothing about a pupil stands between.
  CHECK_FALSE(privacy("Welcome to our new maths teacher Jane Morton, who starts with Year 9 on Monday"));
  CHECK_FALSE(privacy("Year 9 loved the talk from our science teacher Helen Pryce today"));
}

TEST_CASE("names: a nickname in quotes between a given name and a surname", "[gaps2][names]") {
  CHECK(privacy("Massive shout to Dan 'Smudge' Smith in 11B who ran the 1500m in 4:31 today"));
  CHECK(privacy("Well done Olivia \"Liv\" Hartley in Year 6, a brilliant first goal"));
  // A quoted word that is not a name, and a famous nickname, are not a pupil's full name.
  CHECK_FALSE(privacy("Year 6 said the trip was 'Amazing' again today"));
}

TEST_CASE("initials: dotted initials beside a year group and a need single out a pupil", "[gaps2][initials]") {
  // The spaced-letter fold joins "S.M." into "sm.": the initials survive as that shape.
  CHECK(postguard::text::normalize("S.M. in Y4").text == "sm. in y4");
  CHECK(privacy("Our SENCO told me today that S.M. in Y4 is finally getting an EHCP assessment"));
  CHECK(privacy("J.K. (Year 6) has been diagnosed with ADHD at last"));
  // Subjects and times written with dots are not initials.
  CHECK_FALSE(privacy("P.E. in Year 4 is cancelled, the ADHD training is in the hall"));
  CHECK_FALSE(privacy("R.E. in Y5 this week: how different faiths care for people with autism"));
}

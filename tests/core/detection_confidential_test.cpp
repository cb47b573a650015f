// Employer-name behaviour (employer_identity.cpp) that pack phrases alone cannot
// give: a saint's name alone is also the church, an acronym spelled out as
// something else anywhere in the draft, a one-word name after a given name or
// before words that make it a person, context words that only tell the
// author's day, and "the <name> kids". Each test fails without its change.
// Made-up names so the tests follow the code, not the corpora.
#include <string>

#include "test_support.h"

using namespace pgtest;

namespace {

const char* const kSaintBundle = R"({"format": "postguard/1",
  "organisation": {"id": "zorb", "name": "Zorbwick Academy Trust", "aliases": ["Zorbwick", "ZAT"]},
  "schools": [{"id": "st-quorra", "name": "St Quorra's Primary School", "aliases": ["St Quorra's", "SQPS"]},
              {"id": "vell-mere", "name": "Vell Mere Academy", "aliases": ["Vell Mere"]}]})";

bool names_employer(const std::string& school, const std::string& text) {
  const Policy p = compile_ok({{"zorb.json", kSaintBundle}}, school);
  return !of_rule(check_ok(p, text, personal_post(school)), "disclaimer.missing").empty();
}

}  // namespace

TEST_CASE("employer: a saint's name alone beside worship words is the church", "[gaps][employer][d2]") {
  CHECK_FALSE(names_employer("st-quorra", "Lovely christening at St Quorra's this morning, the vicar was brilliant"));
  CHECK_FALSE(names_employer("st-quorra", "Midnight Mass at St Quorra's with my mum, candles and carols"));
  // With school words, or as the school's longer name, it is the school.
  CHECK(names_employer("st-quorra", "Whole-school Mass at St Quorra's and our Year 6s led the readings"));
  CHECK(names_employer("st-quorra", "Christmas fair at St Quorra's today, come along"));
  CHECK(names_employer("st-quorra", "Wedding fair in the hall at St Quorra's Primary School on Saturday"));
}

TEST_CASE("employer: an acronym the draft spells out as something else is that other thing", "[gaps][employer][d2]") {
  CHECK_FALSE(names_employer("st-quorra", "SQPS delivered my shed today. Surrey Quality Potting Sheds never let me down before term"));
  CHECK(names_employer("st-quorra", "SQPS staff are the best, proud to teach here"));
  // The school's own name spelling the acronym out does not count against it.
  CHECK(names_employer("st-quorra", "SQPS (St Quorra's Primary School) staff are the best, proud to teach here"));
}

TEST_CASE("employer: a one-word name after a given name, or said to be a person, is a person", "[gaps][employer][d2]") {
  CHECK_FALSE(names_employer("vell-mere", "Reading the new Mary Zorbwick biography after school, what a woman"));
  CHECK_FALSE(names_employer("vell-mere", "Happy retirement to Zorbwick, my old boss at the garage. He taught me engines"));
  CHECK_FALSE(names_employer("vell-mere", "Zorbwick was some man for the football, tell him I was asking"));
  CHECK(names_employer("vell-mere", "Zorbwick's sixth formers won the debating final tonight"));
  CHECK(names_employer("vell-mere", "Love Zorbwick, but three parents' evenings in one week is a lot"));
}

TEST_CASE("employer: a place-named school beside an outing and the author's day is the place", "[gaps][employer][d2]") {
  CHECK_FALSE(names_employer("vell-mere", "Sunset swim in Vell Mere after a long week of work, I screamed"));
  CHECK_FALSE(names_employer("vell-mere", "Paddleboarding on Vell Mere before work, two swans and a heron"));
  CHECK(names_employer("vell-mere", "Swimming gala for the Vell Mere kids today, every class cheered"));
  CHECK(names_employer("vell-mere", "Proud of our Vell Mere pupils at the county quiz"));
}

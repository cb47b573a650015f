// Engine behaviour that phrase lists cannot give: which digits are letter
// swaps, exceptions that overlap their trigger, inflected head verbs of
// multi-word phrases, titles before a one-word school name, and who a DM is
// addressed to. Each test fails without its engine change.
#include <algorithm>
#include <string>
#include <vector>

#include "match/phrase_expansion.h"
#include "test_support.h"
#include "text/normalized_text.h"

using namespace pgtest;

namespace {

std::string folded(const std::string& s) { return postguard::text::normalize(s).text; }

// The trust bundle plus made-up phrases in two of the baseline's sets, so the
// exception tests follow the evaluator and not the packs' wording.
Policy policy_with_phrases(const std::string& phrases_json) {
  const std::string overlay = R"({"format": "postguard/1", "school": "quill-harbour", "phrases": )" + phrases_json + "}";
  return compile_ok({bundle_source(), {"overlay.json", overlay}}, "quill-harbour");
}

Context with_images(Context c, int n) {
  c.images = n;
  return c;
}

}  // namespace

TEST_CASE("digit folding: digits inside a word are letters, codes and endings are kept", "[gaps][digits]") {
  // Letter swaps inside words, and a word's edges once it holds one.
  CHECK(folded("p4y") == "pay");
  CHECK(folded("t34ch3r") == "teacher");
  CHECK(folded("m4th5") == "maths");
  CHECK(folded("0fst3d") == "ofsted");
  CHECK(folded("0ut") == "out");
  CHECK(folded("K1ngsw4y H1gh") == "kingsway high");
  // Codes, passwords, handles, years, times and amounts as written.
  CHECK(folded("welcome1") == "welcome1");
  CHECK(folded("S5 P7 Y6 7B 10X") == "s5 p7 y6 7b 10x");
  CHECK(folded("@max_pearson07 @ruby2010 @sam1984") == "@max_pearson07 @ruby2010 @sam1984");
  CHECK(folded("class2011 b2b 4x4 3pm 10am 5k 16th ks3 y10s ups3") == "class2011 b2b 4x4 3pm 10am 5k 16th ks3 y10s ups3");
  CHECK(folded("m4x2010") == "max2010");  // the swap folds, the year does not
  CHECK(folded("Right S3s and P7s") == "right s3s and p7s");  // Scottish year groups, plural
}

TEST_CASE("digit folding: a word right after a word written in swaps is read the same way", "[gaps][digits]") {
  // "m3" alone is a code (a pay point); after "m3ss4g3" it is "me".
  CHECK(folded("just m3ss4g3 m3 on here") == "just message me on here");
  CHECK(folded("4dd m3 0n sn4pch4t") == "add me on snapchat");
  CHECK(folded("on M3 now") == "on m3 now");
  CHECK(folded("welcome1 m3") == "welcome1 m3");       // nothing was swapped before it
  CHECK(folded("p4y, m3") == "pay, m3");               // not one space away
  CHECK(folded("t3xt m3 on 07700 900123") == "text me on 07700 900123");  // numbers are not words
}

TEST_CASE("digit folding: a handle's birth year is read as written", "[gaps][digits]") {
  const Policy p = bundle_policy();
  Context c = personal_post();
  c.surface = "comment";
  // A school-age year after letters (folded to 'ot' before, so missed).
  CHECK_FALSE(of_rule(check_ok(p, "@max_pearson07 see you at training", c), "pupil-contact.young-handle").empty());
  // An adult's 1980s year after letters is not a pupil's handle.
  CHECK(of_rule(check_ok(p, "@mike1984 see you at training", c), "pupil-contact.young-handle").empty());
}

TEST_CASE("exceptions: one reaching past its trigger cancels it, one inside it does not", "[gaps][unless]") {
  // pupil-privacy.attached-images: a pupil word with images attached, unless
  // the draft says no pupils are shown (no_pupils_shown).
  const Policy p = policy_with_phrases(R"({"pupil_group": ["zorbkid", "zorbkid zorbshot"],
                                             "no_pupils_shown": ["zorbnone zorbkid", "zorbshot"]})");
  const Context c = with_images(personal_post(), 1);
  const std::string rule = "pupil-privacy.attached-images";
  CHECK_FALSE(of_rule(check_ok(p, "sunny day zorbkid", c), rule).empty());
  // "no kids": the exception covers the trigger and a word before it.
  CHECK(of_rule(check_ok(p, "sunny day zorbnone zorbkid", c), rule).empty());
  // An exception inside the trigger ("report's out" in "till the report's
  // out") leaves it standing.
  CHECK_FALSE(of_rule(check_ok(p, "sunny day zorbkid zorbshot", c), rule).empty());
  // The same with the packs' own words.
  const Policy base = bundle_policy();
  CHECK(of_rule(check_ok(base, "Sunny sports day, no kids pictured, just the field", c), rule).empty());
  CHECK_FALSE(of_rule(check_ok(base, "Sunny sports day with the kids", c), rule).empty());
  CHECK_FALSE(of_rule(check_ok(base, "Inspection went well but can't say anything till the report's out", personal_post()),
                      "confidential.not-yet-public")
                  .empty());
}

TEST_CASE("inflection: the head verb of a multi-word phrase is inflected too", "[gaps][inflection]") {
  using postguard::match::head_verb_forms;
  auto has = [](const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  };
  const auto merge = head_verb_forms("merge with");
  CHECK(has(merge, "merged with"));
  CHECK(has(merge, "merging with"));
  CHECK(has(merge, "merges with"));
  const auto sign = head_verb_forms("sign off on");
  CHECK(has(sign, "signed off on"));
  CHECK(has(sign, "signing off on"));
  CHECK(has(head_verb_forms("stop the"), "stopped the"));
  CHECK(has(head_verb_forms("carry on"), "carried on"));
  CHECK(has(head_verb_forms("tell the"), "told the"));
  CHECK_FALSE(has(head_verb_forms("tell the"), "telled the"));
  // Not verbs, or not to be read as the past: left alone.
  CHECK(head_verb_forms("call me").empty());        // an invitation; "called me" is not one
  CHECK(head_verb_forms("views my own").empty());   // no particle after the head
  CHECK(head_verb_forms("before the report").empty());
  CHECK(head_verb_forms("merged with").empty());    // inflected already
  CHECK(head_verb_forms("merge*").empty());
  CHECK(head_verb_forms("Kinnaird with").empty());  // a name as written
  // Through a policy's own phrase: "amalgamate with" finds "amalgamated with".
  const Policy p = policy_with_phrases(R"({"confidential_terms": ["zorbamalgamate with"]})");
  CHECK_FALSE(of_rule(check_ok(p, "Heard we zorbamalgamated with the other trust", personal_post()), "confidential.custom-terms").empty());
  CHECK_FALSE(of_rule(check_ok(p, "Heard we are zorbamalgamating with the other trust", personal_post()), "confidential.custom-terms").empty());
}

TEST_CASE("employer: a title or place word before a one-word school name makes it someone else's", "[gaps][employer]") {
  // Marsh End is a two-word name; a one-word alias needs a school context.
  const std::string bundle = R"({"format": "postguard/1",
    "organisation": {"id": "zorb", "name": "Zorbwick Academy Trust", "aliases": ["Zorbwick"]},
    "schools": [{"id": "zorbwick-high", "name": "Zorbwick High School"}]})";
  const Policy p = compile_ok({{"zorb.json", bundle}}, "zorbwick-high");
  const Context c = personal_post("zorbwick-high");
  CHECK_FALSE(of_rule(check_ok(p, "Proud of our Zorbwick pupils at the county quiz today", c), "disclaimer.missing").empty());
  CHECK(of_rule(check_ok(p, "Reading about Lord Zorbwick with my own kids this weekend", c), "disclaimer.missing").empty());
  CHECK(of_rule(check_ok(p, "Mrs Zorbwick taught my class to knit, lovely lady", c), "disclaimer.missing").empty());
  CHECK(of_rule(check_ok(p, "Walked round Loch Zorbwick with the kids", c), "disclaimer.missing").empty());
}

TEST_CASE("DMs: a greeting to an adult by title or as a parent makes the reader an adult", "[gaps][addressee]") {
  const Policy p = bundle_policy();
  Context dm = personal_post();
  dm.surface = "dm";
  dm.site = "facebook.com";
  auto contact = [&](const std::string& text) { return !of_category(check_ok(p, text, dm), "pupil_contact").empty(); };
  // The same invitation with a pupil's name and school life in it: to a pupil it warns...
  CHECK(contact("Hi Amir, text me if you're still unwell tomorrow and I'll send the homework"));
  // ...to the parent greeted by title or as the pupil's parent it does not.
  CHECK_FALSE(contact("Hi Mrs Patel, thanks for the message about Amir. Text me if he's still unwell tomorrow"));
  CHECK_FALSE(contact("Mrs Patel, thanks for the message about Amir. Text me if he's still unwell tomorrow"));
  CHECK_FALSE(contact("Hi Amir's mum! Text me if he's still unwell tomorrow"));
  // A titled name that introduces the writer, or one later in the message, is not the reader.
  CHECK(contact("Miss Patel here, Amir, text me if you're still unwell tomorrow"));
  CHECK(contact("Hi Amir, Mrs Patel says you're unwell. Text me if you're still poorly tomorrow"));
}

TEST_CASE("employer: a shop's or day out's words, or a route word, make a school's name the place", "[gaps][employer]") {
  const std::string bundle = R"({"format": "postguard/1",
    "organisation": {"id": "zorb", "name": "Zorbwick Academy Trust", "aliases": ["Zorbwick"]},
    "schools": [{"id": "grey-bank", "name": "Grey Bank School", "aliases": ["Grey Bank"]}]})";
  const Policy p = compile_ok({{"zorb.json", bundle}}, "grey-bank");
  const Context c = personal_post("grey-bank");
  // A cue ("at") or a possessive alone confirms a one-word name...
  CHECK_FALSE(of_rule(check_ok(p, "Lovely afternoon at Zorbwick with the Year 6 choir", c), "disclaimer.missing").empty());
  // ...but not beside a shop's words with no school word near.
  CHECK(of_rule(check_ok(p, "Afternoon tea at Zorbwick in town for my birthday", c), "disclaimer.missing").empty());
  CHECK(of_rule(check_ok(p, "Zorbwick's Christmas window is up, queue for it was worth it", c), "disclaimer.missing").empty());
  // A place-named school after a route word is the hill itself; with school words it is still the school.
  CHECK(of_rule(check_ok(p, "Sledging down Grey Bank with my kids", c), "disclaimer.missing").empty());
  CHECK_FALSE(of_rule(check_ok(p, "So proud of the pupils at Grey Bank today", c), "disclaimer.missing").empty());
}

TEST_CASE("told contact: texting or ringing one of the author's pupils, not their parents", "[gaps][contact]") {
  const Policy p = compile_ok({bundle_source()}, "quill-harbour");
  const Context c = personal_post("quill-harbour");
  CHECK_FALSE(of_rule(check_ok(p, "texted one of my lads at 11pm to check he got home ok", c), "pupil-contact.told-contact").empty());
  CHECK_FALSE(of_rule(check_ok(p, "Rang a couple of my Year 11s over the weekend", c), "pupil-contact.told-contact").empty());
  CHECK(of_rule(check_ok(p, "Rang the parents of one of my Year 11s to say well done", c), "pupil-contact.told-contact").empty());
  CHECK(of_rule(check_ok(p, "Texted my sister at 11pm to check she got home ok", c), "pupil-contact.told-contact").empty());
}

TEST_CASE("DMs: support for a young person makes the reader a pupil without a name", "[gaps][addressee]") {
  const Policy p = bundle_policy();
  Context dm = personal_post();
  dm.surface = "dm";
  dm.site = "instagram.com";
  auto contact = [&](const std::string& text) { return !of_category(check_ok(p, text, dm), "pupil_contact").empty(); };
  CHECK(contact("proud of u today fam, keep ur head up. u got my snap, use it if u need to talk"));
  CHECK_FALSE(contact("So proud of you today, your first half marathon! Ring me tonight"));
  CHECK(contact("chin up kiddo, message me over half term if things kick off at home"));
  // The same channel words to an adult friend with no such support are not flagged.
  CHECK_FALSE(contact("you've got my snap now babe, send me the pics from Saturday night"));
  // A bare kin word after the opening name is the writer's own family, not a staff matter.
  CHECK(of_category(check_ok(p, "Sue, Dad's out of hospital and back home. Ring me later", dm), "confidential").empty());
}

TEST_CASE("confidential: a savings sum put as the posts it costs", "[gaps][confidential]") {
  const Policy p = bundle_policy();
  const Context c = personal_post();
  auto cuts = [&](const std::string& text) { return !of_rule(check_ok(p, text, c), "confidential.cuts-by-sum").empty(); };
  CHECK(cuts("We have to find £160k of efficiencies next year, which means two teaching posts"));
  CHECK(cuts("The £75k hole in the budget equals two TA jobs"));
  // No sum before it, or the sum published nationally: not this rule.
  CHECK_FALSE(cuts("Which means two teaching posts are being advertised"));
  CHECK_FALSE(cuts("According to the national figures published today, £120k of savings means posts going across England"));
}

TEST_CASE("credentials: a code given after a longer description of what it opens", "[gaps][confidential]") {
  const Policy p = bundle_policy();
  const Context c = personal_post();
  auto creds = [&](const std::string& text) { return !of_rule(check_ok(p, text, c), "confidential.credentials").empty(); };
  CHECK(creds("The code for the staff car park barrier has been the same since I started: 2580"));
  CHECK(creds("the keypad code on the staffroom door is still 4471"));
  // A discount code, a code's length, or a code with no value are not credentials.
  CHECK_FALSE(creds("Use discount code TEACH10 for 10% off this week"));
  CHECK_FALSE(creds("My Python code for the game is 200 lines long"));
  CHECK_FALSE(creds("The door code at the leisure centre changed again, ask at reception"));
}

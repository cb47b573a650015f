// Pupil contact and pupil privacy in the baseline packs (pupils.json), by kind
// of language rather than by corpus sentence: who the one reader of a DM or
// reply is, contact offered in other words than "add me" (lifts, meet-ups, a
// phone number), a pupil described rather than named, and a famous person's
// name beside a year group. Each pair holds the breach and a near miss that
// shares its words, so a rule that fires on the shared words fails one side.
#include <string>

#include "test_support.h"

using namespace pgtest;

namespace {

Context on(const std::string& surface, const std::string& site) {
  Context c = personal_post();
  c.surface = surface;
  c.site = site;
  return c;
}

bool contact(const std::string& text, const Context& ctx) {
  return !of_category(check_ok(bundle_policy(), text, ctx), "pupil_contact").empty();
}

bool privacy(const std::string& text, const Context& ctx = personal_post()) {
  return !of_category(check_ok(bundle_policy(), text, ctx), "pupil_privacy").empty();
}

}  // namespace

TEST_CASE("contact: a DM's first name alone does not make its reader a pupil", "[detection][contact][d1]") {
  const Context dm = on("dm", "web.whatsapp.com");
  // Adults by first name, with an invitation and nothing of school or youth life.
  CHECK_FALSE(contact("Janet, the car's booked in for Tuesday. Ring me after 6 if you need it back sooner", dm));
  CHECK_FALSE(contact("Gary, quiz night moved to the Crown. Text me if you're still in", dm));
  CHECK_FALSE(contact("Paul mate, add me on here and I'll send you the photos from the stag", dm));
  // The same shape with the reader's school life is a pupil's DM.
  CHECK(contact("Tiarnan, message me on here and I'll send you the notes for Monday's chem test", dm));
  CHECK(contact("Hey Oscar, heard you got the part in the school play!! Text me your lines and I'll help you learn them at the weekend", dm));
}

TEST_CASE("contact: lifts, meet-ups and a phone number are contact in other words", "[detection][contact][d1]") {
  const Context dm = on("dm", "instagram.com");
  const Context reply = on("comment", "instagram.com");
  CHECK(contact("Saw you're stuck over exeat. I'll grab you from the station, no need to bother with the school minibus", dm));
  CHECK(contact("Amazing result Ollie, next time you're back from college we'll go for a burger, my shout", reply));
  CHECK(contact("Sorry I missed your call, you're not in trouble for ringing after lights out. Ring my mobile any time", dm));
  CHECK(contact("We can carry on the mentoring over the summer by phone if that's easier, Kai", dm));
  // Adults: a colleague's lift, a friend's new job, the writer's own sister.
  CHECK_FALSE(contact("Jo, parents' evening ran over so I'll pick you up from the station at 8 instead, text me when you're in", dm));
  CHECK_FALSE(contact("Bus strike again tomorrow Dave, I go past yours anyway so I'll swing by at 8 and drop you at the station", dm));
  CHECK_FALSE(contact("You can always ring me on this number if things get bad with Mum, any hour, you're my sister", dm));
}

TEST_CASE("contact: gaming with a pupil, not with workmates", "[detection][contact][d1]") {
  const Context dm = on("dm", "instagram.com");
  CHECK(contact("hey it's Miss P 🙂 we can't play Roblox at school but I'm on most evenings, username's pippa_plays, friend me!!", dm));
  CHECK_FALSE(contact("Dan mate, squad up on Warzone tonight? The lads from work are on at 9", dm));
  CHECK_FALSE(contact("mate my PSN is daveyboy_1984, add me and we'll get a game in after the kids are in bed", dm));
}

TEST_CASE("privacy: a pupil described by a disability, origin or look is identified", "[detection][privacy][d1]") {
  CHECK(privacy("The lad in my Year 8 tutor group who uses a wheelchair finally got up on stage for the talent show"));
  CHECK(privacy("The boy in Digby who came to us from Kyiv, the only Ukrainian in the Lower Fifth, still wakes at 3am"));
  CHECK(privacy("So proud of Lena (the one with the cochlear implant) who sang a solo at the carol concert"));
  // The same words without one child singled out.
  CHECK_FALSE(privacy("Staff training on cochlear implants today: so useful for the whole department"));
  CHECK_FALSE(privacy("Year 7 asked if Henry VIII was 'the one with the wives'. Yes. Yes he was."));
}

TEST_CASE("privacy: a famous name's works or deeds beside a year group are a lesson topic", "[detection][privacy][d1]") {
  CHECK_FALSE(privacy("Reading Joseph Coelho's poems with Year 4 this week, they loved the rhythm"));
  CHECK_FALSE(privacy("Liam Payne's death came up with Year 9 today, a lot of sad faces"));
  CHECK_FALSE(privacy("Year 10 couldn't believe Tim Berners-Lee gave the web away for free"));
  // A pupil's full name with a form or a year group, and "Oscar" as a name.
  CHECK(privacy("Shout out to Darcie Holt in 9R who ran the whole cross-country without stopping once"));
  CHECK(privacy("Well done to Oscar Bennett in 6B, star of the week!"));
  CHECK(privacy("Just found out one of my Year 6s, Lily-Mae Carter, won the county poetry competition!!!"));
}

TEST_CASE("privacy: 'big' undoes a media word only before it", "[detection][privacy][d1]") {
  const Context fb = on("post", "facebook.com");
  CHECK(privacy("Sports day 🥇 [4 photos] big up Josh, Aaliyah and Ricky from Kestrel class who smashed the relay!!", fb));
  CHECK_FALSE(privacy("Thinking about the big picture for Year 6 transition this term", fb));
}

TEST_CASE("privacy: a surname that is also a word is one before a class tag", "[detection][privacy][d1]") {
  // person_names.cpp: "Reed" and "Brook" are common words (not_surnames), but
  // a class or year tag right after them makes them a pupil's surname.
  CHECK(privacy("Please send love to Noah Reed in Year 8, he was brilliant in the show on Friday"));
  CHECK(privacy("Huge well done to Lily Brook in 6T for her reading award"));
  // Without the tag the word stays a word.
  CHECK_FALSE(privacy("Noah Reed beds at the nature reserve with Year 8 today, lovely walk"));
}

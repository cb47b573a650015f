// The disclaimer requirement (corpus README "disclaimer"): a personal
// account that names the employer must say the views are its own.
#include "test_support.h"

using namespace pgtest;

namespace {

const std::string kRule = "disclaimer.missing";

std::vector<Finding> disclaimer(const Policy& p, const std::string& text, const Context& ctx) {
  return of_rule(check_ok(p, text, ctx), kRule);
}

// The draft after applying a fix.
std::string apply(const std::string& text, const postguard::Fix& fix) {
  // Offsets are UTF-16; convert to byte offsets.
  auto byte_at = [&](uint32_t unit) {
    uint32_t pos = 0;
    size_t i = 0;
    while (i < text.size() && pos < unit) pos += postguard::text::utf16_length(postguard::text::decode_utf8(text, i));
    return i;
  };
  const size_t b = byte_at(fix.start), e = byte_at(fix.end);
  return text.substr(0, b) + fix.text + text.substr(e);
}

}  // namespace

TEST_CASE("disclaimer: naming the school without one gives a finding with the school's fix", "[disclaimer]") {
  const Policy p = bundle_policy("quill-harbour");
  const std::string text = "Brilliant sports day at Quill Harbour \xF0\x9F\x8F\x85";
  const auto f = disclaimer(p, text, personal_post());
  REQUIRE(f.size() == 1);
  CHECK(f[0].category == "disclaimer");
  CHECK(f[0].severity >= postguard::Severity::warn);
  CHECK(slice16(text, f[0].start, f[0].end) == "Quill Harbour");
  REQUIRE(f[0].fix.has_value());
  CHECK(f[0].fix->start == u16(text));
  CHECK(f[0].fix->end == u16(text));
  CHECK_THAT(f[0].fix->text, Catch::EndsWith("Quill Harbour line: my views, not the school's."));
  CHECK(f[0].fix->text.size() > std::string("Quill Harbour line: my views, not the school's.").size());  // a gap first
  CHECK_FALSE(f[0].fix->label.empty());
  CHECK(p.disclaimer_text() == "Quill Harbour line: my views, not the school's.");
  // Applying the fix settles it.
  const std::string fixed = apply(text, *f[0].fix);
  CHECK(disclaimer(p, fixed, personal_post()).empty());
}

TEST_CASE("disclaimer: a school without its own text inherits the trust's", "[disclaimer]") {
  const Policy p = bundle_policy("marsh-end");
  const auto f = disclaimer(p, "Open evening at Marsh End Academy tonight", personal_post("marsh-end"));
  REQUIRE(f.size() == 1);
  REQUIRE(f[0].fix.has_value());
  CHECK_THAT(f[0].fix->text, Catch::EndsWith("Trust line: these views are mine alone."));
}

TEST_CASE("disclaimer: ways the employer is named", "[disclaimer]") {
  const Policy p = bundle_policy("quill-harbour");
  const Context c = personal_post();
  for (const std::string text : {"Quill Harbour Primary School is hiring", "Go @QuillHarbourPS!", "So proud #QHfamily",
                                 "See quillharbour.example.sch.uk for dates", "Our trust Zorblax Quantum Trust rocks",
                                 "Zorblax Quantum CPD day", "Love working at QHPS", "Follow @ZorblaxQT",
                                 "#ZorblaxTogether", "zorblax.example.org.uk/jobs"}) {
    INFO(text);
    CHECK(disclaimer(p, text, c).size() == 1);
  }
}

TEST_CASE("disclaimer: the highlight covers the whole name when a shorter alias starts there too",
          "[disclaimer][longest]") {
  // "Quill Harbour" (alias) and "Quill Harbour Primary School" (name) both
  // start at 0; the finding should mark the whole name, not its first words.
  const Policy p = bundle_policy("quill-harbour");
  const std::string text = "Quill Harbour Primary School is hiring";
  const auto f = disclaimer(p, text, personal_post());
  REQUIRE(f.size() == 1);
  CHECK(slice16(text, f[0].start, f[0].end) == "Quill Harbour Primary School");
}

TEST_CASE("disclaimer: not the employer", "[disclaimer]") {
  const Policy p = bundle_policy("quill-harbour");
  const Context c = personal_post();
  for (const std::string text : {"Lovely day at my school today", "qhps is lower case noise",
                                 "Marsh End Academy were great hosts",  // another school of the trust
                                 "Off to the harbour for a quill pen", ""}) {
    INFO(text);
    CHECK(disclaimer(p, text, c).empty());
  }
}

TEST_CASE("disclaimer: trust-central staff", "[disclaimer]") {
  const Policy p = bundle_policy("");
  CHECK(disclaimer(p, "Great to visit Zorblax Quantum Trust schools", personal_post("")).size() == 1);
}

TEST_CASE("disclaimer: a statement of own views satisfies it", "[disclaimer]") {
  const Policy p = bundle_policy("quill-harbour");
  const Context c = personal_post();
  for (const std::string text :
       {"Proud of Quill Harbour today. Views my own.", "Views are my own. Quill Harbour rocks",
        "Quill Harbour: opinions are mine, not my employer's", "Quill Harbour heddiw. Fy marn i yn unig.",
        "Quill Harbour news. Quill Harbour line: my views, not the school's.",
        "VIEWS MY OWN \xE2\x80\x94 Quill Harbour"}) {
    INFO(text);
    CHECK(disclaimer(p, text, c).empty());
  }
  // "RTs are not endorsements" alone is not one.
  CHECK(disclaimer(p, "Quill Harbour sports day! RTs \xE2\x89\xA0 endorsements", c).size() == 1);
  CHECK(disclaimer(p, "Quill Harbour sports day! RTs are not endorsements", c).size() == 1);
}

TEST_CASE("disclaimer: accepted wordings from the bundle", "[disclaimer]") {
  const std::string bundle = R"({"format": "postguard/1",
    "organisation": {"id": "zorblax", "name": "Zorblax Quantum Trust"},
    "disclaimer": {"text": "Zorb disclaimer.", "accepted": ["speaking zorbishly"]}})";
  const Policy p = compile_ok({{"b.json", bundle}});
  CHECK(disclaimer(p, "Zorblax Quantum Trust, speaking zorbishly", personal_post("")).empty());
  CHECK(disclaimer(p, "Zorblax Quantum Trust, speaking plainly", personal_post("")).size() == 1);
}

TEST_CASE("disclaimer: official accounts and DMs never need one", "[disclaimer]") {
  const Policy p = bundle_policy("quill-harbour");
  const std::string text = "Well done everyone at Quill Harbour";
  Context official = personal_post();
  official.account = "official";
  CHECK(disclaimer(p, text, official).empty());
  Context dm = personal_post();
  dm.surface = "dm";
  CHECK(disclaimer(p, text, dm).empty());
  for (const char* s : {"comment", "bio"}) {
    Context other = personal_post();
    other.surface = s;
    INFO(s);
    const auto f = disclaimer(p, text, other);
    REQUIRE(f.size() == 1);
    REQUIRE(f[0].fix.has_value());
    CHECK_THAT(f[0].fix->text, Catch::EndsWith("Quill Harbour line: my views, not the school's."));
  }
}

// Every rule type, tested through what a policy file can do: add phrases to
// the baseline's sets and change rule settings. The harness reads the rule
// packs (shared-rules/packs/*.json) to learn each rule's shape, then adds
// made-up tokens ("zorbtrig", "zorbneara"...) to the sets the rule uses, so
// the tests follow the rules' structure and not their evolving wording.
#include <algorithm>
#include <filesystem>
#include <set>

#include <nlohmann/json.hpp>

#include "engine/compiled_policy.h"
#include "test_support.h"

using namespace pgtest;
using nlohmann::json;

namespace {

struct Packs {
  std::vector<json> rules;
  std::set<std::string> sets;  // public sets (a policy may add phrases to them)
};

const Packs& packs() {
  static const Packs p = [] {
    Packs out;
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(source_dir() + "/shared-rules/packs")) {
      if (e.path().extension() == ".json") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      const json d = json::parse(read_file(f.string()));
      if (d.contains("sets")) {
        for (const auto& [name, _] : d["sets"].items()) out.sets.insert(name);
      }
      for (const auto& r : d["rules"]) out.rules.push_back(r);
    }
    return out;
  }();
  return p;
}

bool is_public(const std::string& set) { return packs().sets.count(set) > 0; }

std::string strip_at(const std::string& s) { return !s.empty() && s[0] == '@' ? s.substr(1) : s; }

// How to make text that lands in one set, and the phrases that needs.
struct Maker {
  json phrases = json::object();

  // Text that the set `name` (with or without @) will contain.
  std::optional<std::string> text_for(const std::string& raw, const std::string& token) {
    if (raw.empty() || raw[0] != '@') return raw;  // a literal phrase of the rule
    const std::string name = strip_at(raw);
    if (is_public(name)) {
      phrases[name].push_back(token);
      return token;
    }
    if (name == "employer") return std::string("Zorblax Quantum");
    if (name == "name.first") {
      add_first_name();
      return std::string("Zorbina");
    }
    if (name == "name.full") {
      add_first_name();
      return std::string("Zorbina Quackenbush");
    }
    if (name == "handle.other") return std::string("@zorbhandle");
    return std::nullopt;
  }
  // Text for a condition: the first of its sets we can make.
  std::optional<std::string> text_for_any(const json& sets, const std::string& token) {
    for (const auto& s : sets) {
      if (is_public(strip_at(s.get<std::string>()))) return text_for(s.get<std::string>(), token);
    }
    for (const auto& s : sets) {
      if (auto t = text_for(s.get<std::string>(), token)) return t;
    }
    return std::nullopt;
  }
  void add_first_name() {
    auto& list = phrases["first_names"];
    if (std::find(list.begin(), list.end(), json("Zorbina")) == list.end()) list.push_back("Zorbina");
  }
};

std::string token(const char* role, size_t k) { return std::string("zorb") + role + static_cast<char>('a' + k); }

std::string fillers(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += " lorem";
  return out + " ";
}

Context context_for(const json& rule) {
  Context c = personal_post();
  if (!rule.contains("when")) return c;
  const json& w = rule["when"];
  if (w.contains("surfaces")) c.surface = w["surfaces"][0].get<std::string>();
  if (w.contains("accounts")) c.account = w["accounts"][0].get<std::string>();
  if (w.contains("sites")) c.site = w["sites"][0].get<std::string>();
  if (w.contains("minImages")) c.images = w["minImages"].get<int>();
  return c;
}

Policy policy_with(const json& phrases, const json& rules = json::object()) {
  json overlay = {{"format", "postguard/1"}};
  if (!phrases.empty()) overlay["phrases"] = phrases;
  if (!rules.empty()) overlay["rules"] = rules;
  return compile_ok({bundle_source(), {"overlay.json", overlay.dump()}}, "quill-harbour");
}

// A rule made to fire: its trigger, then each near condition's text.
struct Plan {
  std::string trigger;
  std::vector<std::string> near;   // one text per near condition
  std::vector<std::string> unless; // one text per unless condition
  Maker maker;
  bool ok = false;
};

Plan plan_for(const json& rule) {
  Plan p;
  const std::string type = rule["type"];
  std::optional<std::string> trig;
  if (type == "person_name") {
    trig = p.maker.text_for(rule.value("names", "full") == "first" ? "@name.first" : "@name.full", "");
  } else if (rule.contains("match")) {
    trig = p.maker.text_for_any(rule["match"], "zorbtrig");
  }
  if (!trig) return p;
  p.trigger = *trig;
  if (rule.contains("near")) {
    for (size_t k = 0; k < rule["near"].size(); ++k) {
      auto t = p.maker.text_for_any(rule["near"][k]["sets"], token("near", k));
      if (!t) return p;
      p.near.push_back(*t);
    }
  }
  if (rule.contains("unless")) {
    for (size_t k = 0; k < rule["unless"].size(); ++k) {
      auto t = p.maker.text_for_any(rule["unless"][k]["sets"], token("unls", k));
      if (!t) return p;
      p.unless.push_back(*t);
    }
  }
  p.ok = true;
  return p;
}

std::string side_of(const json& cond) { return cond.value("side", "either"); }

// Builds the draft: [before-unless] trigger [after-unless] near... ; returns the
// UTF-16 start of the trigger.
std::string draft(const Plan& p, const json& rule, int unless_index, uint32_t& trigger_at,
                  int far_near = -1, int far_by = 0) {
  std::string before = "Note: ";
  std::string after;
  if (unless_index >= 0) {
    const json& c = rule["unless"][unless_index];
    if (side_of(c) == "after") after += " " + p.unless[unless_index];
    else before += p.unless[unless_index] + " ";
  }
  for (size_t k = 0; k < p.near.size(); ++k) {
    const json& c = rule["near"][k];
    const bool far = static_cast<int>(k) == far_near;
    const std::string gap = far ? fillers(far_by) : " ";
    if (side_of(c) == "before") before = before + p.near[k] + (far ? gap : " ");
    else after += gap + p.near[k];
  }
  trigger_at = u16(before);
  return before + p.trigger + after + ".";
}

std::vector<Finding> run_rule(const Policy& policy, const std::string& text, const Context& ctx,
                              const std::string& id) {
  // Every rule's own findings: check() keeps one per spot, which may be another rule's.
  auto r = postguard::check_findings(policy, text, ctx, /*one_per_spot=*/false);
  REQUIRE(r);
  return of_rule(r.value(), id);
}

}  // namespace

TEST_CASE("the packs have every rule type", "[rules]") {
  std::set<std::string> types;
  for (const auto& r : packs().rules) types.insert(r["type"].get<std::string>());
  for (const char* t : {"phrase", "proximity", "requirement", "regex", "person_name"}) {
    INFO("rule type " << t);
    CHECK(types.count(t) == 1);
  }
  // And the compiled-in baseline is the same set of rules.
  const json explained = json::parse(compile_ok({}).explain_json());
  std::set<std::string> compiled, in_files;
  for (const auto& r : explained["rules"]) compiled.insert(r["id"].get<std::string>());
  for (const auto& r : packs().rules) in_files.insert(r["id"].get<std::string>());
  CHECK(compiled == in_files);
}

TEST_CASE("every phrase, proximity and person_name rule fires, honours near/unless/when, and takes settings",
          "[rules]") {
  int tested = 0;
  for (const json& rule : packs().rules) {
    const std::string id = rule["id"];
    const std::string type = rule["type"];
    if (type != "phrase" && type != "proximity" && type != "person_name") continue;
    INFO("rule " << id);
    Plan plan = plan_for(rule);
    REQUIRE(plan.ok);
    const Policy policy = policy_with(plan.maker.phrases);
    const Context ctx = context_for(rule);
    uint32_t at = 0;

    // Fires, on the trigger, with the rule's own category.
    const std::string hit = draft(plan, rule, -1, at);
    INFO("draft: " << hit);
    auto f = run_rule(policy, hit, ctx, id);
    REQUIRE(f.size() == 1);
    CHECK(f[0].category == rule["category"].get<std::string>());
    CHECK(postguard::to_string(f[0].severity) == rule["severity"].get<std::string>());
    CHECK(f[0].start == at);
    CHECK(f[0].end == at + u16(plan.trigger));
    CHECK_FALSE(f[0].message.empty());
    CHECK_FALSE(f[0].policy_ref.empty());

    // Each near condition is needed, and "within" is a limit.
    for (size_t k = 0; k < plan.near.size(); ++k) {
      INFO("near condition " << k);
      const json& c = rule["near"][k];
      Plan without = plan;
      without.near.erase(without.near.begin() + static_cast<long>(k));
      json r2 = rule;
      r2["near"].erase(r2["near"].begin() + static_cast<long>(k));
      const std::string missing = draft(without, r2, -1, at);
      INFO("draft without it: " << missing);
      CHECK(run_rule(policy, missing, ctx, id).empty());
      if (c.contains("within")) {
        const std::string far = draft(plan, rule, -1, at, static_cast<int>(k), c["within"].get<int>() + 3);
        INFO("draft with it too far: " << far);
        CHECK(run_rule(policy, far, ctx, id).empty());
      }
    }
    // Each unless condition suppresses.
    for (size_t k = 0; k < plan.unless.size(); ++k) {
      const std::string suppressed = draft(plan, rule, static_cast<int>(k), at);
      INFO("draft with unless " << k << ": " << suppressed);
      CHECK(run_rule(policy, suppressed, ctx, id).empty());
    }
    // The context filter.
    if (rule.contains("when")) {
      const json& w = rule["when"];
      if (w.contains("surfaces")) {
        for (const char* s : {"post", "comment", "dm", "bio"}) {
          if (std::find(w["surfaces"].begin(), w["surfaces"].end(), json(s)) != w["surfaces"].end()) continue;
          Context other = ctx;
          other.surface = s;
          INFO("surface " << s);
          CHECK(run_rule(policy, hit, other, id).empty());
        }
      }
      if (w.contains("accounts")) {
        for (const char* a : {"personal", "official"}) {
          if (std::find(w["accounts"].begin(), w["accounts"].end(), json(a)) != w["accounts"].end()) continue;
          Context other = ctx;
          other.account = a;
          INFO("account " << a);
          CHECK(run_rule(policy, hit, other, id).empty());
        }
      }
      if (w.value("minImages", 0) > 0) {
        Context other = ctx;
        other.images = w["minImages"].get<int>() - 1;
        CHECK(run_rule(policy, hit, other, id).empty());
      }
    }
    // Settings from a policy file: off, severity, message, policyRef.
    {
      const Policy off = policy_with(plan.maker.phrases, {{id, {{"enabled", false}}}});
      CHECK(run_rule(off, hit, ctx, id).empty());
      const Policy changed = policy_with(
          plan.maker.phrases,
          {{id, {{"severity", "block"}, {"message", "Zorb message."}, {"policyRef", "Zorb clause 9"}}}});
      auto g = run_rule(changed, hit, ctx, id);
      REQUIRE(g.size() == 1);
      CHECK(g[0].severity == postguard::Severity::block);
      CHECK(g[0].message == "Zorb message.");
      CHECK(g[0].policy_ref == "Zorb clause 9");
    }
    ++tested;
  }
  CHECK(tested >= 3);
}

TEST_CASE("requirement rules: satisfied anywhere by any required set", "[rules][requirement]") {
  int tested = 0;
  for (const json& rule : packs().rules) {
    if (rule["type"] != "requirement") continue;
    const std::string id = rule["id"];
    INFO("rule " << id);
    Maker m;
    auto trig = m.text_for_any(rule["match"], "zorbtrig");
    REQUIRE(trig.has_value());
    const std::string req_set = [&] {
      for (const auto& s : rule["require"]) {
        if (is_public(strip_at(s.get<std::string>()))) return strip_at(s.get<std::string>());
      }
      return std::string();
    }();
    REQUIRE_FALSE(req_set.empty());
    m.phrases[req_set].push_back("zorbokay");
    const Policy policy = policy_with(m.phrases);
    const Context ctx = context_for(rule);
    const std::string text = "Note: " + *trig + " is great.";
    auto f = run_rule(policy, text, ctx, id);
    REQUIRE(f.size() == 1);
    CHECK(f[0].start == u16("Note: "));
    // One finding even with several triggers.
    CHECK(run_rule(policy, text + " " + *trig + " " + *trig, ctx, id).size() == 1);
    // The requirement met before, after or far away from the trigger.
    CHECK(run_rule(policy, "zorbokay. " + text, ctx, id).empty());
    CHECK(run_rule(policy, text + fillers(200) + "zorbokay", ctx, id).empty());
    ++tested;
  }
  CHECK(tested >= 1);
}

TEST_CASE("phrase matching through confidential_terms", "[rules][phrase]") {
  const std::string id = "confidential.custom-terms";
  const Policy p = policy_with({{"confidential_terms", {"Project Zorbfalcon", "zorbwing*", "=zorbkite", "redundancies"}}});
  const Context ctx = personal_post();
  auto span = [&](const std::string& text) -> std::pair<int64_t, int64_t> {
    auto f = run_rule(p, text, ctx, id);
    if (f.empty()) return {-1, -1};
    return {f[0].start, f[0].end};
  };
  // Case, inflection, boundaries.
  CHECK(span("project zorbfalcon starts") == std::make_pair<int64_t, int64_t>(0, 18));
  CHECK(span("PROJECT ZORBFALCON!") == std::make_pair<int64_t, int64_t>(0, 18));
  CHECK(span("Project Zorbfalcon's launch") == std::make_pair<int64_t, int64_t>(0, 20));
  CHECK(span("Project Zorbfalcons") == std::make_pair<int64_t, int64_t>(0, 19));
  CHECK(span("Project Zorbfalconry") == std::make_pair<int64_t, int64_t>(-1, -1));
  CHECK(span("xProject Zorbfalcon") == std::make_pair<int64_t, int64_t>(-1, -1));
  // "word*" takes any ending; "=word" only the word itself.
  CHECK(span("the zorbwingathon") == std::make_pair<int64_t, int64_t>(4, 17));
  CHECK(span("zorbkite") == std::make_pair<int64_t, int64_t>(0, 8));
  CHECK(span("zorbkites") == std::make_pair<int64_t, int64_t>(-1, -1));
  // Obfuscation.
  CHECK(span("re\xE2\x80\x8B" "dundancies soon") == std::make_pair<int64_t, int64_t>(0, 13));
  CHECK(span("r.e.d.u.n.d.a.n.c.i.e.s soon") == std::make_pair<int64_t, int64_t>(0, 23));
  CHECK(span("r e d u n d a n c i e s") == std::make_pair<int64_t, int64_t>(0, 23));
  CHECK(span("r3dund4nci3s") == std::make_pair<int64_t, int64_t>(0, 12));
  // Cyrillic е, а, с in place of the Latin letters.
  CHECK(span("r\xD0\xB5" "dund\xD0\xB0" "n\xD1\x81" "i\xD0\xB5" "s") == std::make_pair<int64_t, int64_t>(0, 12));
  CHECK(span("\xF0\x9F\x98\x80 \xEF\xBD\x92\xEF\xBD\x85" "dundancies") == std::make_pair<int64_t, int64_t>(3, 15));
  // Several mentions: one finding each.
  CHECK(run_rule(p, "redundancies and more redundancies", ctx, id).size() == 2);
}

TEST_CASE("phrase sets from every layer add up", "[rules][phrase]") {
  const std::string id = "confidential.custom-terms";
  const std::string bundle = R"({"format": "postguard/1",
    "organisation": {"id": "zorblax", "name": "Zorblax Quantum Trust"},
    "phrases": {"confidential_terms": ["zorbtrust"]},
    "schools": [{"id": "quill-harbour", "name": "Quill Harbour Primary School",
                 "phrases": {"confidential_terms": ["zorbschool"]}},
                {"id": "marsh-end", "name": "Marsh End Academy"}]})";
  const std::string overlay = R"({"format": "postguard/1", "phrases": {"confidential_terms": ["zorboverlay"]}})";
  const Policy qh = compile_ok({{"b.json", bundle}, {"o.json", overlay}}, "quill-harbour");
  const Policy me = compile_ok({{"b.json", bundle}}, "marsh-end");
  const Context ctx = personal_post();
  for (const char* t : {"zorbtrust", "zorbschool", "zorboverlay"}) CHECK(run_rule(qh, t, ctx, id).size() == 1);
  CHECK(run_rule(me, "zorbtrust", ctx, id).size() == 1);
  CHECK(run_rule(me, "zorbschool", ctx, id).empty());  // another school's phrase
  CHECK(run_rule(me, "zorboverlay", ctx, id).empty());
}

TEST_CASE("regex rules: credentials are found, mapped and removable", "[rules][regex]") {
  std::vector<std::string> ids;
  for (const auto& r : packs().rules) {
    if (r["type"] == "regex") ids.push_back(r["id"]);
  }
  REQUIRE_FALSE(ids.empty());
  // The one regex rule the baseline ships for log-in details.
  const std::string id = "confidential.credentials";
  REQUIRE(std::find(ids.begin(), ids.end(), id) != ids.end());
  const Policy p = bundle_policy();
  const Context ctx = personal_post();
  const std::string prefix = "\xF0\x9F\x98\x80\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x92\xBB Staff wifi ";
  const std::string text = prefix + "password: hunter2! see you";
  auto f = run_rule(p, text, ctx, id);
  REQUIRE(f.size() == 1);
  CHECK(f[0].start == u16(prefix));
  CHECK(slice16(text, f[0].start, f[0].end).rfind("password", 0) == 0);
  CHECK(f[0].end <= u16(prefix + "password: hunter2!"));
  REQUIRE(f[0].fix.has_value());
  CHECK(f[0].fix->start == f[0].start);
  CHECK(f[0].fix->end == f[0].end);
  CHECK(f[0].fix->text.empty());
  // Benign uses of the word do not match.
  CHECK(run_rule(p, "I forgot my password again, typical Monday", ctx, id).empty());
  // A policy can switch it off or change its severity like any other rule.
  const Policy off = policy_with(json::object(), {{id, {{"enabled", false}}}});
  CHECK(run_rule(off, text, ctx, id).empty());
  const Policy info = policy_with(json::object(), {{id, {{"severity", "info"}}}});
  auto g = run_rule(info, text, ctx, id);
  REQUIRE(g.size() == 1);
  CHECK(g[0].severity == postguard::Severity::info);
}

namespace {

// The people the baseline finds in `text`, from the trace a rule author sees.
std::vector<std::string> people(const std::string& text, const char* set) {
  const Policy p = bundle_policy();
  auto t = postguard::trace(p, text, personal_post());
  if (!t) FAIL("trace failed: " << t.error().to_string());
  const json j = json::parse(t.value());
  std::vector<std::string> out;
  if (j["sets"].contains(set)) {
    for (const auto& s : j["sets"][set]) out.push_back(s.get<std::string>());
  }
  return out;
}

}  // namespace

TEST_CASE("person names: lexicon names only as themselves or possessive; class-tagged names count", "[rules][person_name]") {
  using V = std::vector<std::string>;
  // A given name is not found inside an inflected word ("Tim" in "Times", "Mark" in "Marking").
  CHECK(people("Marking the Times Tables Rock Stars sheets", "name.first").empty());
  CHECK(people("Tim's mum rang", "name.first") == V{"tim's"});
  // Not in the lexicon, but tagged with a class or year group right after it.
  CHECK(people("Zorbqa in 10X was sent home", "name.first") == V{"zorbqa"});
  CHECK(people("Zorbqa Haverly (Y4) won", "name.full") == V{"zorbqa haverly"});
  CHECK(people("So proud of Zorbqa from my class today", "name.first") == V{"zorbqa"});
  // Words that start sentences or name groups are not names.
  CHECK(people("Everyone in Year 6 did brilliantly", "name.first").empty());
  CHECK(people("Maths in Year 10 was chaos", "name.first").empty());
  CHECK(people("Zorbqa was sent home", "name.first").empty());
  // The rules see them: a class-tagged name with a school record is a pupil identified.
  const Policy p = bundle_policy();
  CHECK(run_rule(p, "Zorbqa in 10X has been excluded again", personal_post(), "pupil-privacy.name-with-record").size() == 1);
  CHECK(run_rule(p, "Zorbqa has been excluded again", personal_post(), "pupil-privacy.name-with-record").empty());
}

TEST_CASE("employer names: places and other people's things are not the employer", "[rules][requirement]") {
  const Policy p = bundle_policy();
  const Context ctx = personal_post();
  const std::string id = "disclaimer.missing";
  // A place word after the name, in any case, makes it the place.
  CHECK(run_rule(p, "Otters at the Quill Harbour nature reserve today", ctx, id).empty());
  CHECK(run_rule(p, "Roadworks on Quill Harbour road again", ctx, id).empty());
  CHECK(run_rule(p, "Lovely day at Quill Harbour with my class", ctx, id).size() == 1);
  // A one-word name or acronym owned by someone else's possessive is their thing.
  CHECK(run_rule(p, "Rereading Neill's ZQT book about a free school", ctx, id).empty());
  CHECK(run_rule(p, "Proud to teach at ZQT", ctx, id).size() == 1);
}

TEST_CASE("famous and studied people, saints and the author's family are not pupils", "[rules][person_name]") {
  using V = std::vector<std::string>;
  const Policy p = bundle_policy();
  const Context ctx = personal_post();
  const std::string full = "pupil-privacy.full-name";
  // A pupil named in full beside a year group is still found...
  CHECK(run_rule(p, "So proud of Amelia Thornbury from Year 9 today", ctx, full).size() == 1);
  CHECK(run_rule(p, "Amelia Thornbury came as a pirate, Year 2 loved it", ctx, full).size() == 1);
  // ...but a set-text author, a historical figure or a character is a topic.
  CHECK(run_rule(p, "Year 9 are reading Of Mice and Men and John Steinbeck still lands", ctx, full).empty());
  CHECK(run_rule(p, "Year 2 spent the week on Florence Nightingale and Mary Seacole", ctx, full).empty());
  CHECK(run_rule(p, "Year 13 love Jane Eyre", ctx, full).empty());
  // Words right before the name that make the person the subject of a lesson.
  CHECK(run_rule(p, "Year 5 started a unit on Amelia Thornbury", ctx, full).empty());
  // A second person in the same studied list is a topic too.
  CHECK(run_rule(p, "Year 4 researched Walter Tull and Mary Prince for history week", ctx, full).empty());
  CHECK(run_rule(p, "Year 4 came as Amelia Thornbury", ctx, full).empty());
  // A saint's name is a church, hospice or school, not a person.
  CHECK(people("Fun run for St Aidan's Hospice this weekend", "name.full").empty());
  CHECK(people("Fun run for Aidan Hospice", "name.full") == V{"aidan hospice"});
  // "Mum's", "Grandad Ken" at the start of a sentence, with no one else's name: the author's own.
  const std::string details = "confidential.pupil-details";
  CHECK(run_rule(p, "Dad's knee operation went well, he is home now", ctx, details).empty());
  CHECK(run_rule(p, "Uncle Dave has been arrested again, the family are reeling", ctx, details).empty());
  CHECK(run_rule(p, "Her uncle Dave has been arrested again, the family are reeling", ctx, details).size() == 1);
  // Someone else's relative stays a pupil's family.
  CHECK(run_rule(p, "Jake told me his uncle Dave has been arrested again", ctx, "pupil-privacy.name-with-details").size() == 1);
  // The author's own child with SEN details is theirs to share.
  CHECK(run_rule(p, "My son Oliver has autism and read aloud today", ctx, "pupil-privacy.name-with-details").empty());
  CHECK(run_rule(p, "Oliver has autism and read aloud in my class today", ctx, "pupil-privacy.name-with-details").size() == 1);
}

TEST_CASE("a school name ending in a place word needs a school context", "[rules][requirement]") {
  const Policy p = bundle_policy();
  const Context ctx = personal_post();
  const std::string id = "disclaimer.missing";
  // "Quill Harbour" is the school and a harbour.
  CHECK(run_rule(p, "Roadworks on Quill Harbour again, 40 minutes to the shops", ctx, id).empty());
  CHECK(run_rule(p, "Seals hauled out on Quill Harbour at sunset", ctx, id).empty());
  CHECK(run_rule(p, "Sports day at Quill Harbour was brilliant", ctx, id).size() == 1);
  CHECK(run_rule(p, "So proud of our Quill Harbour pupils", ctx, id).size() == 1);
  // Church, chapel, hospice, beach... after the name make it that place, in any case.
  CHECK(run_rule(p, "Evensong at Quill Harbour chapel, the choir were glorious", ctx, id).empty());
  CHECK(run_rule(p, "Walked out to Quill Harbour Well at low tide", ctx, id).empty());
}

TEST_CASE("photos of things and counted passwords are not breaches", "[rules][proximity][regex]") {
  const Policy p = bundle_policy();
  const Context ctx = personal_post();
  const std::string photos = "pupil-privacy.photos";
  CHECK(run_rule(p, "Snaps of the Year 6 science fair projects: volcanoes and circuits", ctx, photos).empty());
  CHECK(run_rule(p, "Here's a photo of the reading corner my Year 1s helped design", ctx, photos).empty());
  CHECK(run_rule(p, "The children sang beautifully. No photos, they're not mine to share", ctx, photos).empty());
  // A person word or a preposition before the thing keeps the pupils in the photo.
  CHECK(run_rule(p, "Photos of the kids in the garden with my Year 4s", ctx, photos).size() == 1);
  CHECK(run_rule(p, "Photos of my class planting the garden", ctx, photos).size() == 1);
  const std::string creds = "confidential.credentials";
  CHECK(run_rule(p, "I've reused the same password 14 times. Sunday job: fix that", ctx, creds).empty());
  CHECK(run_rule(p, "The office password 14Sunflower! works for the printer too", ctx, creds).size() == 1);
}

TEST_CASE("pointing pupils to a school channel, refusing to reply, adults' group chats", "[rules][proximity]") {
  const Policy p = bundle_policy();
  Context ctx = personal_post();
  ctx.surface = "comment";
  const std::string id = "pupil-contact.invite";
  CHECK(run_rule(p, "Students, email me at my school address for the revision pack", ctx, id).empty());
  CHECK(run_rule(p, "Students, email me at jo.baxter88@gmail.com for the revision pack", ctx, id).size() >= 1);
  // A school channel named first and pointed back to.
  CHECK(run_rule(p, "Year 5: your homework is on Seesaw, message me there if you need help", ctx, id).empty());
  CHECK(run_rule(p, "Year 5: your homework is on Seesaw, but message me on WhatsApp if you get stuck", ctx, id).size() >= 1);
  // Written in or from an adults' group chat.
  CHECK(run_rule(p, "Hey, it's Jo from the Year 8 parents' chat, can you add me to the lift-share group?", ctx, id).empty());
  CHECK(run_rule(p, "Year 8s, add me on snap", ctx, id).size() >= 1);
  // Saying the account does not reply, while pointing to lessons.
  CHECK(run_rule(p, "Students - ask me in class tomorrow, I don't reply to comments here", ctx, "pupil-contact.teacher-message").empty());
}

TEST_CASE("a teacher's own message to a pupil, gaming with pupils, an initial with a need", "[rules][proximity]") {
  const Policy p = bundle_policy();
  Context dm = personal_post();
  dm.surface = "dm";
  const std::string teacher = "pupil-contact.teacher-dm";
  // The writer names themselves as the teacher, then asks for more contact there.
  CHECK(run_rule(p, "Hiya, it's Miss Kaur from Year 4! Send me a photo of your model on here", dm, teacher).size() == 1);
  CHECK(run_rule(p, "Mrs Oduya from geography here, easier to chat on here about the coursework", dm, teacher).size() == 1);
  CHECK(run_rule(p, "missed you in period 2, message me if you need anything. Mr D", dm, teacher).size() == 1);
  // Naming yourself without inviting contact, or a parent writing to a teacher, is not it.
  CHECK(run_rule(p, "It's Mrs Kaur, the trip letter is in the office for you to collect", dm, teacher).empty());
  CHECK(run_rule(p, "Hi Mrs Kaur, could you ask the office to ring me about the trip?", dm, teacher).empty());
  CHECK(run_rule(p, "Hi it's Mrs Lee from next door, can you message me when the parcel comes?", dm, teacher).empty());

  const Context post = personal_post();
  const std::string gaming = "pupil-contact.gaming";
  CHECK(run_rule(p, "Half of 9C thrashed me at FIFA, rematch online, lobby code 4471", post, gaming).size() >= 1);
  CHECK(run_rule(p, "Year 9 lot who beat me at sports day: rematch on FIFA?", post, gaming).size() >= 1);
  CHECK(run_rule(p, "Lost at FIFA to my brother again, rematch online", post, gaming).empty());
  // Friends tagged into a game are not pupils by themselves.
  // A school fixture or a class quiz code is not a game with pupils.
  CHECK(run_rule(p, "Y8 netball rematch on Thursday, the Kahoot join code is on the board", post, gaming).empty());
  CHECK(run_rule(p, "@mike_r77 add me on xbox mate, rematch online", post, gaming).empty());

  const std::string initial = "pupil-privacy.initial-with-details";
  CHECK(run_rule(p, "Proud of one of my Y6s, R, autistic and new to us, who read aloud in assembly", post, initial).size() == 1);
  CHECK(run_rule(p, "Best moment: T (Y3, selective mutism) whispered hello to me today", post, initial).size() == 1);
  // A year group of children with a need is not one child.
  CHECK(run_rule(p, "Our Y6s did an autism awareness assembly for the whole school", post, initial).empty());
  CHECK(run_rule(p, "Autism awareness assembly: A, B and C from Y6 all spoke", post, initial).empty());
}

TEST_CASE("sideways confidential talk: results early, nobody told, a colleague's sick leave", "[rules][proximity]") {
  const Policy p = bundle_policy();
  const Context post = personal_post();
  auto cats = [&](const std::string& text) {
    std::set<std::string> out;
    for (const auto& f : check_ok(p, text, post)) out.insert(f.category);
    return out;
  };
  CHECK(cats("Results aren't out till Thursday but our GCSE maths pass rate is up 9%").count("confidential") == 1);
  CHECK(cats("Provisional results for our Y6 SATs: 78% at expected, the head hasn't even told governors yet")
            .count("confidential") == 1);
  CHECK(cats("Mr Hale has been off since October after his op and the supply changes every week").count("confidential") == 1);
  CHECK(cats("Results day was brilliant, so proud of everyone who collected theirs this morning").count("confidential") == 0);
  CHECK(cats("Results day isn't until Thursday, so nervous for my Y11s!").count("confidential") == 0);
}

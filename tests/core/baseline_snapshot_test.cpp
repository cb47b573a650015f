// The baseline snapshot (engine/baseline_tables.cpp): the tables embedded at
// build time must be exactly what compiling the packs gives now, must be what
// this binary actually uses, and must scan like the compiled ones; damaged
// bytes are refused, never trusted.
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "embedded/embedded_files.h"
#include "engine/compiled_policy.h"
#include "match/regex_prefilter.h"
#include "pack_regexes.h"
#include "policy/policy_model.h"
#include "test_support.h"

using namespace postguard;

namespace {

std::shared_ptr<const BaselineTables> compiled_tables() {
  auto t = compile_baseline_tables();
  if (!t) FAIL("baseline packs do not compile: " << t.error().to_string());
  return std::move(t).value();
}

// (end, pattern id) of every match, in scan order.
std::vector<std::pair<size_t, uint32_t>> scan(const match::PhraseMatcher& m, const std::string& text) {
  std::vector<std::pair<size_t, uint32_t>> out;
  m.scan_everywhere(text, [&](size_t, size_t end, uint32_t id) { out.emplace_back(end, id); });
  return out;
}

std::vector<std::string> corpus_texts() {
  std::ifstream in(pgtest::corpus_dir() + "/dev.jsonl");
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    auto j = nlohmann::json::parse(line);
    std::string t = j.at("text").get<std::string>();
    for (auto& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace

TEST_CASE("baseline snapshot: embedded, current and in use", "[snapshot]") {
  const auto embedded = embedded::baseline_snapshot();
  REQUIRE(!embedded.empty());
  const auto in_use = baseline_tables();
  REQUIRE(in_use);
  CHECK(in_use->from_snapshot);  // every other test in this binary runs on the snapshot
  CHECK(in_use->packs_digest == embedded_packs_digest());
  // Byte for byte what the packs compile to now (deterministic, and rebuilt
  // whenever a pack or the core changes).
  const auto fresh = compiled_tables();
  CHECK_FALSE(fresh->from_snapshot);
  CHECK(save_baseline_tables(*fresh) == std::string(embedded));
  CHECK(save_baseline_tables(*in_use) == std::string(embedded));
  CHECK(in_use->set_names == fresh->set_names);
  CHECK(in_use->layer.patterns.size() > 10000);
}

TEST_CASE("baseline snapshot: loaded tables scan like compiled ones", "[snapshot]") {
  const auto fresh = compiled_tables();
  const std::string bytes = save_baseline_tables(*fresh);
  const auto loaded = load_baseline_tables(bytes);
  REQUIRE(loaded);
  const auto& a = fresh->layer;
  const auto& b = loaded->layer;
  REQUIRE(a.patterns.size() == b.patterns.size());
  for (size_t i = 0; i < a.patterns.size(); ++i) {
    REQUIRE(a.patterns[i].flags == b.patterns[i].flags);
    REQUIRE(a.patterns[i].capitalised_words == b.patterns[i].capitalised_words);
    REQUIRE(std::vector<SetId>(a.patterns[i].sets.begin(), a.patterns[i].sets.end()) ==
            std::vector<SetId>(b.patterns[i].sets.begin(), b.patterns[i].sets.end()));
    REQUIRE(a.matcher.pattern_length(static_cast<uint32_t>(i)) == b.matcher.pattern_length(static_cast<uint32_t>(i)));
  }
  size_t matches = 0;
  for (const auto& text : corpus_texts()) {
    const auto x = scan(a.matcher, text);
    REQUIRE(x == scan(b.matcher, text));
    matches += x.size();
  }
  CHECK(matches > 1000);  // the corpus really exercises the tables
}

TEST_CASE("baseline snapshot: damaged bytes are refused", "[snapshot]") {
  const std::string good = save_baseline_tables(*compiled_tables());
  REQUIRE(load_baseline_tables(good));
  CHECK_FALSE(load_baseline_tables(""));
  CHECK_FALSE(load_baseline_tables(good.substr(0, good.size() - 4)));  // truncated
  CHECK_FALSE(load_baseline_tables(good + std::string(4, '\0')));      // trailing bytes
  std::string wrong_magic = good;
  wrong_magic[0] ^= 1;
  CHECK_FALSE(load_baseline_tables(wrong_magic));
  // Random cuts and flipped length fields: refused or loaded, never a crash
  // (ASan/UBSan builds run this too).
  std::mt19937 rng(7);
  for (int i = 0; i < 200; ++i) {
    std::string bad = good.substr(0, rng() % good.size());
    (void)load_baseline_tables(bad);
  }
}

TEST_CASE("baseline snapshot: compiling skips the packs' phrases, the tables keep them", "[snapshot]") {
  auto skipped = policy::merge({pgtest::bundle_source()}, "quill-harbour", policy::PackPhrases::skip);
  auto kept = policy::merge({pgtest::bundle_source()}, "quill-harbour", policy::PackPhrases::keep);
  REQUIRE(skipped);
  REQUIRE(kept);
  size_t baseline_kept = 0;
  for (const auto& [name, set] : kept.value().sets) {
    const auto it = skipped.value().sets.find(name);
    REQUIRE(it != skipped.value().sets.end());  // every set still exists (for ids and overlay checks)
    for (const auto& p : it->second.phrases) CHECK(p.from.layer != "baseline");
    for (const auto& p : set.phrases) baseline_kept += p.from.layer == "baseline";
    CHECK(it->second.regexes.size() == set.regexes.size());
  }
  CHECK(baseline_kept > 1000);
  CHECK(skipped.value().rules.size() == kept.value().rules.size());
}

TEST_CASE("baseline snapshot: every pack regex's start set, as the prefilter works it out now", "[snapshot]") {
  const auto in_use = baseline_tables();
  REQUIRE(in_use);
  const auto regexes = pgtest::pack_regexes();
  REQUIRE(regexes.size() >= 20);
  for (const auto& pattern : regexes) {
    INFO("pattern: " << pattern);
    const auto it = in_use->regex_starts.find(pattern);
    REQUIRE(it != in_use->regex_starts.end());
    CHECK(it->second == match::start_set(pattern));
  }
  CHECK(in_use->regex_starts.size() == std::set<std::string>(regexes.begin(), regexes.end()).size());
}

namespace {

void same_origin(const policy::Origin& a, const policy::Origin& b) {
  CHECK(a.layer == b.layer);
  CHECK(a.file == b.file);
  CHECK(a.pointer == b.pointer);
}

void same_conditions(const std::vector<policy::Condition>& a, const std::vector<policy::Condition>& b) {
  REQUIRE(a.size() == b.size());
  for (size_t k = 0; k < a.size(); ++k) {
    CHECK(a[k].sets == b[k].sets);
    CHECK(a[k].within == b[k].within);
    CHECK(a[k].side == b[k].side);
  }
}

}  // namespace

TEST_CASE("baseline snapshot: the packs merged by the build merge as the packs do", "[snapshot]") {
  const auto in_use = baseline_tables();
  REQUIRE(in_use);
  REQUIRE(in_use->from_snapshot);
  REQUIRE(in_use->merged_packs.rules.size() > 20);
  // With a bundle on top: its settings and phrases land on the saved rules and sets as on parsed ones.
  auto from_embedded = policy::merge({pgtest::bundle_source()}, "quill-harbour", policy::PackPhrases::skip);
  auto from_saved = policy::merge({pgtest::bundle_source()}, "quill-harbour", policy::PackPhrases::skip,
                                  &in_use->merged_packs);
  REQUIRE(from_embedded);
  REQUIRE(from_saved);
  const auto& a = from_embedded.value();
  const auto& b = from_saved.value();
  REQUIRE(a.rules.size() == b.rules.size());
  for (size_t i = 0; i < a.rules.size(); ++i) {
    const auto& x = a.rules[i];
    const auto& y = b.rules[i];
    INFO("rule " << x.id);
    CHECK(x.id == y.id);
    CHECK(x.type == y.type);
    CHECK(x.category == y.category);
    CHECK(x.enabled.value == y.enabled.value);
    same_origin(x.enabled.from, y.enabled.from);
    CHECK(x.severity.value == y.severity.value);
    same_origin(x.severity.from, y.severity.from);
    CHECK(x.message.value == y.message.value);
    same_origin(x.message.from, y.message.from);
    CHECK(x.policy_ref.value == y.policy_ref.value);
    same_origin(x.policy_ref.from, y.policy_ref.from);
    CHECK(x.match == y.match);
    CHECK(x.patterns == y.patterns);
    CHECK(x.require == y.require);
    CHECK(x.names == y.names);
    CHECK(x.fix == y.fix);
    same_conditions(x.near, y.near);
    same_conditions(x.unless, y.unless);
    CHECK(x.when.surfaces == y.when.surfaces);
    CHECK(x.when.accounts == y.when.accounts);
    CHECK(x.when.sites == y.when.sites);
    CHECK(x.when.min_images == y.when.min_images);
    same_origin(x.from, y.from);
  }
  REQUIRE(a.sets.size() == b.sets.size());
  for (const auto& [name, set] : a.sets) {
    INFO("set " << name);
    const auto& other = b.sets.at(name);
    REQUIRE(set.regexes.size() == other.regexes.size());
    for (size_t i = 0; i < set.regexes.size(); ++i) {
      CHECK(set.regexes[i].text == other.regexes[i].text);
      same_origin(set.regexes[i].from, other.regexes[i].from);
    }
    REQUIRE(set.phrases.size() == other.phrases.size());
    for (size_t i = 0; i < set.phrases.size(); ++i) {
      CHECK(set.phrases[i].text == other.phrases[i].text);
      same_origin(set.phrases[i].from, other.phrases[i].from);
    }
  }
  CHECK(a.disclaimer.value == b.disclaimer.value);
  CHECK(a.identities.size() == b.identities.size());
}

TEST_CASE("lazy regex: compiled on first use, once, shared by compiles", "[snapshot]") {
  const postguard::LazyPattern lazy("\\bfoo(?:bar)?\\b");
  const icu::RegexPattern* first = lazy.get();
  REQUIRE(first != nullptr);
  CHECK(lazy.get() == first);
  const postguard::LazyPattern bad("(unclosed");
  CHECK(bad.get() == nullptr);  // never matches; the build refuses such a pack regex
  CHECK_FALSE(postguard::LazyPattern::compile_error("(unclosed").empty());
  CHECK(postguard::LazyPattern::compile_error("\\bok\\b").empty());
}

// check() keeps one warning per spot: a finding inside another finding of the
// same category at the same or a higher severity is dropped (two rules on
// "add me on snapchat" are one invitation to the person writing), findings
// with a fix are kept, and nothing else changes.
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "engine/compiled_policy.h"
#include "test_support.h"

using postguard::Finding;

namespace {

std::vector<std::string> corpus_texts() {
  std::ifstream in(pgtest::corpus_dir() + "/dev.jsonl");
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(nlohmann::json::parse(line).at("text").get<std::string>());
  }
  return out;
}

bool inside(const Finding& a, const Finding& b) {  // a inside b, same category, b at least as severe
  return a.category == b.category && b.start <= a.start && a.end <= b.end &&
         static_cast<int>(b.severity) >= static_cast<int>(a.severity);
}

}  // namespace

TEST_CASE("one warning per spot: exactly the contained findings go, over the dev corpus", "[findings]") {
  const auto policy = pgtest::bundle_policy();
  size_t dropped = 0, texts = 0;
  for (const auto& text : corpus_texts()) {
    ++texts;
    const auto ctx = pgtest::personal_post();
    auto all = postguard::check_findings(policy, text, ctx, false);
    auto kept = postguard::check_findings(policy, text, ctx, true);
    REQUIRE(all);
    REQUIRE(kept);
    const auto& a = all.value();
    const auto& k = kept.value();
    INFO("text: " << text);
    // What is kept is a subset of every rule's findings, in the same order.
    size_t j = 0;
    for (const auto& f : a) {
      if (j < k.size() && f.rule == k[j].rule && f.start == k[j].start && f.end == k[j].end) {
        ++j;
        continue;
      }
      // Dropped: it lies inside a kept finding of its category, and has no fix.
      CHECK_FALSE(f.fix.has_value());
      bool covered = false;
      for (const auto& g : k) covered = covered || inside(f, g);
      CHECK(covered);
      ++dropped;
    }
    CHECK(j == k.size());
    // No kept finding lies inside another kept one (unless it carries a fix).
    for (size_t x = 0; x < k.size(); ++x) {
      for (size_t y = 0; y < k.size(); ++y) {
        if (x != y && !k[x].fix) CHECK_FALSE(inside(k[x], k[y]));
      }
    }
    // The categories found are the same.
    std::set<std::string> ca, ck;
    for (const auto& f : a) ca.insert(f.category);
    for (const auto& f : k) ck.insert(f.category);
    CHECK(ca == ck);
  }
  CHECK(texts > 100);
  CHECK(dropped > 10);  // the corpus really has overlapping rules
}

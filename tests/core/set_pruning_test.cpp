// A check skips a set's regexes when only rules that do not apply to its
// context read the set. That must change no finding, and the sets the
// engine's code reads by name must always run.
#include <fstream>
#include <algorithm>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "engine/compiled_policy.h"
#include "test_support.h"

using namespace postguard;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("code sets: every set the engine's code reads is resolved at compile", "[pruning]") {
  const Policy p = pgtest::bundle_policy();
  const Policy::Impl& impl = p.impl();
  // The derived sets come first, in CodeSet order; the packs define the rest
  // (a renamed pack set would otherwise silently read as empty).
  for (size_t i = 0; i < kCodeSetCount; ++i) {
    INFO(kCodeSetNames[i]);
    REQUIRE(impl.code_sets[i] != kNoSet);
    CHECK(impl.set_names.at(impl.code_sets[i]) == kCodeSetNames[i]);
    if (i < kDerivedSetCount) CHECK(impl.code_sets[i] == i);
  }
  // A code set's regexes always run, whatever the context.
  size_t code_set_regexes = 0;
  for (size_t r = 0; r < impl.set_regexes.size(); ++r) {
    const SetId s = impl.set_regexes[r].first;
    if (std::find(impl.code_sets.begin(), impl.code_sets.end(), s) == impl.code_sets.end()) continue;
    CHECK(impl.set_regex_readers[r].empty());
    ++code_set_regexes;
  }
  CHECK(code_set_regexes > 0);
}

TEST_CASE("code sets: rule code reads sets by CodeSet, not by name", "[pruning]") {
  // A lookup by name at check time would bypass both the compile-time
  // resolution and the pruning's list of always-run sets.
  for (const char* file : {"rules/employer_identity.cpp", "rules/person_names.cpp", "rules/rule_evaluator.cpp",
                           "rules/hits.cpp", "engine/check.cpp"}) {
    const std::string src = read_file(std::string(POSTGUARD_SOURCE_DIR) + "/shared-rules/src/" + file);
    INFO(file);
    REQUIRE_FALSE(src.empty());
    CHECK(src.find("set_index") == std::string::npos);
  }
}

TEST_CASE("set pruning: findings are the same with every regex run, in every context", "[pruning]") {
  std::vector<std::string> texts;
  std::ifstream dev(std::string(POSTGUARD_CORPUS_DIR) + "/dev.jsonl");
  for (std::string line; std::getline(dev, line);) {
    if (!line.empty()) texts.push_back(nlohmann::json::parse(line).at("text").get<std::string>());
  }
  REQUIRE(texts.size() > 100);
  const Policy p = pgtest::bundle_policy();
  size_t findings = 0, pruned_contexts = 0;
  for (const char* site : {"x.com", "instagram.com", "tiktok.com", "facebook.com", "linkedin.com"}) {
    for (const char* surface : {"post", "dm", "comment"}) {
      for (const char* account : {"personal", "official"}) {
        Context ctx = pgtest::personal_post();
        ctx.site = site;
        ctx.surface = surface;
        ctx.account = account;
        for (const auto& t : texts) {
          INFO(site << " " << surface << " " << account << ": " << t);
          auto pruned = check_findings(p, t, ctx, true, true);
          auto full = check_findings(p, t, ctx, true, false);
          REQUIRE(pruned);
          REQUIRE(full);
          REQUIRE(pruned.value().size() == full.value().size());
          for (size_t i = 0; i < full.value().size(); ++i) {
            CHECK(pruned.value()[i].rule == full.value()[i].rule);
            CHECK(pruned.value()[i].start == full.value()[i].start);
            CHECK(pruned.value()[i].end == full.value()[i].end);
          }
          findings += full.value().size();
        }
        ++pruned_contexts;
      }
    }
  }
  CHECK(findings > 1000);
  // Some set regexes are read only by context-bound rules (else there is nothing to prune).
  const auto& impl = p.impl();
  size_t bound = 0;
  for (const auto& readers : impl.set_regex_readers) bound += !readers.empty();
  CHECK(bound >= 1);
  CHECK(pruned_contexts == 30);
}

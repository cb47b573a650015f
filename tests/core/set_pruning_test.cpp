// A check skips a set's regexes when only rules that do not apply to its
// context read the set. That must change no finding, and the sets the
// engine's code reads by name must always run.
#include <fstream>
#include <regex>
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

TEST_CASE("set pruning: every set the code looks up by name is in kSetsReadByCode", "[pruning]") {
  const std::set<std::string> listed(std::begin(kSetsReadByCode), std::end(kSetsReadByCode));
  // The two ways the rule code reads a set by name.
  const std::regex lookup(R"re((?:set_index\.find|set_or_empty)\("([a-z_]+)"\))re");
  size_t found = 0;
  for (const char* file : {"rules/employer_identity.cpp", "rules/person_names.cpp", "rules/rule_evaluator.cpp",
                           "rules/hits.cpp", "engine/check.cpp", "engine/api_basics.cpp"}) {
    const std::string src = read_file(std::string(POSTGUARD_SOURCE_DIR) + "/shared-rules/src/" + file);
    REQUIRE_FALSE(src.empty());
    for (std::sregex_iterator it(src.begin(), src.end(), lookup), end; it != end; ++it) {
      INFO(file << " reads set " << (*it)[1]);
      CHECK(listed.count((*it)[1]) == 1);
      ++found;
    }
  }
  CHECK(found >= 10);
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

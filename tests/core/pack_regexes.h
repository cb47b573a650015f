// Every regex in the built-in rule packs (sets' "regex" lists and regex rules' "patterns"), read
// from the pack files in the source tree, for the tests that check the regex prefilter and the
// shared regex pass against ICU's own find().
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace pgtest {

inline std::vector<std::string> pack_regexes() {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(std::string(POSTGUARD_SOURCE_DIR) + "/shared-rules/packs")) {
    if (e.path().extension() == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());  // a stable order, so a failure names the same pattern each run
  std::vector<std::string> out;
  for (const auto& file : files) {
    std::ifstream f(file);
    std::stringstream ss;
    ss << f.rdbuf();
    const auto j = nlohmann::json::parse(ss.str());
    // Named copies: items() of a temporary would dangle inside the range-for.
    const auto sets = j.value("sets", nlohmann::json::object());
    for (const auto& [_, set] : sets.items()) {
      const auto regexes = set.value("regex", nlohmann::json::array());
      for (const auto& r : regexes) out.push_back(r.get<std::string>());
    }
    const auto rules = j.value("rules", nlohmann::json::array());
    for (const auto& rule : rules) {
      const auto patterns = rule.value("patterns", nlohmann::json::array());
      for (const auto& r : patterns) out.push_back(r.get<std::string>());
    }
  }
  return out;
}

}  // namespace pgtest

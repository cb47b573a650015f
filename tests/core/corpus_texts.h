// Every corpus draft's text: the shared dev corpus and every tests/corpus*/
// folder's .jsonl files, in file-name order. For the exactness tests that
// hold a fast path equal to its reference on real drafts (they read the
// texts only as bytes; no labels, no tuning).
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace pgtest {

inline std::vector<std::string> all_corpus_texts() {
  namespace fs = std::filesystem;
  std::vector<fs::path> files = {fs::path(POSTGUARD_CORPUS_DIR) / "dev.jsonl"};
  for (const auto& dir : fs::directory_iterator(fs::path(POSTGUARD_SOURCE_DIR) / "tests")) {
    if (!dir.is_directory() || dir.path().filename().string().rfind("corpus", 0) != 0) continue;
    for (const auto& f : fs::recursive_directory_iterator(dir.path())) {
      if (f.path().extension() == ".jsonl") files.push_back(f.path());
    }
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> texts;
  for (const auto& f : files) {
    std::ifstream in(f);
    for (std::string line; std::getline(in, line);) {
      const auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_object() && j.contains("text") && j["text"].is_string()) texts.push_back(j["text"].get<std::string>());
    }
  }
  return texts;
}

}  // namespace pgtest

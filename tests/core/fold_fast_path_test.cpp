// fold_pattern's plain-ASCII fast path must give exactly what the full fold
// gives, on every phrase of the built-in packs (after {a|b} expansion) and on
// strings made to reach each reason the fast path declines.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "embedded/embedded_files.h"
#include "match/phrase_expansion.h"
#include "text/normalized_text.h"

namespace {

// Every string value in a pack (phrases, identities, disclaimers...).
void strings_of(const nlohmann::json& j, std::vector<std::string>& out) {
  if (j.is_string()) out.push_back(j.get<std::string>());
  if (j.is_array() || j.is_object()) {
    for (const auto& v : j) strings_of(v, out);
  }
}

}  // namespace

TEST_CASE("fold_pattern fast path equals the full fold on every pack phrase") {
  size_t phrases = 0;
  for (const auto& [name, text] : postguard::embedded::packs()) {
    std::vector<std::string> strings;
    strings_of(nlohmann::json::parse(text), strings);
    for (const auto& s : strings) {
      std::string error;
      auto all = postguard::match::expand_phrase(s, error);
      std::vector<std::string> forms = all ? *all : std::vector<std::string>{};
      forms.push_back(s);
      for (std::string f : forms) {
        // add_phrase strips these markers before folding.
        if (!f.empty() && f[0] == '=') f.erase(0, 1);
        if (!f.empty() && f.back() == '*') f.pop_back();
        INFO(name << ": \"" << f << "\"");
        CHECK(postguard::text::fold_pattern(f) == postguard::text::fold_pattern_full(f));
        ++phrases;
      }
    }
  }
  CHECK(phrases > 5000);
}

TEST_CASE("fold_pattern fast path declines what only the full fold handles") {
  using postguard::text::fold_pattern;
  using postguard::text::fold_pattern_full;
  for (const char* s : {"head teacher", "Head Teacher", "deputy's", "year 7", "y7", "p4y", "s a l a r y", "s.a.l.a.r.y",
                        " lead", "lead ", "two  spaces", "tab\there", "a", "D M", "x-ray", "\x01" "ctrl", "caf\xc3\xa9",
                        "0fst3d", "3pm", "it's a", "Mr. X", "", " ", "don't", "co-op", "A.B.C."}) {
    INFO("\"" << s << "\"");
    CHECK(fold_pattern(s) == fold_pattern_full(s));
  }
  CHECK(fold_pattern("Head Teacher") == "head teacher");
  CHECK(fold_pattern("s a l a r y") == "salary");
  CHECK(fold_pattern("p4y") == "pay");
}

// The CLI's text output quotes each finding's characters: Utf16Slicer indexes
// the draft once (a per-finding scan of the whole draft was quadratic on long
// drafts) and must cut exactly what the definition says: the characters
// wholly inside [start, end) in UTF-16 units, a surrogate pair cut by either
// offset left out.
#include <catch2/catch.hpp>
#include <random>

#include "cli/cli.h"

namespace {

std::string by_definition(const std::string& text, uint32_t start, uint32_t end) {
  std::string out;
  uint32_t pos = 0;
  for (size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    const size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    const uint32_t units = len == 4 ? 2 : 1;
    if (pos >= start && pos + units <= end) out.append(text, i, len);
    pos += units;
    i += len;
  }
  return out;
}

}  // namespace

TEST_CASE("utf16 slices: as the definition, for every offset pair", "[cli]") {
  static const std::vector<std::string> pieces = {"a", " ", "é", "ŵ", "—", "👍", "👨‍👩‍👧", "\u200d", "x\u0301"};
  std::mt19937 rng(3);
  for (int round = 0; round < 300; ++round) {
    std::string text;
    for (size_t n = rng() % 12; n > 0; --n) text += pieces[rng() % pieces.size()];
    const postguard::cli::Utf16Slicer slicer(text);
    for (uint32_t start = 0; start < 30; ++start) {
      for (uint32_t end = 0; end < 32; ++end) {
        INFO("text " << text << " [" << start << ", " << end << ")");
        REQUIRE(slicer.slice(start, end) == by_definition(text, start, end));
      }
    }
  }
  CHECK(postguard::cli::utf16_slice("", 0, 5).empty());
}

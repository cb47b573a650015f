// The differential check both word-break tests make: the ASCII fast path of
// find_word_boundaries must give exactly ICU's iterator's boundaries and words.
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "text/word_breaks.h"

namespace pgtest {

inline void require_breaks_like_icu(const std::string& s) {
  std::vector<uint8_t> fast_b, icu_b;
  std::vector<uint32_t> fast_w, icu_w;
  postguard::text::find_word_boundaries(s, fast_b, fast_w);
  postguard::text::find_word_boundaries(s, icu_b, icu_w, /*force_icu=*/true);
  INFO("text: [" << s << "]");
  REQUIRE(fast_b == icu_b);
  REQUIRE(fast_w == icu_w);
}

}  // namespace pgtest

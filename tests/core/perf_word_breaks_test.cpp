// The word-break fast paths (eight bytes at a time to the next space or
// non-ASCII byte; one tight loop over runs of letters, digits and "_") must
// give ICU's answer: long words at every alignment, runs that end in each
// kind of character, mixed with non-ASCII chunks.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "text/word_breaks.h"
#include "word_break_check.h"

TEST_CASE("word breaks: long runs and non-ASCII chunks agree with ICU's iterator", "[breaks]") {
  static const std::vector<std::string> pieces = {
      "a", "z", "0", "9", "_", "__", "safeguarding", "year7", "3.5", "1,000", "o'clock", "e.g.", "a_b", "x1_2y",
      " ", " ", " ", "  ", ".", "'", ",", ";", ":", "-", "@", "#", "!", "(", ")", "/", "\xC3\xA9",
      "caf\xC3\xA9", "\xF0\x9F\x98\x80", "\xE2\x80\x93", "\xC2\xA3" "5", "na\xC3\xAFve"};
  std::mt19937 rng(5);
  for (int round = 0; round < 4000; ++round) {
    std::string s;
    const size_t n = 1 + rng() % 120;
    while (s.size() < n) s += pieces[rng() % pieces.size()];
    pgtest::require_breaks_like_icu(s);
  }
}

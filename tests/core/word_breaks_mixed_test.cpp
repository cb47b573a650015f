// Word breaks in chunks that mix ASCII with non-ASCII characters: the path
// that cuts out stand-alone characters (emoji, dashes, "£") itself must give
// ICU's boundaries and words, next to everything that makes such a character
// not stand alone (combining marks, variation selectors, skin tones, ZWJ
// sequences, regional indicators, apostrophes and middle dots, letters of
// other scripts, dictionary scripts). Compared on folded text, as the check
// runs them (folding drops format characters and most marks; the chunking
// by spaces relies on that).
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "text/normalized_text.h"
#include "word_break_check.h"

TEST_CASE("word breaks: mixed chunks with stand-alone characters agree with ICU's iterator", "[breaks]") {
  static const std::vector<std::string> pieces = {
      "a", "z", "great", "0", "5", "3.5", "1,000", "o'clock", "_", ".", "'", ",", ":", "-", "@", "#", "(",
      "\xF0\x9F\x98\x82",                  // 😂 face with tears of joy
      "\xF0\x9F\x8E\x89",                  // 🎉
      "\xF0\x9F\x92\x9C",                  // 💜
      "\xE2\x99\x80",                      // ♀
      "\xE2\x9C\xA8",                      // ✨
      "\xE2\x80\x94", "\xE2\x80\x93",      // em and en dash
      "\xE2\x80\xA2", "\xE2\x80\xA6",      // bullet, ellipsis
      "\xC2\xA3", "\xE2\x82\xAC", "\xC2\xB0", "\xC3\x97", "\xE2\x84\xA2", "\xC2\xA9",  // £ € ° × ™ ©
      "\xEF\xB8\x8F",                      // variation selector 16 (Extend)
      "\xF0\x9F\x8F\xBD",                  // skin tone modifier (Extend)
      "\xE2\x80\x8D",                      // ZWJ
      "\xCC\x81",                          // combining acute (Extend)
      "\xF0\x9F\x87\xAC", "\xF0\x9F\x87\xA7",  // regional indicators G, B
      "\xE2\x80\x99", "\xC2\xB7",          // right single quote (MidNumLet), middle dot (MidLetter)
      "\xC3\xA9", "\xC5\xB5", "caf\xC3\xA9", // é ŵ café
      "\xCE\xB1\xCE\xB2", "\xD0\xBF\xD0\xB0", // Greek, Cyrillic letters
      "\xD9\xA3",                          // Arabic-Indic digit three
      "\xE4\xB8\xAD\xE6\x96\x87",          // Han
      "\xE0\xB8\xAA\xE0\xB8\xA7",          // Thai
      "\xE3\x82\xAB"};                     // Katakana
  std::mt19937 rng(17);
  for (int round = 0; round < 6000; ++round) {
    std::string s;
    const size_t n = 1 + rng() % 60;
    while (s.size() < n) {
      const std::string& piece = pieces[rng() % pieces.size()];
      // Not an Extend character right after a space: ICU joins the two
      // (WB4), while the chunking by spaces always breaks there. A known
      // difference of the space rule (older than this path), left out here.
      const bool extend = piece == "\xEF\xB8\x8F" || piece == "\xF0\x9F\x8F\xBD" || piece == "\xCC\x81" || piece == "\xE2\x80\x8D";
      if (extend && !s.empty() && s.back() == ' ') continue;
      s += piece;
      if (rng() % 6 == 0) s += ' ';
    }
    pgtest::require_breaks_like_icu(postguard::text::normalize(s).text);
  }
  // Shapes worth naming.
  for (const char* s : {"great\xF0\x9F\x8E\x89", "\xC2\xA3" "5,000", "well\xE2\x80\x94" "done", "\xF0\x9F\x8F\x83\xE2\x80\x8D\xE2\x99\x80\xEF\xB8\x8F",
                        "a\xE2\x80\x8D\xF0\x9F\x98\x82", "\xF0\x9F\x98\x82\xF0\x9F\x8F\xBD", "\xF0\x9F\x87\xAC\xF0\x9F\x87\xA7", "x\xE2\x80\x94\xCC\x81y"}) {
    pgtest::require_breaks_like_icu(postguard::text::normalize(s).text);
  }
}

// fold_digit_swaps goes from digit to digit instead of word by word (a speed-up
// of step 3 of normalize); it must fold exactly the words the word-by-word
// walk folds. The walk is kept here as the reference, and both run over
// random folded-looking text: letters, digits, the kept forms (y7, ks3, 3pm,
// 10c...), punctuation and non-ASCII bytes next to words.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "text/char_folder.h"
#include "text/normalized_text.h"

namespace {

bool letter(char c) { return c >= 'a' && c <= 'z'; }
bool digit(char c) { return c >= '0' && c <= '9'; }
bool alnum(char c) { return letter(c) || digit(c); }
bool word_byte(char c) { return alnum(c) || static_cast<unsigned char>(c) >= 0x80; }

// The word-by-word walk (what normalize did before), with the fold itself
// taken from the library on the one word: the digit rules are not copied.
void reference(std::string& t) {
  const size_t n = t.size();
  size_t i = 0;
  size_t changed_end = SIZE_MAX;  // the end of the last word whose digits were swapped
  while (i < n) {
    if (!alnum(t[i]) || (i > 0 && word_byte(t[i - 1]))) {
      ++i;
      continue;
    }
    size_t j = i;
    bool l = false, d = false;
    for (; j < n && alnum(t[j]); ++j) (letter(t[j]) ? l : d) = true;
    const bool ascii_word = j >= n || static_cast<unsigned char>(t[j]) < 0x80;
    if (l && d && ascii_word) {
      std::string word = t.substr(i, j - i);
      const bool after_changed = changed_end != SIZE_MAX && i == changed_end + 1 && t[changed_end] == ' ';
      if (after_changed) {
        postguard::text::fold_digit_word(word, 0, word.size(), true);
      } else {
        postguard::text::fold_digit_swaps(word);  // alone, it is a whole word with ASCII around it
      }
      if (word != t.substr(i, j - i)) changed_end = j;
      t.replace(i, j - i, word);
    }
    i = j;
  }
}

}  // namespace

TEST_CASE("normalise: digit swaps found from digit to digit fold the same words", "[normalize]") {
  static const std::vector<std::string> pieces = {
      "p4y", "0fst3d", "s4l4ry", "y7", "ks3", "3pm", "10c", "72k", "16th", "4ever", "0ut", "ups3", "l14", "year9s",
      "a", "b", "pay", "7", "0", "1", "33", " ", " ", ".", ",", "-", "'", "_", "@", "\xC3\xA9", "\xF0\x9F\x98\x80",
      "m4th5", "1st", "2nd", "abc", "x1y2", "\xE2\x80\x94", "m3", "m3ss4g3", "4dd"};
  std::mt19937 rng(17);
  size_t folded = 0;
  for (int round = 0; round < 5000; ++round) {
    std::string s;
    const size_t n = 1 + rng() % 80;
    while (s.size() < n) s += pieces[rng() % pieces.size()];
    std::string fast = s, want = s;
    postguard::text::fold_digit_swaps(fast);
    reference(want);
    INFO("text: [" << s << "]");
    REQUIRE(fast == want);
    folded += fast != s ? 1 : 0;
  }
  CHECK(folded > 500);  // the texts do hold words to fold
}

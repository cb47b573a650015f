// Folds one code point to its matching form: NFKC case folding, accents
// dropped, look-alike letters mapped to the Latin letter they imitate (via
// ICU's confusable skeletons), format characters and combining marks ignored.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace postguard::text {

struct FoldedChar {
  // Folded UTF-8 bytes (empty = the code point is ignored for matching).
  // Long enough for U+FDFA (18 Arabic letters); longer expansions are cut at
  // a character boundary.
  char bytes[62];
  uint8_t length;
  bool upper;  // the source code point was upper or title case
  bool space;  // white space of any kind
  bool mark;   // a combining mark: belongs to the character before it
};

// Thread-safe: each thread keeps its own cache of non-ASCII results.
const FoldedChar& fold_code_point(char32_t c);

// The results for U+0000..U+007F (what fold_code_point returns for them), for
// loops that handle ASCII inline.
const FoldedChar* ascii_fold_table();

// Digit-for-letter swaps in one folded word t[s, e) (ASCII letters and digits
// mixing both, with no non-ASCII byte beside it), rewritten in place, byte for
// byte (offsets stay exact). A digit stands for a letter only inside a word
// ("p4y", "t34ch3r", "s4l4ry"), or at a word's edge when the same word has such
// a swap ("m4th5", "0fst3d") or is one digit then letters ("0ut", "4ever").
// Left alone: a run of four or more digits or one holding 2, 6, 8 or 9 (years,
// numbers), digits ending a word ("welcome1", "S5", "P7", "Y6", "pearson07"),
// number-first codes, times and amounts ("7b", "10x", "3pm", "5k", "16th"),
// and year groups, key stages and pay points ("y10s", "ks3", "ups3").
// Right after a word written with swaps, a word's edge digits are swaps too,
// codes included: "m3ss4g3 m3", "4dd m3" (after_swapped_word: the word before,
// one space away, had digits swapped). Returns whether it swapped any digit.
bool fold_digit_word(std::string& t, size_t s, size_t e, bool after_swapped_word = false);

}  // namespace postguard::text

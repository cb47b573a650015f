// Folds one code point to its matching form: NFKC case folding, accents
// dropped, look-alike letters mapped to the Latin letter they imitate (via
// ICU's confusable skeletons), format characters and combining marks ignored.
#pragma once

#include <cstdint>

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

}  // namespace postguard::text

#include "text/word_breaks.h"

#include <unicode/ubrk.h>
#include <unicode/utext.h>

namespace postguard::text {
namespace {

enum Cls : uint8_t { kOther, kLetter, kNumeric, kExtendNumLet, kMidLetter, kMidNumLet, kMidNum, kSpace };

struct ClassTable {
  Cls c[128];
  ClassTable() {
    for (int i = 0; i < 128; ++i) {
      Cls k = kOther;
      // ICU adds "@" to ALetter (e-mail addresses stay one word).
      if ((i >= 'a' && i <= 'z') || (i >= 'A' && i <= 'Z') || i == '@') k = kLetter;
      else if (i >= '0' && i <= '9') k = kNumeric;
      else if (i == '_') k = kExtendNumLet;
      // No ASCII MidLetter: ICU's root rules take ":" out of it (only Swedish
      // and Finnish keep it).
      else if (i == '.' || i == '\'') k = kMidNumLet;  // MidNumLet and Single_Quote behave alike here
      else if (i == ',' || i == ';') k = kMidNum;
      else if (i == ' ') k = kSpace;
      c[i] = k;
    }
  }
};

const ClassTable& classes() {
  static const ClassTable t;
  return t;
}

bool alnum(Cls k) { return k == kLetter || k == kNumeric; }

// UAX #29 WB5-WB13b for an ASCII chunk [a, b) with no spaces.
void ascii_chunk(std::string_view t, size_t a, size_t b, std::vector<uint8_t>& boundary,
                 std::vector<uint32_t>& word_starts) {
  const ClassTable& ct = classes();
  auto cls = [&](size_t i) { return ct.c[static_cast<unsigned char>(t[i])]; };
  size_t seg = a;
  bool seg_word = alnum(cls(a));
  for (size_t i = a + 1; i < b; ++i) {
    const Cls x = cls(i - 1), y = cls(i);
    bool join = false;
    if ((alnum(x) || x == kExtendNumLet) && (alnum(y) || y == kExtendNumLet)) {
      join = true;  // WB5, WB8-WB10, WB13a, WB13b
    } else if (x == kLetter && (y == kMidLetter || y == kMidNumLet) && i + 1 < b && cls(i + 1) == kLetter) {
      join = true;  // WB6
    } else if (i >= a + 2 && cls(i - 2) == kLetter && (x == kMidLetter || x == kMidNumLet) && y == kLetter) {
      join = true;  // WB7
    } else if (i >= a + 2 && cls(i - 2) == kNumeric && (x == kMidNum || x == kMidNumLet) && y == kNumeric) {
      join = true;  // WB11
    } else if (x == kNumeric && (y == kMidNum || y == kMidNumLet) && i + 1 < b && cls(i + 1) == kNumeric) {
      join = true;  // WB12
    }
    if (!join) {
      boundary[i] = 1;
      // ICU gives word status to any joined segment, even "__" (one "_" has none).
      if (seg_word || i - seg >= 2) word_starts.push_back(static_cast<uint32_t>(seg));
      seg = i;
      seg_word = false;
    }
    seg_word = seg_word || alnum(y);
  }
  if (seg_word || b - seg >= 2) word_starts.push_back(static_cast<uint32_t>(seg));
}

UBreakIterator* icu_words() {
  // One per thread, reused: opening one loads the rules.
  thread_local UBreakIterator* words = [] {
    UErrorCode status = U_ZERO_ERROR;
    UBreakIterator* bi = ubrk_open(UBRK_WORD, "root", nullptr, 0, &status);
    return U_SUCCESS(status) ? bi : nullptr;
  }();
  return words;
}

// ICU over [a, b); returns false if ICU is unavailable.
bool icu_chunk(std::string_view t, size_t a, size_t b, std::vector<uint8_t>& boundary,
               std::vector<uint32_t>& word_starts) {
  UBreakIterator* words = icu_words();
  if (!words) return false;
  UErrorCode status = U_ZERO_ERROR;
  UText* ut = utext_openUTF8(nullptr, t.data() + a, static_cast<int64_t>(b - a), &status);
  ubrk_setUText(words, ut, &status);
  if (U_FAILURE(status)) {
    utext_close(ut);
    return false;
  }
  int32_t prev = ubrk_first(words);
  for (int32_t e = ubrk_next(words); e != UBRK_DONE; e = ubrk_next(words)) {
    boundary[a + static_cast<size_t>(e)] = 1;
    if (ubrk_getRuleStatus(words) >= UBRK_WORD_NONE_LIMIT) word_starts.push_back(static_cast<uint32_t>(a + prev));
    prev = e;
  }
  ubrk_setText(words, nullptr, 0, &status);  // drop the reference to our buffer
  utext_close(ut);
  return true;
}

// Without ICU data: letters/digits against the rest.
void fallback_chunk(std::string_view t, size_t a, size_t b, std::vector<uint8_t>& boundary,
                    std::vector<uint32_t>& word_starts) {
  auto word = [&](size_t i) {
    const auto c = static_cast<unsigned char>(t[i]);
    return c >= 0x80 || alnum(classes().c[c]);
  };
  for (size_t i = a; i < b; ++i) {
    const bool w = word(i), prev = i > a && word(i - 1);
    if (i > a && w != prev) boundary[i] = 1;
    if (w && !prev) word_starts.push_back(static_cast<uint32_t>(i));
  }
}

}  // namespace

void find_word_boundaries(std::string_view text, std::vector<uint8_t>& boundary, std::vector<uint32_t>& word_starts,
                          bool force_icu) {
  const size_t n = text.size();
  boundary.assign(n + 1, 0);
  word_starts.clear();
  boundary[0] = 1;
  boundary[n] = 1;
  if (force_icu) {
    if (n && !icu_chunk(text, 0, n, boundary, word_starts)) fallback_chunk(text, 0, n, boundary, word_starts);
    return;
  }
  // UAX #29 always breaks between a space and a non-space (folded text has no
  // joiners or format characters left), so chunks are independent.
  size_t i = 0;
  while (i < n) {
    if (text[i] == ' ') {
      size_t j = i;
      while (j < n && text[j] == ' ') ++j;  // WB3d: one segment of spaces
      boundary[i] = 1;
      boundary[j] = 1;
      i = j;
      continue;
    }
    size_t j = i;
    bool ascii = true;
    for (; j < n && text[j] != ' '; ++j) {
      if (static_cast<unsigned char>(text[j]) >= 0x80) ascii = false;
    }
    boundary[i] = 1;
    boundary[j] = 1;
    if (ascii) ascii_chunk(text, i, j, boundary, word_starts);
    else if (!icu_chunk(text, i, j, boundary, word_starts)) fallback_chunk(text, i, j, boundary, word_starts);
    i = j;
  }
}

}  // namespace postguard::text

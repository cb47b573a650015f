#include "text/word_breaks.h"

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <string>
#include <unordered_map>

#include "text/ascii_scan.h"

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

// The same segments as ascii_chunk, written for speed (it runs over nearly
// every byte of a long draft): a table over all 256 byte values (no lookup
// guard), and a word's letters/digits/"_" skipped in a tight loop, with
// WB6/WB7 and WB11/WB12 tested only where such a run stops.
enum FastCls : uint8_t { fOther, fLetter, fNumeric, fExtendNumLet, fMidNumLet, fMidNum, fSpace, fHigh };
struct FastTable {
  uint8_t c[256];
  constexpr FastTable() : c() {
    for (int i = 0; i < 256; ++i) {
      uint8_t k = fOther;
      if ((i >= 'a' && i <= 'z') || (i >= 'A' && i <= 'Z') || i == '@') k = fLetter;
      else if (i >= '0' && i <= '9') k = fNumeric;
      else if (i == '_') k = fExtendNumLet;
      else if (i == '.' || i == '\'') k = fMidNumLet;
      else if (i == ',' || i == ';') k = fMidNum;
      else if (i == ' ') k = fSpace;
      else if (i >= 0x80) k = fHigh;
      c[i] = k;
    }
  }
};
constexpr FastTable kFast;

bool joins(uint8_t k) { return k >= fLetter && k <= fExtendNumLet; }  // WB5, WB8-WB10, WB13a, WB13b

// The end of the segment whose first byte, s[i - 1], is a letter, digit or
// "_" (class k), within [.., b); pushes its start if it is a word.
inline size_t joined_segment(const uint8_t* s, size_t i, size_t b, uint8_t k, std::vector<uint32_t>& word_starts) {
  const uint8_t* const c = kFast.c;
  const size_t seg = i - 1;
  for (;;) {
    i = skip_ascii_lower(reinterpret_cast<const char*>(s), i, b);
    while (i < b && joins(c[s[i]])) ++i;
    if (i + 1 >= b) break;
    // One middle character between two letters (WB6, WB7) or two digits (WB11, WB12).
    const uint8_t m = c[s[i]], before = c[s[i - 1]], after = c[s[i + 1]];
    if (before == after && ((before == fLetter && m == fMidNumLet) ||
                            (before == fNumeric && (m == fMidNumLet || m == fMidNum)))) {
      i += 2;
      continue;
    }
    break;
  }
  // ICU gives word status to any joined segment, even "__" (one "_" has none).
  if (k != fExtendNumLet || i - seg >= 2) word_starts.push_back(static_cast<uint32_t>(seg));
  return i;
}

// Segments [i, b), all ASCII with no space (a piece of a mixed chunk).
void ascii_segments(std::string_view t, size_t i, size_t b, std::vector<uint8_t>& boundary,
                    std::vector<uint32_t>& word_starts) {
  const auto* s = reinterpret_cast<const uint8_t*>(t.data());
  while (i < b) {
    const uint8_t k = kFast.c[s[i]];
    boundary[i++] = 1;
    if (joins(k)) i = joined_segment(s, i, b, k, word_starts);  // else a segment of its own, not a word
  }
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
  // One UText per thread too, re-opened in place over each chunk (opening a
  // new one per chunk allocated and freed it: most of the cost of a short
  // non-ASCII word). The iterator keeps a shallow clone pointing into `t`;
  // it is never read again before the next ubrk_setUText points it elsewhere.
  struct ReusedText {
    UText ut = UTEXT_INITIALIZER;
    ~ReusedText() { utext_close(&ut); }
  };
  thread_local ReusedText text;
  UErrorCode status = U_ZERO_ERROR;
  utext_openUTF8(&text.ut, t.data() + a, static_cast<int64_t>(b - a), &status);
  ubrk_setUText(words, &text.ut, &status);
  if (U_FAILURE(status)) return false;
  int32_t prev = ubrk_first(words);
  for (int32_t e = ubrk_next(words); e != UBRK_DONE; e = ubrk_next(words)) {
    boundary[a + static_cast<size_t>(e)] = 1;
    if (ubrk_getRuleStatus(words) >= UBRK_WORD_NONE_LIMIT) word_starts.push_back(static_cast<uint32_t>(a + prev));
    prev = e;
  }
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

// Scripts written without spaces (Thai, Lao, Khmer, Myanmar: Line_Break=SA;
// Han, Hiragana, Katakana) are where ICU's word breaks come from dictionaries.
// The WebAssembly build leaves those dictionaries out of its ICU data (they
// would double the .wasm), so ICU there would give other words than natively.
// Both builds instead make each such character (with the marks after it) a
// word of its own: the same answer everywhere, and a phrase written in these
// scripts still matches inside a longer run. ICU's properties are compiled
// into the library, not read from the data, so this test is the same in both.
bool dictionary_script(UChar32 c) {
  if (c < 0x0E00) return false;  // fast path: nothing below Thai
  if (u_getIntPropertyValue(c, UCHAR_LINE_BREAK) == U_LB_COMPLEX_CONTEXT) return true;
  UErrorCode status = U_ZERO_ERROR;
  const UScriptCode sc = uscript_getScript(c, &status);
  return U_SUCCESS(status) && (sc == USCRIPT_HAN || sc == USCRIPT_HIRAGANA || sc == USCRIPT_KATAKANA);
}

// Marks, joiners and format characters stay with the character before them (UAX #29 WB4).
bool extends(UChar32 c) {
  const int8_t type = u_charType(c);
  return type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK || type == U_ENCLOSING_MARK ||
         type == U_FORMAT_CHAR || u_hasBinaryProperty(c, UCHAR_GRAPHEME_EXTEND);
}

void other_chunk(std::string_view t, size_t a, size_t b, std::vector<uint8_t>& boundary,
                 std::vector<uint32_t>& word_starts) {
  if (a < b && !icu_chunk(t, a, b, boundary, word_starts)) fallback_chunk(t, a, b, boundary, word_starts);
}

// A chunk with non-ASCII text: runs of dictionary-script characters are cut
// into one word per character (see dictionary_script); the rest goes to ICU.
void non_ascii_chunk(std::string_view t, size_t a, size_t b, std::vector<uint8_t>& boundary,
                     std::vector<uint32_t>& word_starts) {
  const auto* s = reinterpret_cast<const uint8_t*>(t.data());
  size_t piece = a;          // start of the piece not yet handed out
  bool piece_dict = false;   // that piece is one dictionary character (+ marks)
  auto flush = [&](size_t end) {
    if (piece == end) return;
    boundary[piece] = 1;
    boundary[end] = 1;
    if (piece_dict) word_starts.push_back(static_cast<uint32_t>(piece));
    else other_chunk(t, piece, end, boundary, word_starts);
    piece = end;
  };
  size_t i = a;
  while (i < b) {
    const size_t at = i;
    UChar32 c;
    U8_NEXT(s, i, b, c);
    if (c >= 0x80 && extends(c)) continue;  // stays in the piece it follows
    const bool dict = c >= 0x80 && dictionary_script(c);
    if (dict || piece_dict) {
      flush(at);
      piece_dict = dict;
    }
  }
  flush(b);
}

// Is c a character UAX #29 always breaks on both sides of, when it follows
// no ZWJ and no Extend/Format/ZWJ follows it: Word_Break=Other (no rule
// joins it: WB5-WB13b name other classes on both sides, and a rule looking
// past a neighbour, WB6/WB7/WB11/WB12, needs a letter or digit where it is)?
// Emoji, dashes, "£", bullets: most non-ASCII characters in folded English
// and Welsh text. Dictionary scripts keep their own path (dictionary_script).
bool standalone(UChar32 c) {
  return u_getIntPropertyValue(c, UCHAR_WORD_BREAK) == U_WB_OTHER && !dictionary_script(c);
}

bool extend_format_zwj(UChar32 c) {
  const int32_t wb = u_getIntPropertyValue(c, UCHAR_WORD_BREAK);
  return wb == U_WB_EXTEND || wb == U_WB_FORMAT || wb == U_WB_ZWJ;
}

// Does ICU give a stand-alone character the status of a word? Asked of ICU
// once per character and thread (its rules decide; emoji and symbols differ).
bool standalone_is_word(std::string_view t, size_t a, size_t b) {
  thread_local std::unordered_map<std::string, bool> known;
  const std::string key(t.substr(a, b - a));
  if (auto it = known.find(key); it != known.end()) return it->second;
  std::vector<uint8_t> boundary(key.size() + 1, 0);
  std::vector<uint32_t> words;
  other_chunk(key, 0, key.size(), boundary, words);
  const bool word = !words.empty();
  // Bounded: one entry per distinct character seen (the cap only stops a
  // stream of random characters from growing it for ever).
  if (known.size() > 4096) known.clear();
  known.emplace(key, word);
  return word;
}

// A chunk with non-ASCII characters, written for speed: most such chunks
// are ASCII words with an emoji, a dash or "£" inside ("great🎉", "£5"),
// and handing each to ICU cost a UText reset and a rule run (about a third
// of normalising a long document). Stand-alone characters (see standalone)
// are cut out here; the ASCII pieces between them go to ascii_chunk and only
// pieces with other non-ASCII text go to ICU (non_ascii_chunk). The same
// boundaries and words as ICU over the whole chunk
// (tests/core/perf_word_breaks_test.cpp holds them equal).
template <bool kFastAscii>
void mixed_chunk(std::string_view t, size_t a, size_t b, std::vector<uint8_t>& boundary,
                 std::vector<uint32_t>& word_starts) {
  const auto* s = reinterpret_cast<const uint8_t*>(t.data());
  size_t piece = a;         // start of the piece not yet handed out
  bool piece_ascii = true;  // that piece is all ASCII
  UChar32 prev = -1;        // the character before i
  auto flush = [&](size_t end) {
    if (piece == end) return;
    if (piece_ascii) {
      if (kFastAscii) {
        ascii_segments(t, piece, end, boundary, word_starts);
      } else {
        ascii_chunk(t, piece, end, boundary, word_starts);
      }
    }
    else non_ascii_chunk(t, piece, end, boundary, word_starts);
  };
  size_t i = a;
  while (i < b) {
    if (s[i] < 0x80) {
      prev = s[i++];
      continue;
    }
    const size_t at = i;
    UChar32 c;
    U8_NEXT(s, i, b, c);
    bool alone = prev != 0x200D && standalone(c);
    if (alone && i < b && s[i] >= 0x80) {
      size_t k = i;
      UChar32 d;
      U8_NEXT(s, k, b, d);
      alone = !extend_format_zwj(d);
    }
    prev = c;
    if (!alone) {
      piece_ascii = false;
      continue;
    }
    flush(at);
    boundary[at] = 1;
    boundary[i] = 1;
    if (standalone_is_word(t, at, i)) word_starts.push_back(static_cast<uint32_t>(at));
    piece = i;
    piece_ascii = true;
  }
  flush(b);
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
    non_ascii_chunk(text, 0, n, boundary, word_starts);
    return;
  }
  // Room for a word every four bytes (English text has about one every six):
  // growing the vector from empty copied it about twenty times for 1 MB.
  word_starts.reserve(n / 4 + 16);
  // UAX #29 always breaks between a space and a non-space (folded text has no
  // joiners or format characters left), so chunks are independent. The text
  // is segmented as ASCII in one pass; a chunk that turns out to hold a byte
  // >= 0x80 is undone and handed whole to mixed_chunk.
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  size_t chunk = 0;         // start of the current chunk
  size_t chunk_words = 0;   // word_starts.size() there
  size_t i = 0;
  while (i < n) {
    const uint8_t k = kFast.c[s[i]];
    if (k == fSpace) {
      boundary[i++] = 1;
      while (i < n && s[i] == ' ') ++i;  // WB3d: one segment of spaces
      boundary[i] = 1;
      chunk = i;
      chunk_words = word_starts.size();
      continue;
    }
    if (k == fHigh) {
      word_starts.resize(chunk_words);
      for (size_t p = chunk + 1; p < i; ++p) boundary[p] = 0;
      size_t j = i;
      while (j < n && s[j] != ' ') ++j;
      boundary[j] = 1;
      mixed_chunk<true>(text, chunk, j, boundary, word_starts);
      i = j;
      continue;
    }
    boundary[i++] = 1;
    if (joins(k)) i = joined_segment(s, i, n, k, word_starts);  // else a segment of its own, not a word
  }
}

// The loop above as it was before ascii_segments (for normalize_reference).
void find_word_boundaries_reference(std::string_view text, std::vector<uint8_t>& boundary,
                                    std::vector<uint32_t>& word_starts) {
  const size_t n = text.size();
  boundary.assign(n + 1, 0);
  word_starts.clear();
  boundary[0] = 1;
  boundary[n] = 1;
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
    else mixed_chunk<false>(text, i, j, boundary, word_starts);
    i = j;
  }
}

}  // namespace postguard::text

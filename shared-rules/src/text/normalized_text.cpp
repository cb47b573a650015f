#include "text/normalized_text.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "text/ascii_scan.h"
#include "text/char_folder.h"
#include "text/utf8.h"
#include "text/word_breaks.h"

namespace postguard::text {
namespace {

// Byte classes of folded text, one table lookup each (these run per byte).
enum : uint8_t { kLetter = 1, kDigit = 2, kHigh = 4 };
struct ByteClasses {
  uint8_t c[256] = {};
  ByteClasses() {
    for (int b = 'a'; b <= 'z'; ++b) c[b] = kLetter;
    for (int b = '0'; b <= '9'; ++b) c[b] = kDigit;
    for (int b = 0x80; b < 256; ++b) c[b] = kHigh;
  }
};
const ByteClasses kClasses;
uint8_t cls(char c) { return kClasses.c[static_cast<unsigned char>(c)]; }
bool is_alnum(char c) { return (cls(c) & (kLetter | kDigit)) != 0; }
bool is_digit(char c) { return cls(c) == kDigit; }
bool is_letter(char c) { return cls(c) == kLetter; }
bool is_word_byte(char c) { return cls(c) != 0; }
bool is_spacing_separator(char c) { return c == ' ' || c == '.' || c == '-' || c == '_' || c == '*'; }

struct Buffers {
  std::string& text;
  OffsetVector& start;
  OffsetVector& end;
  std::vector<uint8_t>& upper;
  bool with_map;

  // Copies the `len` bytes at `from` (and their map entries) to `to` (to <= from).
  void move_run(size_t to, size_t from, size_t len) {
    if (to == from || len == 0) return;
    std::memmove(&text[to], &text[from], len);
    if (with_map) {
      std::memmove(&start[to], &start[from], len * sizeof(uint32_t));
      std::memmove(&end[to], &end[from], len * sizeof(uint32_t));
      std::memmove(&upper[to], &upper[from], len);
    }
  }
  void resize(size_t n) {
    text.resize(n);
    if (with_map) {
      start.resize(n);
      end.resize(n);
      upper.resize(n);
    }
  }
};

// Eight bytes of printable ASCII (0x20..0x7E: each folds to one byte, its
// lower case, none is dropped), as a word; false for any other byte.
bool printable_ascii8(uint64_t v) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHighs = 0x8080808080808080ull;
  // With no high bit set (else v alone fails), no byte carries into the
  // next: a byte < 0x20 borrows into its own high bit, 0x7F + 1 reaches it.
  return ((v | (v + kOnes) | ((v - 0x20 * kOnes) & ~v)) & kHighs) == 0;
}

// out[k] = first + k for k < 8, as four 64-bit stores of two entries each
// (GCC at -O2 does not vectorise the plain loop: the start and end maps it
// writes might alias).
inline void store_consecutive8(uint32_t* out, uint32_t first) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  constexpr uint64_t kStep = 2 | (uint64_t{2} << 32);
  const uint64_t pair = first | (uint64_t{first + 1} << 32);  // out[0] in the low half
  const uint64_t p1 = pair + kStep, p2 = pair + 2 * kStep, p3 = pair + 3 * kStep;
  std::memcpy(out, &pair, 8);
  std::memcpy(out + 2, &p1, 8);
  std::memcpy(out + 4, &p2, 8);
  std::memcpy(out + 6, &p3, 8);
#else
  for (uint32_t k = 0; k < 8; ++k) out[k] = first + k;
#endif
}

// Step 1. Returns the UTF-16 length of the input. Written for speed (it runs
// over every byte): buffers sized once and written by index, ASCII inline;
// with kBlocks, runs of printable ASCII eight bytes at a time (lower case by
// word arithmetic: the same bytes as the table, which the reference path uses).
template <bool kMap, bool kBlocks = true>
uint32_t fold_code_points(std::string_view in, Buffers& b) {
  const FoldedChar* const ascii = ascii_fold_table();
  // Folding is byte for byte for ASCII; other characters may grow (up to
  // sizeof(FoldedChar::bytes) bytes each), so keep that much room.
  constexpr size_t kRoom = sizeof(FoldedChar::bytes) + 2;
  size_t cap = in.size() + kRoom;
  b.resize(cap);
  char* text = &b.text[0];
  uint32_t* start = kMap ? b.start.data() : nullptr;
  uint32_t* end = kMap ? b.end.data() : nullptr;
  uint8_t* upper = kMap ? b.upper.data() : nullptr;
  size_t w = 0;
  uint32_t pos16 = 0;
  size_t last_begin = 0;  // output bytes of the last character that produced any
  const size_t n = in.size();
  for (size_t i = 0; i < n;) {
    if (static_cast<unsigned char>(in[i]) < 0x80) {
      // A run of ASCII: folds byte for byte (control characters dropped),
      // never a mark, at most one output byte per input byte.
      size_t lb = SIZE_MAX;
      if (kBlocks) {
        constexpr uint64_t kOnes = 0x0101010101010101ull, kHighs = 0x8080808080808080ull;
        uint64_t v;
        while (i + 8 <= n && (std::memcpy(&v, in.data() + i, 8), printable_ascii8(v))) {
          // No byte >= 0x80, so no carry crosses a byte: bit 7 of each byte
          // says "in A..Z" (>= 'A' and not > 'Z').
          const uint64_t upper_bits = ((v + (0x80 - 'A') * kOnes) ^ (v + (0x7F - 'Z') * kOnes)) & kHighs;
          const uint64_t lower = v | (upper_bits >> 2);  // 0x80 >> 2 = 0x20: 'A' -> 'a'
          std::memcpy(text + w, &lower, 8);
          if (kMap) {
            const uint64_t flags = upper_bits >> 7;  // 1 in each upper-case byte
            std::memcpy(upper + w, &flags, 8);
            store_consecutive8(start + w, pos16);
            store_consecutive8(end + w, pos16 + 1);
          }
          w += 8;
          pos16 += 8;
          i += 8;
          lb = w - 1;
        }
        if (i >= n || static_cast<unsigned char>(in[i]) >= 0x80) {
          if (lb != SIZE_MAX) last_begin = lb;
          continue;
        }
      }
      // Byte by byte: with kBlocks, up to and including the first byte that
      // stopped the blocks (a control character or white space other than
      // ' '), then back to blocks; otherwise to the end of the ASCII run.
      unsigned char c0;
      do {
        c0 = static_cast<unsigned char>(in[i]);
        const FoldedChar& f = ascii[c0];
        if (f.length) {
          lb = w;
          text[w] = f.bytes[0];
          if (kMap) {
            start[w] = pos16;
            end[w] = pos16 + 1;
            upper[w] = f.upper ? 1 : 0;
          }
          ++w;
        }
        ++pos16;
        ++i;
      } while (i < n && static_cast<unsigned char>(in[i]) < 0x80 && !(kBlocks && (c0 < 0x20 || c0 == 0x7F)));
      if (lb != SIZE_MAX) last_begin = lb;
      continue;
    }
    const char32_t c = decode_utf8(in, i);
    const uint32_t len16 = utf16_length(c);
    const FoldedChar& f = fold_code_point(c);
    if (kMap && f.mark && last_begin < w && end[w - 1] == pos16) {
      // A combining mark belongs to the character before it: a
      // highlight of "Quantúḿ" must cover the accents too.
      for (size_t k = last_begin; k < w; ++k) end[k] = pos16 + len16;
    }
    if (f.length > 0) last_begin = w;
    if (w + f.length + (n - i) + kRoom > cap) {
      cap = (w + f.length + (n - i)) * 2 + kRoom;
      b.resize(cap);
      text = &b.text[0];
      if (kMap) {
        start = b.start.data();
        end = b.end.data();
        upper = b.upper.data();
      }
    }
    for (uint8_t k = 0; k < f.length; ++k) {
      text[w] = f.bytes[k];
      if (kMap) {
        start[w] = pos16;
        end[w] = pos16 + len16;
        upper[w] = f.upper ? 1 : 0;
      }
      ++w;
    }
    pos16 += len16;
  }
  b.resize(w);
  return pos16;
}

// Is t[i] a single-character token (an ASCII letter or digit with no word
// byte or apostrophe on either side)?
bool single_char_token(const std::string& t, size_t i) {
  if (i >= t.size() || !is_alnum(t[i])) return false;
  // An apostrophe binds: the "s" of "deputy's" is not a spaced-out letter.
  if (i > 0 && (is_word_byte(t[i - 1]) || t[i - 1] == '\'')) return false;
  if (i + 1 < t.size() && (is_word_byte(t[i + 1]) || t[i + 1] == '\'')) return false;
  return true;
}

// single_char_token for an alphanumeric byte at a word start, testing the
// byte after first (in most words it is a letter: no token).
bool starts_single_char_token(const std::string& t, size_t i) {
  if (i + 1 < t.size() && (is_word_byte(t[i + 1]) || t[i + 1] == '\'')) return false;
  return !(i > 0 && (is_word_byte(t[i - 1]) || t[i - 1] == '\''));
}

// Step 2's join, shared by join_spaced_letters and its reference: at r, a
// single-character token that starts a word. Keeps one byte per token of the
// run it starts ("s.a.l" -> "sal", "p a y" -> "pay") or, when that run does
// not join, t[r] alone; returns where reading goes on.
template <class KeepOne>
size_t join_run_at(const std::string& t, size_t r, KeepOne& keep_one) {
  const size_t n = t.size();
  // Collect a run of single characters separated by exactly one separator.
  // One separator throughout: "Z-o-r-b Q.u.a.n" is two words.
  size_t k = r;
  size_t count = 1;
  bool any_letter = is_letter(t[r]);
  bool only_a_i = t[r] == 'a' || t[r] == 'i';
  // The separator: one to three of " .-_*" ("s.a.l", "H . L . C").
  size_t sep_len = 0;
  while (sep_len < 3 && r + 1 + sep_len < n && is_spacing_separator(t[r + 1 + sep_len])) ++sep_len;
  const std::string_view sep(t.data() + r + 1, sep_len);
  while (sep_len > 0 && k + sep_len + 1 < n + 1 && std::string_view(t.data() + k + 1, std::min(sep_len, n - k - 1)) == sep &&
         single_char_token(t, k + 1 + sep_len)) {
    k += 1 + sep_len;
    ++count;
    any_letter = any_letter || is_letter(t[k]);
    only_a_i = only_a_i && (t[k] == 'a' || t[k] == 'i');
  }
  // Two letters ("D M") count only when they cannot be ordinary words.
  const bool join = count >= 3 || (count == 2 && any_letter && !only_a_i && t[r] != 'a' &&
                                    t[r] != 'i' && t[k] != 'a' && t[k] != 'i' && !is_digit(t[r]) &&
                                    !is_digit(t[k]));
  if (!join) {
    keep_one(r);
    return r + 1;
  }
  for (size_t p = r; p <= k; p += 1 + sep_len) keep_one(p);
  return k + 1;
}

// Step 2: join "s.a.l.a.r.y" / "p a y" and collapse spaces, in place.
// Written for speed (it runs over every byte): bytes that stay are found by a
// tight scan (word bytes skipped a word at a time) and copied in runs
// (memmove), since after the first collapsed space every later byte moves.
void join_spaced_letters(Buffers& b) {
  std::string& t = b.text;
  const size_t n = t.size();
  size_t w = 0;
  size_t r = 0;
  char last = 0;  // the last byte kept (t[w - 1] once copied), valid when w > 0
  // Keeps t[from] (and its map entries) as output byte w.
  auto keep_one = [&](size_t from) {
    last = t[from];
    b.move_run(w++, from, 1);
  };
  while (r < n) {
    // A run of bytes kept as they are: stop at a space after a space, or at
    // a single-character token that starts a word (a join may begin there).
    const size_t s = r;
    bool prev_space = w > 0 && last == ' ';
    bool prev_word = w > 0 && is_word_byte(last);
    while (r < n) {
      const char c = t[r];
      const uint8_t k = cls(c);
      if (k != 0) {
        // A word byte. Only one at a word start can stop the run; the rest
        // of the word is skipped in a tight loop.
        if (!prev_word && (k & (kLetter | kDigit)) && starts_single_char_token(t, r)) break;
        r = skip_ascii_lower(t.data(), r + 1, n);
        while (r < n && is_word_byte(t[r])) ++r;
        prev_word = true;
        prev_space = false;
        continue;
      }
      if (c == ' ') {
        if (prev_space) break;
        prev_space = true;
      } else {
        prev_space = false;
      }
      prev_word = false;
      ++r;
    }
    if (r > s) {
      last = t[r - 1];  // read before the copy (which may overwrite it only with itself)
      b.move_run(w, s, r - s);
      w += r - s;
    }
    if (r >= n) break;
    if (t[r] == ' ') {
      ++r;  // collapse runs of white space
      continue;
    }
    r = join_run_at(t, r, keep_one);
  }
  b.resize(w);
}

// Step 2 as it was before the word-skipping scan (normalize_reference).
// Written for speed (it runs over every byte): bytes that stay are found by a
// tight scan and copied in runs (memmove), since after the first collapsed
// space every later byte moves.
void join_spaced_letters_reference(Buffers& b) {
  std::string& t = b.text;
  const size_t n = t.size();
  size_t w = 0;
  size_t r = 0;
  char last = 0;  // the last byte kept (t[w - 1] once copied), valid when w > 0
  // Keeps t[from] (and its map entries) as output byte w.
  auto keep_one = [&](size_t from) {
    last = t[from];
    b.move_run(w++, from, 1);
  };
  while (r < n) {
    // A run of bytes kept as they are: stop at a space after a space, or at
    // a single-character token that starts a word (a join may begin there).
    const size_t s = r;
    bool prev_space = w > 0 && last == ' ';
    bool prev_word = w > 0 && is_word_byte(last);
    for (; r < n; ++r) {
      const char c = t[r];
      if (c == ' ') {
        if (prev_space) break;
        prev_space = true;
        prev_word = false;
        continue;
      }
      const bool alnum = is_alnum(c);
      if (alnum && !prev_word && single_char_token(t, r)) break;
      prev_space = false;
      prev_word = alnum || static_cast<unsigned char>(c) >= 0x80;
    }
    if (r > s) {
      last = t[r - 1];  // read before the copy (which may overwrite it only with itself)
      b.move_run(w, s, r - s);
      w += r - s;
    }
    if (r >= n) break;
    if (t[r] == ' ') {
      ++r;  // collapse runs of white space
      continue;
    }
    r = join_run_at(t, r, keep_one);
  }
  b.resize(w);
}

// Step 3: which digits in a word are letter swaps is decided by
// fold_digit_word (char_folder.h).

}  // namespace

namespace {
// Does any of eight bytes hold an ASCII digit? (Bit hack "hasbetween",
// exact for the existence test: each byte is handled as 7 bits plus its
// high bit, so no carry crosses a byte.)
bool has_ascii_digit8(uint64_t x) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kLow7 = 0x7F7F7F7F7F7F7F7Full, kHighs = 0x8080808080808080ull;
  const uint64_t low = x & kLow7;
  // byte < '9' + 1 and byte > '0' - 1, among bytes whose high bit is clear
  return (((kOnes * (127 + ('9' + 1)) - low) & ~x & (low + kOnes * (127 - ('0' - 1)))) & kHighs) != 0;
}

// The word around the digit at i, folded when it mixes letters and digits
// and has no non-ASCII byte beside it (fold_digit_swaps and its reference).
// swapped_end is where the last word with swapped digits ended (SIZE_MAX:
// none yet), for the word right after one. Returns the word's end.
size_t fold_word_with_digit(std::string& t, size_t i, size_t& swapped_end) {
  const size_t n = t.size();
  size_t s = i;
  while (s > 0 && is_alnum(t[s - 1])) --s;
  size_t j = i + 1;
  uint8_t seen = kDigit;  // the classes of the word's bytes, or-ed
  for (size_t k = s; k < i; ++k) seen |= cls(t[k]);
  for (; j < n; ++j) {
    const uint8_t k = cls(t[j]);
    if (!(k & (kLetter | kDigit))) break;
    seen |= k;
  }
  const bool ascii_before = s == 0 || static_cast<unsigned char>(t[s - 1]) < 0x80;
  const bool ascii_after = j >= n || static_cast<unsigned char>(t[j]) < 0x80;
  const bool after_swapped = swapped_end != SIZE_MAX && s == swapped_end + 1 && t[swapped_end] == ' ';
  if (seen == (kLetter | kDigit) && ascii_before && ascii_after && fold_digit_word(t, s, j, after_swapped)) {
    swapped_end = j;
  }
  return j;
}
}  // namespace

// Words are maximal runs of [a-z0-9] with no non-ASCII byte right before or
// after them; one that mixes letters and digits is folded unless keep_digits.
// Only a word holding a digit can mix, so the scan goes from digit to digit
// (digits are rare in text) instead of word by word.
// tests/core/perf_normalize_test.cpp holds it to the word-by-word version;
// digits are looked for eight bytes at a time.
void fold_digit_swaps(std::string& t) {
  const size_t n = t.size();
  size_t i = 0;
  size_t swapped_end = SIZE_MAX;  // where the last word with swapped digits ends
  while (true) {
    // Eight bytes at a time first (digits are rare).
    uint64_t v;
    while (i + 8 <= n && (std::memcpy(&v, t.data() + i, 8), !has_ascii_digit8(v))) i += 8;
    while (i < n && !is_digit(t[i])) ++i;
    if (i >= n) return;
    i = fold_word_with_digit(t, i, swapped_end);
  }
}

namespace {

// fold_digit_swaps before the eight-bytes-at-a-time digit search (normalize_reference).
void fold_digit_swaps_reference(std::string& t) {
  const size_t n = t.size();
  size_t i = 0;
  size_t swapped_end = SIZE_MAX;  // where the last word with swapped digits ends
  while (true) {
    while (i < n && !is_digit(t[i])) ++i;
    if (i >= n) return;
    i = fold_word_with_digit(t, i, swapped_end);
  }
}

}  // namespace

uint32_t NormalizedText::original_start(size_t begin) const {
  return begin < src_start.size() ? src_start[begin] : length16;
}

uint32_t NormalizedText::original_end(size_t end) const {
  return end == 0 ? 0 : src_end[end - 1];
}

namespace {

// word_of[i] = words starting before byte i (word_starts is strictly increasing).
void count_words(NormalizedText& nt) {
  const size_t size = nt.text.size() + 1;
  nt.word_of.resize(size);
  uint32_t* const out = nt.word_of.data();
  size_t from = 0;
  for (size_t k = 0; k < nt.word_starts.size(); ++k) {
    const size_t to = static_cast<size_t>(nt.word_starts[k]) + 1;  // first byte that counts word k
    const auto v = static_cast<uint32_t>(k);
    // Four at a time, overshooting `to` by up to three entries (the next
    // word's fill, or the last fill, writes them again); words are short,
    // so this beats std::fill's loop.
    if (to + 3 <= size) {
      for (size_t p = from; p < to; p += 4) out[p] = out[p + 1] = out[p + 2] = out[p + 3] = v;
    } else {
      for (size_t p = from; p < to; ++p) out[p] = v;
    }
    from = to;
  }
  for (size_t p = from; p < size; ++p) out[p] = static_cast<uint32_t>(nt.word_starts.size());
}

// count_words as it was (std::fill per word), for normalize_reference.
void count_words_reference(NormalizedText& nt) {
  nt.word_of.resize(nt.text.size() + 1);
  size_t from = 0;
  for (size_t k = 0; k < nt.word_starts.size(); ++k) {
    const size_t to = static_cast<size_t>(nt.word_starts[k]) + 1;  // first byte that counts word k
    std::fill(nt.word_of.begin() + static_cast<std::ptrdiff_t>(from), nt.word_of.begin() + static_cast<std::ptrdiff_t>(to),
              static_cast<uint32_t>(k));
    from = to;
  }
  std::fill(nt.word_of.begin() + static_cast<std::ptrdiff_t>(from), nt.word_of.end(),
            static_cast<uint32_t>(nt.word_starts.size()));
}

}  // namespace

NormalizedText normalize(std::string_view utf8) {
  NormalizedText nt;
  Buffers b{nt.text, nt.src_start, nt.src_end, nt.upper, true};
  nt.length16 = fold_code_points<true>(utf8, b);
  join_spaced_letters(b);
  fold_digit_swaps(nt.text);
  find_word_boundaries(nt.text, nt.boundary, nt.word_starts);
  count_words(nt);
  return nt;
}

NormalizedText normalize_reference(std::string_view utf8) {
  NormalizedText nt;
  Buffers b{nt.text, nt.src_start, nt.src_end, nt.upper, true};
  nt.length16 = fold_code_points<true, false>(utf8, b);
  join_spaced_letters_reference(b);
  fold_digit_swaps_reference(nt.text);
  find_word_boundaries_reference(nt.text, nt.boundary, nt.word_starts);
  count_words_reference(nt);
  return nt;
}

namespace {

// A phrase that is plain ASCII and that steps 2 and 3 and the trim leave
// alone ("head teacher", "Safeguarding"), folded by the ASCII table only.
// Most pack phrases are like this, and they are folded at every policy
// compile (a third of a cold start in wasm). Returns false (out unspecified)
// when any step could change more than ASCII case: then the full path runs.
// tests/core/fold_fast_path_test.cpp compares both on every pack phrase.
bool fold_plain_ascii(std::string_view in, std::string& out) {
  const FoldedChar* const ascii = ascii_fold_table();
  const size_t n = in.size();
  out.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const auto b = static_cast<unsigned char>(in[i]);
    if (b >= 0x80 || ascii[b].length != 1) return false;
    out[i] = ascii[b].bytes[0];
  }
  // Trim: no white space at either end; step 2: no space run, no
  // single-character token (a join may start there); step 3: no word that
  // mixes letters and digits.
  if (n == 0 || out[0] == ' ' || out[n - 1] == ' ') return false;
  for (size_t i = 0; i < n;) {
    const char c = out[i];
    if (c == ' ') {
      if (out[i + 1] == ' ') return false;  // i + 1 < n: the last byte is not a space
      ++i;
      continue;
    }
    if (!is_alnum(c)) {
      ++i;
      continue;
    }
    size_t j = i;
    uint8_t seen = 0;
    for (; j < n && is_alnum(out[j]); ++j) seen |= cls(out[j]);
    if (seen == (kLetter | kDigit)) return false;
    if (j - i == 1 && single_char_token(out, i)) return false;
    i = j;
  }
  return true;
}

}  // namespace

std::string fold_pattern(std::string_view utf8) {
  std::string out;
  if (fold_plain_ascii(utf8, out)) return out;
  return fold_pattern_full(utf8);
}

std::string fold_pattern_full(std::string_view utf8) {
  std::string text;
  OffsetVector s, e;
  std::vector<uint8_t> u;
  Buffers b{text, s, e, u, false};
  fold_code_points<false>(utf8, b);
  join_spaced_letters(b);
  fold_digit_swaps(text);
  // Trim: patterns never start or end with white space.
  const auto first = text.find_first_not_of(' ');
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(' ');
  return text.substr(first, last - first + 1);
}

}  // namespace postguard::text

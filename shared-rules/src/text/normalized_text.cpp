#include "text/normalized_text.h"

#include <unicode/ubrk.h>
#include <unicode/utext.h>

#include <algorithm>

#include "text/char_folder.h"
#include "text/utf8.h"

namespace postguard::text {
namespace {

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_letter(char c) { return c >= 'a' && c <= 'z'; }
bool is_word_byte(char c) { return is_alnum(c) || (static_cast<unsigned char>(c) >= 0x80); }
bool is_spacing_separator(char c) { return c == ' ' || c == '.' || c == '-' || c == '_' || c == '*'; }

struct Buffers {
  std::string& text;
  std::vector<uint32_t>& start;
  std::vector<uint32_t>& end;
  std::vector<uint8_t>& upper;
  bool with_map;

  void move(size_t to, size_t from) {
    text[to] = text[from];
    if (with_map) {
      start[to] = start[from];
      end[to] = end[from];
      upper[to] = upper[from];
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

// Step 1.
void fold_code_points(std::string_view in, Buffers& b) {
  b.text.reserve(in.size());
  if (b.with_map) {
    b.start.reserve(in.size());
    b.end.reserve(in.size());
    b.upper.reserve(in.size());
  }
  uint32_t pos16 = 0;
  for (size_t i = 0; i < in.size();) {
    const char32_t c = decode_utf8(in, i);
    const uint32_t len16 = utf16_length(c);
    const FoldedChar& f = fold_code_point(c);
    for (uint8_t k = 0; k < f.length; ++k) {
      b.text.push_back(f.bytes[k]);
      if (b.with_map) {
        b.start.push_back(pos16);
        b.end.push_back(pos16 + len16);
        b.upper.push_back(f.upper ? 1 : 0);
      }
    }
    pos16 += len16;
  }
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

// Step 2: join "s.a.l.a.r.y" / "p a y" and collapse spaces, in place.
void join_spaced_letters(Buffers& b) {
  std::string& t = b.text;
  const size_t n = t.size();
  size_t w = 0;
  size_t r = 0;
  while (r < n) {
    if (single_char_token(t, r) && (w == 0 || !is_word_byte(t[w - 1]))) {
      // Collect a run of single characters separated by exactly one separator.
      size_t k = r;
      size_t count = 1;
      bool any_letter = is_letter(t[r]);
      bool only_a_i = t[r] == 'a' || t[r] == 'i';
      while (k + 2 < n + 1 && k + 1 < n && is_spacing_separator(t[k + 1]) && single_char_token(t, k + 2)) {
        k += 2;
        ++count;
        any_letter = any_letter || is_letter(t[k]);
        only_a_i = only_a_i && (t[k] == 'a' || t[k] == 'i');
      }
      // Two letters ("D M") count only when they cannot be ordinary words.
      const bool join = count >= 3 || (count == 2 && any_letter && !only_a_i && t[r] != 'a' &&
                                        t[r] != 'i' && t[k] != 'a' && t[k] != 'i' && !is_digit(t[r]) &&
                                        !is_digit(t[k]));
      if (join) {
        for (size_t p = r; p <= k; p += 2) b.move(w++, p);
        r = k + 1;
        continue;
      }
    }
    if (t[r] == ' ' && w > 0 && t[w - 1] == ' ') {
      ++r;  // collapse runs of white space
      continue;
    }
    b.move(w++, r++);
  }
  b.resize(w);
}

// Step 3: "p4y" -> "pay" inside words that mix letters and digits and start
// with a letter, except year groups, key stages and age groups ("y7",
// "year5", "ks3", "u16").
void fold_digit_swaps(std::string& t) {
  const size_t n = t.size();
  size_t i = 0;
  while (i < n) {
    if (!is_alnum(t[i]) || (i > 0 && is_word_byte(t[i - 1]))) {
      ++i;
      continue;
    }
    size_t j = i;
    bool digits = false;
    for (; j < n && is_alnum(t[j]); ++j) {
      if (is_digit(t[j])) digits = true;
    }
    if (j < n && static_cast<unsigned char>(t[j]) >= 0x80) digits = false;  // not an ASCII word
    if (digits && is_letter(t[i])) {
      size_t p = i;
      while (p < j && is_letter(t[p])) ++p;
      const std::string_view prefix(t.data() + i, p - i);
      size_t q = p;
      while (q < j && is_digit(t[q])) ++q;
      const bool year_like = (prefix == "y" || prefix == "yr" || prefix == "year" || prefix == "years" ||
                              prefix == "ks" || prefix == "blwyddyn" || prefix == "u") &&
                             (q == j || (q + 1 == j && t[q] == 's'));
      if (!year_like) {
        for (size_t k = i; k < j; ++k) {
          switch (t[k]) {
            case '0': t[k] = 'o'; break;
            case '1': t[k] = 'i'; break;
            case '3': t[k] = 'e'; break;
            case '4': t[k] = 'a'; break;
            case '5': t[k] = 's'; break;
            case '7': t[k] = 't'; break;
            default: break;
          }
        }
      }
    }
    i = j;
  }
}

// Step 4.
void find_word_boundaries(NormalizedText& nt) {
  const size_t n = nt.text.size();
  nt.boundary.assign(n + 1, 0);
  nt.word_starts.clear();
  // One iterator per thread, reused: opening one loads the rules (slow).
  thread_local UBreakIterator* words = [] {
    UErrorCode status = U_ZERO_ERROR;
    UBreakIterator* bi = ubrk_open(UBRK_WORD, "en", nullptr, 0, &status);
    return U_SUCCESS(status) ? bi : nullptr;
  }();
  UErrorCode status = U_ZERO_ERROR;
  UText* ut = utext_openUTF8(nullptr, nt.text.data(), static_cast<int64_t>(n), &status);
  if (words && U_SUCCESS(status)) {
    ubrk_setUText(words, ut, &status);
  }
  if (!words || U_FAILURE(status)) {
    // Without ICU data we still need boundaries: letters/digits vs the rest.
    for (size_t i = 0; i <= n; ++i) {
      const bool a = i > 0 && is_word_byte(nt.text[i - 1]);
      const bool c = i < n && is_word_byte(nt.text[i]);
      nt.boundary[i] = a != c || i == 0 || i == n;
      if (c && !a) nt.word_starts.push_back(static_cast<uint32_t>(i));
    }
    utext_close(ut);
    return;
  }
  int32_t prev = ubrk_first(words);
  nt.boundary[0] = 1;
  for (int32_t b = ubrk_next(words); b != UBRK_DONE; b = ubrk_next(words)) {
    nt.boundary[static_cast<size_t>(b)] = 1;
    if (ubrk_getRuleStatus(words) >= UBRK_WORD_NONE_LIMIT) {
      nt.word_starts.push_back(static_cast<uint32_t>(prev));
    }
    prev = b;
  }
  ubrk_setText(words, nullptr, 0, &status);  // drop the reference to our buffer
  utext_close(ut);
}

}  // namespace

uint32_t NormalizedText::word_index(size_t pos) const {
  return static_cast<uint32_t>(
      std::lower_bound(word_starts.begin(), word_starts.end(), static_cast<uint32_t>(pos)) -
      word_starts.begin());
}

uint32_t NormalizedText::original_start(size_t begin) const {
  return begin < src_start.size() ? src_start[begin] : length16;
}

uint32_t NormalizedText::original_end(size_t end) const {
  return end == 0 ? 0 : src_end[end - 1];
}

NormalizedText normalize(std::string_view utf8) {
  NormalizedText nt;
  Buffers b{nt.text, nt.src_start, nt.src_end, nt.upper, true};
  fold_code_points(utf8, b);
  nt.length16 = utf16_length(utf8);
  join_spaced_letters(b);
  fold_digit_swaps(nt.text);
  find_word_boundaries(nt);
  return nt;
}

std::string fold_pattern(std::string_view utf8) {
  std::string text;
  std::vector<uint32_t> s, e;
  std::vector<uint8_t> u;
  Buffers b{text, s, e, u, false};
  fold_code_points(utf8, b);
  join_spaced_letters(b);
  fold_digit_swaps(text);
  // Trim: patterns never start or end with white space.
  const auto first = text.find_first_not_of(' ');
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(' ');
  return text.substr(first, last - first + 1);
}

}  // namespace postguard::text

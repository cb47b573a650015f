#include "text/normalized_text.h"

#include <algorithm>

#include "text/char_folder.h"
#include "text/utf8.h"
#include "text/word_breaks.h"

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
  size_t last_begin = 0;  // output bytes of the last character that produced any
  for (size_t i = 0; i < in.size();) {
    const char32_t c = decode_utf8(in, i);
    const uint32_t len16 = utf16_length(c);
    const FoldedChar& f = fold_code_point(c);
    if (f.mark && b.with_map && last_begin < b.text.size() && b.end.back() == pos16) {
      // A combining mark belongs to the character before it: a
      // highlight of "Quantúḿ" must cover the accents too.
      for (size_t k = last_begin; k < b.text.size(); ++k) b.end[k] = pos16 + len16;
    }
    if (f.length > 0) last_begin = b.text.size();
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
      if (join) {
        for (size_t p = r; p <= k; p += 1 + sep_len) b.move(w++, p);
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

// Step 3: "p4y" -> "pay", "0fst3d" -> "ofsted" inside words that mix letters
// and digits. Left alone: year groups, key stages, pay points ("y7", "ks3",
// "l14", "ups3"), and number-then-letters words ("10c", "3pm", "72k", "16th").
char leet_letter(char c) {
  switch (c) {
    case '0': return 'o';
    case '1': return 'i';
    case '3': return 'e';
    case '4': return 'a';
    case '5': return 's';
    case '7': return 't';
    default: return c;
  }
}

bool keep_digits(std::string_view word) {
  size_t p = 0;
  while (p < word.size() && is_letter(word[p])) ++p;
  if (p == 0) {
    // Digits first: fold only "0ut", "4ever"-like words (one swappable digit,
    // then two or more letters) or ones with digits again later ("0fst3d").
    size_t q = 0;
    while (q < word.size() && is_digit(word[q])) ++q;
    const std::string_view rest = word.substr(q);
    bool digits_later = false;
    for (char c : rest) digits_later = digits_later || is_digit(c);
    if (digits_later) return false;
    if (q != 1 || leet_letter(word[0]) == word[0] || rest.size() < 2) return true;
    for (const char* suffix : {"st", "nd", "rd", "th", "pm", "am", "ish", "yrs", "km", "kg", "mm", "cm", "ml"}) {
      if (rest == suffix) return true;
    }
    return false;
  }
  const std::string_view prefix = word.substr(0, p);
  size_t q = p;
  while (q < word.size() && is_digit(word[q])) ++q;
  const bool numbered = q == word.size() || (q + 1 == word.size() && word[q] == 's');
  static const char* const kNumbered[] = {"y", "yr", "year", "years", "ks", "blwyddyn", "u", "l", "m", "ups", "tlr", "lps"};
  for (const char* k : kNumbered) {
    if (numbered && prefix == k) return true;
  }
  return false;
}

void fold_digit_swaps(std::string& t) {
  const size_t n = t.size();
  size_t i = 0;
  while (i < n) {
    if (!is_alnum(t[i]) || (i > 0 && is_word_byte(t[i - 1]))) {
      ++i;
      continue;
    }
    size_t j = i;
    bool digits = false, letters = false;
    for (; j < n && is_alnum(t[j]); ++j) {
      if (is_digit(t[j])) digits = true;
      else letters = true;
    }
    const bool ascii_word = j >= n || static_cast<unsigned char>(t[j]) < 0x80;
    if (digits && letters && ascii_word && !keep_digits(std::string_view(t).substr(i, j - i))) {
      for (size_t k = i; k < j; ++k) t[k] = leet_letter(t[k]);
    }
    i = j;
  }
}

}  // namespace

uint32_t NormalizedText::word_index(size_t pos) const { return word_of[pos < word_of.size() ? pos : word_of.size() - 1]; }

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
  find_word_boundaries(nt.text, nt.boundary, nt.word_starts);
  nt.word_of.resize(nt.text.size() + 1);
  uint32_t words = 0;
  size_t next = 0;
  for (size_t i = 0; i <= nt.text.size(); ++i) {
    nt.word_of[i] = words;
    if (next < nt.word_starts.size() && nt.word_starts[next] == i) {
      ++words;
      ++next;
    }
  }
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

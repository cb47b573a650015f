#include "text/char_folder.h"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/uspoof.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include <array>
#include <cstring>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>

#include "text/utf8.h"

namespace postguard::text {
namespace {

void set_bytes(FoldedChar& f, const std::string& s) {
  size_t n = s.size() < sizeof(f.bytes) ? s.size() : sizeof(f.bytes);
  // Never cut inside a UTF-8 sequence.
  while (n < s.size() && n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  std::memcpy(f.bytes, s.data(), n);
  f.length = static_cast<uint8_t>(n);
}

std::u16string normalize(const UNormalizer2* norm, const std::u16string& in) {
  UErrorCode status = U_ZERO_ERROR;
  char16_t buf[64];
  const int32_t n = unorm2_normalize(norm, in.data(), static_cast<int32_t>(in.size()), buf, 64, &status);
  if (U_FAILURE(status)) return in;
  return std::u16string(buf, static_cast<size_t>(n));
}

// ICU objects are created once; all calls used below are const and
// documented thread-safe after construction.
struct IcuTools {
  const UNormalizer2* nfkc_cf = nullptr;
  const UNormalizer2* nfd = nullptr;
  USpoofChecker* spoof = nullptr;
  // skeleton -> the ASCII letter whose skeleton it is. Skeletons are compared
  // with skeletons only (a skeleton's prototype is not always Latin).
  std::map<std::u16string, char> ascii_by_skeleton;
  // The same for capitals, to the lower-case letter: a capital look-alike is
  // often only like a Latin capital (Greek and Cyrillic capital T, H, B, K, M),
  // while its lower case is not like any Latin letter (tau, en, ve).
  std::map<std::u16string, char> ascii_by_capital_skeleton;

  IcuTools() {
    UErrorCode status = U_ZERO_ERROR;
    nfkc_cf = unorm2_getNFKCCasefoldInstance(&status);
    status = U_ZERO_ERROR;
    nfd = unorm2_getNFDInstance(&status);
    status = U_ZERO_ERROR;
    spoof = uspoof_open(&status);
    if (U_FAILURE(status)) spoof = nullptr;
    for (char c = 'a'; c <= 'z'; ++c) {
      std::u16string s(1, static_cast<char16_t>(c));
      ascii_by_skeleton.emplace(skeleton(s), c);
      ascii_by_capital_skeleton.emplace(skeleton(std::u16string(1, static_cast<char16_t>(c - 'a' + 'A'))), c);
    }
  }
  std::u16string skeleton(const std::u16string& s) const {
    if (!spoof) return s;
    UErrorCode status = U_ZERO_ERROR;
    char16_t buf[64];
    const int32_t n = uspoof_getSkeleton(spoof, 0, s.data(), static_cast<int32_t>(s.size()), buf, 64, &status);
    if (U_FAILURE(status)) return s;
    return std::u16string(buf, static_cast<size_t>(n));
  }
};

const IcuTools& icu() {
  static const IcuTools tools;
  return tools;
}

bool ignorable(char32_t c) {
  const auto type = u_charType(static_cast<UChar32>(c));
  return type == U_FORMAT_CHAR || type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK;
}

FoldedChar fold_slow(char32_t c) {
  FoldedChar f{};
  const auto uc = static_cast<UChar32>(c);
  f.upper = u_isupper(uc) || u_istitle(uc);
  if (ignorable(c)) {  // zero-width, joiners, variation selectors, tags, accents
    const auto type = u_charType(uc);
    f.mark = type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK;
    return f;
  }
  if (u_isUWhiteSpace(uc)) {
    f.space = true;
    set_bytes(f, " ");
    return f;
  }
  switch (c) {  // typographic apostrophes and quotes are the same for matching
    case 0x2018: case 0x2019: case 0x201B: case 0x02BC: case 0x2032: case 0xFF07:
      set_bytes(f, "'");
      return f;
    case 0x201C: case 0x201D: case 0x201F: case 0x2033:
      set_bytes(f, "\"");
      return f;
    default:
      break;
  }
  const IcuTools& t = icu();
  std::u16string in;
  if (c >= 0x10000) {
    in.push_back(static_cast<char16_t>(U16_LEAD(c)));
    in.push_back(static_cast<char16_t>(U16_TRAIL(c)));
  } else {
    in.push_back(static_cast<char16_t>(c));
  }
  // A non-Latin capital that looks like a Latin capital ("Τrust" with Greek
  // tau, "ТRUST" with Cyrillic te) is that letter; its case-folded form would
  // be looked up among small letters, which it does not resemble.
  if (f.upper && c >= 0x80 && u_isalpha(uc) && u_getIntPropertyValue(uc, UCHAR_SCRIPT) != USCRIPT_LATIN) {
    auto it = t.ascii_by_capital_skeleton.find(t.skeleton(in));
    if (it != t.ascii_by_capital_skeleton.end()) {
      set_bytes(f, std::string(1, it->second));
      return f;
    }
  }
  const std::u16string decomposed = normalize(t.nfd, normalize(t.nfkc_cf, in));
  std::string out;
  for (size_t i = 0; i < decomposed.size();) {
    UChar32 d;
    U16_NEXT(decomposed.data(), i, decomposed.size(), d);
    if (ignorable(static_cast<char32_t>(d))) continue;  // accents dropped: "ŵ" matches "w"
    if (d >= 0x80 && u_isalpha(d)) {
      std::u16string one;
      if (d >= 0x10000) {
        one.push_back(static_cast<char16_t>(U16_LEAD(d)));
        one.push_back(static_cast<char16_t>(U16_TRAIL(d)));
      } else {
        one.push_back(static_cast<char16_t>(d));
      }
      auto it = t.ascii_by_skeleton.find(t.skeleton(one));
      if (it != t.ascii_by_skeleton.end()) {
        out.push_back(it->second);
        continue;
      }
    }
    append_utf8(out, static_cast<char32_t>(d));
  }
  set_bytes(f, out);
  return f;
}

std::array<FoldedChar, 128> make_ascii_table() {
  std::array<FoldedChar, 128> table{};
  for (int c = 0; c < 128; ++c) {
    FoldedChar& f = table[static_cast<size_t>(c)];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      f.space = true;
      f.bytes[0] = ' ';
      f.length = 1;
    } else if (c < 0x20 || c == 0x7F) {
      f.length = 0;  // control characters are ignored
    } else {
      f.upper = c >= 'A' && c <= 'Z';
      f.bytes[0] = static_cast<char>(f.upper ? c + ('a' - 'A') : c);
      f.length = 1;
    }
  }
  return table;
}

}  // namespace

const FoldedChar* ascii_fold_table() {
  static const std::array<FoldedChar, 128> ascii = make_ascii_table();
  return ascii.data();
}

namespace {

bool ascii_letter(char c) { return c >= 'a' && c <= 'z'; }
bool ascii_digit(char c) { return c >= '0' && c <= '9'; }

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

// A digit run that can stand for letters: short, and only look-alike digits
// (a run with 2, 6, 8 or 9, or of four digits, is a number: "2011", "1990").
bool swappable_run(std::string_view run) {
  if (run.size() > 3) return false;
  for (char c : run) {
    if (leet_letter(c) == c) return false;
  }
  return true;
}

// "y7", "year9s", "ks3", "l14", "ups3", Scottish "s3s" and "p7": a code made
// of a known prefix and a number.
bool numbered_code(std::string_view word) {
  size_t p = 0;
  while (p < word.size() && ascii_letter(word[p])) ++p;
  size_t q = p;
  while (q < word.size() && ascii_digit(word[q])) ++q;
  if (p == 0 || q == p || !(q == word.size() || (q + 1 == word.size() && word[q] == 's'))) return false;
  const std::string_view prefix = word.substr(0, p);
  static const char* const kNumbered[] = {"y", "yr", "year", "years", "ks", "blwyddyn", "u", "l", "m", "ups", "tlr", "lps", "s", "p"};
  for (const char* k : kNumbered) {
    if (prefix == k) return true;
  }
  return false;
}

// "0ut", "4ever": one look-alike digit, then two or more letters that are
// not a number's suffix ("3pm", "1st", "5km").
bool digit_then_word(std::string_view word) {
  if (word.size() < 3 || !ascii_digit(word[0]) || leet_letter(word[0]) == word[0]) return false;
  const std::string_view rest = word.substr(1);
  for (char c : rest) {
    if (!ascii_letter(c)) return false;
  }
  for (const char* suffix : {"st", "nd", "rd", "th", "pm", "am", "ish", "yrs", "km", "kg", "mm", "cm", "ml"}) {
    if (rest == suffix) return false;
  }
  return true;
}

}  // namespace

bool fold_digit_word(std::string& t, size_t s, size_t e, bool after_swapped_word) {
  const std::string_view word = std::string_view(t).substr(s, e - s);
  if (numbered_code(word) && !after_swapped_word) return false;
  // Runs of digits: [begin, end) within the word.
  struct Run {
    size_t begin, end;
  };
  Run runs[16];
  size_t n = 0;
  bool inner = false;  // a look-alike run with letters on both sides
  for (size_t i = 0; i < word.size();) {
    if (!ascii_digit(word[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < word.size() && ascii_digit(word[j])) ++j;
    if (n == 16) return false;  // a long code, not a word
    runs[n++] = Run{i, j};
    inner = inner || (i > 0 && j < word.size() && swappable_run(word.substr(i, j - i)));
    i = j;
  }
  const bool edges = inner || digit_then_word(word) || after_swapped_word;
  if (!edges) return false;
  bool swapped = false;
  for (size_t r = 0; r < n; ++r) {
    const Run& run = runs[r];
    if (!swappable_run(word.substr(run.begin, run.end - run.begin))) continue;
    for (size_t k = s + run.begin; k < s + run.end; ++k) t[k] = leet_letter(t[k]);
    swapped = true;
  }
  return swapped;
}

const FoldedChar& fold_code_point(char32_t c) {
  if (c < 128) return ascii_fold_table()[c];
  thread_local std::unordered_map<char32_t, FoldedChar> cache;
  auto it = cache.find(c);
  if (it != cache.end()) return it->second;
  // Bounded: random input (fuzzing, hostile pages) must not grow it forever.
  if (cache.size() > 20000) cache.clear();
  return cache.emplace(c, fold_slow(c)).first->second;
}

}  // namespace postguard::text

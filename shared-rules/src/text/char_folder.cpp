#include "text/char_folder.h"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uspoof.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include <array>
#include <cstring>
#include <map>
#include <string>
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

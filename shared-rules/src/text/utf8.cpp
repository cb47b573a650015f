#include "text/utf8.h"

#include <cstring>

namespace postguard::text {

std::optional<size_t> find_invalid_utf8(std::string_view s) {
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    // ASCII eight bytes at a time (most drafts are nearly all ASCII).
    uint64_t v;
    if (i + 8 <= n && (std::memcpy(&v, s.data() + i, 8), (v & 0x8080808080808080ull) == 0)) {
      i += 8;
      continue;
    }
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
      ++i;
      continue;
    }
    auto cont = [&](size_t k) {
      return i + k < n && (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    };
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      if (!cont(1)) return i;
      i += 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      if (!cont(1) || !cont(2)) return i;
      const auto b1 = static_cast<unsigned char>(s[i + 1]);
      if (b0 == 0xE0 && b1 < 0xA0) return i;   // overlong
      if (b0 == 0xED && b1 >= 0xA0) return i;  // surrogate
      i += 3;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      if (!cont(1) || !cont(2) || !cont(3)) return i;
      const auto b1 = static_cast<unsigned char>(s[i + 1]);
      if (b0 == 0xF0 && b1 < 0x90) return i;   // overlong
      if (b0 == 0xF4 && b1 >= 0x90) return i;  // > U+10FFFF
      i += 4;
    } else {
      return i;
    }
  }
  return std::nullopt;
}

uint32_t utf16_length(std::string_view s) {  // (the normaliser gets it from its fold instead)
  uint32_t n = 0;
  for (unsigned char b : s) {
    if ((b & 0xC0) != 0x80) n += (b >= 0xF0) ? 2 : 1;
  }
  return n;
}

}  // namespace postguard::text

// Word-at-a-time scans over ASCII, shared by the normaliser's steps.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace postguard::text {

// The first position from i (at most n) not holding 'a'..'z', eight bytes at
// a time: most of a folded word, which the normaliser's scans would otherwise
// step over one byte at a time.
inline size_t skip_ascii_lower(const char* s, size_t i, size_t n) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  constexpr uint64_t kOnes = 0x0101010101010101ull, kLow7 = 0x7F7F7F7F7F7F7F7Full, kHighs = 0x8080808080808080ull;
  while (i + 8 <= n) {
    uint64_t x;
    std::memcpy(&x, s + i, 8);
    const uint64_t low = x & kLow7;
    // Bit 7 of each byte: 'a' - 1 < byte < 'z' + 1 (exact per byte: no carry
    // or borrow crosses a byte; bytes >= 0x80 are excluded by ~x).
    const uint64_t in = (kOnes * (127 + ('z' + 1)) - low) & ~x & (low + kOnes * (127 - ('a' - 1))) & kHighs;
    const uint64_t out = ~in & kHighs;
    if (out) return i + static_cast<size_t>(__builtin_ctzll(out) >> 3);  // the first such byte (little-endian)
    i += 8;
  }
#endif
  while (i < n && s[i] >= 'a' && s[i] <= 'z') ++i;
  return i;
}

}  // namespace postguard::text

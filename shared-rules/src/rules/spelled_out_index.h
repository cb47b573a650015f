// An acronym's words spelled out elsewhere in the draft (rules/employer_identity.cpp):
// "KGS ... Kent Garden Supplies", "BHS ... RIP British Home Stores". In its own
// header so that tests/core/spelled_out_index_test.cpp can hold it to the
// plain scan it replaced.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

#include "rules/hits.h"

namespace postguard::rules {

// Capitalised words anywhere in the draft, outside the employer's own names, whose initials
// spell the acronym make it that other organisation's.
// Built once per check, on the first acronym, so that each acronym is tried
// only at the words starting with its first two letters: on a long document a
// scan of every capitalised word for every acronym, each against every
// employer span, cost a third of the check.
class SpelledOutIndex {
  static bool is_letter(char c) { return c >= 'a' && c <= 'z'; }

 public:
  SpelledOutIndex(const text::NormalizedText& nt, const std::vector<Span>& employer) : nt_(nt), covered_(nt.size(), 0) {
    const std::string& t = nt.text;
    const uint32_t n = static_cast<uint32_t>(t.size());
    // Capitalised letters are a few in a hundred bytes: eight bytes of
    // `upper` at a time, visiting only the set ones.
    const uint8_t* up = nt.upper.data();
    auto consider = [&](uint32_t i) {
      if (is_letter(t[i]) && nt.boundary[i]) starts_.push_back(i);
    };
    uint32_t i = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    for (; i + 8 <= n; i += 8) {
      uint64_t w;
      std::memcpy(&w, up + i, 8);
      while (w != 0) {
        const unsigned k = static_cast<unsigned>(__builtin_ctzll(w)) >> 3;
        w &= ~(uint64_t{0xFF} << (k * 8));
        consider(i + k);
      }
    }
#endif
    for (; i < n; ++i) {
      if (up[i]) consider(i);
    }
    next_adjacent_.assign(starts_.size(), 0);
    for (size_t k = 0; k < starts_.size(); ++k) {
      // Consecutive words: only a space between the end of one and the next start.
      if (k + 1 < starts_.size()) {
        const void* space = std::memchr(t.data() + starts_[k], ' ', n - starts_[k]);
        const uint32_t p = space ? static_cast<uint32_t>(static_cast<const char*>(space) - t.data()) : n;
        next_adjacent_[k] = p + 1 == starts_[k + 1];
      }
      const size_t first = static_cast<size_t>(t[starts_[k]] - 'a');
      by_letter_[first].push_back(static_cast<uint32_t>(k));
      if (next_adjacent_[k]) by_pair_[first * 26 + static_cast<size_t>(t[starts_[k + 1]] - 'a')].push_back(static_cast<uint32_t>(k));
    }
    for (const Span& x : employer) cover(x);
  }
  // An employer name found after the index was built.
  void cover(const Span& x) {
    for (uint32_t i = x.begin; i < x.end && i < covered_.size(); ++i) covered_[i] = 1;
  }
  bool spelled_out(uint32_t b, uint32_t e) const {
    const std::string& t = nt_.text;
    const uint32_t n = static_cast<uint32_t>(t.size());
    const size_t len = e - b;
    if (len == 0 || !is_letter(t[b])) return false;
    auto usable = [&](uint32_t w) {
      return !(w >= b && w < e) && !covered_[w] && !nt_.upper[w + 1 < n ? w + 1 : w];  // a word, not another acronym
    };
    // Two letters or more: only words followed by an adjacent word with the
    // second letter can match (the words' starts are letters).
    if (len >= 2 && !is_letter(t[b + 1])) return false;
    const std::vector<uint32_t>& tries =
        len >= 2 ? by_pair_[static_cast<size_t>(t[b] - 'a') * 26 + static_cast<size_t>(t[b + 1] - 'a')]
                 : by_letter_[static_cast<size_t>(t[b] - 'a')];
    for (uint32_t k : tries) {
      if (k + len > starts_.size()) break;
      bool match = true;
      for (size_t j = 0; j < len && match; ++j) {
        const uint32_t w = starts_[k + j];
        match = t[w] == t[b + j] && usable(w) && (j == 0 || next_adjacent_[k + j - 1]);
      }
      if (match) return true;
    }
    return false;
  }

 private:
  const text::NormalizedText& nt_;
  std::vector<uint32_t> starts_;        // capitalised words' starts, in order
  std::vector<uint8_t> next_adjacent_;  // starts_[k + 1] is the next word after starts_[k]
  std::array<std::vector<uint32_t>, 26> by_letter_;  // indexes into starts_, by first letter
  // Indexes k into starts_ whose next word is adjacent, by the two words' first letters.
  std::array<std::vector<uint32_t>, 26 * 26> by_pair_;
  std::vector<uint8_t> covered_;        // bytes inside the employer's names
};

}  // namespace postguard::rules

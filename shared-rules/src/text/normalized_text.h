// The matching view of a draft: folded text plus an exact map from every
// folded byte back to the UTF-16 code units of the original.
#pragma once

#include <cstdint>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace postguard::text {

// An allocator whose resize leaves new elements default-initialised (for
// integers: not written): the per-byte maps below are written in full right
// after they are sized, and zeroing them first (value-initialisation, a loop
// of stores) cost about 3% of normalising a long draft.
template <class T>
struct NoInitAllocator : std::allocator<T> {
  template <class U>
  struct rebind {
    using other = NoInitAllocator<U>;
  };
  NoInitAllocator() = default;
  template <class U>
  NoInitAllocator(const NoInitAllocator<U>&) noexcept {}
  template <class U>
  void construct(U* p) noexcept(std::is_nothrow_default_constructible<U>::value) {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... A>
  void construct(U* p, A&&... a) {
    ::new (static_cast<void*>(p)) U(std::forward<A>(a)...);
  }
};
using OffsetVector = std::vector<uint32_t, NoInitAllocator<uint32_t>>;

struct NormalizedText {
  std::string text;                  // folded UTF-8, the matchers run on this
  OffsetVector src_start;            // per byte of `text`: UTF-16 start in the original
  OffsetVector src_end;              // per byte of `text`: UTF-16 end in the original
  std::vector<uint8_t> upper;        // per byte: the source character was upper case
  std::vector<uint8_t> boundary;     // size()+1 entries: 1 = word boundary before byte i
  std::vector<uint32_t> word_starts; // byte offsets where words (letters/digits) start
  OffsetVector word_of;              // size()+1 entries: words starting before byte i
  uint32_t length16 = 0;             // UTF-16 length of the original

  size_t size() const { return text.size(); }
  // Number of words starting before byte offset `pos`.
  uint32_t word_index(size_t pos) const { return word_of[pos < word_of.size() ? pos : word_of.size() - 1]; }
  // UTF-16 range of folded bytes [begin, end).
  uint32_t original_start(size_t begin) const;
  uint32_t original_end(size_t end) const;
};

// `utf8` must be valid UTF-8 (see find_invalid_utf8).
// Steps, each keeping the offset map exact:
//  1. per code point: NFKC case fold, accents and format characters dropped,
//     confusables mapped to Latin, all white space -> ' ';
//  2. spaced or dotted letters joined ("s.a.l.a.r.y", "p a y" -> "salary", "pay");
//     white space runs collapsed to one space;
//  3. digit-for-letter swaps folded inside words that mix both ("p4y" -> "pay",
//     but "y7", "10c", "3pm" stay);
//  4. word boundaries from ICU's word break iterator.
NormalizedText normalize(std::string_view utf8);

// The same steps as they were before their ASCII fast paths (printable ASCII
// folded eight bytes at a time, words skipped whole when joining letters,
// digits looked for eight bytes at a time, ASCII word breaks in one pass):
// slower, kept for tests/core/normalize_fast_path_test.cpp, which holds
// normalize to it byte for byte and offset for offset.
NormalizedText normalize_reference(std::string_view utf8);

// Step 3 alone, in place (exposed for its differential test).
void fold_digit_swaps(std::string& folded);

// Folds a pattern (a phrase from a policy) the same way, without the map.
std::string fold_pattern(std::string_view utf8);
// The same without fold_pattern's plain-ASCII fast path (for the test that
// holds the two identical).
std::string fold_pattern_full(std::string_view utf8);

}  // namespace postguard::text

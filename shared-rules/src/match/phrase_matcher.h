// Multi-pattern matcher over folded text, anchored at word boundaries: a
// trie of the patterns over byte classes, walked from each position where a
// pattern may start. Nearly every phrase must start at a word boundary, so a
// walk starts only at the boundaries (about a third of the bytes of English
// text, and most of those, before a space or a mark, end at the root), plus,
// for the few patterns that may start anywhere (those starting with '@', '#',
// '(' ..., and domains), at the other bytes that start one of them (found with
// memchr). Against the Aho-Corasick automaton this replaces, a scan reads no
// byte inside a word it did not start at, reports no match that starts
// inside a word (on the corpus text, half of the automaton's matches were such
// single-letter and two-letter patterns, each rejected by its caller), and the
// tables need no failure links.
//
// States are numbered breadth first, so the children of a state are
// consecutive states and the states near the root (where every walk starts)
// come first: those get a dense row (class -> child, 0 = none), deeper ones
// keep only the labels of their children. Built straight into that layout
// from the sorted patterns (no per-node containers), so a 1 MB policy
// compiles in a few MB.
//
// Hand-written rather than a library: Hyperscan, the obvious choice, is
// x86-only and cannot be compiled to WebAssembly, and the core must give the
// same answers in both builds; and no library matcher knows about word
// boundaries, the filter that makes this fast.
//
// A walk is bounded by the longest pattern, so a scan costs at most
// (starts x longest pattern) steps; in text it is a few steps per start.
//
// The tables are plain arrays, so a compiled matcher can be saved and used
// in place from those bytes (the baseline's, embedded at build time).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "match/byte_io.h"

namespace postguard::match {

class PhraseMatcher {
 public:
  PhraseMatcher() = default;
  // Moves keep the tables (vector buffers move with them); a copy would not.
  PhraseMatcher(PhraseMatcher&&) = default;
  PhraseMatcher& operator=(PhraseMatcher&&) = default;
  PhraseMatcher(const PhraseMatcher&) = delete;
  PhraseMatcher& operator=(const PhraseMatcher&) = delete;

  // Adds a folded pattern; returns its id (dense, from 0). `anywhere`: it may
  // start at any byte, not only at a word boundary. An empty pattern is never
  // reported. The other accessors and scan() read the tables, which exist
  // after compile() or load().
  uint32_t add(std::string_view folded, bool anywhere = false);
  void compile();

  // The compiled tables; load() views them in `in`'s bytes (which must
  // outlive the matcher) and returns false on a damaged or foreign layout.
  void save(ByteWriter& out) const;
  bool load(ByteReader& in);

  size_t pattern_count() const { return t_.patterns; }
  uint32_t pattern_length(uint32_t id) const { return t_.lengths[id]; }
  size_t memory_bytes() const;  // owned tables only (a loaded matcher owns none)

  // Calls on_match(begin, end, id) for every occurrence [begin, end) of a
  // pattern that starts at a word boundary (boundary[begin] != 0; `boundary`
  // has an entry per byte of the text) or that was added `anywhere`. Order:
  // by begin for the boundaries, then the other starts of `anywhere`
  // patterns; at one begin, by end (shortest first), ids in order at one end.
  // `text` is a std::string for its terminating NUL: a byte no pattern holds
  // (class 0) ends every walk there, with no bounds test per step.
  template <class F>
  void scan(const std::string& text, const uint8_t* boundary, F&& on_match) const {
    scan_pair(*this, on_match, nullptr, on_match, text, boundary);
  }
  // Two matchers in one pass over the boundaries (b may be null): the same
  // calls as a.scan(.., fa) then b->scan(.., fb), interleaved.
  template <class FA, class FB>
  static void scan_pair(const PhraseMatcher& a, FA&& fa, const PhraseMatcher* b, FB&& fb, const std::string& text,
                        const uint8_t* boundary) {
    // A pattern holding a NUL byte (none does in practice) needs the bounds test.
    if (a.byte_class_[0] == 0 && (!b || b->byte_class_[0] == 0)) {
      scan_pair_impl<false>(a, fa, b, fb, text, boundary);
    } else {
      scan_pair_impl<true>(a, fa, b, fb, text, boundary);
    }
  }

  // Every occurrence wherever it starts (as if every byte were a boundary),
  // by begin: for tests and tools; checks use the scan above.
  template <class F>
  void scan_everywhere(const std::string& text, F&& on_match) const {
    const std::vector<uint8_t> all(text.size(), 1);
    scan(text, all.data(), on_match);
  }

 private:
  template <bool kChecked, class FA, class FB>
  static void scan_pair_impl(const PhraseMatcher& a, FA& fa, const PhraseMatcher* b, FB& fb, const std::string& text,
                             const uint8_t* boundary) {
    // The tables in locals: on_match may write memory, which would otherwise
    // make the compiler reload every data pointer after each call.
    const Tables ta = a.t_;
    const Tables tb = b ? b->t_ : Tables{};
    const uint8_t* const ca = a.byte_class_;
    const uint8_t* const cb = b ? b->byte_class_ : a.byte_class_;
    // Does a pattern start with this byte? (No matcher b: never.)
    static const uint8_t kNone[256] = {};
    const uint8_t* const starts_a = a.starts_;
    const uint8_t* const starts_b = b ? b->starts_ : kNone;
    const auto* const s = reinterpret_cast<const unsigned char*>(text.c_str());
    const size_t n = text.size();
    auto at = [&](size_t p) {
      const unsigned char c = s[p];
      if (starts_a[c]) walk<kChecked>(ta, ca, s, n, p, ta.root_row[ca[c]], true, fa);
      if (starts_b[c]) walk<kChecked>(tb, cb, s, n, p, tb.root_row[cb[c]], true, fb);
    };
    // The boundaries, eight entries at a time.
    size_t p = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    constexpr uint64_t kLow7 = 0x7F7F7F7F7F7F7F7Full, kHighs = 0x8080808080808080ull;
    for (; p + 8 <= n; p += 8) {
      uint64_t w;
      std::memcpy(&w, boundary + p, 8);
      // One bit per nonzero entry (its byte's high bit, whatever the entry's
      // value), so each is cleared with m & (m - 1): two instructions per
      // boundary instead of a shift and a mask.
      uint64_t m = (((w & kLow7) + kLow7) | w) & kHighs;
      while (m != 0) {
        const unsigned k = static_cast<unsigned>(__builtin_ctzll(m)) >> 3;
        m &= m - 1;
        at(p + k);
      }
    }
#endif
    for (; p < n; ++p) {
      if (boundary[p]) at(p);
    }
    anywhere_starts<kChecked>(ta, ca, s, n, boundary, fa);
    if (b) anywhere_starts<kChecked>(tb, cb, s, n, boundary, fb);
  }

  static constexpr uint32_t kAnywhere = 0x80000000u;  // in out[]: the pattern may start anywhere
  static constexpr uint32_t kReports = 0x80000000u;   // in a dense row: the child has outputs

  struct Tables;
  // From `begin`, whose byte led from the root to `state` (a dense row's
  // entry, kReports included): every pattern on the way.
  template <bool kChecked, class F>
  static void walk(const Tables& t, const uint8_t* classes, const unsigned char* s, size_t n, size_t begin,
                   uint32_t state, bool at_boundary, F& on_match) {
    size_t i = begin + 1;
    bool reports = (state & kReports) != 0;
    state &= ~kReports;
    while (true) {
      if (reports) {
        const uint32_t last = t.out_begin[state + 1];
        for (uint32_t o = t.out_begin[state]; o < last; ++o) {
          const uint32_t e = t.out[o];
          if (at_boundary || (e & kAnywhere)) on_match(begin, i, e & ~kAnywhere);
        }
      }
      if (kChecked && i >= n) return;
      const uint8_t cls = classes[s[i]];  // at n the NUL, class 0: no child
      if (state < t.dense_count) {
        const uint32_t v = t.delta[static_cast<size_t>(state) * t.class_count + cls];
        if (v == 0) return;
        reports = (v & kReports) != 0;
        state = v & ~kReports;
      } else {
        uint32_t c = t.child_begin[state];
        const uint32_t last = t.child_begin[state + 1];
        while (c < last && t.label[c] < cls) ++c;  // labels rise
        if (c == last || t.label[c] != cls) return;
        state = c;
        reports = t.out_begin[c] != t.out_begin[c + 1];
      }
      ++i;
    }
  }
  // The starts of `anywhere` patterns inside words.
  template <bool kChecked, class F>
  static void anywhere_starts(const Tables& t, const uint8_t* classes, const unsigned char* s, size_t n,
                              const uint8_t* boundary, F& on_match) {
    for (uint32_t k = 0; k < t.anywhere_first_count; ++k) {
      const unsigned char first = t.anywhere_first[k];
      for (const void* p = std::memchr(s, first, n); p != nullptr;) {
        const size_t at = static_cast<size_t>(static_cast<const unsigned char*>(p) - s);
        if (!boundary[at]) walk<kChecked>(t, classes, s, n, at, t.root_row[classes[first]], false, on_match);
        p = at + 1 < n ? std::memchr(s + at + 1, first, n - at - 1) : nullptr;
      }
    }
  }

  // What a scan reads: views of the owned vectors below, or of loaded bytes.
  struct Tables {
    uint32_t class_count = 1;
    uint32_t dense_count = 0;  // states [0, dense_count) have a row in delta
    uint32_t patterns = 0;
    uint32_t anywhere_first_count = 0;
    const uint8_t* anywhere_first = nullptr;  // the distinct first bytes of `anywhere` patterns
    const uint32_t* lengths = nullptr;
    const uint32_t* delta = nullptr;  // child | kReports, 0 = none
    const uint32_t* root_row = nullptr;  // delta's first row (the root's children)
    const uint32_t* child_begin = nullptr;
    const uint8_t* label = nullptr;
    const uint32_t* out_begin = nullptr;
    const uint32_t* out = nullptr;  // pattern id | kAnywhere
  };

  Tables owned_tables() const;  // views of the vectors (valid until they change)

  Tables t_;
  uint32_t state_count_ = 0;
  uint32_t out_count_ = 0;
  std::vector<uint32_t> lengths_;
  std::vector<uint8_t> anywhere_;        // per pattern while adding (freed by compile)
  std::string pool_;                     // the patterns' bytes while adding (freed by compile)
  std::vector<uint32_t> pool_begin_;     // pattern id -> its offset in pool_
  uint8_t byte_class_[256] = {};         // a member, not a view: a move copies it
  uint8_t starts_[256] = {};             // 1: a pattern starts with this byte (from the root's row)
  void set_starts();
  std::vector<uint8_t> anywhere_first_;
  uint32_t class_count_ = 1;
  uint32_t dense_count_ = 0;             // states [0, dense_count_) have a row in delta_
  std::vector<uint32_t> delta_;          // dense rows (always at least the root's)
  std::vector<uint32_t> child_begin_;    // per state (+1): its children are [child_begin_[s], child_begin_[s+1])
  std::vector<uint8_t> label_;           // per state: the class on the edge into it
  std::vector<uint32_t> out_begin_;      // per state (+1): the patterns ending there are out_[out_begin_[s] ..]
  std::vector<uint32_t> out_;
};

}  // namespace postguard::match

// Multi-pattern matcher over folded text: Aho-Corasick over byte classes.
// States are numbered breadth first, so the children of a state are
// consecutive states and the states near the root (where a scan spends
// nearly all its time) come first: those get a dense transition row, deeper
// ones keep only the labels of their children and fall back along failure
// links. About 13 bytes per state, built straight into that layout from the
// sorted patterns (no per-node containers), so a 1 MB policy compiles in a
// few MB and a baseline of ~6,000 phrases in a few hundred KB.
//
// Hand-written rather than a library: Hyperscan, the obvious choice, is
// x86-only and cannot be compiled to WebAssembly, and the core must give the
// same answers in both builds.
//
// The tables are plain arrays, so a compiled matcher can be saved and used
// in place from those bytes (the baseline's, embedded at build time).
#pragma once

#include <cstdint>
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

  // Adds a folded pattern; returns its id (dense, from 0). The other
  // accessors and scan() read the tables, which exist after compile() or load().
  uint32_t add(std::string_view folded);
  void compile();

  // The compiled tables; load() views them in `in`'s bytes (which must
  // outlive the matcher) and returns false on a damaged or foreign layout.
  void save(ByteWriter& out) const;
  bool load(ByteReader& in);

  size_t pattern_count() const { return t_.patterns; }
  uint32_t pattern_length(uint32_t id) const { return t_.lengths[id]; }
  size_t memory_bytes() const;  // owned tables only (a loaded matcher owns none)

  // Calls on_match(end, id) for every occurrence, `end` exclusive, in order of
  // end; at one end, the longest pattern's ids first.
  template <class F>
  void scan(std::string_view text, F&& on_match) const {
    // The tables in locals: on_match may write memory, which would otherwise
    // make the compiler reload every vector's data pointer after each call.
    const Tables t = t_;
    const uint32_t* const out_begin = t.out_begin;
    const uint32_t* const out = t.out;
    const auto* const s = reinterpret_cast<const unsigned char*>(text.data());
    const size_t n = text.size();
    uint32_t state = 0;
    for (size_t i = 0; i < n; ++i) {
      state = next(t, state, byte_class_[s[i]]);
      const uint32_t last = out_begin[state + 1];
      for (uint32_t o = out_begin[state]; o < last; ++o) on_match(i + 1, out[o]);
    }
  }

 private:
  // What a scan reads: views of the owned vectors below, or of loaded bytes.
  struct Tables {
    uint32_t class_count = 1;
    uint32_t dense_count = 0;             // states [0, dense_count) have a row in delta
    uint32_t patterns = 0;
    const uint32_t* lengths = nullptr;
    const uint32_t* delta = nullptr;
    const uint32_t* child_begin = nullptr;
    const uint8_t* label = nullptr;
    const uint32_t* fail = nullptr;
    const uint32_t* out_begin = nullptr;
    const uint32_t* out = nullptr;
  };

  static uint32_t next(const Tables& t, uint32_t state, uint8_t cls) {
    while (true) {
      if (state < t.dense_count) return t.delta[static_cast<size_t>(state) * t.class_count + cls];
      for (uint32_t c = t.child_begin[state]; c < t.child_begin[state + 1]; ++c) {
        if (t.label[c] == cls) return c;
      }
      state = t.fail[state];
    }
  }
  Tables owned_tables() const;  // views of the vectors (valid until they change)

  Tables t_;
  uint32_t state_count_ = 0;
  uint32_t out_count_ = 0;
  std::vector<uint32_t> lengths_;
  std::string pool_;                     // the patterns' bytes while adding (freed by compile)
  std::vector<uint32_t> pool_begin_;     // pattern id -> its offset in pool_
  uint8_t byte_class_[256] = {};
  uint32_t class_count_ = 1;
  uint32_t dense_count_ = 0;             // states [0, dense_count_) have a row in delta_
  std::vector<uint32_t> delta_;          // dense rows
  std::vector<uint32_t> child_begin_;    // per state (+1): its children are [child_begin_[s], child_begin_[s+1])
  std::vector<uint8_t> label_;           // per state: the class on the edge into it
  std::vector<uint32_t> fail_;
  std::vector<uint32_t> out_begin_;      // per state (+1): its outputs are out_[out_begin_[s] ..]
  std::vector<uint32_t> out_;
};

}  // namespace postguard::match

// Multi-pattern matcher over folded text: Aho-Corasick over byte classes.
// States near the root (where a scan spends nearly all its time) get a dense
// transition row; deeper states keep only their own edges and fall back along
// failure links. That keeps a baseline of ~6,000 phrases in a few hundred KB
// instead of several MB, and compiles in a fraction of the time.
//
// Hand-written rather than a library: Hyperscan, the obvious choice, is
// x86-only and cannot be compiled to WebAssembly, and the core must give the
// same answers in both builds.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace postguard::match {

class PhraseMatcher {
 public:
  // Adds a folded pattern; returns its id (dense, from 0).
  uint32_t add(std::string_view folded);
  void compile();

  size_t pattern_count() const { return lengths_.size(); }
  uint32_t pattern_length(uint32_t id) const { return lengths_[id]; }
  size_t memory_bytes() const;

  // Calls on_match(end, id) for every occurrence, `end` exclusive, in order of end.
  template <class F>
  void scan(std::string_view text, F&& on_match) const {
    uint32_t state = 0;
    for (size_t i = 0; i < text.size(); ++i) {
      state = next(state, byte_class_[static_cast<unsigned char>(text[i])]);
      for (uint32_t o = out_begin_[state]; o < out_begin_[state + 1]; ++o) on_match(i + 1, out_[o]);
    }
  }

 private:
  static constexpr uint32_t kSparse = UINT32_MAX;
  uint32_t next(uint32_t state, uint8_t cls) const {
    while (true) {
      const uint32_t row = dense_row_[state];
      if (row != kSparse) return delta_[static_cast<size_t>(row) * class_count_ + cls];
      for (uint32_t e = edge_begin_[state]; e < edge_begin_[state + 1]; ++e) {
        if (edge_class_[e] == cls) return edge_to_[e];
      }
      state = fail_[state];
    }
  }

  struct Node {
    std::vector<std::pair<uint8_t, uint32_t>> next;  // class -> node, while building
    uint32_t fail = 0;
    uint32_t depth = 0;
    std::vector<uint32_t> outputs;
  };
  std::vector<Node> nodes_{1};
  std::vector<uint32_t> lengths_;
  std::vector<std::string> pending_;
  uint8_t byte_class_[256] = {};
  uint32_t class_count_ = 1;
  std::vector<uint32_t> dense_row_;  // per state: its row in delta_, or kSparse
  std::vector<uint32_t> delta_;      // dense rows
  std::vector<uint32_t> edge_begin_, edge_to_, fail_;
  std::vector<uint8_t> edge_class_;
  std::vector<uint32_t> out_begin_;
  std::vector<uint32_t> out_;
};

}  // namespace postguard::match

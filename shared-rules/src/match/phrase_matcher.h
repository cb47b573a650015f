// Multi-pattern matcher over folded text: Aho-Corasick with a dense
// transition table over byte classes.
//
// Hand-written rather than a library: Hyperscan, the obvious choice, is
// x86-only and cannot be compiled to WebAssembly, and the core must give the
// same answers in both builds. Patterns are few thousand at most, so a dense
// table over the ~40 byte classes that occur in patterns stays small.
#pragma once

#include <cstdint>
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
    const uint32_t width = class_count_;
    for (size_t i = 0; i < text.size(); ++i) {
      state = delta_[state * width + byte_class_[static_cast<unsigned char>(text[i])]];
      for (uint32_t o = out_begin_[state]; o < out_begin_[state + 1]; ++o) on_match(i + 1, out_[o]);
    }
  }

 private:
  struct Node {
    std::vector<std::pair<uint8_t, uint32_t>> next;  // class -> node, while building
    uint32_t fail = 0;
    std::vector<uint32_t> outputs;
  };
  std::vector<Node> nodes_{1};
  std::vector<uint32_t> lengths_;
  std::vector<std::string> pending_;
  uint8_t byte_class_[256] = {};
  uint32_t class_count_ = 1;
  std::vector<uint32_t> delta_;
  std::vector<uint32_t> out_begin_;
  std::vector<uint32_t> out_;
};

}  // namespace postguard::match

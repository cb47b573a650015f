#include "match/phrase_matcher.h"

#include <deque>

namespace postguard::match {

uint32_t PhraseMatcher::add(std::string_view folded) {
  pending_.emplace_back(folded);
  lengths_.push_back(static_cast<uint32_t>(folded.size()));
  return static_cast<uint32_t>(lengths_.size() - 1);
}

void PhraseMatcher::compile() {
  // Byte classes: one per byte that occurs in a pattern, class 0 for the rest.
  for (const auto& p : pending_) {
    for (unsigned char c : p) {
      if (byte_class_[c] == 0) byte_class_[c] = static_cast<uint8_t>(class_count_++);
    }
  }
  nodes_.assign(1, Node{});
  // Trie.
  for (uint32_t id = 0; id < pending_.size(); ++id) {
    uint32_t node = 0;
    for (unsigned char c : pending_[id]) {
      const uint8_t cls = byte_class_[c];
      uint32_t next = 0;
      for (auto& [k, v] : nodes_[node].next) {
        if (k == cls) next = v;
      }
      if (next == 0) {
        next = static_cast<uint32_t>(nodes_.size());
        nodes_[node].next.emplace_back(cls, next);
        nodes_.emplace_back();
      }
      node = next;
    }
    nodes_[node].outputs.push_back(id);
  }
  // Failure links, breadth first; full transitions (goto + failure folded
  // in) only for states up to kDenseDepth.
  constexpr uint32_t kDenseDepth = 2;
  const uint32_t width = class_count_;
  const size_t n = nodes_.size();
  dense_row_.assign(n, kSparse);
  fail_.assign(n, 0);
  std::deque<uint32_t> queue;
  std::vector<uint32_t> order;
  order.reserve(n);
  queue.push_back(0);
  // Goto on a (possibly sparse) state during construction.
  auto child = [&](uint32_t node, uint8_t cls) -> uint32_t {
    for (auto& [k, v] : nodes_[node].next) {
      if (k == cls) return v;
    }
    return 0;
  };
  auto transition = [&](uint32_t s, uint8_t cls) {
    while (true) {
      if (const uint32_t c = child(s, cls)) return c;
      if (s == 0) return 0u;
      s = fail_[s];
    }
  };
  while (!queue.empty()) {
    const uint32_t node = queue.front();
    queue.pop_front();
    order.push_back(node);
    for (auto& [cls, c] : nodes_[node].next) {
      nodes_[c].depth = nodes_[node].depth + 1;
      fail_[c] = node == 0 ? 0 : transition(fail_[node], cls);
      // Outputs of the failure state are outputs here too (it is done: BFS).
      for (uint32_t o : nodes_[fail_[c]].outputs) nodes_[c].outputs.push_back(o);
      queue.push_back(c);
    }
  }
  delta_.clear();
  for (uint32_t node : order) {
    if (nodes_[node].depth > kDenseDepth) continue;
    dense_row_[node] = static_cast<uint32_t>(delta_.size() / width);
    for (uint32_t cls = 0; cls < width; ++cls) delta_.push_back(transition(node, static_cast<uint8_t>(cls)));
  }
  edge_begin_.assign(n + 1, 0);
  edge_to_.clear();
  edge_class_.clear();
  for (uint32_t node = 0; node < n; ++node) {
    edge_begin_[node] = static_cast<uint32_t>(edge_to_.size());
    if (dense_row_[node] != kSparse) continue;
    for (auto& [cls, c] : nodes_[node].next) {
      edge_class_.push_back(cls);
      edge_to_.push_back(c);
    }
  }
  edge_begin_[n] = static_cast<uint32_t>(edge_to_.size());
  out_begin_.assign(nodes_.size() + 1, 0);
  out_.clear();
  for (uint32_t node = 0; node < nodes_.size(); ++node) {
    out_begin_[node] = static_cast<uint32_t>(out_.size());
    for (uint32_t o : nodes_[node].outputs) out_.push_back(o);
  }
  out_begin_[nodes_.size()] = static_cast<uint32_t>(out_.size());
  nodes_.clear();
  nodes_.shrink_to_fit();
  pending_.clear();
  pending_.shrink_to_fit();
}

size_t PhraseMatcher::memory_bytes() const {
  return (delta_.size() + out_.size() + out_begin_.size() + lengths_.size() + dense_row_.size() + edge_begin_.size() +
          edge_to_.size() + fail_.size()) * sizeof(uint32_t) + edge_class_.size();
}

}  // namespace postguard::match

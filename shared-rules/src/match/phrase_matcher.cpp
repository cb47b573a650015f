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
  // Failure links and the dense transition table, breadth first.
  const uint32_t width = class_count_;
  delta_.assign(nodes_.size() * width, 0);
  std::deque<uint32_t> queue;
  for (auto& [cls, child] : nodes_[0].next) {
    delta_[cls] = child;
    nodes_[child].fail = 0;
    queue.push_back(child);
  }
  std::vector<uint32_t> order;
  while (!queue.empty()) {
    const uint32_t node = queue.front();
    queue.pop_front();
    order.push_back(node);
    const uint32_t fail = nodes_[node].fail;
    // Outputs of the failure state are outputs here too.
    for (uint32_t o : nodes_[fail].outputs) nodes_[node].outputs.push_back(o);
    for (uint32_t cls = 0; cls < width; ++cls) delta_[node * width + cls] = delta_[fail * width + cls];
    for (auto& [cls, child] : nodes_[node].next) {
      delta_[node * width + cls] = child;
      nodes_[child].fail = delta_[fail * width + cls];
      queue.push_back(child);
    }
  }
  out_begin_.assign(nodes_.size() + 1, 0);
  out_.clear();
  for (uint32_t n = 0; n < nodes_.size(); ++n) {
    out_begin_[n] = static_cast<uint32_t>(out_.size());
    for (uint32_t o : nodes_[n].outputs) out_.push_back(o);
  }
  out_begin_[nodes_.size()] = static_cast<uint32_t>(out_.size());
  nodes_.clear();
  nodes_.shrink_to_fit();
  pending_.clear();
  pending_.shrink_to_fit();
}

size_t PhraseMatcher::memory_bytes() const {
  return delta_.size() * sizeof(uint32_t) + out_.size() * sizeof(uint32_t) +
         out_begin_.size() * sizeof(uint32_t) + lengths_.size() * sizeof(uint32_t);
}

}  // namespace postguard::match

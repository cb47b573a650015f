#include "match/phrase_matcher.h"

#include <algorithm>
#include <numeric>

namespace postguard::match {

uint32_t PhraseMatcher::add(std::string_view folded, bool anywhere) {
  pool_begin_.push_back(static_cast<uint32_t>(pool_.size()));
  pool_.append(folded);
  lengths_.push_back(static_cast<uint32_t>(folded.size()));
  anywhere_.push_back(anywhere ? 1 : 0);
  return static_cast<uint32_t>(lengths_.size() - 1);
}

PhraseMatcher::Tables PhraseMatcher::owned_tables() const {
  Tables t;
  t.class_count = class_count_;
  t.dense_count = dense_count_;
  t.patterns = static_cast<uint32_t>(lengths_.size());
  t.anywhere_first_count = static_cast<uint32_t>(anywhere_first_.size());
  t.anywhere_first = anywhere_first_.data();
  t.lengths = lengths_.data();
  t.delta = delta_.data();
  t.root_row = delta_.data();
  t.child_begin = child_begin_.data();
  t.label = label_.data();
  t.out_begin = out_begin_.data();
  t.out = out_.data();
  return t;
}

void PhraseMatcher::save(ByteWriter& out) const {
  const Tables& t = t_;
  out.u32(t.class_count);
  out.u32(t.dense_count);
  out.array(byte_class_, 256);
  out.array(t.anywhere_first, t.anywhere_first_count);
  out.array(t.lengths, t.patterns);
  out.array(t.delta, static_cast<size_t>(t.dense_count) * t.class_count);
  out.array(t.child_begin, state_count_ + 1);
  out.array(t.label, state_count_);
  out.array(t.out_begin, state_count_ + 1);
  out.array(t.out, out_count_);
}

bool PhraseMatcher::load(ByteReader& in) {
  Tables t;
  t.class_count = in.u32();
  t.dense_count = in.u32();
  size_t n = 0, anywhere = 0, lengths = 0, delta = 0, child = 0, label = 0, out_begin = 0, out = 0;
  const uint8_t* classes = in.array<uint8_t>(n);
  t.anywhere_first = in.array<uint8_t>(anywhere);
  t.lengths = in.array<uint32_t>(lengths);
  t.delta = in.array<uint32_t>(delta);
  t.child_begin = in.array<uint32_t>(child);
  t.label = in.array<uint8_t>(label);
  t.out_begin = in.array<uint32_t>(out_begin);
  t.out = in.array<uint32_t>(out);
  // The shape every scan relies on; the values were written by compile().
  const bool shaped = in.ok() && n == 256 && anywhere <= 256 && label > 0 && child == label + 1 &&
                      out_begin == label + 1 && t.dense_count >= 1 && t.dense_count <= label &&
                      t.class_count >= 1 && t.class_count <= 256 &&
                      delta == static_cast<size_t>(t.dense_count) * t.class_count && t.out_begin[label] == out &&
                      t.child_begin[label] == label;
  if (!shaped) return false;
  for (size_t b = 0; b < 256; ++b) {
    if (classes[b] >= t.class_count) return false;  // the root's row is read at every class
  }
  t.patterns = static_cast<uint32_t>(lengths);
  t.anywhere_first_count = static_cast<uint32_t>(anywhere);
  t.root_row = t.delta;
  *this = PhraseMatcher();
  std::copy(classes, classes + 256, byte_class_);
  state_count_ = static_cast<uint32_t>(label);
  out_count_ = static_cast<uint32_t>(out);
  t_ = t;
  set_starts();
  return true;
}

void PhraseMatcher::compile() {
  const auto count = static_cast<uint32_t>(lengths_.size());
  auto pattern = [&](uint32_t id) { return std::string_view(pool_).substr(pool_begin_[id], lengths_[id]); };
  // Byte classes: one per byte that occurs in a pattern, numbered in byte
  // order (so a state's children, made in byte order, have rising labels and
  // a search among them stops at the first label past the one looked for);
  // class 0 for the rest (no state has a child on it).
  bool used[256] = {}, first_of_anywhere[256] = {};
  for (uint32_t id = 0; id < count; ++id) {
    for (unsigned char c : pattern(id)) used[c] = true;
    if (anywhere_[id] && lengths_[id] > 0) first_of_anywhere[static_cast<unsigned char>(pool_[pool_begin_[id]])] = true;
  }
  for (int b = 0; b < 256; ++b) {
    if (used[b]) byte_class_[b] = static_cast<uint8_t>(class_count_++);
  }
  anywhere_first_.clear();
  for (int b = 0; b < 256; ++b) {
    if (first_of_anywhere[b]) anywhere_first_.push_back(static_cast<uint8_t>(b));
  }
  // Patterns in order of their bytes, ties by id: the patterns below one trie
  // state are then a contiguous range, those ending there first, and its
  // children are the runs of equal bytes after that. Sorted one byte position
  // per level as the states are expanded (a stable counting sort of each
  // state's range by its next byte: linear in the pattern bytes, where a
  // comparison sort re-compared long shared prefixes).
  std::vector<uint32_t> sorted(count), scratch;
  std::iota(sorted.begin(), sorted.end(), 0u);
  auto key = [&](uint32_t id, uint32_t depth) -> uint32_t {
    return lengths_[id] == depth ? 0 : 1u + static_cast<unsigned char>(pool_[pool_begin_[id] + depth]);
  };
  auto sort_range = [&](uint32_t lo, uint32_t hi, uint32_t depth) {
    if (hi - lo <= 32) {  // insertion sort: stable, and most ranges are tiny
      for (uint32_t i = lo + 1; i < hi; ++i) {
        const uint32_t id = sorted[i], k = key(id, depth);
        uint32_t j = i;
        for (; j > lo && key(sorted[j - 1], depth) > k; --j) sorted[j] = sorted[j - 1];
        sorted[j] = id;
      }
      return;
    }
    uint32_t counts[258] = {};
    for (uint32_t i = lo; i < hi; ++i) ++counts[key(sorted[i], depth) + 1];
    for (int b = 1; b < 258; ++b) counts[b] += counts[b - 1];
    scratch.resize(hi - lo);
    for (uint32_t i = lo; i < hi; ++i) scratch[counts[key(sorted[i], depth)]++] = sorted[i];
    std::copy(scratch.begin(), scratch.end(), sorted.begin() + lo);
  };

  // Breadth first: a state's children are created together, as consecutive
  // states. Dense rows for the states up to kDenseDepth: they are the first
  // states, in order.
  constexpr uint32_t kDenseDepth = 3;
  const uint32_t width = class_count_;
  struct Pending {
    uint32_t lo, hi;  // range in `sorted`
  };
  std::vector<Pending> level{{0, count}}, next_level;
  uint32_t depth = 0;
  uint32_t state = 0;  // the state being expanded
  uint32_t created = 1;
  // At most one state per pattern byte, plus the root.
  const size_t max_states = pool_.size() + 1;
  child_begin_.reserve(max_states + 1);
  label_.reserve(max_states);
  out_begin_.reserve(max_states + 1);
  // child_begin_ keeps one entry past the last state created, so the end of
  // the children of the state just expanded is always readable.
  child_begin_.assign(2, 0);
  label_.assign(1, 0);
  out_begin_.assign(2, 0);  // the root reports nothing (empty patterns)
  out_.clear();
  delta_.clear();
  dense_count_ = 0;
  sort_range(0, count, 0);  // each state's range is sorted when it is created

  while (!level.empty()) {
    for (const Pending& p : level) {
      child_begin_[state] = created;
      uint32_t i = p.lo;
      while (i < p.hi && lengths_[sorted[i]] == depth) ++i;  // they end here (reported on arrival)
      while (i < p.hi) {
        const unsigned char byte = static_cast<unsigned char>(pattern(sorted[i])[depth]);
        uint32_t j = i + 1;
        while (j < p.hi && static_cast<unsigned char>(pattern(sorted[j])[depth]) == byte) ++j;
        created++;
        label_.push_back(byte_class_[byte]);
        child_begin_.push_back(created);
        // Outputs: the patterns ending at the new state, in order of id.
        sort_range(i, j, depth + 1);  // by the byte after: those ending there come first
        for (uint32_t k = i; k < j && lengths_[sorted[k]] == depth + 1; ++k) {
          out_.push_back(sorted[k] | (anywhere_[sorted[k]] ? kAnywhere : 0u));
        }
        out_begin_.push_back(static_cast<uint32_t>(out_.size()));
        next_level.push_back({i, j});
        i = j;
      }
      child_begin_[state + 1] = created;
      if (depth <= kDenseDepth) {
        // Its children are [child_begin_[state], created), flagged when
        // patterns end there; other classes lead nowhere (0).
        delta_.resize(delta_.size() + width, 0);
        uint32_t* row = &delta_[static_cast<size_t>(state) * width];
        for (uint32_t c = child_begin_[state]; c < created; ++c) {
          row[label_[c]] = c | (out_begin_[c] != out_begin_[c + 1] ? kReports : 0u);
        }
        dense_count_ = state + 1;
      }
      ++state;
    }
    level.swap(next_level);
    next_level.clear();
    ++depth;
  }
  child_begin_.shrink_to_fit();
  label_.shrink_to_fit();
  out_begin_.shrink_to_fit();
  out_.shrink_to_fit();
  delta_.shrink_to_fit();
  std::string().swap(pool_);
  std::vector<uint32_t>().swap(pool_begin_);
  std::vector<uint8_t>().swap(anywhere_);
  state_count_ = static_cast<uint32_t>(label_.size());
  out_count_ = static_cast<uint32_t>(out_.size());
  t_ = owned_tables();
  set_starts();
}

void PhraseMatcher::set_starts() {
  for (int b = 0; b < 256; ++b) starts_[b] = t_.root_row[byte_class_[b]] != 0 ? 1 : 0;
}

size_t PhraseMatcher::memory_bytes() const {
  return (delta_.size() + out_.size() + out_begin_.size() + lengths_.size() + child_begin_.size()) * sizeof(uint32_t) +
         label_.size() + anywhere_first_.size();
}

}  // namespace postguard::match

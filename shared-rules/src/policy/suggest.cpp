#include "policy/suggest.h"

#include <algorithm>
#include <cctype>

namespace postguard::policy {

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t prev = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cur = row[j];
      const auto x = std::tolower(static_cast<unsigned char>(a[i - 1]));
      const auto y = std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, prev + (x == y ? 0 : 1)});
      prev = cur;
    }
  }
  return row[b.size()];
}

std::string closest(const std::string& key, const std::vector<std::string>& candidates, size_t max_distance) {
  // "disclaimer" -> "disclaimer.missing": a rule id's first part is a strong hint.
  for (const auto& c : candidates) {
    if (c.size() > key.size() && c.compare(0, key.size(), key) == 0 && c[key.size()] == '.') return c;
  }
  std::string best;
  size_t best_d = max_distance + 1;
  for (const auto& c : candidates) {
    const size_t d = edit_distance(key, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

}  // namespace postguard::policy

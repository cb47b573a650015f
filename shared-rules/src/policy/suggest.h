// "Did you mean" hints for misspelt field names, rule ids and school ids.
#pragma once

#include <string>
#include <vector>

namespace postguard::policy {

// Edit distance, ignoring case.
size_t edit_distance(const std::string& a, const std::string& b);

// The candidate closest to `key` within `max_distance` edits, or "".
std::string closest(const std::string& key, const std::vector<std::string>& candidates, size_t max_distance = 3);

}  // namespace postguard::policy

#include "match/phrase_expansion.h"

#include <cctype>

namespace postguard::match {
namespace {

bool all_digits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// The alternatives of one {...} group.
std::optional<std::vector<std::string>> alternatives(const std::string& body, std::string& error) {
  const auto dash = body.find('-');
  if (body.find('|') == std::string::npos && dash != std::string::npos && dash > 0) {
    const std::string lo = body.substr(0, dash), hi = body.substr(dash + 1);
    if (all_digits(lo) && all_digits(hi)) {
      const long a = std::stol(lo), b = std::stol(hi);
      if (a > b || b - a > 1000) {
        error = "range {" + body + "} must go up, by at most 1000";
        return std::nullopt;
      }
      std::vector<std::string> out;
      const size_t width = lo.size() == hi.size() ? lo.size() : 0;
      for (long i = a; i <= b; ++i) {
        std::string s = std::to_string(i);
        while (s.size() < width) s.insert(s.begin(), '0');
        out.push_back(s);
      }
      return out;
    }
    if (lo.size() == 1 && hi.size() == 1 && std::isalpha(static_cast<unsigned char>(lo[0])) && lo[0] <= hi[0]) {
      std::vector<std::string> out;
      for (char c = lo[0]; c <= hi[0]; ++c) out.emplace_back(1, c);
      return out;
    }
  }
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i <= body.size(); ++i) {
    if (i == body.size() || body[i] == '|') {
      out.push_back(body.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

}  // namespace

std::optional<std::vector<std::string>> expand_phrase(const std::string& phrase, std::string& error, size_t limit) {
  std::vector<std::string> results{""};
  size_t i = 0;
  while (i < phrase.size()) {
    if (phrase[i] == '}') {
      error = "\"}\" without \"{\" in \"" + phrase + "\"";
      return std::nullopt;
    }
    if (phrase[i] != '{') {
      // The literal run up to the next brace, appended at once (per byte it
      // was a tenth of a policy compile once a group had multiplied the results).
      size_t end = phrase.find_first_of("{}", i);
      if (end == std::string::npos) end = phrase.size();
      for (auto& r : results) r.append(phrase, i, end - i);
      i = end;
      continue;
    }
    const auto close = phrase.find('}', i);
    if (close == std::string::npos || phrase.find('{', i + 1) < close) {
      error = "unbalanced \"{\" in \"" + phrase + "\"";
      return std::nullopt;
    }
    auto alts = alternatives(phrase.substr(i + 1, close - i - 1), error);
    if (!alts) return std::nullopt;
    if (results.size() * alts->size() > limit) {
      error = "\"" + phrase + "\" expands to more than " + std::to_string(limit) + " phrases";
      return std::nullopt;
    }
    std::vector<std::string> next;
    next.reserve(results.size() * alts->size());
    for (const auto& r : results) {
      for (const auto& a : *alts) next.push_back(r + a);
    }
    results = std::move(next);
    i = close + 1;
  }
  return results;
}

}  // namespace postguard::match

#include "match/regex_prefilter.h"

#include <optional>
#include <utility>
#include <vector>

namespace postguard::match {
namespace {

using Bytes = std::array<bool, 256>;

// Index just past the group that opens at p[i] == '(' (nested groups and
// escapes respected), or npos.
size_t group_end(const std::string& p, size_t i) {
  int depth = 0;
  bool in_class = false;
  for (size_t k = i; k < p.size(); ++k) {
    const char c = p[k];
    if (c == '\\') {
      ++k;
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      continue;
    }
    if (c == '[') in_class = true;
    else if (c == '(') ++depth;
    else if (c == ')' && --depth == 0) return k + 1;
  }
  return std::string::npos;
}

bool optional_quantifier(const std::string& p, size_t i) {
  return i < p.size() && (p[i] == '?' || p[i] == '*' || (p[i] == '{' && i + 1 < p.size() && p[i + 1] == '0'));
}

void add_digits(Bytes& b) {
  for (char c = '0'; c <= '9'; ++c) b[static_cast<unsigned char>(c)] = true;
}

// First bytes of the pattern p[i..end), or nullopt when unknown.
std::optional<Bytes> first(const std::string& p, size_t i, size_t end);

// The top-level alternatives of p[begin, end) as ranges (escapes, classes and
// nested groups respected).
std::vector<std::pair<size_t, size_t>> split_alternatives(const std::string& p, size_t begin, size_t end) {
  std::vector<std::pair<size_t, size_t>> out;
  int depth = 0;
  bool in_class = false;
  size_t start = begin;
  for (size_t k = begin; k < end; ++k) {
    const char c = p[k];
    if (c == '\\') {
      ++k;
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      continue;
    }
    if (c == '[') in_class = true;
    else if (c == '(') ++depth;
    else if (c == ')') --depth;
    else if (c == '|' && depth == 0) {
      out.emplace_back(start, k);
      start = k + 1;
    }
  }
  out.emplace_back(start, end);
  return out;
}

std::optional<Bytes> alternatives(const std::string& p, size_t open, size_t close) {
  // p[open..close) is "(?:...)" or "(...)".
  size_t i = open + 1;
  if (p.compare(i, 2, "?:") == 0) i += 2;
  else if (i < close && p[i] == '?') return std::nullopt;  // other group kinds
  Bytes out{};
  for (const auto& [b, e] : split_alternatives(p, i, close - 1)) {
    auto f = first(p, b, e);
    if (!f) return std::nullopt;
    for (size_t x = 0; x < 256; ++x) out[x] = out[x] || (*f)[x];
  }
  return out;
}

std::optional<Bytes> char_class(const std::string& p, size_t i, size_t& after) {
  // p[i] == '['
  Bytes out{};
  size_t k = i + 1;
  if (k < p.size() && p[k] == '^') return std::nullopt;
  for (; k < p.size() && p[k] != ']'; ++k) {
    unsigned char c = static_cast<unsigned char>(p[k]);
    if (c == '\\') {
      if (k + 1 >= p.size()) return std::nullopt;
      const char e = p[++k];
      if (e == 'd') add_digits(out);
      else if (e == '.' || e == '-' || e == '\\' || e == ']' || e == '[' || e == '/' || e == '\'') out[static_cast<unsigned char>(e)] = true;
      else return std::nullopt;
      continue;
    }
    if (c >= 0x80) return std::nullopt;  // keep to ASCII classes
    if (k + 2 < p.size() && p[k + 1] == '-' && p[k + 2] != ']') {
      for (unsigned x = c; x <= static_cast<unsigned char>(p[k + 2]); ++x) out[x] = true;
      k += 2;
      continue;
    }
    out[c] = true;
  }
  if (k >= p.size()) return std::nullopt;
  after = k + 1;
  return out;
}

std::optional<Bytes> first(const std::string& p, size_t i, size_t end) {
  while (i < end) {
    if (p.compare(i, 2, "\\b") == 0) {
      i += 2;
      continue;
    }
    if (p.compare(i, 3, "(?<") == 0 || p.compare(i, 3, "(?=") == 0 || p.compare(i, 3, "(?!") == 0) {
      const size_t e = group_end(p, i);  // zero-width: skip it
      if (e == std::string::npos) return std::nullopt;
      i = e;
      continue;
    }
    std::optional<Bytes> f;
    size_t after = i + 1;
    const unsigned char c = static_cast<unsigned char>(p[i]);
    if (c == '(') {
      const size_t e = group_end(p, i);
      if (e == std::string::npos) return std::nullopt;
      f = alternatives(p, i, e);
      after = e;
    } else if (c == '[') {
      f = char_class(p, i, after);
    } else if (c == '\\') {
      if (i + 1 >= end) return std::nullopt;
      const char e = p[i + 1];
      after = i + 2;
      Bytes b{};
      if (e == 'd') add_digits(b);
      else if (e == '.' || e == '/' || e == '-' || e == '@' || e == '#' || e == '$' || e == '%') b[static_cast<unsigned char>(e)] = true;
      else return std::nullopt;
      f = b;
    } else if (c == '.' || c == '^' || c == '$' || c == '|' || c == ')' || c == '*' || c == '+' || c == '?') {
      return std::nullopt;
    } else {
      Bytes b{};
      b[c] = true;  // a literal (for UTF-8, its lead byte)
      if (c >= 0x80) {
        while (after < end && (static_cast<unsigned char>(p[after]) & 0xC0) == 0x80) ++after;
      }
      f = b;
    }
    if (!f || optional_quantifier(p, after)) return std::nullopt;
    return f;
  }
  return std::nullopt;  // empty pattern
}

}  // namespace

// "\b(?:password|log-in|wifi(?! password))..." -> {"password", "log-in", "wifi"}:
// the literal start of each top-level alternative of a leading group.
std::vector<std::string> literal_alternatives(const std::string& p) {
  size_t i = 0;
  while (true) {
    if (p.compare(i, 2, "\\b") == 0) {
      i += 2;
    } else if (p.compare(i, 3, "(?<") == 0) {
      const size_t e = group_end(p, i);
      if (e == std::string::npos) return {};
      i = e;
    } else {
      break;
    }
  }
  if (p.compare(i, 3, "(?:") != 0) return {};
  const size_t close = group_end(p, i);
  if (close == std::string::npos || optional_quantifier(p, close)) return {};
  std::vector<std::string> out;
  for (const auto& [b, e] : split_alternatives(p, i + 3, close - 1)) {
    std::string run;
    for (size_t k = b; k < e; ++k) {
      const char c = p[k];
      if (std::string("\\[](){}?*+|.^$").find(c) != std::string::npos) {
        // A quantifier makes the character before it optional: drop it.
        if ((c == '?' || c == '*' || c == '{') && !run.empty()) run.pop_back();
        break;
      }
      run.push_back(c);
    }
    if (run.empty()) return {};
    out.push_back(run);
  }
  return out;
}

namespace {

// The first bytes of the second character of a match, when the pattern is
// one plain ASCII character or ASCII class (no quantifier) followed by something
// `first` understands: "\\bex-?" -> {'x'}, "(?<=[a-z])@(?:gmail|me)" -> {'g', 'm'},
// "\\b[a-z](?=, )" -> {','}.
bool second_bytes(const std::string& p, Bytes& out) {
  if (split_alternatives(p, 0, p.size()).size() != 1) return false;  // "a|b": no single first character
  size_t i = 0;
  while (i < p.size()) {  // the zero-width start, as in first()
    if (p.compare(i, 2, "\\b") == 0) {
      i += 2;
    } else if (p.compare(i, 3, "(?<") == 0 || p.compare(i, 3, "(?=") == 0 || p.compare(i, 3, "(?!") == 0) {
      const size_t e = group_end(p, i);
      if (e == std::string::npos) return false;
      i = e;
    } else {
      break;
    }
  }
  if (i >= p.size()) return false;
  const auto c = static_cast<unsigned char>(p[i]);
  size_t after = i + 1;
  if (c == '[') {
    // "(?<=, )[a-z](?=, )": an ASCII class is one byte too (char_class keeps to ASCII).
    if (!char_class(p, i, after)) return false;
  } else if (c >= 0x80 || std::string("\\[](){}?*+|.^$").find(static_cast<char>(c)) != std::string::npos) {
    return false;
  }
  if (after < p.size() && std::string("?*+{").find(p[after]) != std::string::npos) return false;
  // A lookahead right after the first character says what the next byte is: first() would skip
  // it as zero-width, so read its inside instead.
  std::optional<Bytes> rest;
  if (p.compare(after, 3, "(?=") == 0) {
    const size_t e = group_end(p, after);
    if (e == std::string::npos) return false;
    Bytes any{};
    for (const auto& [b, end] : split_alternatives(p, after + 3, e - 1)) {  // "(?=,| x)": either
      const auto f = first(p, b, end);
      if (!f) return false;
      for (size_t k = 0; k < any.size(); ++k) any[k] = any[k] || (*f)[k];
    }
    rest = any;
  } else {
    rest = first(p, after, p.size());
  }
  if (!rest) return false;
  out = *rest;
  return true;
}

}  // namespace

StartSet start_set(const std::string& pattern) {
  StartSet s;
  s.at_word_boundary = pattern.compare(0, 2, "\\b") == 0;
  if (auto f = first(pattern, 0, pattern.size())) {
    s.known = true;
    s.bytes = *f;
    // "£ ?\d...": a non-ASCII literal first character is matched whole, not by
    // its lead byte (0xC2 starts many characters).
    const auto c = static_cast<unsigned char>(pattern[0]);
    if (c >= 0xC0) {
      size_t n = 1;
      while (n < pattern.size() && (static_cast<unsigned char>(pattern[n]) & 0xC0) == 0x80) ++n;
      if (!optional_quantifier(pattern, n)) s.literal = pattern.substr(0, n);
    }
    s.prefixes = literal_alternatives(pattern);
    s.second_known = second_bytes(pattern, s.second);
    for (size_t b = 0; b < 256; ++b) {
      if (s.bytes[b]) s.first_list.push_back(static_cast<unsigned char>(b));
    }
    Bytes second{};
    if (!s.prefixes.empty()) {
      s.second_any = false;
      for (const std::string& pre : s.prefixes) {
        if (pre.size() < 2) s.second_any = true;
        else second[static_cast<unsigned char>(pre[1])] = true;
      }
    } else if (s.literal.size() >= 2) {
      s.second_any = false;
      second[static_cast<unsigned char>(s.literal[1])] = true;
    } else if (s.second_known) {
      s.second_any = false;
      second = s.second;
    }
    if (!s.second_any) {
      for (size_t b = 0; b < 256; ++b) {
        if (second[b]) s.second_list.push_back(static_cast<unsigned char>(b));
      }
    }
  }
  return s;
}

}  // namespace postguard::match

#include "match/regex_prefilter.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <utility>

#include <unicode/uniset.h>
#include <unicode/utf8.h>
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

// \d: ICU's is every decimal digit (Nd), not only ASCII ones ("٣" is one),
// so the UTF-8 lead bytes of the others count too (from ICU's own property
// data: D9, DB, E0, F0...; not C2, C3 or E2, which start "£", "é", "–").
const Bytes& digit_bytes() {
  static const Bytes bytes = [] {
    Bytes b{};
    for (char c = '0'; c <= '9'; ++c) b[static_cast<unsigned char>(c)] = true;
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeSet nd(UNICODE_STRING_SIMPLE("[:Nd:]"), status);
    if (U_FAILURE(status)) {
      for (size_t x = 0xC0; x < 256; ++x) b[x] = true;  // no property data: any lead byte
      return b;
    }
    for (int32_t r = 0; r < nd.getRangeCount(); ++r) {
      for (UChar32 c = nd.getRangeStart(r); c <= nd.getRangeEnd(r); ++c) {
        if (c < 0x80) continue;
        uint8_t buf[U8_MAX_LENGTH];
        int32_t len = 0;
        U8_APPEND_UNSAFE(buf, len, c);
        b[buf[0]] = true;
      }
    }
    return b;
  }();
  return bytes;
}

void add_digits(Bytes& b) {
  const Bytes& d = digit_bytes();
  for (size_t x = 0; x < 256; ++x) b[x] = b[x] || d[x];
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

namespace {

// The bytes of one literal character at p[k] (a UTF-8 sequence, or an
// escaped ASCII sign such as "\\(" or "\\."), with `next` set past it; empty
// when p[k] is not a literal character.
std::string literal_char(const std::string& p, size_t k, size_t end, size_t& next) {
  const auto c = static_cast<unsigned char>(p[k]);
  if (c == '\\') {
    if (k + 1 >= end) return {};
    const auto e = static_cast<unsigned char>(p[k + 1]);
    if (e >= 0x80 || std::isalnum(e) || e == ' ') return {};  // \b, \d, \u... are not literals
    next = k + 2;
    return std::string(1, static_cast<char>(e));
  }
  if (std::string("[](){}?*+|.^$").find(static_cast<char>(c)) != std::string::npos) return {};
  next = k + 1;
  if (c >= 0x80) {
    while (next < end && (static_cast<unsigned char>(p[next]) & 0xC0) == 0x80) ++next;
  }
  return p.substr(k, next - k);
}

// The literal text p[b, e) starts with ("\\bwifi(?! password)" -> "wifi"),
// and whether that is all of it (only literal characters and \b).
std::pair<std::string, bool> literal_run(const std::string& p, size_t b, size_t e) {
  std::string run;
  size_t k = b;
  while (k < e) {
    if (p.compare(k, 2, "\\b") == 0 && k + 2 <= e) {  // consumes nothing
      k += 2;
      continue;
    }
    size_t next = k;
    const std::string ch = literal_char(p, k, e, next);
    if (ch.empty()) return {run, false};
    if (next < e && (p[next] == '?' || p[next] == '*' || p[next] == '{')) return {run, false};  // optional
    run += ch;
    if (next < e && p[next] == '+') return {run, false};  // one at least, then more
    k = next;
  }
  return {run, true};
}

// The literal start of each alternative of p[begin, end) (a group's body),
// or nothing when one has none.
std::vector<std::string> group_literals(const std::string& p, size_t begin, size_t end) {
  std::vector<std::string> out;
  for (const auto& [b, e] : split_alternatives(p, begin, end)) {
    std::string run = literal_run(p, b, e).first;
    if (run.empty()) return {};
    out.push_back(std::move(run));
  }
  return out;
}

}  // namespace

// "\b(?:password|log-in|wifi(?! password))..." -> {"password", "log-in", "wifi"};
// "\b(?:it's|this is) (?:sir|miss)\b" -> {"it's sir", "it's miss", "this is sir",
// "this is miss"}: the literal text a match starts with, one string per way
// it can start. Read through literal characters and groups of literal
// alternatives until something else (a class, a quantifier, a lookaround);
// an alternative that is not all literal ends its strings there.
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
  // The prefix test tries a first byte's strings one by one, and the lists
  // are saved in the snapshot: past these sizes, stop growing them.
  constexpr size_t kMaxPrefixes = 64, kMaxLength = 40;
  struct Prefix {
    std::string text;
    bool open;  // can still grow
  };
  std::vector<Prefix> out{{"", true}};
  auto any_open = [&] {
    return std::any_of(out.begin(), out.end(), [](const Prefix& x) { return x.open && x.text.size() < kMaxLength; });
  };
  // A pattern that starts with a plain character ("\\bpay\\b") needs two
  // bytes at least, or the second-byte test (second_bytes) says more.
  const bool leading_group = p.compare(i, 3, "(?:") == 0;
  while (i < p.size() && any_open()) {
    if (p.compare(i, 2, "\\b") == 0) {
      i += 2;
      continue;
    }
    if (p[i] == '(') {
      if (p.compare(i, 3, "(?:") != 0) break;  // a lookaround, capture or flags: stop
      const size_t close = group_end(p, i);
      if (close == std::string::npos) break;
      if (close < p.size() && std::string("?*+{").find(p[close]) != std::string::npos) break;
      std::vector<std::pair<std::string, bool>> alts;
      for (const auto& [b, e] : split_alternatives(p, i + 3, close - 1)) alts.push_back(literal_run(p, b, e));
      if (std::any_of(alts.begin(), alts.end(), [](const auto& a) { return a.first.empty() && !a.second; })) break;
      std::vector<Prefix> grown;
      for (const Prefix& x : out) {
        if (!x.open || x.text.size() >= kMaxLength) {
          grown.push_back({x.text, false});
          continue;
        }
        for (const auto& [text, whole] : alts) grown.push_back({x.text + text, whole});
      }
      // (The leading group's alternatives are all kept, however many.)
      if (grown.size() > kMaxPrefixes && !(out.size() == 1 && out[0].text.empty())) break;
      out = std::move(grown);
      i = close;
      continue;
    }
    size_t next = i;
    const std::string ch = literal_char(p, i, p.size(), next);
    if (ch.empty()) break;
    const bool optional = next < p.size() && (p[next] == '?' || p[next] == '*' || p[next] == '{');
    if (optional) break;
    const bool more = next < p.size() && p[next] == '+';
    for (Prefix& x : out) {
      if (!x.open || x.text.size() >= kMaxLength) continue;
      x.text += ch;
      if (more) x.open = false;
    }
    if (more) break;
    i = next;
  }
  std::vector<std::string> result;  // in the pattern's order, each once
  for (Prefix& x : out) {
    if (x.text.empty() || (!leading_group && x.text.size() < 2)) return {};  // some way to start has no literal
    if (std::find(result.begin(), result.end(), x.text) == result.end()) result.push_back(std::move(x.text));
  }
  return result;
}

namespace {

// "(?:\\bmeans?|\\bequals?|=) ...": the pattern starts with a group (after
// lookbehinds) each of whose alternatives starts with \b or with a literal
// byte that is not an ASCII word character. A match then never starts between
// two ASCII word characters, as for a pattern starting with \b (the shared
// pass's word-boundary test rejects only such starts).
bool group_starts_at_boundary(const std::string& p) {
  size_t i = 0;
  while (p.compare(i, 3, "(?<") == 0) {
    const size_t e = group_end(p, i);
    if (e == std::string::npos) return false;
    i = e;
  }
  if (p.compare(i, 3, "(?:") != 0) return false;
  const size_t close = group_end(p, i);
  if (close == std::string::npos || optional_quantifier(p, close)) return false;
  for (const auto& [b, e] : split_alternatives(p, i + 3, close - 1)) {
    if (e >= b + 2 && p.compare(b, 2, "\\b") == 0) continue;
    if (e == b || (b + 1 < e && std::string("?*{").find(p[b + 1]) != std::string::npos)) return false;  // "=?x"
    const auto c = static_cast<unsigned char>(p[b]);
    const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    // A plain ASCII character only (not an escape, class, group or operator).
    if (word || c >= 0x80 || std::string("\\[](){}?*+|.^$").find(static_cast<char>(c)) != std::string::npos) return false;
  }
  return true;
}

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
    // "(?<=, )[a-z](?=, )": an ASCII class is one byte too (char_class keeps to
    // ASCII), unless it holds \d (a digit may be several bytes).
    if (!char_class(p, i, after) || p.substr(i, after - i).find("\\d") != std::string::npos) return false;
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

namespace {

// What a pattern fragment says about the bytes it matches: seq[k] holds the
// bytes its match can have at offset k (all of them present); `complete`:
// every match of the fragment is exactly seq.size() bytes, so what follows
// the fragment starts at seq.size().
struct Sequence {
  std::vector<Bytes> seq;
  bool complete = true;
};

Bytes all_bytes() {
  Bytes b;
  b.fill(true);
  return b;
}

// Position-wise union of the alternatives (each one's known prefix).
Sequence union_of(const std::vector<Sequence>& alts) {
  Sequence out;
  if (alts.empty()) return out;
  size_t len = alts[0].seq.size();
  bool same = true;
  for (const Sequence& a : alts) {
    same = same && a.complete && a.seq.size() == alts[0].seq.size();
    len = std::min(len, a.seq.size());
  }
  out.complete = same;
  out.seq.assign(len, Bytes{});
  for (const Sequence& a : alts) {
    for (size_t k = 0; k < len; ++k) {
      for (size_t x = 0; x < 256; ++x) out.seq[k][x] = out.seq[k][x] || a.seq[k][x];
    }
  }
  return out;
}

// Both hold at the same position (a lookahead and what follows it).
Sequence intersect(const Sequence& look, const Sequence& rest) {
  Sequence out;
  const size_t len = std::max(look.seq.size(), rest.seq.size());
  out.seq.assign(len, all_bytes());
  for (size_t k = 0; k < len; ++k) {
    for (size_t x = 0; x < 256; ++x) {
      const bool a = k < look.seq.size() ? look.seq[k][x] : true;
      const bool b = k < rest.seq.size() ? rest.seq[k][x] : true;
      out.seq[k][x] = a && b;
    }
  }
  // The lookahead may reach past the fragment: those bytes are not its own.
  out.complete = rest.complete && look.seq.size() <= rest.seq.size();
  return out;
}

Sequence sequence(const std::string& p, size_t i, size_t end, size_t limit);

// Every ICU white space character: ASCII ones and the lead bytes of the others
// (U+0085, U+00A0 -> C2; U+1680 -> E1; U+2000.. -> E2; U+3000 -> E3).
Bytes white_space_bytes() {
  Bytes b{};
  for (unsigned char c : {'\t', '\n', '\v', '\f', '\r', ' '}) b[c] = true;
  for (size_t c : {0xC2u, 0xE1u, 0xE2u, 0xE3u}) b[c] = true;
  return b;
}

Sequence alternatives_sequence(const std::string& p, size_t begin, size_t end, size_t limit) {
  std::vector<Sequence> alts;
  for (const auto& [b, e] : split_alternatives(p, begin, end)) alts.push_back(sequence(p, b, e, limit));
  return union_of(alts);
}

// Just past a quantifier starting at p[i] ("?", "*", "+", "{n,m}", and a
// lazy or possessive mark after it); `min_one`: it requires at least one.
size_t quantifier_end(const std::string& p, size_t i, bool& min_one) {
  const char q = p[i];
  size_t k = i + 1;
  min_one = q == '+';
  if (q == '{') {
    min_one = i + 1 < p.size() && p[i + 1] >= '1' && p[i + 1] <= '9';
    while (k < p.size() && p[k] != '}') ++k;
    if (k < p.size()) ++k;
  }
  if (k < p.size() && (p[k] == '?' || p[k] == '+')) ++k;
  return k;
}

// The fragment p[i, end), at most `limit` positions worked out. Sound rather
// than exact: anything not understood ends the sequence there (incomplete).
Sequence sequence(const std::string& p, size_t i, size_t end, size_t limit) {
  Sequence out;
  if (split_alternatives(p, i, end).size() > 1) {
    out = alternatives_sequence(p, i, end, limit);
    if (out.seq.size() > limit) {
      out.seq.resize(limit);
      out.complete = false;
    }
    return out;
  }
  while (i < end) {
    if (out.seq.size() >= limit) {
      out.complete = false;
      return out;
    }
    const char c = p[i];
    // Zero-width parts.
    if (p.compare(i, 2, "\\b") == 0 || p.compare(i, 2, "\\B") == 0) {
      i += 2;
      continue;
    }
    if (c == '^') {
      ++i;
      continue;
    }
    if (c == '(' && (p.compare(i, 3, "(?=") == 0 || p.compare(i, 3, "(?!") == 0 || p.compare(i, 4, "(?<=") == 0 ||
                     p.compare(i, 4, "(?<!") == 0)) {
      const size_t e = group_end(p, i);
      if (e == std::string::npos || e > end) break;
      if (p[i + 2] == '=') {  // a lookahead: its bytes and the rest's both hold from here
        const Sequence look = alternatives_sequence(p, i + 3, e - 1, limit - out.seq.size());
        const Sequence rest = sequence(p, e, end, limit - out.seq.size());
        const Sequence both = intersect(look, rest);
        out.seq.insert(out.seq.end(), both.seq.begin(), both.seq.end());
        out.complete = both.complete;
        if (out.seq.size() > limit) {
          out.seq.resize(limit);
          out.complete = false;
        }
        return out;
      }
      i = e;  // negative lookarounds and lookbehinds say nothing about what follows
      continue;
    }
    // One element: its bytes (complete when of fixed length) and where it ends.
    Sequence atom;
    size_t after = i + 1;
    const auto u = static_cast<unsigned char>(c);
    if (c == '(') {
      const size_t e = group_end(p, i);
      if (e == std::string::npos || e > end) break;
      size_t body = i + 1;
      if (p.compare(body, 2, "?:") == 0) body += 2;
      else if (p[body] == '?') break;  // named, atomic, flag groups: not read
      atom = alternatives_sequence(p, body, e - 1, limit - out.seq.size());
      after = e;
    } else if (c == '[') {
      auto cls = char_class(p, i, after);  // ASCII classes only: one byte each
      if (!cls) break;
      if (p.substr(i, after - i).find("\\d") != std::string::npos) {
        atom.complete = false;  // [\d...]: a digit may be several bytes
      }
      atom.seq.push_back(*cls);
    } else if (c == '\\') {
      if (i + 1 >= end) break;
      const char e = p[i + 1];
      after = i + 2;
      Bytes b{};
      if (e == 'd') {
        add_digits(b);  // one byte or several
        atom.complete = false;
      } else if (e == 's') {
        b = white_space_bytes();
        atom.complete = false;
      } else if (e == 'n') {
        b['\n'] = true;
      } else if (e == 't') {
        b['\t'] = true;
      } else if (static_cast<unsigned char>(e) < 0x80 && !std::isalnum(static_cast<unsigned char>(e))) {
        b[static_cast<unsigned char>(e)] = true;  // an escaped punctuation character is itself
      } else {
        break;
      }
      atom.seq.push_back(b);
    } else if (c == '.' || c == '$' || c == ')' || c == '*' || c == '+' || c == '?' || c == '{' || c == '}' ||
               c == ']') {
      break;
    } else if (u >= 0xC0) {
      // A literal non-ASCII character: its UTF-8 bytes.
      while (after < end && (static_cast<unsigned char>(p[after]) & 0xC0) == 0x80) ++after;
      for (size_t k = i; k < after; ++k) {
        Bytes b{};
        b[static_cast<unsigned char>(p[k])] = true;
        atom.seq.push_back(b);
      }
    } else if (u >= 0x80) {
      break;  // not UTF-8 (a stray continuation byte)
    } else {
      Bytes b{};
      b[u] = true;
      atom.seq.push_back(b);
    }
    if (after < end && (p[after] == '?' || p[after] == '*' || p[after] == '+' || p[after] == '{')) {
      bool min_one = false;
      quantifier_end(p, after, min_one);
      // At least once: the first repetition's bytes; then any length. Optional: nothing known.
      if (min_one) out.seq.insert(out.seq.end(), atom.seq.begin(), atom.seq.end());
      out.complete = false;
      break;
    }
    out.seq.insert(out.seq.end(), atom.seq.begin(), atom.seq.end());
    if (!atom.complete) {
      out.complete = false;
      break;
    }
    i = after;
  }
  if (i < end) out.complete = false;
  if (out.seq.size() > limit) {
    out.seq.resize(limit);
    out.complete = false;
  }
  return out;
}

std::vector<unsigned char> list_of(const Bytes& b) {
  std::vector<unsigned char> out;
  for (size_t x = 0; x < 256; ++x) {
    if (b[x]) out.push_back(static_cast<unsigned char>(x));
  }
  return out;
}

// ahead / behind of start_set(). An all-bytes position tells nothing: the
// lists stop before one.
void around_start(const std::string& p, StartSet& s) {
  const Sequence ahead = sequence(p, 0, p.size(), kAheadMax);
  for (const Bytes& b : ahead.seq) {
    if (b == all_bytes()) break;
    s.ahead.push_back(list_of(b));
  }
  // Lookbehinds before the first consuming element, in a pattern without
  // top-level alternatives: the bytes just before the match, if the
  // lookbehind has a fixed length.
  if (split_alternatives(p, 0, p.size()).size() != 1) return;
  std::vector<Bytes> behind;
  size_t i = 0;
  while (i < p.size()) {
    if (p.compare(i, 2, "\\b") == 0) {
      i += 2;
      continue;
    }
    if (p.compare(i, 3, "(?!") != 0 && p.compare(i, 4, "(?<!") != 0 && p.compare(i, 4, "(?<=") != 0) break;
    const size_t e = group_end(p, i);
    if (e == std::string::npos) return;
    if (p.compare(i, 4, "(?<=") == 0) {
      const Sequence look = alternatives_sequence(p, i + 4, e - 1, 64);
      if (look.complete) {
        // look.seq[last] is the byte just before the match.
        for (size_t k = 0; k < look.seq.size() && k < kBehindMax; ++k) {
          const Bytes& b = look.seq[look.seq.size() - 1 - k];
          if (k < behind.size()) {
            for (size_t x = 0; x < 256; ++x) behind[k][x] = behind[k][x] && b[x];
          } else {
            behind.push_back(b);
          }
        }
      }
    }
    i = e;
  }
  for (const Bytes& b : behind) {
    if (b == all_bytes()) break;
    s.behind.push_back(list_of(b));
  }
}

// Just past the class opening at p[i] == '['.
size_t class_end(const std::string& p, size_t i) {
  size_t k = i + 1;
  if (k < p.size() && p[k] == '^') ++k;
  if (k < p.size() && p[k] == ']') ++k;
  for (; k < p.size() && p[k] != ']'; ++k) {
    if (p[k] == '\\') ++k;
  }
  return k < p.size() ? k + 1 : std::string::npos;
}

// Every byte a match can hold: the pattern's literals and classes (its
// syntax characters too, which only makes the set larger). False when it
// can consume any character (".", "\\S", "\\w", a negated class...).
bool span_bytes(const std::string& p, Bytes& out) {
  out = Bytes{};
  for (size_t k = 0; k < p.size(); ++k) {
    const auto c = static_cast<unsigned char>(p[k]);
    if (c == '\\') {
      if (k + 1 >= p.size()) return false;
      const auto e = static_cast<unsigned char>(p[++k]);
      if (e == 'b' || e == 'B') continue;
      if (e == 'd' || e == 's') {
        const Bytes more = e == 'd' ? digit_bytes() : white_space_bytes();
        for (size_t x = 0; x < 256; ++x) out[x] = out[x] || more[x];
        for (size_t x = 0x80; x < 256; ++x) out[x] = true;  // the rest of a multi-byte digit or space
      } else if (e == 'n') {
        out['\n'] = true;
      } else if (e == 't') {
        out['\t'] = true;
      } else if (e < 0x80 && !std::isalnum(e)) {
        out[e] = true;
      } else {
        return false;
      }
      continue;
    }
    if (c == '[' && k + 1 < p.size() && p[k + 1] == '^') {
      // "[^\n]": every byte but the listed ones (plain ASCII characters and
      // \n, \t or an escaped sign only; anything else is not worked out).
      Bytes listed{};
      size_t e = k + 2;
      for (; e < p.size() && p[e] != ']'; ++e) {
        auto x = static_cast<unsigned char>(p[e]);
        if (x == '\\') {
          if (e + 1 >= p.size()) return false;
          x = static_cast<unsigned char>(p[++e]);
          if (x == 'n') x = '\n';
          else if (x == 't') x = '\t';
          else if (x >= 0x80 || std::isalnum(x)) return false;
        } else if (x >= 0x80 || (x == '-' && e != k + 2 && p[e + 1] != ']')) {
          return false;  // a multi-byte character or a range
        }
        listed[x] = true;
      }
      if (e >= p.size()) return false;
      for (size_t y = 0; y < 256; ++y) out[y] = out[y] || !listed[y];
      k = e;
      continue;
    }
    if (c == '[') {
      size_t after = 0;
      const auto cls = char_class(p, k, after);
      if (!cls) return false;
      for (size_t x = 0; x < 256; ++x) out[x] = out[x] || (*cls)[x];
      if (p.substr(k, after - k).find("\\d") != std::string::npos) {
        for (size_t x = 0x80; x < 256; ++x) out[x] = true;
      }
      k = after - 1;
      continue;
    }
    if (c == '{') {
      while (k < p.size() && p[k] != '}') ++k;  // a count, not text
      continue;
    }
    if (c == '.') return false;
    if (c == '(' || c == ')' || c == '|' || c == '?' || c == '*' || c == '+' || c == '^' || c == '$') continue;
    out[c] = true;  // a literal (each UTF-8 byte of a non-ASCII one)
  }
  return true;
}

// Literal sets every match must hold one of, read off the top-level
// sequence p[begin, end): each run of plain literal characters ("%", " back",
// " \\(") and each group of literal alternatives ("(?:there|on it)"), none of
// them optional or repeated, and the same inside a positive lookahead (its
// text lies right after the match or inside it, so within the same run of
// span bytes). `variable`: the sequence has a quantifier, so ICU would try a
// start for more than a fixed-length compare. The first consuming element
// is skipped (the start set already tests it at the start).
struct RequiredLiterals {
  std::vector<std::vector<std::string>> sets;
  bool variable = false;
  bool abandoned = false;  // a shape not understood: use nothing
};

void required_literals(const std::string& p, size_t begin, size_t end, bool top, RequiredLiterals& out) {
  if (split_alternatives(p, begin, end).size() != 1) {
    out.abandoned = out.abandoned || top;
    return;
  }
  std::string run;
  bool first = top;  // the next consuming element is the pattern's first
  auto flush = [&] {
    if (!run.empty()) out.sets.push_back({run});
    run.clear();
  };
  for (size_t i = begin; i < end;) {
    enum { literal, zero_width, group, lookahead, other } kind = other;
    char c = 0;
    size_t next = i + 1;
    const char x = p[i];
    if (x == '\\') {
      if (i + 1 >= end) {
        out.abandoned = true;
        return;
      }
      const auto e = static_cast<unsigned char>(p[i + 1]);
      next = i + 2;
      if (e == 'b' || e == 'B') {
        kind = zero_width;
      } else if (e < 0x80 && !std::isalnum(e)) {
        kind = literal;
        c = static_cast<char>(e);
      } else if (std::string("dDsSwWnt").find(static_cast<char>(e)) == std::string::npos) {
        out.abandoned = true;  // \u00e9, \x41, \p{L}, \Q...: not worked out here
        return;
      }
    } else if (x == '(') {
      next = group_end(p, i);
      if (next == std::string::npos || next > end) {
        out.abandoned = true;
        return;
      }
      if (p.compare(i, 3, "(?=") == 0) kind = lookahead;
      else if (p.compare(i, 3, "(?!") == 0 || p.compare(i, 4, "(?<=") == 0 || p.compare(i, 4, "(?<!") == 0) kind = zero_width;
      else if (p.compare(i, 3, "(?:") == 0) kind = group;
    } else if (x == '[') {
      next = class_end(p, i);
      if (next == std::string::npos || next > end) {
        out.abandoned = true;
        return;
      }
    } else if (x == '^' || x == '$') {
      kind = zero_width;
    } else if (static_cast<unsigned char>(x) < 0x80 && std::string(".)]{}?*+|").find(x) == std::string::npos) {
      kind = literal;
      c = x;
    }
    bool quantified = false;
    if (next < end && (p[next] == '?' || p[next] == '*' || p[next] == '+' || p[next] == '{')) {
      bool min_one = false;
      next = quantifier_end(p, next, min_one);
      quantified = true;
      out.variable = true;
    }
    const bool consuming = kind != zero_width && kind != lookahead;
    const bool skip = first && consuming;
    if (consuming) first = false;
    if (kind == literal && !quantified && !skip) {
      run.push_back(c);
    } else if (kind == zero_width && !quantified) {
      // consumes nothing: the literals on either side stay one run
    } else {
      flush();
      if (kind == group && !quantified && !skip) {
        std::vector<std::string> lits = group_literals(p, i + 3, next - 1);
        if (!lits.empty()) out.sets.push_back(std::move(lits));
      } else if (kind == lookahead && !quantified) {
        required_literals(p, i + 3, next - 1, false, out);
      }
    }
    i = next;
  }
  flush();
}

// The most bytes p[begin, end) can consume, a positive lookahead's text
// counted in (it is read right after the match), or 0 when unbounded or not
// worked out ("*", "+", "{n,}", an escape not understood). A class, "."
// or an escape like \d may be a 4-byte character.
size_t max_bytes(const std::string& p, size_t begin, size_t end) {
  constexpr size_t kUnbounded = 0;
  const auto alts = split_alternatives(p, begin, end);
  if (alts.size() > 1) {
    size_t most = 0;
    for (const auto& [b, e] : alts) {
      const size_t m = max_bytes(p, b, e);
      if (m == kUnbounded && e > b) return kUnbounded;
      most = std::max(most, m);
    }
    return most;
  }
  size_t total = 0;
  for (size_t i = begin; i < end;) {
    size_t next = i + 1, len = 0;
    const char x = p[i];
    if (x == '\\') {
      if (i + 1 >= end) return kUnbounded;
      const auto e = static_cast<unsigned char>(p[i + 1]);
      next = i + 2;
      if (e == 'b' || e == 'B') len = 0;
      else if (e < 0x80 && !std::isalnum(e)) len = 1;
      else if (std::string("dDsSwWnt").find(static_cast<char>(e)) != std::string::npos) len = 4;
      else return kUnbounded;
    } else if (x == '(') {
      next = group_end(p, i);
      if (next == std::string::npos || next > end) return kUnbounded;
      if (p.compare(i, 3, "(?!") == 0 || p.compare(i, 4, "(?<=") == 0 || p.compare(i, 4, "(?<!") == 0) {
        len = 0;
      } else {
        size_t body = i + 1;
        if (p.compare(i, 3, "(?:") == 0 || p.compare(i, 3, "(?=") == 0) body = i + 3;
        else if (p[i + 1] == '?') return kUnbounded;  // flags, named groups...
        len = max_bytes(p, body, next - 1);
        if (len == kUnbounded && next - 1 > body) return kUnbounded;
      }
    } else if (x == '[') {
      next = class_end(p, i);
      if (next == std::string::npos || next > end) return kUnbounded;
      len = 4;
    } else if (x == '^' || x == '$') {
      len = 0;
    } else if (x == '.') {
      len = 4;
    } else if (std::string(")]{}?*+|").find(x) != std::string::npos) {
      return kUnbounded;
    } else {
      len = 1;  // a literal byte (each byte of a multi-byte character)
    }
    if (next < end && (p[next] == '?' || p[next] == '*' || p[next] == '+' || p[next] == '{')) {
      const char q = p[next];
      bool min_one = false;
      const size_t after = quantifier_end(p, next, min_one);
      if (q == '*' || q == '+') return kUnbounded;
      size_t times = 1;
      if (q == '{') {
        const std::string count = p.substr(next + 1, after - next);
        const size_t comma = count.find(',');
        const std::string hi = comma == std::string::npos ? count.substr(0, count.find('}')) : count.substr(comma + 1, count.find('}') - comma - 1);
        if (hi.empty() || hi.find_first_not_of("0123456789") != std::string::npos || hi.size() > 4) return kUnbounded;
        times = static_cast<size_t>(std::stoul(hi));
      }
      len *= times;
      next = after;
    }
    total += len;
    i = next;
  }
  return total;
}

void tail_of(const std::string& p, StartSet& s) {
  RequiredLiterals req;
  required_literals(p, 0, p.size(), true, req);
  Bytes span{};
  if (req.abandoned || !req.variable || !span_bytes(p, span)) return;
  // The most selective set: the longest shortest literal, then the fewest.
  auto shortest = [](const std::vector<std::string>& v) {
    size_t m = SIZE_MAX;
    for (const auto& l : v) m = std::min(m, l.size());
    return m;
  };
  // A lone space is in nearly every stretch of text: testing for it costs
  // more than the ICU calls it saves.
  auto weak = [](const std::vector<std::string>& v) {
    return std::find(v.begin(), v.end(), std::string(" ")) != v.end();
  };
  const std::vector<std::string>* best = nullptr;
  for (const auto& set : req.sets) {
    if (weak(set)) continue;
    if (!best || shortest(set) > shortest(*best) || (shortest(set) == shortest(*best) && set.size() < best->size())) best = &set;
  }
  if (!best) return;
  std::vector<std::string> tail = *best;
  std::sort(tail.begin(), tail.end());
  tail.erase(std::unique(tail.begin(), tail.end()), tail.end());
  s.tail = std::move(tail);
  s.span = span;
  s.tail_window = static_cast<uint32_t>(std::min<size_t>(max_bytes(p, 0, p.size()), UINT32_MAX));
  for (size_t b = 0, k = 0; b <= 256; ++b) {
    while (k < s.tail.size() && static_cast<unsigned char>(s.tail[k][0]) < b) ++k;
    s.tail_at[b] = static_cast<uint16_t>(k);
  }
}

}  // namespace

StartSet start_set(const std::string& pattern) {
  StartSet s;
  // "a|b" at the top level: first() reads only the first alternative, so
  // nothing is known (a start set from it would drop the matches of "b").
  if (split_alternatives(pattern, 0, pattern.size()).size() != 1) return s;
  s.at_word_boundary = pattern.compare(0, 2, "\\b") == 0 || group_starts_at_boundary(pattern);
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
    s.sorted_prefixes = s.prefixes;
    std::sort(s.sorted_prefixes.begin(), s.sorted_prefixes.end());
    for (size_t b = 0, k = 0; b <= 256; ++b) {
      while (k < s.sorted_prefixes.size() && static_cast<unsigned char>(s.sorted_prefixes[k][0]) < b) ++k;
      s.prefix_at[b] = static_cast<uint16_t>(k);
    }
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
    around_start(pattern, s);
    // The prefixes' own bytes at offsets 0-3, for the shared pass's tables:
    // those reject most starts before the prefix test runs.
    for (size_t k = 0; k < kAheadMax && !s.prefixes.empty(); ++k) {
      Bytes at{};
      bool all_long = true;
      for (const std::string& pre : s.prefixes) {
        if (pre.size() <= k) all_long = false;
        else at[static_cast<unsigned char>(pre[k])] = true;
      }
      if (!all_long) break;
      while (s.ahead.size() < k) s.ahead.push_back(list_of(all_bytes()));  // nothing more known there
      if (s.ahead.size() == k) {
        s.ahead.push_back(list_of(at));
      } else {
        std::vector<unsigned char> both;
        for (unsigned char b : s.ahead[k]) {
          if (at[b]) both.push_back(b);
        }
        s.ahead[k] = std::move(both);
      }
    }
    tail_of(pattern, s);
    Bytes span{};
    s.factors = regex_factors(pattern, span_bytes(pattern, span) ? &span : nullptr);
  }
  return s;
}

}  // namespace postguard::match

namespace postguard::match {
namespace {

void save_strings(const std::vector<std::string>& v, ByteWriter& out) {
  out.u32(static_cast<uint32_t>(v.size()));
  for (const auto& s : v) out.string(s);
}
bool load_strings(ByteReader& in, std::vector<std::string>& v) {
  const uint32_t n = in.u32();
  if (!in.ok() || n > (1u << 20)) return false;
  v.clear();
  for (uint32_t i = 0; i < n && in.ok(); ++i) v.emplace_back(in.string());
  return in.ok();
}
template <size_t N>
void save_fixed(const std::array<uint16_t, N>& a, ByteWriter& out) {
  out.array(a.data(), a.size());
}
template <size_t N>
bool load_fixed(ByteReader& in, std::array<uint16_t, N>& a) {
  size_t n = 0;
  const uint16_t* p = in.array<uint16_t>(n);
  if (!p || n != N) return false;
  std::copy(p, p + N, a.begin());
  return true;
}
// Byte sets go as 0/1 bytes: a damaged snapshot's other values are refused
// rather than read as a bool (undefined behaviour).
template <size_t N>
void save_fixed(const std::array<bool, N>& a, ByteWriter& out) {
  std::array<uint8_t, N> bytes{};
  for (size_t i = 0; i < N; ++i) bytes[i] = a[i] ? 1 : 0;
  out.array(bytes.data(), N);
}
template <size_t N>
bool load_fixed(ByteReader& in, std::array<bool, N>& a) {
  size_t n = 0;
  const uint8_t* p = in.array<uint8_t>(n);
  if (!p || n != N) return false;
  for (size_t i = 0; i < N; ++i) {
    if (p[i] > 1) return false;
    a[i] = p[i] == 1;
  }
  return true;
}
template <class T>
bool load_vector(ByteReader& in, std::vector<T>& v) {
  size_t n = 0;
  const T* p = in.template array<T>(n);
  if (!in.ok()) return false;
  v.assign(p, p + n);
  return true;
}
void save_lists(const std::vector<std::vector<unsigned char>>& v, ByteWriter& out) {
  out.u32(static_cast<uint32_t>(v.size()));
  for (const auto& l : v) out.array(l.data(), l.size());
}
bool load_lists(ByteReader& in, std::vector<std::vector<unsigned char>>& v) {
  const uint32_t n = in.u32();
  if (!in.ok() || n > 64) return false;
  v.assign(n, {});
  for (auto& l : v) {
    if (!load_vector(in, l)) return false;
  }
  return true;
}

bool load_factors(ByteReader& in, RegexFactors& f) {
  const uint32_t bits = in.u32();
  f.known = bits & 1;
  f.span_known = bits & 2;
  if (!in.ok() || bits > 3 || !load_strings(in, f.literals)) return false;
  f.lo = in.u32();
  f.hi = in.u32();
  if (!in.ok() || !load_fixed(in, f.span) || !load_strings(in, f.behind)) return false;
  // A damaged snapshot must not give a factor set the scan cannot use.
  for (const auto& l : f.literals) {
    if (l.empty()) return false;
  }
  for (const auto& l : f.behind) {
    if (l.empty()) return false;
  }
  return !f.known || (!f.literals.empty() && f.lo <= f.hi && (f.hi != kFactorUnbounded || f.span_known));
}

}  // namespace

void save_start_set(const StartSet& s, ByteWriter& out) {
  out.u32(static_cast<uint32_t>(s.known) | static_cast<uint32_t>(s.at_word_boundary) << 1 |
          static_cast<uint32_t>(s.second_known) << 2 | static_cast<uint32_t>(s.second_any) << 3);
  save_fixed(s.bytes, out);
  out.string(s.literal);
  save_strings(s.prefixes, out);
  save_strings(s.sorted_prefixes, out);
  save_fixed(s.prefix_at, out);
  save_fixed(s.second, out);
  out.array(s.first_list.data(), s.first_list.size());
  out.array(s.second_list.data(), s.second_list.size());
  save_lists(s.ahead, out);
  save_lists(s.behind, out);
  save_strings(s.tail, out);
  save_fixed(s.tail_at, out);
  save_fixed(s.span, out);
  out.u32(s.tail_window);
  out.u32(static_cast<uint32_t>(s.factors.known) | static_cast<uint32_t>(s.factors.span_known) << 1);
  save_strings(s.factors.literals, out);
  out.u32(s.factors.lo);
  out.u32(s.factors.hi);
  save_fixed(s.factors.span, out);
  save_strings(s.factors.behind, out);
}

bool load_start_set(ByteReader& in, StartSet& s) {
  const uint32_t bits = in.u32();
  s.known = bits & 1;
  s.at_word_boundary = bits & 2;
  s.second_known = bits & 4;
  s.second_any = bits & 8;
  if (!load_fixed(in, s.bytes)) return false;
  s.literal = std::string(in.string());
  return load_strings(in, s.prefixes) && load_strings(in, s.sorted_prefixes) && load_fixed(in, s.prefix_at) &&
         load_fixed(in, s.second) && load_vector(in, s.first_list) && load_vector(in, s.second_list) &&
         load_lists(in, s.ahead) && load_lists(in, s.behind) && load_strings(in, s.tail) &&
         load_fixed(in, s.tail_at) && load_fixed(in, s.span) && ((s.tail_window = in.u32()), in.ok()) &&
         load_factors(in, s.factors);
}

bool operator==(const StartSet& a, const StartSet& b) {
  return a.known == b.known && a.at_word_boundary == b.at_word_boundary && a.bytes == b.bytes &&
         a.literal == b.literal && a.prefixes == b.prefixes && a.sorted_prefixes == b.sorted_prefixes &&
         a.prefix_at == b.prefix_at && a.second_known == b.second_known && a.second == b.second &&
         a.first_list == b.first_list && a.second_any == b.second_any && a.second_list == b.second_list &&
         a.ahead == b.ahead && a.behind == b.behind && a.tail == b.tail && a.tail_at == b.tail_at &&
         a.span == b.span && a.tail_window == b.tail_window && a.factors.known == b.factors.known &&
         a.factors.literals == b.factors.literals && a.factors.lo == b.factors.lo && a.factors.hi == b.factors.hi &&
         a.factors.span_known == b.factors.span_known && a.factors.span == b.factors.span &&
         a.factors.behind == b.factors.behind;
}

}  // namespace postguard::match

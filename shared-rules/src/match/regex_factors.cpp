#include "match/regex_factors.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>
#include <optional>
#include <string_view>

#include <unicode/uniset.h>
#include <unicode/utf8.h>

namespace postguard::match {
namespace {

// Hand-written rather than taken from ICU: ICU keeps its parsed pattern
// private, and only the shapes rule packs use need reading. A small tree of
// the pattern: literals, classes, sequences, alternatives, repeats, zero-width
// assertions and positive lookaheads.
constexpr uint64_t kInf = UINT64_MAX;

struct Node {
  enum Kind { lit, cls, seq, alt, repeat, zero, look_ahead } kind = seq;
  std::string text;                  // lit: its UTF-8 bytes
  uint64_t cls_max = 4;              // cls: most bytes of one character (1: ASCII only)
  std::vector<std::string> choices;  // cls: its characters when a few ASCII ones, else empty
  // cls: `choices` are the first bytes of its characters, not whole ones
  // (\d: ASCII digits and the lead bytes of the others): a factor, but
  // nothing can be read on after it.
  bool lead_only = false;
  std::vector<Node> kids;
  uint64_t min = 1, max = 1;  // repeat
};

Node make(Node::Kind k) {
  Node n;
  n.kind = k;
  return n;
}

// The first UTF-8 byte of every decimal digit (ICU's property data); with
// no property data, nothing (\d then gives no factor).
const std::vector<std::string>& digit_leads() {
  static const std::vector<std::string> leads = [] {
    std::array<bool, 256> b{};
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeSet nd(UNICODE_STRING_SIMPLE("[:Nd:]"), status);
    if (U_FAILURE(status)) return std::vector<std::string>{};
    for (int32_t r = 0; r < nd.getRangeCount(); ++r) {
      for (UChar32 c = nd.getRangeStart(r); c <= nd.getRangeEnd(r); ++c) {
        uint8_t buf[U8_MAX_LENGTH];
        int32_t len = 0;
        U8_APPEND_UNSAFE(buf, len, c);
        b[buf[0]] = true;
      }
    }
    std::vector<std::string> out;
    for (size_t x = 0; x < 256; ++x) {
      if (b[x]) out.emplace_back(1, static_cast<char>(x));
    }
    return out;
  }();
  return leads;
}

class Parser {
 public:
  explicit Parser(std::string_view p) : p_(p) {}
  // The whole pattern, or nullopt for a syntax not read here.
  std::optional<Node> parse() {
    Node n;
    if (!alternatives(n) || i_ != p_.size()) return std::nullopt;
    return n;
  }

 private:
  bool at(char c) const { return i_ < p_.size() && p_[i_] == c; }
  bool starts(std::string_view s) const { return p_.substr(i_, s.size()) == s; }

  bool alternatives(Node& out) {
    out = Node{};
    out.kind = Node::alt;
    while (true) {
      Node s;
      if (!sequence(s)) return false;
      out.kids.push_back(std::move(s));
      if (!at('|')) break;
      ++i_;
    }
    if (out.kids.size() == 1) {
      Node only = std::move(out.kids[0]);
      out = std::move(only);
    }
    return true;
  }

  bool sequence(Node& out) {
    out = Node{};
    out.kind = Node::seq;
    while (i_ < p_.size() && !at('|') && !at(')')) {
      Node a;
      if (!atom(a)) return false;
      if (!quantifier(a)) return false;
      out.kids.push_back(std::move(a));
    }
    return true;
  }

  bool quantifier(Node& a) {
    if (i_ >= p_.size()) return true;
    uint64_t lo = 0, hi = 0;
    const char q = p_[i_];
    if (q == '?') lo = 0, hi = 1;
    else if (q == '*') lo = 0, hi = kInf;
    else if (q == '+') lo = 1, hi = kInf;
    else if (q == '{') {
      size_t k = i_ + 1;
      auto number = [&](uint64_t& v) {
        const size_t b = k;
        v = 0;
        while (k < p_.size() && std::isdigit(static_cast<unsigned char>(p_[k])) && k - b < 6) v = v * 10 + static_cast<uint64_t>(p_[k++] - '0');
        return k > b;
      };
      if (!number(lo)) return false;
      hi = lo;
      if (k < p_.size() && p_[k] == ',') {
        ++k;
        if (k < p_.size() && p_[k] == '}') hi = kInf;
        else if (!number(hi)) return false;
      }
      if (k >= p_.size() || p_[k] != '}' || hi < lo) return false;
      i_ = k;
    } else {
      return true;
    }
    ++i_;
    if (at('?') || at('+')) ++i_;  // lazy or possessive: the same lengths, fewer matches at most
    if (a.kind == Node::zero || a.kind == Node::look_ahead) {
      // A repeated assertion: optional when it may be skipped, else itself.
      if (lo == 0) a = make(Node::zero);
      return true;
    }
    Node r;
    r.kind = Node::repeat;
    r.min = lo;
    r.max = hi;
    r.kids.push_back(std::move(a));
    a = std::move(r);
    return !at('?') && !at('*') && !at('+') && !at('{');  // "a{2}{3}": not read
  }

  static Node any_char() {
    Node n;
    n.kind = Node::cls;
    return n;
  }

  bool atom(Node& out) {
    const char c = p_[i_];
    if (c == '(') return group(out);
    if (c == '[') return char_class(out);
    if (c == '\\') return escape(out);
    if (c == '^' || c == '$') {
      ++i_;
      out = make(Node::zero);
      return true;
    }
    if (c == '.') {
      ++i_;
      out = any_char();
      return true;
    }
    if (c == '*' || c == '+' || c == '?' || c == '{' || c == '}' || c == ']' || c == ')') return false;
    const auto u = static_cast<unsigned char>(c);
    size_t n = 1;
    if (u >= 0x80) {
      if (u < 0xC0) return false;
      while (i_ + n < p_.size() && (static_cast<unsigned char>(p_[i_ + n]) & 0xC0) == 0x80) ++n;
    }
    out = make(Node::lit);
    out.text = std::string(p_.substr(i_, n));
    i_ += n;
    return true;
  }

  bool escape(Node& out) {
    if (i_ + 1 >= p_.size()) return false;
    const auto e = static_cast<unsigned char>(p_[i_ + 1]);
    i_ += 2;
    if (e == 'b' || e == 'B') {
      out = make(Node::zero);
      return true;
    }
    if (e == 'd') {
      // ICU's \d is every decimal digit (Nd), not only ASCII ones.
      out = any_char();
      out.choices = digit_leads();
      out.lead_only = true;
      return true;
    }
    if (e == 'D' || e == 's' || e == 'S' || e == 'w' || e == 'W') {
      out = any_char();
      return true;
    }
    if (e == 'n' || e == 't') {
      out = make(Node::lit);
      out.text = e == 'n' ? "\n" : "\t";
      return true;
    }
    if (e < 0x80 && !std::isalnum(e)) {
      out = make(Node::lit);
      out.text = std::string(1, static_cast<char>(e));
      return true;
    }
    return false;  // \u, \x, \p, \Q, back references...: not read
  }

  bool char_class(Node& out) {
    // "[...]": its end, and its characters when they are a few plain ASCII
    // ones; a nested set, "&&" or an escape other than a sign makes it a
    // class of unknown characters (or, where its end is unclear, not read).
    size_t k = i_ + 1;
    bool negated = false, plain = true;
    if (k < p_.size() && p_[k] == '^') negated = true, ++k;
    if (k < p_.size() && p_[k] == ']') return false;
    std::array<bool, 128> chars{};
    for (; k < p_.size() && p_[k] != ']'; ++k) {
      const auto c = static_cast<unsigned char>(p_[k]);
      if (c == '[') return false;
      if (c == '&' && k + 1 < p_.size() && p_[k + 1] == '&') return false;
      unsigned char first = c;
      if (c == '\\') {
        if (k + 1 >= p_.size()) return false;
        const auto e = static_cast<unsigned char>(p_[++k]);
        if (e == 'p' || e == 'P' || e == 'N' || e == 'x' || e == 'u' || e == 'U' || e == 'Q') return false;
        if (e >= 0x80 || std::isalnum(e)) {
          plain = false;  // \d, \s, \n...
          continue;
        }
        first = e;
      } else if (c >= 0x80) {
        plain = false;
        continue;
      }
      if (k + 2 < p_.size() && p_[k + 1] == '-' && p_[k + 2] != ']') {
        const auto last = static_cast<unsigned char>(p_[k + 2]);
        if (last == '\\' || last == '[' || last >= 0x80 || last < first) return false;
        for (unsigned x = first; x <= last; ++x) chars[x] = true;
        k += 2;
        continue;
      }
      chars[first] = true;
    }
    if (k >= p_.size()) return false;
    i_ = k + 1;
    out = any_char();
    if (negated || !plain) return true;
    out.cls_max = 1;
    std::vector<std::string> list;
    for (size_t x = 0; x < chars.size(); ++x) {
      if (chars[x]) list.emplace_back(1, static_cast<char>(x));
    }
    if (list.size() <= 12) out.choices = std::move(list);
    return true;
  }

  bool group(Node& out) {
    ++i_;  // '('
    enum { plain, ahead, zero_width } kind = plain;
    const bool behind = starts("?<=");
    if (starts("?:") || starts("?>")) {
      i_ += 2;
    } else if (starts("?=")) {
      i_ += 2;
      kind = ahead;
    } else if (starts("?!") || starts("?<=") || starts("?<!")) {
      i_ += starts("?!") ? 2 : 3;
      kind = zero_width;
    } else if (at('?')) {
      return false;  // flags ("(?i)" changes what a literal matches), named groups...
    }
    Node body;
    if (!alternatives(body) || !at(')')) return false;
    ++i_;
    if (kind == zero_width) {
      out = make(Node::zero);
      // A positive lookbehind keeps its text (behind_literals reads it); for
      // lengths and factors it is still zero-width.
      if (behind) {
        out.text = "<=";
        out.kids.push_back(std::move(body));
      }
    } else if (kind == ahead) {
      out = make(Node::look_ahead);
      out.kids.push_back(std::move(body));
    } else {
      out = std::move(body);
    }
    return true;
  }

  std::string_view p_;
  size_t i_ = 0;
};

uint64_t add(uint64_t a, uint64_t b) { return a == kInf || b == kInf ? kInf : a + b; }
uint64_t mul(uint64_t a, uint64_t n) { return a == 0 || n == 0 ? 0 : (a == kInf || n == kInf) ? kInf : a * n; }

struct Len {
  uint64_t min = 0, max = 0;
};

Len length(const Node& n) {
  switch (n.kind) {
    case Node::lit:
      return {n.text.size(), n.text.size()};
    case Node::cls:
      return {1, n.cls_max};
    case Node::zero:
    case Node::look_ahead:
      return {0, 0};
    case Node::repeat: {
      const Len k = length(n.kids[0]);
      return {mul(k.min, n.min), mul(k.max, n.max)};
    }
    case Node::seq: {
      Len t;
      for (const Node& k : n.kids) {
        const Len l = length(k);
        t.min = add(t.min, l.min);
        t.max = add(t.max, l.max);
      }
      return t;
    }
    case Node::alt: {
      Len t{kInf, 0};
      for (const Node& k : n.kids) {
        const Len l = length(k);
        t.min = std::min(t.min, l.min);
        t.max = std::max(t.max, l.max);
      }
      if (n.kids.empty()) t.min = 0;
      return t;
    }
  }
  return {0, kInf};
}

// The strings a node can match, when they are few and short (a superset is
// fine: assertions are read as matching the empty string).
constexpr size_t kMaxStrings = 64, kMaxBytes = 40;
using Language = std::optional<std::vector<std::string>>;

Language product(const Language& a, const Language& b) {
  if (!a || !b || a->size() * b->size() > kMaxStrings) return std::nullopt;
  std::vector<std::string> out;
  for (const auto& x : *a) {
    for (const auto& y : *b) {
      if (x.size() + y.size() > kMaxBytes) return std::nullopt;
      out.push_back(x + y);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// The strings of any of `kids` (by `of`: their whole texts, or their
// suffixes), sorted and unique; nullopt when one is unknown or too many.
template <class Of>
Language union_of(const std::vector<Node>& kids, Of of) {
  std::vector<std::string> out;
  for (const Node& k : kids) {
    const Language l = of(k);
    if (!l) return std::nullopt;
    out.insert(out.end(), l->begin(), l->end());
    if (out.size() > kMaxStrings) return std::nullopt;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Language language(const Node& n) {
  switch (n.kind) {
    case Node::lit:
      return std::vector<std::string>{n.text};
    case Node::cls:
      if (n.choices.empty() || n.lead_only) return std::nullopt;
      return n.choices;
    case Node::zero:
    case Node::look_ahead:
      return std::vector<std::string>{""};
    case Node::repeat: {
      if (n.max == kInf || n.max > 4) return std::nullopt;
      const Language k = language(n.kids[0]);
      Language out = std::vector<std::string>{""};
      Language all = n.min == 0 ? out : std::vector<std::string>{};
      for (uint64_t t = 1; t <= n.max; ++t) {
        out = product(out, k);
        if (!out) return std::nullopt;
        if (t >= n.min) all->insert(all->end(), out->begin(), out->end());
      }
      if (all->size() > kMaxStrings) return std::nullopt;
      std::sort(all->begin(), all->end());
      all->erase(std::unique(all->begin(), all->end()), all->end());
      return all;
    }
    case Node::seq: {
      Language out = std::vector<std::string>{""};
      for (const Node& k : n.kids) {
        out = product(out, language(k));
        if (!out) return std::nullopt;
      }
      return out;
    }
    case Node::alt:
      return union_of(n.kids, language);
  }
  return std::nullopt;
}

// A choice of factors for a node: one of `lits` starts between lo and hi
// bytes after the node's start.
struct Candidate {
  std::vector<std::string> lits;
  uint64_t lo = 0, hi = 0;
  double cost = 0;
};

// How often a string may start at a byte of English text, roughly (letter
// frequencies, each raised so that short strings, which are often whole
// common words, do not look rarer than they are). Only used to choose
// between factor sets: a wrong guess costs speed, never a match.
double frequency(const std::string& s) {
  double f = 1;
  // Past four bytes, most strings of text are words or phrases whose
  // frequency an independent-letter guess underrates: later bytes count
  // for less (still enough that the longer of two strings wins).
  for (size_t k = 0; k < s.size() && k < 12; ++k) {
    const auto c = static_cast<unsigned char>(s[k]);
    double p = 0.01;
    if (c == ' ') p = 0.5;
    else if (std::strchr("etaoinshr", c) && c) p = 0.25;
    else if (std::strchr("dlucmwfgypb", c) && c) p = 0.12;
    else if (c >= 'a' && c <= 'z') p = 0.04;
    else if (c >= '0' && c <= '9') p = 0.002;  // prose holds few digits
    else if (c == ',' || c == '.' || c == '\'' || c == '-') p = 0.05;
    else if (c >= 0x80) p = k == 0 ? 0.005 : 0.5;  // a lead byte; continuation bytes follow it
    f *= k < 4 ? p : std::max(p, 0.7);
  }
  return f;
}

// Unbounded windows are only bounded by runs of span bytes and by the
// starts already tried: with a common factor that is nearly every byte of
// the draft (measured: "ing" after "[a-z]{2,}" cost more than the byte scan),
// so they are counted as this many starts, and chosen only when nothing
// else is known.
constexpr double kUnboundedWidth = 400;

void cost_of(Candidate& c, double unbounded_width) {
  const double width = c.hi == kInf ? unbounded_width : std::min<double>(static_cast<double>(c.hi - c.lo), kUnboundedWidth - 1);
  double f = 0;
  for (const auto& s : c.lits) f += frequency(s);
  // A hit costs a table lookup and a window walk; each start in the window
  // a few byte tests.
  c.cost = f * (4 + width);
}

void consider(std::optional<Candidate>& best, Candidate c, double allow_unbounded) {
  if (c.lits.empty() || (allow_unbounded <= 0 && c.hi == kInf)) return;
  for (const auto& s : c.lits) {
    if (s.empty()) return;
  }
  std::sort(c.lits.begin(), c.lits.end());
  c.lits.erase(std::unique(c.lits.begin(), c.lits.end()), c.lits.end());
  cost_of(c, allow_unbounded);
  if (!best || c.cost < best->cost) best = std::move(c);
}

std::optional<Candidate> best_factors(const Node& n, double allow_unbounded);

std::optional<Candidate> best_of_sequence(const std::vector<Node>& kids, double allow_unbounded) {
  std::optional<Candidate> best;
  uint64_t omin = 0, omax = 0;  // bytes before kids[a]
  for (size_t a = 0; a < kids.size(); ++a) {
    if (auto c = best_factors(kids[a], allow_unbounded)) {
      c->lo = add(c->lo, omin);
      c->hi = add(c->hi, omax);
      consider(best, std::move(*c), allow_unbounded);
    }
    // Runs of few-string parts read as one literal set: "(?:it's|this is) (?:sir|miss)".
    Language run = std::vector<std::string>{""};
    for (size_t b = a; b < kids.size(); ++b) {
      run = product(run, language(kids[b]));
      if (!run) break;
      if (b > a) consider(best, Candidate{*run, omin, omax, 0}, allow_unbounded);
    }
    const Len l = length(kids[a]);
    omin = add(omin, l.min);
    omax = add(omax, l.max);
  }
  return best;
}

std::optional<Candidate> best_factors(const Node& n, double allow_unbounded) {
  std::optional<Candidate> best;
  switch (n.kind) {
    case Node::lit:
      consider(best, Candidate{{n.text}, 0, 0, 0}, allow_unbounded);
      return best;
    case Node::cls:
      if (!n.choices.empty()) consider(best, Candidate{n.choices, 0, 0, 0}, allow_unbounded);
      return best;
    case Node::zero:
      return std::nullopt;
    case Node::look_ahead:
      return best_factors(n.kids[0], allow_unbounded);
    case Node::repeat:
      if (n.min == 0) return std::nullopt;
      best = best_factors(n.kids[0], allow_unbounded);  // the first repetition's
      if (const Language l = language(n)) consider(best, Candidate{*l, 0, 0, 0}, allow_unbounded);
      return best;
    case Node::seq:
      return best_of_sequence(n.kids, allow_unbounded);
    case Node::alt: {
      // Each alternative's own best set, together.
      Candidate all{{}, kInf, 0, 0};
      for (const Node& k : n.kids) {
        auto c = best_factors(k, allow_unbounded);
        if (!c) {
          all.lits.clear();
          break;
        }
        all.lits.insert(all.lits.end(), c->lits.begin(), c->lits.end());
        all.lo = std::min(all.lo, c->lo);
        all.hi = std::max(all.hi, c->hi);
      }
      if (!all.lits.empty()) consider(best, std::move(all), allow_unbounded);
      if (const Language l = language(n)) consider(best, Candidate{*l, 0, 0, 0}, allow_unbounded);
      return best;
    }
  }
  return std::nullopt;
}

// Every match of `n` ends with one of the strings (nullopt: not known, as
// when a match may be empty or end in a class of many characters).
Language suffixes(const Node& n);

// Of a sequence: the exact strings of its last parts, read back from its
// end while they are few (assertions consume nothing and are passed over),
// then the last part's own suffixes.
Language suffixes_of_sequence(const std::vector<Node>& kids) {
  Language out = std::vector<std::string>{""};
  for (size_t k = kids.size(); k-- > 0;) {
    const Node& kid = kids[k];
    if (kid.kind == Node::zero || kid.kind == Node::look_ahead) continue;
    if (const Language l = language(kid)) {
      Language longer = product(l, out);
      if (!longer) break;  // too many: what is known so far still holds
      out = std::move(longer);
      continue;
    }
    if (const Language l = suffixes(kid)) {
      if (Language longer = product(l, out)) out = std::move(longer);
    }
    break;
  }
  return out;
}

Language suffixes(const Node& n) {
  switch (n.kind) {
    case Node::lit:
    case Node::cls:
      return language(n);
    case Node::zero:
    case Node::look_ahead:
      return std::nullopt;
    case Node::repeat:
      if (n.min == 0) return std::nullopt;
      return suffixes(n.kids[0]);  // the last repetition's
    case Node::seq:
      return suffixes_of_sequence(n.kids);
    case Node::alt:
      return union_of(n.kids, suffixes);
  }
  return std::nullopt;
}

std::vector<std::string> behind_of(const Node& tree) {
  // The assertions before the first part that consumes text all hold at the
  // match's start; the first positive lookbehind among them is read.
  std::vector<Node> single;
  const std::vector<Node>* kids = &single;
  if (tree.kind == Node::seq) kids = &tree.kids;
  else single.push_back(tree);
  for (const Node& k : *kids) {
    if (k.kind != Node::zero && k.kind != Node::look_ahead) break;
    if (k.kind != Node::zero || k.text != "<=" || k.kids.empty()) continue;
    Language l = suffixes(k.kids[0]);
    if (!l || l->empty() || std::any_of(l->begin(), l->end(), [](const std::string& s) { return s.empty(); })) return {};
    return std::move(*l);
  }
  return {};
}

}  // namespace

std::vector<std::string> behind_literals(const std::string& pattern) {
  const std::optional<Node> tree = Parser(pattern).parse();
  return tree ? behind_of(*tree) : std::vector<std::string>{};
}

RegexFactors regex_factors(const std::string& pattern, const std::array<bool, 256>* span) {
  RegexFactors out;
  const std::optional<Node> tree = Parser(pattern).parse();
  if (!tree) return out;
  out.behind = behind_of(*tree);
  // An unbounded window ends where the span bytes do: with few letters in
  // the span ("\\d+ ?%": digits, '.', ' ') that is a few bytes, not a clause.
  double unbounded_width = 0;
  if (span) {
    size_t letters = 0;
    for (char c = 'a'; c <= 'z'; ++c) letters += (*span)[static_cast<unsigned char>(c)] ? 1 : 0;
    unbounded_width = letters <= 6 ? 16 : kUnboundedWidth;
  }
  std::optional<Candidate> best = best_factors(*tree, unbounded_width);
  if (!best) return out;
  // Offsets past 2^32 bytes mean "no limit" (a draft is never that long).
  if (best->hi != kInf && best->hi >= kFactorUnbounded) best->hi = kInf;
  if (best->lo >= kFactorUnbounded) return out;
  out.known = true;
  out.literals = std::move(best->lits);
  out.lo = static_cast<uint32_t>(best->lo);
  out.hi = best->hi == kInf ? kFactorUnbounded : static_cast<uint32_t>(best->hi);
  if (span) {
    out.span_known = true;
    out.span = *span;
  }
  return out;
}

}  // namespace postguard::match

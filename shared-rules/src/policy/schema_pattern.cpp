#include "policy/schema_pattern.h"

#include <unicode/uchar.h>

#include <functional>
#include <vector>

#include "text/utf8.h"

namespace postguard::policy {

struct SchemaPattern::Node {
  enum class Kind { chars, group, start, end } kind = Kind::chars;
  // chars: code point ranges plus the named classes, maybe negated.
  std::vector<std::pair<UChar32, UChar32>> ranges;
  bool space = false, digit = false, word = false, negated = false;
  std::vector<Node> children;  // group: a sequence
  int min = 1, max = 1;        // max < 0: unbounded

  bool holds(UChar32 c) const {
    bool in = (space && u_isUWhiteSpace(c)) || (digit && u_charType(c) == U_DECIMAL_DIGIT_NUMBER) ||
              (word && is_word(c));
    for (const auto& [lo, hi] : ranges) in = in || (c >= lo && c <= hi);
    return in != negated;
  }
  // ICU's \w: [\p{Alphabetic}\p{Mark}\p{Decimal_Number}\p{Connector_Punctuation}\u200c\u200d].
  static bool is_word(UChar32 c) {
    const auto mask = U_GET_GC_MASK(c);
    return u_hasBinaryProperty(c, UCHAR_ALPHABETIC) || (mask & (U_GC_M_MASK | U_GC_ND_MASK | U_GC_PC_MASK)) != 0 ||
           c == 0x200C || c == 0x200D;
  }
};

namespace {

using Node = SchemaPattern::Node;

// A recursive-descent reader of the subset; any other syntax fails the compile.
class Reader {
 public:
  explicit Reader(std::string_view p) : p_(p) {}

  bool sequence(std::vector<Node>& out, bool in_group) {
    while (i_ < p_.size()) {
      const char c = p_[i_];
      if (c == ')') return in_group;
      Node n;
      if (c == '^' || c == '$') {
        n.kind = c == '^' ? Node::Kind::start : Node::Kind::end;
        ++i_;
        out.push_back(std::move(n));
        continue;  // a quantifier after an anchor is refused below
      }
      if (c == '(') {
        ++i_;
        if (i_ < p_.size() && p_[i_] == '?') return false;  // (?:...), look-arounds, flags
        n.kind = Node::Kind::group;
        if (!sequence(n.children, true) || i_ >= p_.size() || p_[i_] != ')') return false;
        ++i_;
      } else if (c == '[') {
        if (!char_class(n)) return false;
      } else if (c == '\\') {
        if (!escape(n)) return false;
      } else if (!plain_literal(c)) {
        return false;  // . | * + ? { } ] and other syntax: use ICU
      } else {
        UChar32 cp;
        if (!code_point(cp)) return false;
        n.ranges.push_back({cp, cp});
      }
      if (i_ < p_.size() && (p_[i_] == '*' || p_[i_] == '+' || p_[i_] == '?')) {
        n.min = p_[i_] == '+' ? 1 : 0;
        n.max = p_[i_] == '?' ? 1 : -1;
        ++i_;
        // Lazy or possessive quantifiers and stacked ones are outside the subset.
        if (i_ < p_.size() && (p_[i_] == '*' || p_[i_] == '+' || p_[i_] == '?' || p_[i_] == '{')) return false;
      } else if (i_ < p_.size() && p_[i_] == '{') {
        return false;
      }
      out.push_back(std::move(n));
    }
    return !in_group;
  }

  bool done() const { return i_ == p_.size(); }

  static bool alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
  // Characters that stand for themselves in both ICU and this reader (non-ASCII included).
  static bool plain_literal(char c) {
    return alnum(c) || (c & 0x80) || std::string_view("@#_-,:/!%=~<>'\" ").find(c) != std::string_view::npos;
  }
  static bool plain_in_class(char c) {
    return alnum(c) || (c & 0x80) || c == '\\' || std::string_view("_.-@#").find(c) != std::string_view::npos;
  }

 private:
  bool code_point(UChar32& cp) {
    cp = static_cast<UChar32>(text::decode_utf8(p_, i_));
    return cp != 0xFFFD;
  }

  // After a backslash: a class escape (\s \d \w) or an escaped ASCII punctuation mark;
  // \S \D \W, \b, \p{..}, \x.. and the rest are refused.
  bool escape(Node& n) {
    ++i_;
    if (i_ >= p_.size()) return false;
    const char e = p_[i_++];
    if (e == 's') n.space = true;
    else if (e == 'd') n.digit = true;
    else if (e == 'w') n.word = true;
    else if ((e >= 0x21 && e <= 0x2F) || (e >= 0x3A && e <= 0x40) || (e >= 0x5B && e <= 0x60) || (e >= 0x7B && e <= 0x7E))
      n.ranges.push_back({e, e});
    else return false;  // \b, \p{..}, \x.., \u.... and the rest
    return true;
  }

  bool char_class(Node& n) {
    ++i_;  // '['
    if (i_ < p_.size() && p_[i_] == '^') {
      n.negated = true;
      ++i_;
    }
    while (i_ < p_.size() && p_[i_] != ']') {
      const char c = p_[i_];
      if (!plain_in_class(c)) return false;  // nested sets, set operations, $ { } and the like
      if (c == '\\') {
        Node tmp;
        if (!escape(tmp)) return false;
        n.space |= tmp.space;
        n.digit |= tmp.digit;
        n.word |= tmp.word;
        for (const auto& r : tmp.ranges) n.ranges.push_back(r);
        continue;
      }
      UChar32 lo;
      if (!code_point(lo)) return false;
      UChar32 hi = lo;
      if (i_ + 1 < p_.size() && p_[i_] == '-' && p_[i_ + 1] != ']') {
        ++i_;
        if (p_[i_] == '\\' || !plain_in_class(p_[i_])) return false;
        if (!code_point(hi) || hi < lo) return false;
      }
      n.ranges.push_back({lo, hi});
    }
    if (i_ >= p_.size() || (n.ranges.empty() && !n.space && !n.digit && !n.word)) return false;
    ++i_;  // ']'
    return true;
  }

  std::string_view p_;
  size_t i_ = 0;
};

bool anchors_valid(const std::vector<Node>& seq) {
  for (const auto& n : seq) {
    if ((n.kind == Node::Kind::start || n.kind == Node::Kind::end) && (n.min != 1 || n.max != 1)) return false;
    if (n.kind == Node::Kind::group && !anchors_valid(n.children)) return false;
  }
  return true;
}

bool is_line_end(UChar32 c) {
  return c == 0x0A || c == 0x0B || c == 0x0C || c == 0x0D || c == 0x85 || c == 0x2028 || c == 0x2029;
}

using Next = std::function<bool(size_t)>;

class Matcher {
 public:
  explicit Matcher(const std::vector<UChar32>& text) : t_(text) {}

  bool seq(const std::vector<Node>& nodes, size_t k, size_t pos, const Next& next) const {
    if (k == nodes.size()) return next(pos);
    return repeat(nodes[k], 0, pos, [&](size_t p) { return seq(nodes, k + 1, p, next); });
  }

 private:
  // Greedy, with backtracking: one more repetition first, then the rest.
  bool repeat(const Node& n, int count, size_t pos, const Next& next) const {
    if (n.kind == Node::Kind::chars) {
      // A character class: the longest run first, then shorter ones, without a
      // call per character.
      size_t run = 0;
      while (pos + run < t_.size() && (n.max < 0 || run < static_cast<size_t>(n.max)) && n.holds(t_[pos + run])) ++run;
      for (size_t k = run + 1; k-- > static_cast<size_t>(n.min);) {
        if (next(pos + k)) return true;
      }
      return false;
    }
    if (n.max < 0 || count < n.max) {
      // A repetition that consumed nothing would loop forever; ICU stops there too.
      if (once(n, pos, [&](size_t p) { return p != pos && repeat(n, count + 1, p, next); })) return true;
    }
    if (count >= n.min) return next(pos);
    // Below the minimum an empty repetition still counts (e.g. "(a?)+" on "").
    return once(n, pos, [&](size_t p) { return p == pos && next(p); });
  }

  bool once(const Node& n, size_t pos, const Next& next) const {
    switch (n.kind) {
      case Node::Kind::chars:
        return pos < t_.size() && n.holds(t_[pos]) && next(pos + 1);
      case Node::Kind::group:
        return seq(n.children, 0, pos, next);
      case Node::Kind::start:
        return pos == 0 && next(pos);
      case Node::Kind::end:
        // ICU's $ without MULTILINE: the end, or before a line terminator that ends the input.
        if (pos == t_.size()) return next(pos);
        if (pos + 1 == t_.size() && is_line_end(t_[pos])) return next(pos);
        if (pos + 2 == t_.size() && t_[pos] == 0x0D && t_[pos + 1] == 0x0A) return next(pos);
        return false;
    }
    return false;
  }

  const std::vector<UChar32>& t_;
};

}  // namespace

std::optional<SchemaPattern> SchemaPattern::compile(std::string_view pattern) {
  auto root = std::make_shared<Node>();
  root->kind = Node::Kind::group;
  Reader r(pattern);
  if (!r.sequence(root->children, false) || !r.done() || !anchors_valid(root->children)) return std::nullopt;
  SchemaPattern out;
  out.root_ = std::move(root);
  return out;
}

std::optional<bool> SchemaPattern::search(std::string_view utf8) const {
  // A repeated group recurses once per repetition: values far longer than any
  // handle or domain are left to ICU, whose backtracking has its own limit.
  if (utf8.size() > kMaxValueBytes) return std::nullopt;
  std::vector<UChar32> text;
  text.reserve(utf8.size());
  for (size_t i = 0; i < utf8.size();) text.push_back(static_cast<UChar32>(text::decode_utf8(utf8, i)));
  const Matcher m(text);
  for (size_t start = 0; start <= text.size(); ++start) {
    if (m.seq(root_->children, 0, start, [](size_t) { return true; })) return true;
  }
  return false;
}

}  // namespace postguard::policy

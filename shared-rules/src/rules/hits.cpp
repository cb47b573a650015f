#include "rules/hits.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <unordered_map>

#include <unicode/regex.h>

#include "text/utf8.h"

namespace postguard::rules {

namespace {

size_t utf8_length(unsigned char lead) { return lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4; }

}  // namespace

RegexInput::RegexInput(const std::string& folded) : bytes(folded) {
  // UTF-8 -> UTF-16 and the sparse map in one pass, written here rather than
  // with UnicodeString::fromUTF8 because most folded text is ASCII (a plain
  // widening copy) and the map needs the same walk. The folded text is valid
  // UTF-8 (built from validated input and ICU output).
  const size_t n = folded.size();
  const char* const d = folded.data();
  char16_t* const out = text.getBuffer(static_cast<int32_t>(n > 0 ? n : 1));
  if (!out) {  // out of memory: ICU's own conversion, and the map the slow way
    text = icu::UnicodeString::fromUTF8(folded);
  }
  size_t u = 0;  // UTF-16 units so far
  for (size_t i = 0; i < n;) {
    uint64_t v;
    if (out && i + 8 <= n && (std::memcpy(&v, d + i, 8), (v & 0x8080808080808080ull) == 0)) {
      for (size_t k = 0; k < 8; ++k) out[u + k] = static_cast<unsigned char>(d[i + k]);  // eight ASCII bytes
      u += 8;
      i += 8;
      continue;
    }
    const auto c = static_cast<unsigned char>(d[i]);
    if (c < 0x80) {
      if (out) out[u] = c;
      ++u;
      ++i;
      continue;
    }
    const size_t at = i;
    const char32_t cp = text::decode_utf8(folded, i);
    wide_byte_.push_back(static_cast<uint32_t>(at));
    wide_unit_.push_back(static_cast<uint32_t>(u));
    if (cp >= 0x10000) {
      if (out) {
        out[u] = static_cast<char16_t>(0xD7C0 + (cp >> 10));
        out[u + 1] = static_cast<char16_t>(0xDC00 | (cp & 0x3FF));
      }
      u += 2;
    } else {
      if (out) out[u] = static_cast<char16_t>(cp);
      ++u;
    }
  }
  if (out) text.releaseBuffer(static_cast<int32_t>(u));
}

uint32_t RegexInput::utf16_at(size_t byte) const {
  auto it = std::upper_bound(wide_byte_.begin(), wide_byte_.end(), byte);
  if (it == wide_byte_.begin()) return static_cast<uint32_t>(byte);
  const size_t k = static_cast<size_t>(it - wide_byte_.begin()) - 1;
  const size_t p = wide_byte_[k], len = utf8_length(static_cast<unsigned char>(bytes[p]));
  const uint32_t u = wide_unit_[k], units = len == 4 ? 2 : 1;
  if (byte < p + len) return u;
  return static_cast<uint32_t>(u + units + (byte - (p + len)));
}

uint32_t RegexInput::byte_at(size_t unit) const {
  auto it = std::upper_bound(wide_unit_.begin(), wide_unit_.end(), unit);
  if (it == wide_unit_.begin()) return static_cast<uint32_t>(unit);
  const size_t k = static_cast<size_t>(it - wide_unit_.begin()) - 1;
  const size_t p = wide_byte_[k], len = utf8_length(static_cast<unsigned char>(bytes[p]));
  const size_t u = wide_unit_[k], units = len == 4 ? 2 : 1;
  if (unit < u + units) return static_cast<uint32_t>(p);
  return static_cast<uint32_t>(p + len + (unit - u - units));
}

namespace {

// The distinct pattern of a regex (the compile shares one per pattern text),
// named without compiling it: ICU compiles it on first use (LazyPattern).
const LazyPattern* pattern_of(const CompiledRegex& regex) { return regex.lazy.get(); }

// Matchers are kept between checks: making and freeing one per regex per check
// cost about a tenth of a short check (more in wasm: dlmalloc, no inlining
// across ICU). A matcher has state, so one cache per thread (the host and CLI
// may check from several threads). Each entry holds its pattern, so a pattern's
// address cannot be taken by another one while it is cached. The packs'
// patterns live for the whole process, so the cache holds a fixed set; the
// cap only bounds odd callers that compile patterns of their own.
class MatcherCache {
 public:
  // The pattern's matcher, reset to `text`; nullptr if ICU cannot make one
  // (that regex then finds nothing, as before).
  icu::RegexMatcher* get(const CompiledRegex& regex, const icu::UnicodeString& text) {
    const LazyPattern* key = pattern_of(regex);
    if (!key) return nullptr;
    auto it = entries_.find(key);
    if (it == entries_.end()) {
      const icu::RegexPattern* pattern = key->get();
      if (!pattern) return nullptr;
      UErrorCode status = U_ZERO_ERROR;
      std::unique_ptr<icu::RegexMatcher> m(pattern->matcher(status));
      if (U_FAILURE(status) || !m) return nullptr;
      it = entries_.emplace(key, Entry{regex.lazy, std::move(m)}).first;
    }
    icu::RegexMatcher* m = it->second.matcher.get();
    m->reset(text);
    return m;
  }
  size_t size() const { return entries_.size(); }
  // Called where no matcher is in use (a pass may hold several at once).
  void trim() {
    if (entries_.size() > kMaxEntries) entries_.clear();
  }
  // After an ICU error: a matcher can keep an error state, so the next use
  // gets a fresh one.
  void drop(const CompiledRegex& regex) {
    entries_.erase(pattern_of(regex));
  }

 private:
  static constexpr size_t kMaxEntries = 4096;
  struct Entry {
    std::shared_ptr<const LazyPattern> pattern;
    std::unique_ptr<icu::RegexMatcher> matcher;
  };
  std::unordered_map<const LazyPattern*, Entry> entries_;
};

MatcherCache& matchers() {
  thread_local MatcherCache cache;
  return cache;
}

// Do the n bytes at a and b agree? Prefixes and tail literals are a few
// bytes long: a plain loop beats a call to memcmp (the calls cost more than
// the compares here, about 7M instructions on a 1 MB draft).
bool same_bytes(const char* a, const char* b, size_t n) {
  for (size_t k = 0; k < n; ++k) {
    if (a[k] != b[k]) return false;
  }
  return true;
}

bool starts_with_prefix(const match::StartSet& start, std::string_view t, size_t i) {
  const size_t rest = t.size() - i;
  const char c0 = t[i], c1 = rest > 1 ? t[i + 1] : '\0';
  const auto b0 = static_cast<unsigned char>(c0);
  // A start set made without start_set() has no buckets: try every prefix.
  const bool bucketed = start.sorted_prefixes.size() == start.prefixes.size();
  const std::vector<std::string>& list = bucketed ? start.sorted_prefixes : start.prefixes;
  const size_t from = bucketed ? start.prefix_at[b0] : 0, to = bucketed ? start.prefix_at[b0 + 1] : list.size();
  if (bucketed) {
    // The bucket is sorted (bytewise, as memcmp): walk it while its strings
    // sort below the text. At the first byte where a string and the text
    // differ, a string above the text means every later one is too, and a
    // text that ends first fits no later one either.
    const auto* const text = reinterpret_cast<const unsigned char*>(t.data() + i);
    for (size_t k = from; k < to; ++k) {
      const std::string& p = list[k];
      const auto* const q = reinterpret_cast<const unsigned char*>(p.data());
      size_t j = 0;
      const size_t m = p.size() < rest ? p.size() : rest;
      while (j < m && q[j] == text[j]) ++j;
      if (j == p.size()) return true;
      if (j == rest || q[j] > text[j]) return false;
    }
    return false;
  }
  for (size_t k = from; k < to; ++k) {
    const std::string& p = list[k];
    // First two bytes inline before the full compare (prefixes are never empty).
    if (p[0] != c0 || p.size() > rest || (p.size() > 1 && p[1] != c1)) continue;
    if (same_bytes(p.data(), t.data() + i, p.size())) return true;
  }
  return false;
}

// The bytes around t[i] fit the start set's ahead / behind lists.
bool around_fits(const match::StartSet& start, std::string_view t, size_t i) {
  for (size_t k = 0; k < start.ahead.size(); ++k) {
    if (i + k >= t.size()) return false;
    const auto& l = start.ahead[k];
    if (!std::binary_search(l.begin(), l.end(), static_cast<unsigned char>(t[i + k]))) return false;
  }
  for (size_t k = 0; k < start.behind.size(); ++k) {
    if (i < k + 1) return false;
    const auto& l = start.behind[k];
    if (!std::binary_search(l.begin(), l.end(), static_cast<unsigned char>(t[i - 1 - k]))) return false;
  }
  return true;
}

// For a start set with a tail (see StartSet::tail): can a match starting at
// t[i] hold one of the tail literals? It can when a literal starts at some
// j >= i, ends within the match's reach (tail_window) and t[i, j) holds only
// span bytes. The run of span bytes is read once, forward, with the
// literals' occurrences in it kept: a start then only looks at the
// occurrences already found in its window and reads on only past them, as
// RE2 and Hyperscan search the rare literal first. (Searching forward from
// every start re-read up to the window each time: with a common first word
// and a rare literal far on, that was most of such a regex's cost.) Starts
// are asked in increasing order, as the scans do; an earlier one starts the
// search afresh.
struct TailSearch {
  // t[from, cursor) holds only span bytes, and `found` every occurrence of a
  // literal in it: where it starts and where the shortest literal there ends
  // (literals with a byte outside the span never count: no match holds them).
  size_t from = 0, cursor = 0;
  bool ends = false;  // t[cursor] is not a span byte: the run ends there
  std::vector<std::pair<size_t, size_t>> found;
  size_t next = 0;  // the first entry of `found` that may be at or after a start
  size_t last = 0;  // the last start asked about
  // Once a scan has read more than kPlainRead bytes (a long draft), a table
  // of what each byte is (kind_*), so runs of bytes that neither end the run
  // nor start a literal are skipped in a tight loop. Short drafts never pay
  // for building it.
  size_t read = 0;
  std::unique_ptr<uint8_t[]> kind;
};
constexpr size_t kPlainRead = 4096;
constexpr uint8_t kind_stop = 0, kind_plain = 1, kind_maybe = 2;

// Where the shortest usable tail literal at t[p] ends, or 0. The bucket is
// sorted (bytewise): the literals found at p are prefixes of one another, so
// the first found is the shortest, and the walk stops at the first literal
// above the text (as starts_with_prefix's does; comparing every literal of
// a long last group was about half of tail_fits' cost).
size_t tail_literal_end(const match::StartSet& st, std::string_view t, size_t p) {
  const auto b = static_cast<unsigned char>(t[p]);
  const size_t rest = t.size() - p;
  const auto* const text = reinterpret_cast<const unsigned char*>(t.data() + p);
  for (size_t k = st.tail_at[b]; k < st.tail_at[b + 1]; ++k) {
    const std::string& lit = st.tail[k];
    const auto* const q = reinterpret_cast<const unsigned char*>(lit.data());
    const size_t m = lit.size() < rest ? lit.size() : rest;
    size_t j = 1;  // the first byte is the bucket's
    while (j < m && q[j] == text[j]) ++j;
    if (j < lit.size()) {
      if (j == rest || q[j] > text[j]) return 0;
      continue;
    }
    bool usable = true;  // always, for start sets made by start_set(); a hand-made one may differ
    for (size_t x = 1; x < lit.size() && usable; ++x) usable = st.span[static_cast<unsigned char>(lit[x])];
    if (usable) return p + lit.size();
  }
  return 0;
}

bool tail_fits(const match::StartSet& st, std::string_view t, size_t i, TailSearch& s) {
  if (st.tail.empty()) return true;
  if (i < s.last || i > s.cursor || (s.ends && i == s.cursor)) {
    // Outside the run read so far (or an out-of-order start): a new run from i.
    s.from = s.cursor = i;
    s.ends = false;
    s.found.clear();
    s.next = 0;
  }
  s.last = i;
  // No literal can lie past the furthest a match reaches (tail_window).
  const size_t limit = st.tail_window && st.tail_window < t.size() - i ? i + st.tail_window : t.size();
  while (s.next < s.found.size() && s.found[s.next].first < i) ++s.next;
  for (size_t k = s.next; k < s.found.size(); ++k) {
    if (s.found[k].first >= limit) return false;
    if (s.found[k].second <= limit) return true;
  }
  // Read on: every occurrence found from here starts after those above.
  const auto* const bytes = reinterpret_cast<const unsigned char*>(t.data());
  while (!s.ends && s.cursor < limit) {
    if (s.kind) {
      size_t q = s.cursor;
      while (q < limit && s.kind[bytes[q]] == kind_plain) ++q;
      s.cursor = q;
      if (q == limit) break;
    } else if (++s.read > kPlainRead) {
      s.kind.reset(new uint8_t[256]);
      for (size_t b = 0; b < 256; ++b) {
        s.kind[b] = !st.span[b] ? kind_stop : st.tail_at[b] == st.tail_at[b + 1] ? kind_plain : kind_maybe;
      }
    }
    const size_t p = s.cursor;
    if (!st.span[bytes[p]]) {
      s.ends = true;
      break;
    }
    ++s.cursor;
    if (const size_t end = tail_literal_end(st, t, p)) {
      s.found.emplace_back(p, end);
      if (end <= limit) return true;
    }
  }
  return false;
}

}  // namespace

namespace {

void find_one(const CompiledRegex& regex, const RegexInput& in, std::vector<Span>& out) {
  UErrorCode status = U_ZERO_ERROR;
  icu::RegexMatcher* const m = matchers().get(regex, in.text);
  if (!m) return;
  auto add = [&](int32_t b, int32_t e) {
    if (e > b) out.push_back({in.byte_at(static_cast<size_t>(b)), in.byte_at(static_cast<size_t>(e))});
  };
  if (!regex.start.known) {
    // ICU's defaults (a reused matcher keeps the bounds it was given).
    m->useTransparentBounds(false);
    m->useAnchoringBounds(true);
    while (m->find(status) && U_SUCCESS(status)) add(m->start(status), m->end(status));
    if (U_FAILURE(status)) matchers().drop(regex);
    return;
  }
  // Try only where a match can start; look-behind and \b still see the text
  // around the position (transparent bounds).
  m->useTransparentBounds(true);
  m->useAnchoringBounds(false);
  bool failed = false;
  const std::string_view t = in.bytes;
  const int64_t length = in.text.length();
  auto ascii_word = [](unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || (c >= 'A' && c <= 'Z');
  };
  TailSearch tail_run;
  for (size_t i = 0; i < t.size();) {
    const auto c = static_cast<unsigned char>(t[i]);
    if (!regex.start.bytes[c] || (regex.start.at_word_boundary && i > 0 && ascii_word(static_cast<unsigned char>(t[i - 1])) && ascii_word(c)) ||
        (!regex.start.literal.empty() && t.compare(i, regex.start.literal.size(), regex.start.literal) != 0) ||
        (!regex.start.prefixes.empty() && !starts_with_prefix(regex.start, t, i)) || !around_fits(regex.start, t, i) ||
        !tail_fits(regex.start, t, i, tail_run)) {
      ++i;
      continue;
    }
    status = U_ZERO_ERROR;
    m->region(in.utf16_at(i), length, status);
    if (U_SUCCESS(status) && m->lookingAt(status) && U_SUCCESS(status)) {
      const int32_t b = m->start(status), e = m->end(status);
      add(b, e);
      const size_t next = in.byte_at(static_cast<size_t>(e));
      i = next > i ? next : i + 1;
      continue;
    }
    failed = failed || U_FAILURE(status);
    ++i;
  }
  if (failed) matchers().drop(regex);
}

bool ascii_word(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || (c >= 'A' && c <= 'Z');
}

// Can a match of `start` begin at t[i]? (Its first byte is already known to fit.)
bool may_start_at(const match::StartSet& start, std::string_view t, size_t i) {
  const auto c = static_cast<unsigned char>(t[i]);
  if (start.at_word_boundary && i > 0 && ascii_word(static_cast<unsigned char>(t[i - 1])) && ascii_word(c)) return false;
  if (!start.literal.empty() && t.compare(i, start.literal.size(), start.literal) != 0) return false;
  if (!start.prefixes.empty() && !starts_with_prefix(start, t, i)) return false;
  return true;
}

// Index of the lowest set bit (de Bruijn multiplication: portable, no builtins).
size_t lowest_bit(uint64_t m) {
  static const uint8_t kIndex[64] = {0,  1,  48, 2,  57, 49, 28, 3,  61, 58, 50, 42, 38, 29, 17, 4,
                                     62, 55, 59, 36, 53, 51, 43, 22, 45, 39, 33, 30, 24, 18, 12, 5,
                                     63, 47, 56, 27, 60, 41, 37, 16, 54, 35, 52, 21, 44, 32, 23, 11,
                                     46, 26, 40, 15, 34, 20, 31, 10, 25, 14, 19, 9,  13, 8,  7,  6};
  return kIndex[((m & (0 - m)) * 0x03f79d71b4cb0a89ull) >> 58];
}

// The per-byte tables of one pass (see find_known), built from the start
// sets of its regexes.
struct PassTables {
  uint64_t anywhere[256];  // regexes that may start with byte b without a word boundary
  uint64_t at_boundary[256];  // ...that start with b and \b
  // ahead[k][b]: regexes that allow byte b at offset k from the start (or
  // know nothing there); ahead_end[k]: regexes that allow the text to end
  // before offset k. The same for behind (offset -1 - k).
  uint64_t ahead[match::kAheadMax][256];
  uint64_t behind[match::kBehindMax][256];
  uint64_t ahead_end[match::kAheadMax];
  uint64_t behind_start[match::kBehindMax];
};

void build_tables(const RegexJob* jobs, size_t count, PassTables& t) {
  uint64_t then[256] = {};  // regexes whose second byte may be b
  uint64_t any_second = 0;  // regexes with no limit on the second byte
  std::fill(std::begin(t.anywhere), std::end(t.anywhere), 0);
  std::fill(std::begin(t.at_boundary), std::end(t.at_boundary), 0);
  {
    uint64_t free_ahead[match::kAheadMax] = {}, free_behind[match::kBehindMax] = {};
    for (size_t r = 0; r < count; ++r) {
      const match::StartSet& st = jobs[r].regex->start;
      const uint64_t bit = uint64_t{1} << r;
      for (size_t k = st.ahead.size(); k < match::kAheadMax; ++k) free_ahead[k] |= bit;
      for (size_t k = st.behind.size(); k < match::kBehindMax; ++k) free_behind[k] |= bit;
    }
    for (size_t k = 0; k < match::kAheadMax; ++k) {
      std::fill(std::begin(t.ahead[k]), std::end(t.ahead[k]), free_ahead[k]);
      t.ahead_end[k] = free_ahead[k];
    }
    for (size_t k = 0; k < match::kBehindMax; ++k) {
      std::fill(std::begin(t.behind[k]), std::end(t.behind[k]), free_behind[k]);
      t.behind_start[k] = free_behind[k];
    }
    for (size_t r = 0; r < count; ++r) {
      const match::StartSet& st = jobs[r].regex->start;
      const uint64_t bit = uint64_t{1} << r;
      for (size_t k = 0; k < st.ahead.size() && k < match::kAheadMax; ++k) {
        for (unsigned char b : st.ahead[k]) t.ahead[k][b] |= bit;
      }
      for (size_t k = 0; k < st.behind.size() && k < match::kBehindMax; ++k) {
        for (unsigned char b : st.behind[k]) t.behind[k][b] |= bit;
      }
    }
  }
  // Filled from the start sets' byte lists (derived at compile time).
  for (size_t r = 0; r < count; ++r) {
    const match::StartSet& st = jobs[r].regex->start;
    const uint64_t bit = uint64_t{1} << r;
    uint64_t* first = st.at_word_boundary ? t.at_boundary : t.anywhere;
    if (!st.first_list.empty()) {
      for (unsigned char b : st.first_list) first[b] |= bit;
    } else {  // a start set made without the lists
      for (size_t b = 0; b < 256; ++b) {
        if (st.bytes[b]) first[b] |= bit;
      }
    }
    if (st.second_any || st.first_list.empty()) {
      any_second |= bit;
    } else {
      for (unsigned char b : st.second_list) then[b] |= bit;
    }
  }
  // One table per offset: the second-byte table goes into ahead[1], and
  // ahead[0] into the first-byte tables.
  for (size_t b = 0; b < 256; ++b) {
    t.ahead[1][b] &= then[b] | any_second;
    t.anywhere[b] &= t.ahead[0][b];
    t.at_boundary[b] &= t.ahead[0][b];
  }
  t.ahead_end[1] &= any_second;
}

// The tables of the last passes on this thread, kept: building them cost
// about 7% of a 280-character check (callgrind), and checks with one policy and context
// run the same regexes every time. A pass's tables are reused when it has the
// same regexes in the same order: the same CompiledRegex objects with the
// same patterns (held here, so their addresses stay theirs) and start sets of
// the same shape (start sets come from the pattern text, so one pattern has
// one start set; the shape guards against a hand-made one).
// What a per-thread cache of tables built for a batch of regexes is keyed
// on: each regex, its pattern and a hash of what the tables were built from.
struct RegexCacheKey {
  const CompiledRegex* regex;
  std::shared_ptr<const LazyPattern> pattern;  // held, so its address names it while cached
  size_t shape;
  bool operator==(const RegexCacheKey& o) const { return regex == o.regex && pattern == o.pattern && shape == o.shape; }
};

class TableCache {
 public:
  const PassTables& get(size_t batch, const RegexJob* jobs, size_t count) {
    if (batch >= kBatches) {  // more regexes than cached passes: build each time
      build_tables(jobs, count, spare_);
      return spare_;
    }
    Entry& e = entries_[batch];
    bool same = e.built && e.keys.size() == count;
    for (size_t r = 0; same && r < count; ++r) same = e.keys[r] == key_of(*jobs[r].regex);
    if (!same) {
      e.keys.clear();
      for (size_t r = 0; r < count; ++r) e.keys.push_back(key_of(*jobs[r].regex));
      build_tables(jobs, count, e.tables);
      e.built = true;
    }
    return e.tables;
  }

 private:
  using Key = RegexCacheKey;
  static size_t shape_of(const match::StartSet& st) {
    size_t h = st.first_list.size() * 31 + st.second_list.size();
    h = h * 31 + st.ahead.size() * 7 + st.behind.size();
    for (const auto& l : st.ahead) h = h * 31 + l.size();
    for (const auto& l : st.behind) h = h * 31 + l.size();
    return h * 4 + (st.at_word_boundary ? 2 : 0) + (st.second_any ? 1 : 0);
  }
  static Key key_of(const CompiledRegex& regex) { return {&regex, regex.lazy, shape_of(regex.start)}; }
  struct Entry {
    bool built = false;
    std::vector<Key> keys;
    PassTables tables;
  };
  static constexpr size_t kBatches = 4;  // 256 regexes; the packs have about 50
  Entry entries_[kBatches];
  PassTables spare_;
};

// One pass for up to 64 regexes with known start sets. Per byte, a table
// lookup says which regexes can start there: by the byte itself, by whether
// a word boundary is needed and present, and by the byte after it (from the
// prefixes or a known second character). Only those get the full start test
// of find_all, then ICU.
void find_known(const RegexJob* jobs, size_t count, size_t batch, const RegexInput& in) {
  struct Running {
    icu::RegexMatcher* matcher = nullptr;  // from the thread's cache, made ready on first use
    bool made = false;
    bool failed = false;  // an ICU error: the cache makes a fresh matcher next time
    size_t next = 0;      // a match ended here: this regex resumes from it
    TailSearch tail;
  };
  std::vector<Running> run(count);
  thread_local TableCache table_cache;
  const PassTables& tables = table_cache.get(batch, jobs, count);
  const uint64_t* const anywhere = tables.anywhere;
  const uint64_t* const at_boundary = tables.at_boundary;
  const auto& ahead = tables.ahead;
  const auto& behind = tables.behind;
  const uint64_t* const ahead_end = tables.ahead_end;
  const uint64_t* const behind_start = tables.behind_start;
  static_assert(match::kAheadMax == 4 && match::kBehindMax == 2, "the scan below reads offsets 1-3 and -1, -2");
  // The matcher of regex r, made ready on first use; nullptr if ICU cannot
  // make one (as in find_all: that regex finds nothing).
  MatcherCache& cache = matchers();
  auto matcher = [&](size_t r) -> icu::RegexMatcher* {
    Running& x = run[r];
    if (!x.made) {
      x.made = true;
      x.matcher = cache.get(*jobs[r].regex, in.text);
      if (x.matcher) {
        // Look-behind and \b still see the text around the position (transparent bounds).
        x.matcher->useTransparentBounds(true);
        x.matcher->useAnchoringBounds(false);
      }
    }
    return x.matcher;
  };
  const std::string_view t = in.bytes;
  const size_t n = t.size();
  const int64_t length = in.text.length();
  const unsigned char* const data = reinterpret_cast<const unsigned char*>(t.data());
  static const struct WordBytes {
    bool w[256];
    WordBytes() : w() {
      for (size_t b = 0; b < 256; ++b) w[b] = ascii_word(static_cast<unsigned char>(b));
    }
  } word_bytes;
  const bool* const is_word = word_bytes.w;
  bool prev_word = false;  // is t[i - 1] an ASCII word character?
  for (size_t i = 0; i < n; ++i) {
    const unsigned char c = data[i];
    const bool word = is_word[c];
    uint64_t m = anywhere[c] | ((prev_word && word) ? 0 : at_boundary[c]);
    prev_word = word;
    if (!m) continue;
    if (i >= match::kBehindMax && i + match::kAheadMax <= n) {
      // Away from the ends of the text (nearly every byte): no bounds to test.
      m &= ahead[1][data[i + 1]] & ahead[2][data[i + 2]] & ahead[3][data[i + 3]] & behind[0][data[i - 1]] &
           behind[1][data[i - 2]];
    } else {
      for (size_t k = 1; m && k < match::kAheadMax; ++k) m &= i + k < n ? ahead[k][data[i + k]] : ahead_end[k];
      for (size_t k = 0; m && k < match::kBehindMax; ++k) m &= i > k ? behind[k][data[i - 1 - k]] : behind_start[k];
    }
    while (m) {
      const size_t r = lowest_bit(m);
      m &= m - 1;
      Running& x = run[r];
      if (i < x.next || !may_start_at(jobs[r].regex->start, t, i) || !tail_fits(jobs[r].regex->start, t, i, x.tail)) continue;
      icu::RegexMatcher* const mr = matcher(r);
      if (!mr) continue;
      UErrorCode status = U_ZERO_ERROR;
      mr->region(in.utf16_at(i), length, status);
      if (U_SUCCESS(status) && mr->lookingAt(status) && U_SUCCESS(status)) {
        const int32_t b = mr->start(status), e = mr->end(status);
        if (e > b) jobs[r].out->push_back({in.byte_at(static_cast<size_t>(b)), in.byte_at(static_cast<size_t>(e))});
        const size_t next = in.byte_at(static_cast<size_t>(e));
        x.next = next > i ? next : i + 1;
      }
      x.failed = x.failed || U_FAILURE(status);
    }
  }
  for (size_t r = 0; r < count; ++r) {
    if (run[r].failed) cache.drop(*jobs[r].regex);
  }
}


// ---- Literal-first (match/regex_factors.h) --------------------------------
// Every factor literal of the pass's regexes, found in one scan of the draft:
// a bit per two-byte pair says whether some literal starts with it (most
// pairs of text start none), then that pair's literals are compared. Written
// here rather than with the phrase matcher: that one reports words of folded
// phrases at word boundaries, these are raw byte strings anywhere.
struct FactorScanner {
  struct Literal {
    uint16_t key;  // its first two bytes
    std::string text;
    uint32_t regex;
  };
  std::vector<Literal> literals;  // two bytes or more, by key
  std::vector<uint64_t> pairs = std::vector<uint64_t>(65536 / 64, 0);
  // One-byte literals: regexes whose literal is byte b (few: "%", "@", "k", "7").
  std::array<std::vector<uint32_t>, 256> single{};
  std::array<bool, 256> has_single{};

  void build(const RegexJob* jobs, const std::vector<uint32_t>& which) {
    for (uint32_t r : which) {
      for (const std::string& l : jobs[r].regex->start.factors.literals) {
        const auto b0 = static_cast<unsigned char>(l[0]);
        if (l.size() == 1) {
          single[b0].push_back(r);
          has_single[b0] = true;
          // Every pair starting with the byte stops the scan (the last byte of the draft is tested alone).
          for (unsigned b1 = 0; b1 < 256; ++b1) {
            const unsigned key = b0 | b1 << 8;
            pairs[key >> 6] |= uint64_t{1} << (key & 63);
          }
          continue;
        }
        const auto key = static_cast<uint16_t>(b0 | static_cast<unsigned>(static_cast<unsigned char>(l[1])) << 8);
        literals.push_back({key, l, r});
        pairs[key >> 6] |= uint64_t{1} << (key & 63);
      }
    }
    // By pair, then bytewise (as memcmp), so a pair's walk can stop early.
    std::stable_sort(literals.begin(), literals.end(), [](const Literal& a, const Literal& b) {
      return a.key != b.key ? a.key < b.key : a.text < b.text;
    });
    // Each pair's literals, found by an open-addressing table of the pairs
    // present (a few hundred), sized at least twice that.
    size_t size = 64;
    while (size < literals.size() * 2) size *= 2;
    slots.assign(size, Slot{});
    mask = size - 1;
    for (size_t k = 0; k < literals.size();) {
      size_t e = k;
      while (e < literals.size() && literals[e].key == literals[k].key) ++e;
      size_t h = slot_of(literals[k].key);
      while (slots[h].end != 0) h = (h + 1) & mask;
      Slot& slot = slots[h];
      slot.key = literals[k].key;
      slot.begin = static_cast<uint32_t>(k);
      slot.end = static_cast<uint32_t>(e);
      for (size_t x = k; x < e; ++x) {
        const std::string& l = literals[x].text;
        if (l.size() == 2) {
          std::fill(std::begin(slot.third), std::end(slot.third), ~uint64_t{0});
        } else {
          const auto b = static_cast<unsigned char>(l[2]);
          slot.third[b >> 6] |= uint64_t{1} << (b & 63);
        }
      }
      k = e;
    }
  }
  struct Slot {
    uint16_t key = 0;
    uint32_t begin = 0, end = 0;  // literals[begin, end); end 0: an empty slot
    uint64_t third[4] = {};       // the third bytes its literals allow (all, when one is two bytes long)
  };
  std::vector<Slot> slots;
  size_t mask = 0;
  size_t slot_of(unsigned key) const { return ((key * 0x9E3779B1u) >> 16) & mask; }

  // hits[r]: where regex r's literals start, in increasing order.
  void scan(std::string_view t, std::vector<std::vector<uint32_t>>& hits) const {
    const auto* const d = reinterpret_cast<const unsigned char*>(t.data());
    const size_t n = t.size();
    auto add = [&](uint32_t r, size_t p) {
      auto& v = hits[r];
      if (v.empty() || v.back() != p) v.push_back(static_cast<uint32_t>(p));
    };
    if (n == 0) return;
    const uint64_t* const bits = pairs.data();
    unsigned prev = d[0];
    for (size_t p = 0; p + 1 < n; ++p) {
      // The tight part: one bit per pair of bytes, and most pairs have none.
      const unsigned next = d[p + 1];
      const unsigned key = prev | next << 8;
      prev = next;
      if (!((bits[key >> 6] >> (key & 63)) & 1)) continue;
      if (has_single[d[p]]) {
        for (uint32_t r : single[d[p]]) add(r, p);
      }
      size_t h = slot_of(key);
      while (slots[h].end != 0 && slots[h].key != key) h = (h + 1) & mask;
      const Slot& slot = slots[h];
      if (slot.end == 0) continue;
      if (p + 2 < n && !((slot.third[d[p + 2] >> 6] >> (d[p + 2] & 63)) & 1)) continue;
      // The sorted walk of starts_with_prefix: stop at the first literal
      // above the text; a literal equal to the one before (another regex's)
      // has the same answer.
      const size_t rest = n - p;
      bool fits = false;
      for (size_t k = slot.begin; k < slot.end; ++k) {
        const std::string& l = literals[k].text;
        if (k == slot.begin || l != literals[k - 1].text) {
          const auto* const q = reinterpret_cast<const unsigned char*>(l.data());
          size_t j = 2;
          const size_t m = l.size() < rest ? l.size() : rest;
          while (j < m && q[j] == d[p + j]) ++j;
          fits = j == l.size();
          if (!fits && (j == rest || q[j] > d[p + j])) break;
        }
        if (fits) add(literals[k].regex, p);
      }
    }
    if (has_single[d[n - 1]]) {
      for (uint32_t r : single[d[n - 1]]) add(r, n - 1);
    }
  }
};

// The scanners of the last few job lists on this thread (checks with one
// policy and context run the same regexes every time).
class ScannerCache {
 public:
  const FactorScanner& get(const RegexJob* jobs, const std::vector<uint32_t>& which) {
    std::vector<Key> keys;
    keys.reserve(which.size());
    for (uint32_t r : which) keys.push_back(key_of(*jobs[r].regex));
    for (Entry& e : entries_) {
      if (e.keys == keys) return e.scanner;
    }
    Entry& e = entries_[next_];
    next_ = (next_ + 1) % kEntries;
    e.keys = std::move(keys);
    e.scanner = FactorScanner{};
    e.scanner.build(jobs, which);
    return e.scanner;
  }

 private:
  using Key = RegexCacheKey;
  static Key key_of(const CompiledRegex& regex) {
    const match::RegexFactors& f = regex.start.factors;
    size_t h = f.literals.size();
    for (const auto& l : f.literals) h = h * 131 + std::hash<std::string>{}(l);
    return {&regex, regex.lazy, h};
  }
  struct Entry {
    std::vector<Key> keys;
    FactorScanner scanner;
  };
  static constexpr size_t kEntries = 2;
  Entry entries_[kEntries];
  size_t next_ = 0;
};

// Can the regex's factors be used? (A start set made by hand may hold any.)
bool factors_usable(const match::StartSet& st) {
  const match::RegexFactors& f = st.factors;
  if (!st.known || !f.known || f.literals.empty() || f.lo > f.hi) return false;
  if (f.hi == match::kFactorUnbounded && !f.span_known) return false;
  return std::none_of(f.literals.begin(), f.literals.end(), [](const std::string& l) { return l.empty(); });
}

// One regex, tried only at the starts its factor occurrences allow: for an
// occurrence at p, the starts p - hi .. p - lo, and (span known) only those
// from which every byte up to p is a span byte. Starts are tried in
// increasing order, each at most once, with the same start tests as
// find_one; a match moves the next start to its end, as there.
// around_fits with a table: bit k of ahead[b] says t[i + k] may be byte b,
// of behind[b] that t[i - 1 - k] may be. Built once per regex per pass:
// around_fits' binary searches cost about 200 instructions a start.
struct AroundTable {
  std::array<uint8_t, 256> ahead{}, behind{};
  size_t ahead_n = 0, behind_n = 0;
  bool exact = true;  // false: more positions than bits (then around_fits itself)
  explicit AroundTable(const match::StartSet& st) : ahead_n(st.ahead.size()), behind_n(st.behind.size()) {
    if (ahead_n > 8 || behind_n > 8) {
      exact = false;
      return;
    }
    for (size_t k = 0; k < ahead_n; ++k) {
      for (unsigned char b : st.ahead[k]) ahead[b] = static_cast<uint8_t>(ahead[b] | 1u << k);
    }
    for (size_t k = 0; k < behind_n; ++k) {
      for (unsigned char b : st.behind[k]) behind[b] = static_cast<uint8_t>(behind[b] | 1u << k);
    }
  }
  bool fits(const match::StartSet& st, std::string_view t, size_t i) const {
    if (!exact) return around_fits(st, t, i);
    if (i + ahead_n > t.size() || i < behind_n) return false;
    for (size_t k = 0; k < ahead_n; ++k) {
      if (!((ahead[static_cast<unsigned char>(t[i + k])] >> k) & 1)) return false;
    }
    for (size_t k = 0; k < behind_n; ++k) {
      if (!((behind[static_cast<unsigned char>(t[i - 1 - k])] >> k) & 1)) return false;
    }
    return true;
  }
};

// Does t[0, i) end with one of `behind`? (True when there are none.)
bool behind_fits(const std::vector<std::string>& behind, std::string_view t, size_t i) {
  if (behind.empty()) return true;
  for (const std::string& s : behind) {
    if (s.size() <= i && same_bytes(s.data(), t.data() + i - s.size(), s.size())) return true;
  }
  return false;
}

void find_around_factors(const RegexJob& job, const RegexInput& in, const std::vector<uint32_t>& hits) {
  const match::StartSet& st = job.regex->start;
  const match::RegexFactors& f = st.factors;
  const std::vector<std::string>& behind = f.behind;
  const AroundTable around(st);
  const std::string_view t = in.bytes;
  const int64_t length = in.text.length();
  icu::RegexMatcher* m = nullptr;
  bool made = false, failed = false;
  TailSearch tail_run;
  size_t cursor = 0;  // starts below this are done
  for (const uint32_t p : hits) {
    if (p < f.lo) continue;
    const size_t last = p - f.lo;
    if (last < cursor) continue;
    size_t first = f.hi == match::kFactorUnbounded || f.hi > p ? 0 : p - f.hi;
    if (first < cursor) first = cursor;
    if (f.span_known) {
      size_t j = p;
      while (j > first && f.span[static_cast<unsigned char>(t[j - 1])]) --j;
      first = j;
    }
    cursor = last + 1;
    for (size_t i = first; i <= last; ++i) {
      const auto c = static_cast<unsigned char>(t[i]);
      if (!st.bytes[c] || (st.at_word_boundary && i > 0 && ascii_word(static_cast<unsigned char>(t[i - 1])) && ascii_word(c)) ||
          (!st.literal.empty() && t.compare(i, st.literal.size(), st.literal) != 0) ||
          (!st.prefixes.empty() && !starts_with_prefix(st, t, i)) || !around.fits(st, t, i) || !behind_fits(behind, t, i) ||
          !tail_fits(st, t, i, tail_run)) {
        continue;
      }
      if (!made) {
        made = true;
        m = matchers().get(*job.regex, in.text);
        if (m) {
          m->useTransparentBounds(true);
          m->useAnchoringBounds(false);
        }
      }
      if (!m) return;
      UErrorCode status = U_ZERO_ERROR;
      m->region(in.utf16_at(i), length, status);
      if (U_SUCCESS(status) && m->lookingAt(status) && U_SUCCESS(status)) {
        const int32_t b = m->start(status), e = m->end(status);
        if (e > b) job.out->push_back({in.byte_at(static_cast<size_t>(b)), in.byte_at(static_cast<size_t>(e))});
        const size_t next = in.byte_at(static_cast<size_t>(e));
        if (next > i + 1) {
          // The match covers the starts up to its end: go on from there.
          if (next > cursor) cursor = next;
          if (next > last + 1) break;
          i = next - 1;
        }
      }
      failed = failed || U_FAILURE(status);
    }
  }
  if (failed) matchers().drop(*job.regex);
}

void find_literal_first(const RegexJob* jobs, const std::vector<uint32_t>& which, const RegexInput& in) {
  thread_local ScannerCache cache;
  const FactorScanner& scanner = cache.get(jobs, which);
  std::vector<std::vector<uint32_t>> hits(which.size() ? *std::max_element(which.begin(), which.end()) + 1 : 0);
  scanner.scan(in.bytes, hits);
  for (uint32_t r : which) find_around_factors(jobs[r], in, hits[r]);
}

}  // namespace

size_t cached_matcher_count() { return matchers().size(); }

void find_all(const CompiledRegex& regex, const RegexInput& in, std::vector<Span>& out) {
  matchers().trim();
  find_one(regex, in, out);
}

void find_all(const std::vector<RegexJob>& jobs, const RegexInput& in) { find_all(jobs, in, RegexPass::automatic); }

void find_all(const std::vector<RegexJob>& jobs, const RegexInput& in, RegexPass how) {
  matchers().trim();
  // One run per distinct pattern: sets and rules may hold the same regex
  // (pupils.json's teacher_to_pupil and teacher_self share six). A pattern
  // held by several jobs runs once into a spare list, copied to each of them.
  std::vector<std::pair<const LazyPattern*, size_t>> by_pattern;
  by_pattern.reserve(jobs.size());
  for (size_t k = 0; k < jobs.size(); ++k) by_pattern.emplace_back(pattern_of(*jobs[k].regex), k);
  std::sort(by_pattern.begin(), by_pattern.end());
  std::vector<RegexJob> unique;
  unique.reserve(jobs.size());
  std::vector<std::vector<Span>> shared;  // the spare lists
  std::vector<std::pair<size_t, size_t>> copies;  // (spare list, job) to copy after the runs
  for (size_t a = 0; a < by_pattern.size();) {
    size_t b = a + 1;
    while (b < by_pattern.size() && by_pattern[b].first == by_pattern[a].first && by_pattern[a].first) ++b;
    if (b == a + 1) {
      unique.push_back(jobs[by_pattern[a].second]);
    } else {
      shared.emplace_back();
      for (size_t k = a; k < b; ++k) copies.emplace_back(shared.size() - 1, by_pattern[k].second);
    }
    a = b;
  }
  // The spare lists are complete now (no more growth): point jobs at them.
  for (size_t k = 0, s = SIZE_MAX; k < copies.size(); ++k) {
    if (copies[k].first == s) continue;
    s = copies[k].first;
    unique.push_back({jobs[copies[k].second].regex, &shared[s]});
  }
  std::vector<RegexJob> known;
  known.reserve(unique.size());
  for (const RegexJob& j : unique) {
    if (j.regex->start.known) known.push_back(j);
    else find_one(*j.regex, in, *j.out);
  }
  // Literal-first for the regexes with factors, on drafts long enough for
  // the scan of every byte for every regex to cost more than finding the
  // factors first; the byte scan below for the rest.
  const bool literal_first =
      how == RegexPass::literal_first || (how == RegexPass::automatic && in.bytes.size() >= kLiteralFirstBytes);
  if (literal_first) {
    std::vector<uint32_t> with_factors;
    size_t kept = 0;
    for (size_t k = 0; k < known.size(); ++k) {
      if (factors_usable(known[k].regex->start)) with_factors.push_back(static_cast<uint32_t>(k));
    }
    if (!with_factors.empty()) find_literal_first(known.data(), with_factors, in);
    for (size_t k = 0, w = 0; k < known.size(); ++k) {
      if (w < with_factors.size() && with_factors[w] == k) {
        ++w;
        continue;
      }
      known[kept++] = known[k];
    }
    known.resize(kept);
  }
  for (size_t k = 0; k < known.size(); k += 64) find_known(known.data() + k, std::min<size_t>(64, known.size() - k), k / 64, in);
  for (const auto& [s, job] : copies) jobs[job].out->insert(jobs[job].out->end(), shared[s].begin(), shared[s].end());
}

void Hits::sort_and_dedupe() {
  for (auto& v : by_set) {
    if (v.size() < 2) continue;
    if (!std::is_sorted(v.begin(), v.end())) std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  }
}

uint32_t word_distance(const text::NormalizedText& nt, const Span& a, const Span& b) {
  if (a.end <= b.begin) {
    const uint32_t x = nt.word_index(a.end), y = nt.word_index(b.begin);
    return y > x ? y - x : 0;
  }
  if (b.end <= a.begin) {
    const uint32_t x = nt.word_index(b.end), y = nt.word_index(a.begin);
    return y > x ? y - x : 0;
  }
  return 0;
}

bool condition_holds(const Hits& hits, const CompiledCondition& c, const Span& t, bool skip_overlapping) {
  using Side = policy::Condition::Side;
  const text::NormalizedText& nt = hits.nt;
  auto side_ok = [&](const Span& h) {
    if (skip_overlapping && h.begin < t.end && t.begin < h.end) return false;
    if (c.side == Side::before) return h.begin < t.begin;
    if (c.side == Side::after) return h.end > t.end;
    return true;
  };
  // Spans are short (a phrase, a name, a regex match); this bounds how far
  // before the window a span that reaches into it can start.
  constexpr uint32_t kMaxSpan = 512;
  for (SetId s : c.sets) {
    const std::vector<Span>& v = hits.of(s);
    if (v.empty()) continue;
    if (c.within < 0) {
      if ((c.side == Side::either && !skip_overlapping) || side_ok(v.front()) || side_ok(v.back())) return true;
      if (std::any_of(v.begin(), v.end(), side_ok)) return true;
      continue;
    }
    // Only hits inside the word window around t can qualify: find it by position.
    const uint32_t w = static_cast<uint32_t>(c.within) + 1;
    const uint32_t w0 = nt.word_index(t.begin), w1 = nt.word_index(t.end);
    const uint32_t lo_word = w0 > w ? w0 - w : 0, hi_word = w1 + w;
    const uint32_t lo = lo_word < nt.word_starts.size() ? nt.word_starts[lo_word] : static_cast<uint32_t>(nt.size());
    const uint32_t hi = hi_word < nt.word_starts.size() ? nt.word_starts[hi_word] : static_cast<uint32_t>(nt.size());
    auto it = std::lower_bound(v.begin(), v.end(), Span{lo > kMaxSpan ? lo - kMaxSpan : 0, 0});
    for (; it != v.end() && it->begin <= hi; ++it) {
      // A span that ends before the window's first word is more than `within`
      // words away: skipped without looking its words up.
      if (it->end < lo) continue;
      if (side_ok(*it) && word_distance(nt, t, *it) <= static_cast<uint32_t>(c.within)) return true;
    }
  }
  return false;
}

}  // namespace postguard::rules

// Which bytes can an ICU regex's match start with? Worked out from the
// pattern text for the simple shapes rule packs use (\b, lookbehind, literal,
// class, \d, (?:a|b) groups), so a regex runs only where a match can start
// instead of over the whole draft — the prefilter idea of RE2 and Hyperscan,
// cut down to what our patterns need.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "match/byte_io.h"
#include "match/regex_factors.h"

namespace postguard::match {

struct StartSet {
  bool known = false;                 // false: could start anywhere
  bool at_word_boundary = false;      // pattern begins with \b (or a group whose every alternative does, or starts with a non-word byte)
  std::array<bool, 256> bytes{};      // first UTF-8 byte of a match
  std::string literal;                // when the match starts with one literal character: its UTF-8 bytes
  std::vector<std::string> prefixes;  // "\\b(?:password|login)...": a match starts with one of these
  // The prefixes sorted, and where those starting with byte b are:
  // sorted_prefixes[prefix_at[b], prefix_at[b + 1]) (the scan tries only those).
  std::vector<std::string> sorted_prefixes;
  std::array<uint16_t, 257> prefix_at{};
  // "\\bex-?[a-z]+": when the match starts with one plain ASCII character, the
  // bytes the second character can start with (second_known false: any).
  bool second_known = false;
  std::array<bool, 256> second{};
  // For the shared regex pass, derived once here instead of per check: the
  // bytes set in `bytes`, and the bytes the second byte of a match may be,
  // from the prefixes, the literal or `second` (second_any: no limit).
  std::vector<unsigned char> first_list;
  bool second_any = true;
  std::vector<unsigned char> second_list;
  // Byte sets around a match start i, for the shared pass to test with one
  // table lookup each before ICU runs: ahead[k] lists the bytes t[i + k] can
  // be (from the characters the match begins with and the lookaheads there),
  // behind[k] the bytes t[i - 1 - k] can be (from a fixed-length lookbehind
  // at the start). Each listed position must exist: a match cannot start
  // where the text is too short for them. Empty: nothing known.
  // "(?<=[.!?:;] )[a-z](?= \\()" -> behind {" ", ".!?:;"}, ahead {a-z, " ", "("}.
  std::vector<std::vector<unsigned char>> ahead;
  std::vector<std::vector<unsigned char>> behind;
  // "\\bof (?:the )?(?:[a-z]+ ){0,4}(?:garden|display)\\b": every match holds
  // one of `tail` (the literal starts of the alternatives of a last group) and
  // only bytes of `span` (every byte the pattern can consume). A start with
  // no tail literal before the next byte outside `span` cannot match (ICU
  // would try the final alternatives at every word first). Empty: not known.
  // Sorted; tail_at[b]..tail_at[b + 1] are the ones starting with byte b.
  std::vector<std::string> tail;
  std::array<uint16_t, 257> tail_at{};
  std::array<bool, 256> span{};
  // The most bytes a match (with a lookahead's text) can reach from its
  // start, so the search for a tail literal stops there; 0: no limit known.
  // "[^\n]{0,80}?" alone would send it to the end of the draft (folded text
  // has no new lines).
  uint32_t tail_window = 0;
  // Literal-first (regex_factors.h): the literals every match holds and
  // where, so a long draft's pass tries this regex only around them.
  RegexFactors factors;
};

// Most positions ahead[] / behind[] are worked out for (the tables of the
// shared pass have this many).
inline constexpr size_t kAheadMax = 4;
inline constexpr size_t kBehindMax = 2;

StartSet start_set(const std::string& pattern);

// For the build-time baseline snapshot: the packs' start sets are worked out
// once by the build, not at every cold start. load_start_set returns false
// (and ByteReader::ok() turns false) on damaged bytes.
void save_start_set(const StartSet& s, ByteWriter& out);
bool load_start_set(ByteReader& in, StartSet& s);
bool operator==(const StartSet& a, const StartSet& b);

}  // namespace postguard::match

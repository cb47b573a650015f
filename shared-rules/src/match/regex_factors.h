// Literal-first matching for the regex pass: a set of literal strings every
// match of an ICU regex must contain ("factors", as RE2's prefilter and
// Hyperscan call them), and how far from the match's start one can begin.
// The pass then finds all factor occurrences of all regexes in one scan of
// the draft and tries a regex only at the starts those occurrences allow,
// instead of testing every byte of the draft for every regex.
//
// Worked out from the pattern text: anything the reader does not understand
// (flags, back references, \Q, \x...) gives no factors, and that regex keeps
// the byte-by-byte scan. Sound rather than exact: the allowed starts always
// include every start where the regex matches; the regex's own start tests
// and ICU decide the rest.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace postguard::match {

inline constexpr uint32_t kFactorUnbounded = UINT32_MAX;

struct RegexFactors {
  bool known = false;
  // Every match holds one of these (sorted, unique, none empty) starting
  // between `lo` and `hi` bytes after the match's start (hi ==
  // kFactorUnbounded: no limit known from the pattern's lengths). The
  // factor may lie in a lookahead's text, past the match's end.
  std::vector<std::string> literals;
  uint32_t lo = 0;
  uint32_t hi = 0;
  // Every byte from the match's start up to the factor is one of these
  // (span_known false: not worked out). With hi unbounded, known factors
  // always have a span: the start lies in the run of span bytes before the
  // factor.
  bool span_known = false;
  std::array<bool, 256> span{};
  // behind_literals(pattern), below: worked out with the factors (and
  // saved with them in the snapshot), tested at each start before ICU.
  std::vector<std::string> behind;
};

// `span`: every byte a match can hold (with its lookaheads' text), or
// nullptr when not known (then no factor set with an unbounded offset is
// chosen).
RegexFactors regex_factors(const std::string& pattern, const std::array<bool, 256>* span);

// When the pattern begins with a positive lookbehind whose text ends in a
// few literal strings, those strings (sorted, none empty): the text before
// every match's start ends with one of them. "(?<=\\bthe (?:office|it)
// (?:team|staff) )..." -> {"the it staff ", "the it team ", "the office
// staff ", "the office team "}. Empty: nothing known. ICU would try the
// lookbehind's whole alternation at every candidate start; the pass tests
// these bytes first.
std::vector<std::string> behind_literals(const std::string& pattern);

}  // namespace postguard::match

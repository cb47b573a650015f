// Which bytes can an ICU regex's match start with? Worked out from the
// pattern text for the simple shapes rule packs use (\b, lookbehind, literal,
// class, \d, (?:a|b) groups), so a regex runs only where a match can start
// instead of over the whole draft — the prefilter idea of RE2 and Hyperscan,
// cut down to what our patterns need.
#pragma once

#include <array>
#include <string>
#include <vector>

namespace postguard::match {

struct StartSet {
  bool known = false;                 // false: could start anywhere
  bool at_word_boundary = false;      // pattern begins with \b
  std::array<bool, 256> bytes{};      // first UTF-8 byte of a match
  std::string literal;                // when the match starts with one literal character: its UTF-8 bytes
  std::vector<std::string> prefixes;  // "\\b(?:password|login)...": a match starts with one of these
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
};

StartSet start_set(const std::string& pattern);

}  // namespace postguard::match

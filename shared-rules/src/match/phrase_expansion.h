// Phrase shorthand in rule packs and policy files:
//   "{y|yr|year} {1-13}"  ->  "y 1", "y 2", ..., "year 13"
//   "{in|of} {1-13}{a-z}" ->  "in 1a", ..., "of 13z"
//   "colour{|s}"          ->  "colour", "colours"
// Numeric ranges keep the width of their bounds ("{00-99}" -> "00".."99").
// Expansion lets year groups and form codes go into the phrase automaton
// instead of costing a regex pass over the whole draft.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace postguard::match {

// nullopt with `error` set when braces are unbalanced, a range is bad, or the
// phrase would expand to more than `limit` phrases.
std::optional<std::vector<std::string>> expand_phrase(const std::string& phrase, std::string& error,
                                                      size_t limit = 5000);

// Inflected forms of a multi-word phrase's head verb, for phrases whose first
// word reads as a verb because a particle, preposition or article follows it
// ("merge with" -> "merges with", "merged with", "merging with"; "sign off on"
// -> "signed off on"; "cut the" -> "cutting the"). An object pronoun does not
// count: "call me" is an invitation, "called me" is not.
// Match time inflects only a phrase's last word. Returns the new phrases only
// (none for one-word phrases, function-word heads, heads already inflected, or
// phrases with the "=" / "*" markers).
std::vector<std::string> head_verb_forms(const std::string& phrase);

}  // namespace postguard::match

#include "match/phrase_expansion.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <iterator>
#include <string_view>

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

bool in_list(std::string_view w, const char* const* list, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (w == list[i]) return true;
  }
  return false;
}

// Words after which the word before them reads as a verb: particles,
// prepositions and articles. Not pronouns: "call me", "add me", "tell them
// to" are imperatives, and "called me", "told them to" tell of the past, a
// different thing. Hand-written: no
// Debian package gives English parts of speech in a form the core (also
// built to WebAssembly) can carry; this list is small and closed.
constexpr const char* kVerbFollowers[] = {
    "with", "on", "off", "up", "out", "into", "onto", "for", "about", "over", "through", "down", "back", "away",
    "around", "round", "across", "ahead", "forward", "the", "a", "an", "this", "these", "those"};

// Heads that are never verbs (or whose forms would only be noise).
constexpr const char* kNotVerbs[] = {
    "the", "and", "but", "not", "nor", "for", "with", "from", "into", "onto", "over", "about", "are", "was", "were",
    "been", "being", "has", "have", "had", "does", "did", "will", "would", "can", "could", "should", "may", "might",
    "must", "shall", "you", "she", "they", "him", "her", "his", "its", "our", "your", "their", "this", "that",
    "these", "those", "what", "who", "whom", "how", "when", "where", "why", "which", "all", "any", "some", "every",
    "each", "one", "two", "more", "most", "very", "too", "just", "only", "also", "than", "then", "there", "here",
    "out", "off", "new", "old", "next", "last", "first", "please", "well", "why", "yes", "still", "even", "ever",
    "never", "now", "today", "tonight", "tomorrow", "yesterday", "per", "via", "due", "because", "once", "after",
    "before", "until", "till", "since", "while", "like", "unlike", "much", "many", "few", "less", "lot", "lots",
    "bit", "dear", "hey", "hello", "hiya", "morning", "evening", "afternoon", "thanks", "thank", "happy", "good",
    "great", "big", "little", "sorry", "shh", "ssh", "yet", "both", "either", "neither", "own", "same", "other",
    "another", "such", "top", "end", "way", "day", "week", "term", "year", "time", "staff", "school", "pupil",
    "teacher", "head", "class", "form", "whole", "half", "full", "free", "non", "pre", "post", "sub", "mid"};

// Past forms of irregular verbs that head phrases in rule packs (hand-written
// for the same reason as above; a regular "-ed" form is added as well).
struct Irregular {
  const char* verb;
  const char* past;
  const char* participle;
};
constexpr Irregular kIrregular[] = {
    {"tell", "told", ""},     {"send", "sent", ""},      {"give", "gave", "given"},  {"take", "took", "taken"},
    {"leave", "left", ""},    {"make", "made", ""},      {"get", "got", "gotten"},   {"keep", "kept", ""},
    {"hear", "heard", ""},    {"say", "said", ""},       {"pay", "paid", ""},        {"speak", "spoke", "spoken"},
    {"write", "wrote", "written"}, {"find", "found", ""}, {"come", "came", ""},      {"hold", "held", ""},
    {"bring", "brought", ""}, {"think", "thought", ""},  {"buy", "bought", ""},      {"break", "broke", "broken"},
    {"choose", "chose", "chosen"}, {"know", "knew", "known"}, {"see", "saw", "seen"}, {"show", "showed", "shown"},
    {"throw", "threw", "thrown"}, {"sit", "sat", ""},    {"meet", "met", ""},        {"lose", "lost", ""},
    {"run", "ran", ""},       {"begin", "began", "begun"}, {"win", "won", ""},      {"go", "went", "gone"},
    {"cut", "cut", ""},       {"put", "put", ""},        {"set", "set", ""},         {"let", "let", ""},
    {"shut", "shut", ""},     {"drive", "drove", "driven"}, {"ring", "rang", "rung"}, {"lend", "lent", ""},
    {"spend", "spent", ""},   {"sell", "sold", ""},      {"stand", "stood", ""},     {"understand", "understood", ""},
    {"forget", "forgot", "forgotten"}, {"fall", "fell", "fallen"}, {"feel", "felt", ""}, {"read", "read", ""},
    {"lead", "led", ""},      {"build", "built", ""},    {"draw", "drew", "drawn"},  {"hide", "hid", "hidden"},
    {"teach", "taught", ""},  {"catch", "caught", ""},   {"seek", "sought", ""},     {"bite", "bit", "bitten"},
    {"swear", "swore", "sworn"}, {"wake", "woke", "woken"}, {"hang", "hung", ""},    {"stick", "stuck", ""}};

bool vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

// "stop", "plan", "admit": a consonant-vowel-consonant ending may double.
bool cvc_end(const std::string& w) {
  const size_t n = w.size();
  if (n < 3) return false;
  const char a = w[n - 3], b = w[n - 2], c = w[n - 1];
  return !vowel(a) && vowel(b) && !vowel(c) && c != 'w' && c != 'x' && c != 'y';
}

bool ends_with(const std::string& w, const char* s) {
  const size_t k = std::strlen(s);
  return w.size() >= k && w.compare(w.size() - k, k, s) == 0;
}

}  // namespace

std::vector<std::string> head_verb_forms(const std::string& phrase) {
  std::vector<std::string> out;
  const size_t sp = phrase.find(' ');
  if (sp == std::string::npos || sp == 0) return out;
  const std::string head = phrase.substr(0, sp);
  size_t sp2 = phrase.find(' ', sp + 1);
  const std::string_view second = std::string_view(phrase).substr(sp + 1, sp2 == std::string::npos ? std::string::npos : sp2 - sp - 1);
  if (phrase.back() == '*' || !in_list(second, kVerbFollowers, std::size(kVerbFollowers))) return out;
  // Lower-case ASCII letters only (a name, "=exact", a handle or a Welsh
  // mutation is left as written), with a vowel.
  if (head.size() < 2 || !std::all_of(head.begin(), head.end(), [](char c) { return c >= 'a' && c <= 'z'; })) return out;
  if (!std::any_of(head.begin(), head.end(), [](char c) { return vowel(c) || c == 'y'; })) return out;
  if (in_list(head, kNotVerbs, std::size(kNotVerbs))) return out;
  if (ends_with(head, "ed") || ends_with(head, "ing") || ends_with(head, "ly") ||
      (ends_with(head, "s") && !ends_with(head, "ss"))) {
    return out;
  }
  const std::string rest = phrase.substr(sp);  // " with ..."
  std::vector<std::string> heads;
  bool irregular = false;
  for (const Irregular& v : kIrregular) {
    if (head != v.verb) continue;
    irregular = true;
    heads.push_back(v.past);
    if (*v.participle) heads.push_back(v.participle);
  }
  const size_t n = head.size();
  const bool cons_y = n >= 2 && head[n - 1] == 'y' && !vowel(head[n - 2]);
  // -s
  if (ends_with(head, "ss") || ends_with(head, "x") || ends_with(head, "z") || ends_with(head, "ch") || ends_with(head, "sh") ||
      ends_with(head, "o")) {
    heads.push_back(head + "es");
  } else if (cons_y) {
    heads.push_back(head.substr(0, n - 1) + "ies");
  } else {
    heads.push_back(head + "s");
  }
  // -ed
  if (head[n - 1] == 'e') {
    heads.push_back(head + "d");
  } else if (cons_y) {
    heads.push_back(head.substr(0, n - 1) + "ied");
  } else if (!irregular) {
    heads.push_back(head + "ed");
    if (cvc_end(head)) heads.push_back(head + head[n - 1] + "ed");
  }
  // -ing
  if (ends_with(head, "ie")) {
    heads.push_back(head.substr(0, n - 2) + "ying");
  } else if (head[n - 1] == 'e' && n > 2 && !ends_with(head, "ee") && !ends_with(head, "oe") && !ends_with(head, "ye")) {
    heads.push_back(head.substr(0, n - 1) + "ing");
  } else {
    heads.push_back(head + "ing");
    if (cvc_end(head)) heads.push_back(head + head[n - 1] + "ing");
  }
  std::sort(heads.begin(), heads.end());
  heads.erase(std::unique(heads.begin(), heads.end()), heads.end());
  for (const auto& h : heads) {
    if (h != head) out.push_back(h + rest);
  }
  return out;
}

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

// The merged policy before compilation: every value remembers the layer and
// file it came from, so `policy explain` can say who set what.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "postguard/postguard.h"

namespace postguard::policy {

struct Origin {
  std::string layer;    // baseline | trust | school | overlay
  std::string file;     // pack or policy file name
  std::string pointer;  // JSON pointer inside that file
};

template <class T>
struct Traced {
  T value{};
  Origin from;
};

struct Phrase {
  std::string text;
  Origin from;
};

struct PhraseSet {
  std::vector<Phrase> phrases;
  std::vector<Phrase> regexes;  // ICU regex over the folded text
};

struct Condition {
  std::vector<std::string> sets;  // set names (without @)
  int within = -1;                // words; -1 = anywhere in the text
  enum class Side { either, before, after } side = Side::either;
};

struct Filter {
  std::vector<std::string> surfaces;
  std::vector<std::string> accounts;
  std::vector<std::string> sites;
  int min_images = 0;
};

struct RuleSpec {
  std::string id;
  std::string type;  // phrase | proximity | requirement | regex | person_name
  std::string category;
  Traced<bool> enabled;
  Traced<Severity> severity;
  Traced<std::string> message;
  Traced<std::string> policy_ref;
  std::vector<std::string> match;     // trigger sets (phrase, proximity, requirement "if")
  std::vector<std::string> patterns;  // regex type
  std::vector<std::string> require;   // requirement type: any of these sets satisfies it
  std::string names;                  // person_name: full | first
  std::vector<Condition> near;
  std::vector<Condition> unless;
  Filter when;
  std::string fix;
  Origin from;
};

enum class IdentityKind { name, alias, handle, domain, hashtag };

struct Identity {
  std::string text;
  IdentityKind kind = IdentityKind::name;
  std::string owner;  // organisation or school id
  Origin from;
};

struct MergedPolicy {
  Traced<std::string> school;
  std::string organisation_id;
  std::string organisation_name;
  std::vector<Identity> identities;
  Traced<std::string> disclaimer;
  std::vector<Phrase> accepted_disclaimers;
  std::vector<Phrase> official_accounts;
  std::map<std::string, PhraseSet> sets;
  std::vector<RuleSpec> rules;
  std::map<std::string, Traced<std::string>> policy_refs;  // category -> clause
  std::vector<std::string> files;                           // sources, in merge order
  std::vector<std::string> school_ids;                      // schools in the bundle
  // What it was merged from: a compiled policy drops the phrases, identities
  // and their provenance (most of its memory with a large bundle) and merges
  // these again when asked to explain itself.
  std::vector<PolicySource> inputs;
  std::string school_asked;
};

// Whether the baseline packs' own phrases are read into the merged policy.
// Compiling does not need them (the baseline tables hold them, compiled:
// engine/baseline_tables.cpp), and skipping them keeps ~4,000 strings and
// their provenance out of every compile; the tables are built with them.
enum class PackPhrases { keep, skip };

// Builds the merged policy: baseline packs, then the sources (see Policy::compile).
// The packs are the embedded ones, parsed; or, with PackPhrases::skip,
// `merged_packs`: the same packs merged by the build (policy/merged_packs.h).
Result<MergedPolicy> merge(const std::vector<PolicySource>& sources, std::string_view school,
                           PackPhrases pack_phrases = PackPhrases::keep, const MergedPolicy* merged_packs = nullptr);

}  // namespace postguard::policy

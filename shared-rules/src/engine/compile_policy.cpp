#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <unordered_map>

#include "embedded/embedded_files.h"
#include "engine/compiled_policy.h"
#include "match/phrase_expansion.h"
#include "policy/merged_packs.h"
#include "text/normalized_text.h"

namespace postguard {
namespace {

Error rule_error(ErrorCode code, const policy::Origin& from, std::string message) {
  Error e;
  e.code = code;
  e.file = from.file;
  e.pointer = from.pointer;
  e.message = std::move(message);
  return e;
}

bool is_acronym(const std::string& s) {
  if (s.size() < 2 || s.size() > 6) return false;
  for (char c : s) {
    if (!(c >= 'A' && c <= 'Z')) return false;
  }
  return true;
}

// Bit i set when word i of a name starts with an ASCII capital ("Yare Valley"
// -> 0b11): a draft that uses capitals must capitalise the name the same way
// ("walking the Yare valley" is the river, not the school).
uint32_t capitalised_words(const std::string& s) {
  uint32_t mask = 0;
  int word = 0;
  bool at_start = true;
  for (char c : s) {
    if (c == ' ') {
      if (!at_start) ++word;
      at_start = true;
      continue;
    }
    if (at_start && word < 32 && c >= 'A' && c <= 'Z') mask |= 1u << word;
    at_start = false;
  }
  // A leading "The" is written either way ("the Harbour").
  if (s.rfind("The ", 0) == 0) mask &= ~1u;
  return mask;
}

bool single_word(const std::string& s) { return s.find_first_of(" -'") == std::string::npos; }

// "St Wilfrid's", "Saint Anne's": parishes, hospices and churches share them.
bool saint_name(const std::string& s) {
  const bool saint = s.rfind("St ", 0) == 0 || s.rfind("St. ", 0) == 0 || s.rfind("Saint ", 0) == 0;
  return saint && std::count(s.begin(), s.end(), ' ') <= 1;
}

// Adds phrases to one layer; set ids are the policy's (shared by both layers).
class Compiler {
 public:
  Compiler(std::vector<std::string>& set_names, std::map<std::string, SetId>& set_index, PhraseLayer& layer)
      : set_names_(set_names), set_index_(set_index), layer_(layer) {}

  SetId set_id(const std::string& name) {
    auto it = set_index_.find(name);
    if (it != set_index_.end()) return it->second;
    const auto id = static_cast<SetId>(set_names_.size());
    set_names_.push_back(name);
    set_index_.emplace(name, id);
    return id;
  }

  // "word*" matches any ending; "=word" only the word itself; otherwise
  // common inflections ("-s", "-'s", "-ed", "-ing") match too.
  // Returns the pattern id (or UINT32_MAX when the phrase folds to nothing).
  uint32_t add_phrase(SetId set, std::string phrase, uint8_t extra_flags = 0) {
    uint8_t flags = extra_flags;
    if (!phrase.empty() && phrase[0] == '=') {
      flags |= PatternInfo::exact;
      phrase.erase(0, 1);
    }
    if (!phrase.empty() && phrase.back() == '*') {
      flags |= PatternInfo::prefix;
      phrase.pop_back();
    }
    const std::string folded = text::fold_pattern(phrase);
    if (folded.empty()) return UINT32_MAX;
    const auto c0 = static_cast<unsigned char>(folded[0]);
    if (!((c0 >= 'a' && c0 <= 'z') || (c0 >= '0' && c0 <= '9') || c0 >= 0x80)) flags |= PatternInfo::starts_nonword;
    std::string key = folded;
    key.push_back(static_cast<char>(flags));
    const auto [it, added] = by_pattern_.try_emplace(std::move(key), static_cast<uint32_t>(layer_.patterns.size()));
    const uint32_t id = it->second;
    if (added) {
      layer_.matcher.add(folded, /*anywhere=*/(flags & PatternInfo::starts_nonword) != 0);
      layer_.patterns.emplace_back();
      layer_.patterns.back().flags = flags;
    }
    if (sets_.size() <= id) sets_.resize(id + 1);
    auto& sets = sets_[id];
    if (std::find(sets.begin(), sets.end(), set) == sets.end()) sets.push_back(set);
    return id;
  }

  // A phrase from a pack or policy file, with its {a|b} / {1-13} shorthand expanded.
  Result<bool> add_expanded(SetId set, const policy::Phrase& phrase) {
    std::string error;
    auto all = match::expand_phrase(phrase.text, error);
    if (!all) return rule_error(ErrorCode::policy_rule, phrase.from, error);
    for (const auto& p : *all) {
      add_phrase(set, p);
      for (const auto& form : match::head_verb_forms(p)) add_phrase(set, form);
    }
    return true;
  }

  // Compiles the automaton and moves each pattern's sets into one array (in
  // order of pattern id).
  void finish() {
    layer_.matcher.compile();
    size_t total = 0;
    for (const auto& s : sets_) total += s.size();
    layer_.pattern_sets.clear();
    layer_.pattern_sets.reserve(total);
    for (const auto& s : sets_) layer_.pattern_sets.insert(layer_.pattern_sets.end(), s.begin(), s.end());
    const SetId* at = layer_.pattern_sets.data();
    for (size_t id = 0; id < layer_.patterns.size(); ++id) {
      const size_t n = id < sets_.size() ? sets_[id].size() : 0;
      layer_.patterns[id].sets = SetRange{at, at + n};
      at += n;
    }
    std::vector<std::vector<SetId>>().swap(sets_);
    layer_.patterns.shrink_to_fit();
  }

  Result<std::vector<SetId>> resolve(const std::vector<std::string>& names, const policy::RuleSpec& r) {
    std::vector<SetId> out;
    for (const auto& n : names) {
        auto it = set_index_.find(n);
      if (it == set_index_.end()) {
        return rule_error(ErrorCode::policy_rule, r.from, "rule \"" + r.id + "\" refers to unknown set \"@" + n + "\"");
      }
      out.push_back(it->second);
    }
    return out;
  }

  // One per pattern text per process: the regexes are the packs' (policy
  // files add phrases, not regexes), so the cache holds a fixed set, and a
  // second compile (the host after an edit) reuses them. The start set comes
  // from the baseline tables when they have it (worked out at build time).
  CompiledRegex regex(const std::string& pattern, const BaselineTables& baseline) {
    static std::mutex cache_mutex;
    static std::map<std::string, CompiledRegex> cache;
    std::lock_guard<std::mutex> lock(cache_mutex);
    if (auto it = cache.find(pattern); it != cache.end()) return it->second;
    const auto known = baseline.regex_starts.find(pattern);
    CompiledRegex compiled{std::make_shared<const LazyPattern>(pattern),
                           known != baseline.regex_starts.end() ? known->second : match::start_set(pattern)};
    cache.emplace(pattern, compiled);
    return compiled;
  }

 private:
  std::vector<std::string>& set_names_;
  std::map<std::string, SetId>& set_index_;
  PhraseLayer& layer_;
  std::unordered_map<std::string, uint32_t> by_pattern_;  // folded text + flags byte -> pattern id
  std::vector<std::vector<SetId>> sets_;                  // pattern id -> its sets, while adding
};

// The derived sets get the first ids, in CodeSet order.
void add_derived_sets(Compiler& c) {
  for (size_t i = 0; i < kDerivedSetCount; ++i) c.set_id(kCodeSetNames[i]);
}

}  // namespace

Result<std::shared_ptr<const BaselineTables>> compile_baseline_tables() {
  if (embedded::packs().empty()) {
    // The WebAssembly engine embeds no packs: an empty baseline here would
    // turn checking off without a word.
    Error e;
    e.code = ErrorCode::internal;
    e.message =
        "this engine has no baseline rule packs built in: give it the baseline tables built with it "
        "(postguard-baseline.bin, from the same build)";
    return e;
  }
  auto merged = policy::merge({}, "", policy::PackPhrases::keep);
  if (!merged) return merged.error();
  auto tables = std::make_shared<BaselineTables>();
  tables->packs_digest = embedded_packs_digest();
  std::map<std::string, SetId> index;
  Compiler c(tables->set_names, index, tables->layer);
  add_derived_sets(c);
  for (const auto& [name, set] : merged.value().sets) {
    const SetId id = c.set_id(name);
    for (const auto& phrase : set.phrases) {
      auto ok = c.add_expanded(id, phrase);
      if (!ok) return ok.error();
    }
  }
  c.finish();
  // What a policy compile starts from, and every pack regex's start set;
  // each regex is compiled here once so a pack regex that does not compile
  // fails the build (the snapshot tool) rather than a check.
  auto packs = policy::merge_packs_without_phrases();
  if (!packs) return packs.error();
  tables->merged_packs = std::move(packs).value();
  auto add_regex = [&](const std::string& pattern, const policy::Origin& from) -> Result<bool> {
    if (tables->regex_starts.count(pattern)) return true;
    const std::string error = LazyPattern::compile_error(pattern);
    if (!error.empty()) return rule_error(ErrorCode::policy_regex, from, "regex " + pattern + " does not compile (" + error + ")");
    tables->regex_starts.emplace(pattern, match::start_set(pattern));
    return true;
  };
  for (const auto& [name, set] : merged.value().sets) {
    for (const auto& rx : set.regexes) {
      auto ok = add_regex(rx.text, rx.from);
      if (!ok) return ok.error();
    }
  }
  for (const auto& spec : merged.value().rules) {
    for (size_t i = 0; i < spec.patterns.size(); ++i) {
      policy::Origin from = spec.from;
      from.pointer += "/patterns/" + std::to_string(i);
      auto ok = add_regex(spec.patterns[i], from);
      if (!ok) return ok.error();
    }
  }
  return std::shared_ptr<const BaselineTables>(std::move(tables));
}

namespace {

// ICU's compile of a pack regex; on failure nullptr, and `error` says why.
std::unique_ptr<icu::RegexPattern> compile_icu(const std::string& text, std::string* error) {
  UErrorCode status = U_ZERO_ERROR;
  UParseError pe{};
  std::unique_ptr<icu::RegexPattern> re(icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(text), 0, pe, status));
  if (!U_FAILURE(status)) return re;
  if (error) *error = std::string(u_errorName(status)) + " at offset " + std::to_string(pe.offset);
  return nullptr;
}

}  // namespace

const icu::RegexPattern* LazyPattern::get() const {
  std::call_once(once_, [this] { pattern_ = compile_icu(text_, nullptr); });
  return pattern_.get();
}

std::string LazyPattern::compile_error(const std::string& text) {
  std::string error;
  compile_icu(text, &error);
  return error;
}

Result<std::shared_ptr<const Policy::Impl>> compile_policy(policy::MergedPolicy merged,
                                                           std::shared_ptr<const BaselineTables> baseline) {
  if (!baseline) baseline = baseline_tables();
  if (!baseline) {
    auto built = compile_baseline_tables();  // the packs themselves are broken: say where
    if (!built) return built.error();
    baseline = std::move(built).value();
  }
  auto impl = std::make_shared<Policy::Impl>();
  impl->merged = std::move(merged);
  Policy::Impl& p = *impl;
  p.baseline = baseline;
  p.set_names = baseline->set_names;
  for (size_t i = 0; i < p.set_names.size(); ++i) p.set_index.emplace(p.set_names[i], static_cast<SetId>(i));
  Compiler c(p.set_names, p.set_index, p.own);
  add_derived_sets(c);
  for (const auto& [name, set] : p.merged.sets) {
    const SetId id = c.set_id(name);
    for (const auto& phrase : set.phrases) {
      if (phrase.from.layer == "baseline") continue;  // in the baseline tables
      auto ok = c.add_expanded(id, phrase);
      if (!ok) return ok.error();
    }
    for (const auto& rx : set.regexes) p.set_regexes.emplace_back(id, c.regex(rx.text, *baseline));
  }
  // The employer: names and aliases need care (acronyms must be capitals,
  // single ordinary words need a school context), handles and tags do not.
  const SetId employer = c.set_id(name_of(CodeSet::employer));
  for (const auto& ident : p.merged.identities) {
    uint8_t flags = 0;
    if (ident.kind == policy::IdentityKind::name || ident.kind == policy::IdentityKind::alias) {
      if (is_acronym(ident.text)) flags |= PatternInfo::acronym | PatternInfo::ambiguous_word;
      else if (single_word(ident.text) || saint_name(ident.text)) flags |= PatternInfo::ambiguous_word;
    }
    // A domain counts inside an e-mail address too ("j.smith@school.example.sch.uk").
    if (ident.kind == policy::IdentityKind::domain) flags |= PatternInfo::starts_nonword;
    const uint32_t id = c.add_phrase(employer, ident.text, flags);
    if (id != UINT32_MAX && (ident.kind == policy::IdentityKind::name || ident.kind == policy::IdentityKind::alias)) {
      p.own.patterns[id].capitalised_words |= capitalised_words(ident.text);
    }
    if (ident.kind == policy::IdentityKind::handle) {
      p.employer_handles.push_back(text::fold_pattern(ident.text));
    }
  }
  for (const auto& acct : p.merged.official_accounts) p.employer_handles.push_back(text::fold_pattern(acct.text));
  const SetId own = c.set_id(name_of(CodeSet::disclaimer_own));
  c.add_phrase(own, p.merged.disclaimer.value);
  for (const auto& a : p.merged.accepted_disclaimers) c.add_phrase(own, a.text);
  c.finish();

  for (const auto& spec : p.merged.rules) {
    CompiledRule r;
    r.spec = &spec;
    auto match = c.resolve(spec.match, spec);
    if (!match) return match.error();
    r.match = std::move(match).value();
    auto require = c.resolve(spec.require, spec);
    if (!require) return require.error();
    r.require = std::move(require).value();
    for (const auto& [list, out] : {std::make_pair(&spec.near, &r.near), std::make_pair(&spec.unless, &r.unless)}) {
      for (const auto& cond : *list) {
        auto sets = c.resolve(cond.sets, spec);
        if (!sets) return sets.error();
        out->push_back({std::move(sets).value(), cond.within, cond.side});
      }
    }
    for (const auto& pattern : spec.patterns) r.patterns.push_back(c.regex(pattern, *baseline));
    if ((spec.type == "phrase" || spec.type == "proximity" || spec.type == "requirement") && r.match.empty()) {
      return rule_error(ErrorCode::policy_rule, spec.from, "rule \"" + spec.id + "\" needs \"match\"");
    }
    if (spec.type == "proximity" && r.near.empty()) {
      return rule_error(ErrorCode::policy_rule, spec.from, "proximity rule \"" + spec.id + "\" needs \"near\"");
    }
    if (spec.type == "regex" && r.patterns.empty()) {
      return rule_error(ErrorCode::policy_rule, spec.from, "regex rule \"" + spec.id + "\" needs \"patterns\"");
    }
    r.policy_ref = spec.policy_ref.value;
    auto mapped = p.merged.policy_refs.find(spec.category);
    if (mapped != p.merged.policy_refs.end() && spec.policy_ref.from.layer == "baseline") {
      r.policy_ref = mapped->second.value;
    }
    p.rules.push_back(std::move(r));
  }
  for (size_t i = 0; i < kCodeSetCount; ++i) {
    const auto it = p.set_index.find(kCodeSetNames[i]);
    p.code_sets[i] = it == p.set_index.end() ? kNoSet : it->second;
  }
  // Who reads each regex set (see set_regex_readers): empty = always run.
  {
    std::vector<uint8_t> always(p.set_names.size(), 0);
    for (SetId s : p.code_sets) {
      if (s != kNoSet) always[s] = 1;
    }
    std::vector<std::vector<uint32_t>> readers(p.set_names.size());
    for (uint32_t r = 0; r < p.rules.size(); ++r) {
      const CompiledRule& rule = p.rules[r];
      const policy::Filter& w = rule.spec->when;
      const bool everywhere = w.surfaces.empty() && w.accounts.empty() && w.sites.empty() && w.min_images == 0;
      auto note = [&](SetId s) {
        if (s >= readers.size()) return;
        if (everywhere) always[s] = 1;
        else if (readers[s].empty() || readers[s].back() != r) readers[s].push_back(r);
      };
      for (SetId s : rule.match) note(s);
      for (SetId s : rule.require) note(s);
      for (const auto* list : {&rule.near, &rule.unless}) {
        for (const auto& cond : *list) {
          for (SetId s : cond.sets) note(s);
        }
      }
    }
    p.set_regex_readers.reserve(p.set_regexes.size());
    // Empty (always run) also for a set no rule reads: nothing is assumed about it.
    for (const auto& [set, regex] : p.set_regexes) {
      p.set_regex_readers.push_back(always[set] ? std::vector<uint32_t>{} : readers[set]);
    }
  }
  // Compiled: the phrases, identities and their provenance are no longer
  // needed (explain merges the inputs again).
  decltype(p.merged.sets)().swap(p.merged.sets);
  decltype(p.merged.identities)().swap(p.merged.identities);
  decltype(p.merged.accepted_disclaimers)().swap(p.merged.accepted_disclaimers);
  decltype(p.merged.official_accounts)().swap(p.merged.official_accounts);
  return std::shared_ptr<const Policy::Impl>(std::move(impl));
}

}  // namespace postguard

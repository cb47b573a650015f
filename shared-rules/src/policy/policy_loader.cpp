// Loading and merging policy layers: baseline packs -> trust bundle -> school
// entry of the bundle -> overlay files. Every error names file and pointer.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "embedded/embedded_files.h"
#include "policy/json_schema.h"
#include "policy/policy_model.h"
#include "policy/suggest.h"
#include "text/utf8.h"

namespace postguard::policy {
namespace {

using nlohmann::json;

Error make_error(ErrorCode code, std::string file, std::string pointer, std::string message) {
  Error e;
  e.code = code;
  e.file = std::move(file);
  e.pointer = std::move(pointer);
  e.message = std::move(message);
  return e;
}

Result<json> parse_file(const PolicySource& src, bool is_pack, PackPhrases pack_phrases = PackPhrases::keep) {
  if (auto bad = text::find_invalid_utf8(src.json)) {
    return make_error(ErrorCode::invalid_utf8, src.name, "",
                      "the file is not valid UTF-8 (byte " + std::to_string(*bad) + "); save it as UTF-8");
  }
  // A pack's sets' phrase lists (/sets/NAME/phrases) are dropped while parsing
  // when not wanted, so they never become a DOM.
  json::parser_callback_t drop_phrases = [](int depth, json::parse_event_t event, json& parsed) {
    return !(depth == 3 && event == json::parse_event_t::key && parsed == "phrases");
  };
  json doc = json::parse(src.json, is_pack && pack_phrases == PackPhrases::skip ? drop_phrases : nullptr, false);
  if (doc.is_discarded()) {
    // Re-parse with exceptions only to get the position for the message.
    std::string where;
    try {
      const json reparsed = json::parse(src.json);
      (void)reparsed;
    } catch (const json::parse_error& e) {
      where = e.what();
      const auto p = where.find("parse error");
      if (p != std::string::npos) where = where.substr(p);
    }
    return make_error(ErrorCode::policy_parse, src.name, "", "not valid JSON: " + where);
  }
  // Built-in packs are checked against pack.schema.json by the unit tests,
  // not at every start (it was half the compile time).
  if (is_pack) return doc;
  const auto problems = policy_schema().validate(doc);
  if (!problems.empty()) {
    std::string msg = problems[0].message;
    if (problems.size() > 1) {
      msg += " (and " + std::to_string(problems.size() - 1) + " more; run `postguard policy validate`)";
    }
    return make_error(ErrorCode::policy_schema, src.name, problems[0].pointer, msg);
  }
  return doc;
}

Condition read_condition(const json& c) {
  Condition out;
  for (const auto& s : c.at("sets")) out.sets.push_back(s.get<std::string>());
  if (c.contains("within")) out.within = c["within"].get<int>();
  const std::string side = c.value("side", "either");
  out.side = side == "before" ? Condition::Side::before
             : side == "after" ? Condition::Side::after
                               : Condition::Side::either;
  return out;
}

std::vector<std::string> strings(const json& obj, const char* key) {
  std::vector<std::string> out;
  if (auto it = obj.find(key); it != obj.end()) {
    for (const auto& s : *it) out.push_back(s.get<std::string>());
  }
  return out;
}

class Merger {
 public:
  MergedPolicy m;

  Result<bool> add_pack(std::string_view name, std::string_view text, PackPhrases pack_phrases) {
    const std::string file = "packs/" + std::string(name);
    auto doc = parse_file(PolicySource{file, std::string(text)}, true, pack_phrases);
    if (!doc) return doc.error();
    const json& d = doc.value();
    const Origin base{"baseline", file, ""};
    if (auto sets = d.find("sets"); sets != d.end()) {
      for (const auto& [set_name, value] : sets->items()) {
        PhraseSet& target = m.sets[set_name];
        const std::string ptr = "/sets/" + pointer_token(set_name);
        const auto phrases = strings(value, "phrases");
        for (size_t i = 0; i < phrases.size(); ++i) {
          target.phrases.push_back({phrases[i], {"baseline", file, ptr + "/phrases/" + std::to_string(i)}});
        }
        const auto regexes = strings(value, "regex");
        for (size_t i = 0; i < regexes.size(); ++i) {
          target.regexes.push_back({regexes[i], {"baseline", file, ptr + "/regex/" + std::to_string(i)}});
        }
      }
    }
    const auto& rules = d.at("rules");
    for (size_t i = 0; i < rules.size(); ++i) {
      const json& r = rules[i];
      const std::string ptr = "/rules/" + std::to_string(i);
      RuleSpec spec;
      spec.id = r.at("id").get<std::string>();
      if (std::any_of(m.rules.begin(), m.rules.end(), [&](const RuleSpec& o) { return o.id == spec.id; })) {
        return make_error(ErrorCode::policy_rule, file, ptr + "/id", "duplicate rule id \"" + spec.id + "\"");
      }
      spec.type = r.at("type").get<std::string>();
      spec.category = r.at("category").get<std::string>();
      spec.from = {"baseline", file, ptr};
      spec.enabled = {true, spec.from};
      spec.severity = {*severity_from_string(r.at("severity").get<std::string>()), {"baseline", file, ptr + "/severity"}};
      spec.message = {r.at("message").get<std::string>(), {"baseline", file, ptr + "/message"}};
      spec.policy_ref = {r.at("policyRef").get<std::string>(), {"baseline", file, ptr + "/policyRef"}};
      spec.match = strings(r, "match");
      spec.patterns = strings(r, "patterns");
      spec.require = strings(r, "require");
      spec.names = r.value("names", "");
      spec.fix = r.value("fix", "");
      if (auto n = r.find("near"); n != r.end()) {
        for (const auto& c : *n) spec.near.push_back(read_condition(c));
      }
      if (auto n = r.find("unless"); n != r.end()) {
        for (const auto& c : *n) spec.unless.push_back(read_condition(c));
      }
      if (auto w = r.find("when"); w != r.end()) {
        spec.when.surfaces = strings(*w, "surfaces");
        spec.when.accounts = strings(*w, "accounts");
        spec.when.sites = strings(*w, "sites");
        spec.when.min_images = w->value("minImages", 0);
      }
      // Literal phrases in match/near/unless/require become a set of the rule's own.
      auto own = [&](std::vector<std::string>& list, const std::string& where) {
        for (auto& s : list) {
          if (!s.empty() && s[0] == '@') {
            s = s.substr(1);
            continue;
          }
          const std::string set_name = spec.id + where;
          m.sets[set_name].phrases.push_back({s, {"baseline", file, ptr}});
          s = set_name;
        }
        std::sort(list.begin(), list.end());
        list.erase(std::unique(list.begin(), list.end()), list.end());
      };
      own(spec.match, "#match");
      own(spec.require, "#require");
      for (size_t k = 0; k < spec.near.size(); ++k) own(spec.near[k].sets, "#near" + std::to_string(k));
      for (size_t k = 0; k < spec.unless.size(); ++k) own(spec.unless[k].sets, "#unless" + std::to_string(k));
      m.rules.push_back(std::move(spec));
    }
    return true;
  }

  void add_identity(const json& ident, const std::string& layer, const std::string& file, const std::string& ptr) {
    const std::string owner = ident.at("id").get<std::string>();
    m.identities.push_back({ident.at("name").get<std::string>(), IdentityKind::name, owner, {layer, file, ptr + "/name"}});
    const std::pair<const char*, IdentityKind> kinds[] = {{"aliases", IdentityKind::alias},
                                                           {"handles", IdentityKind::handle},
                                                           {"domains", IdentityKind::domain},
                                                           {"hashtags", IdentityKind::hashtag}};
    for (const auto& [key, kind] : kinds) {
      const auto list = strings(ident, key);
      for (size_t i = 0; i < list.size(); ++i) {
        m.identities.push_back({list[i], kind, owner, {layer, file, ptr + "/" + key + "/" + std::to_string(i)}});
      }
    }
  }

  // Settings that trust, school and overlay layers share. With `dry_run` every
  // check is made (the same errors) but nothing is changed: how the other
  // schools of a bundle are checked (copying the merged policy for each of
  // them cost seconds and tens of MB with a large bundle).
  Result<bool> apply_settings(const json& obj, const std::string& layer, const std::string& file,
                              const std::string& ptr, bool dry_run = false) {
    MergedPolicy scratch;  // takes the values a dry run reads
    MergedPolicy& out = dry_run ? scratch : m;
    if (auto d = obj.find("disclaimer"); d != obj.end()) {
      out.disclaimer = {d->at("text").get<std::string>(), {layer, file, ptr + "/disclaimer/text"}};
      const auto accepted = strings(*d, "accepted");
      for (size_t i = 0; i < accepted.size(); ++i) {
        out.accepted_disclaimers.push_back({accepted[i], {layer, file, ptr + "/disclaimer/accepted/" + std::to_string(i)}});
      }
    }
    const auto accounts = strings(obj, "officialAccounts");
    for (size_t i = 0; i < accounts.size(); ++i) {
      out.official_accounts.push_back({accounts[i], {layer, file, ptr + "/officialAccounts/" + std::to_string(i)}});
    }
    if (auto refs = obj.find("policyRefs"); refs != obj.end()) {
      for (const auto& [cat, clause] : refs->items()) {
        const std::string p = ptr + "/policyRefs/" + pointer_token(cat);
        // A clause for a category no rule has would never be cited: a typo.
        const auto cats = categories();
        if (std::find(cats.begin(), cats.end(), cat) == cats.end()) {
          return make_error(ErrorCode::policy_rule, file, p,
                            "unknown category \"" + cat + "\" (categories: " + joined(cats) + ")" + suggest(cat, cats));
        }
        out.policy_refs[cat] = {clause.get<std::string>(), {layer, file, p}};
      }
    }
    if (auto phrases = obj.find("phrases"); phrases != obj.end()) {
      for (const auto& [set_name, list] : phrases->items()) {
        const std::string p = ptr + "/phrases/" + pointer_token(set_name);
        auto it = m.sets.find(set_name);
        if (it == m.sets.end() || set_name.find('#') != std::string::npos) {
          return make_error(ErrorCode::policy_rule, file, p,
                            "unknown phrase set \"" + set_name + "\"; use one of: " + public_set_names());
        }
        for (size_t i = 0; i < list.size(); ++i) {
          Phrase phrase{list[i].get<std::string>(), {layer, file, p + "/" + std::to_string(i)}};
          if (!dry_run) it->second.phrases.push_back(std::move(phrase));
        }
      }
    }
    if (auto rules = obj.find("rules"); rules != obj.end()) {
      // Category-wide settings first, so a rule's own setting wins in the same layer.
      for (int pass = 0; pass < 2; ++pass) {
        for (const auto& [key, settings] : rules->items()) {
          const bool is_category = key.rfind("category:", 0) == 0;
          if ((pass == 0) != is_category) continue;
          const std::string p = ptr + "/rules/" + pointer_token(key);
          std::vector<RuleSpec*> targets;
          for (auto& r : m.rules) {
            if (is_category ? r.category == key.substr(9) : r.id == key) targets.push_back(&r);
          }
          if (targets.empty()) {
            return make_error(ErrorCode::policy_rule, file, p,
                              is_category ? "no rule has category \"" + key.substr(9) + "\" (categories: " +
                                                joined(categories()) + ")" + suggest(key.substr(9), categories())
                                          : "unknown rule \"" + key + "\"" + suggest_rule(key) +
                                                " (`postguard policy explain` lists them)");
          }
          RuleSpec scratch_rule;
          for (RuleSpec* target : targets) {
            RuleSpec* r = dry_run ? &scratch_rule : target;
            if (settings.contains("enabled")) r->enabled = {settings["enabled"].get<bool>(), {layer, file, p + "/enabled"}};
            if (settings.contains("severity")) {
              r->severity = {*severity_from_string(settings["severity"].get<std::string>()), {layer, file, p + "/severity"}};
            }
            if (settings.contains("message")) r->message = {settings["message"].get<std::string>(), {layer, file, p + "/message"}};
            if (settings.contains("policyRef")) r->policy_ref = {settings["policyRef"].get<std::string>(), {layer, file, p + "/policyRef"}};
          }
        }
      }
    }
    return true;
  }

  std::string public_set_names() const {
    std::string out;
    for (const auto& [name, _] : m.sets) {
      if (name.find('#') == std::string::npos) out += (out.empty() ? "" : ", ") + name;
    }
    return out;
  }

  // The rules' categories, in order of first appearance.
  std::vector<std::string> categories() const {
    std::vector<std::string> out;
    for (const auto& r : m.rules) {
      if (std::find(out.begin(), out.end(), r.category) == out.end()) out.push_back(r.category);
    }
    return out;
  }

  static std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
  }

  static std::string suggest(const std::string& key, const std::vector<std::string>& names) {
    const std::string best = closest(key, names);
    return best.empty() ? "" : " - did you mean \"" + best + "\"?";
  }

  std::string suggest_rule(const std::string& key) const {
    std::vector<std::string> ids;
    for (const auto& r : m.rules) ids.push_back(r.id);
    const std::string best = closest(key, ids);
    return best.empty() ? "" : " - did you mean \"" + best + "\"?";
  }
};

}  // namespace

Result<MergedPolicy> merge(const std::vector<PolicySource>& sources, std::string_view school,
                           PackPhrases pack_phrases, const MergedPolicy* merged_packs) {
  Merger g;
  g.m.inputs = sources;
  g.m.school_asked = std::string(school);
  if (merged_packs && pack_phrases == PackPhrases::skip) {
    g.m.sets = merged_packs->sets;
    g.m.rules = merged_packs->rules;
  } else {
    for (const auto& [name, text] : embedded::packs()) {
      auto ok = g.add_pack(name, text, pack_phrases);
      if (!ok) return ok.error();
    }
  }
  g.m.disclaimer = {"The views expressed here are my own and not those of my employer.",
                    {"baseline", "packs/disclaimer.json", ""}};
  struct Parsed {
    const PolicySource* src;
    json doc;
  };
  std::vector<Parsed> bundles, overlays;
  for (const auto& src : sources) {
    auto doc = parse_file(src, false);
    if (!doc) return doc.error();
    g.m.files.push_back(src.name);
    (doc.value().contains("organisation") ? bundles : overlays).push_back({&src, std::move(doc).value()});
  }
  // Which school: the caller's choice wins, then the last file that names one.
  std::string chosen(school);
  Origin chosen_from{"caller", "", ""};
  if (chosen.empty()) {
    for (const auto* list : {&bundles, &overlays}) {
      for (const auto& p : *list) {
        if (p.doc.contains("school")) {
          chosen = p.doc["school"].get<std::string>();
          chosen_from = {list == &bundles ? "trust" : "overlay", p.src->name, "/school"};
        }
      }
    }
  }
  g.m.school = {chosen, chosen_from};
  // Trust layer.
  const json* school_entry = nullptr;
  std::string school_file;
  std::string school_ptr;
  for (const auto& p : bundles) {
    const json& d = p.doc;
    const std::string& file = p.src->name;
    g.m.organisation_id = d["organisation"]["id"].get<std::string>();
    g.m.organisation_name = d["organisation"]["name"].get<std::string>();
    g.add_identity(d["organisation"], "trust", file, "/organisation");
    auto ok = g.apply_settings(d, "trust", file, "");
    if (!ok) return ok.error();
    if (auto schools = d.find("schools"); schools != d.end()) {
      for (size_t i = 0; i < schools->size(); ++i) {
        const json& s = (*schools)[i];
        const std::string id = s["id"].get<std::string>();
        g.m.school_ids.push_back(id);
        const std::string ptr = "/schools/" + std::to_string(i);
        if (id == chosen) {
          school_entry = &s;
          school_file = file;
          school_ptr = ptr;
        } else {
          // Other schools' settings are checked too, without applying them: a
          // typo must not wait for the day that school's machines load it.
          auto checked = g.apply_settings(s, "school", file, ptr, /*dry_run=*/true);
          if (!checked) return checked.error();
        }
      }
    }
  }
  // A stand-alone school is its own organisation.
  // With no bundle (an overlay validated on its own) the school cannot be checked here.
  if (!chosen.empty() && !school_entry && chosen != g.m.organisation_id && !bundles.empty()) {
    std::string known;
    for (const auto& id : g.m.school_ids) known += (known.empty() ? "" : ", ") + id;
    // The caller chose it: point at the bundle's list of schools instead.
    const bool from_caller = chosen_from.layer == "caller";
    const std::string file = from_caller && !bundles.empty() ? bundles.back().src->name : chosen_from.file;
    const std::string pointer = from_caller && !bundles.empty() ? "/schools" : chosen_from.pointer;
    Error e = make_error(ErrorCode::policy_unknown_school, file, pointer,
                         "school \"" + chosen + "\" is not in the bundle; " +
                             (known.empty() ? std::string("the bundle lists no schools")
                                            : "known schools: " + known));
    return e;
  }
  if (school_entry) {
    g.add_identity(*school_entry, "school", school_file, school_ptr);
    auto ok = g.apply_settings(*school_entry, "school", school_file, school_ptr);
    if (!ok) return ok.error();
  }
  for (const auto& p : overlays) {
    if (p.doc.contains("school")) {
      const std::string for_school = p.doc["school"].get<std::string>();
      const bool known = std::find(g.m.school_ids.begin(), g.m.school_ids.end(), for_school) != g.m.school_ids.end() ||
                         for_school == g.m.organisation_id;
      if (!bundles.empty() && !known) {
        const std::string hint = closest(for_school, g.m.school_ids);
        return make_error(ErrorCode::policy_unknown_school, p.src->name, "/school",
                          "school \"" + for_school + "\" is not in the bundle" +
                              (hint.empty() ? std::string() : " - did you mean \"" + hint + "\"?"));
      }
      if (!chosen.empty() && for_school != chosen) continue;  // an overlay for another school
    }
    auto ok = g.apply_settings(p.doc, "overlay", p.src->name, "");
    if (!ok) return ok.error();
  }
  return std::move(g.m);
}

}  // namespace postguard::policy

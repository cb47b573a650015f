// `policy validate` and `policy explain`: all problems of a file, and the
// merged policy with where each value came from.
#include <nlohmann/json.hpp>

#include "engine/compiled_policy.h"
#include "policy/json_schema.h"
#include "text/utf8.h"

namespace postguard {
namespace {

using nlohmann::ordered_json;

ordered_json origin(const policy::Origin& o) {
  ordered_json j;
  j["layer"] = o.layer;
  j["file"] = o.file;
  if (!o.pointer.empty()) j["pointer"] = o.pointer;
  return j;
}

template <class T>
ordered_json traced(const T& value, const policy::Origin& o) {
  ordered_json j;
  j["value"] = value;
  j["from"] = origin(o);
  return j;
}

const char* kind_name(policy::IdentityKind k) {
  switch (k) {
    case policy::IdentityKind::name: return "name";
    case policy::IdentityKind::alias: return "alias";
    case policy::IdentityKind::handle: return "handle";
    case policy::IdentityKind::domain: return "domain";
    case policy::IdentityKind::hashtag: return "hashtag";
  }
  return "name";
}

}  // namespace

std::vector<Error> Policy::validate(const PolicySource& source) {
  std::vector<Error> out;
  auto fail = [&](ErrorCode code, std::string pointer, std::string message) {
    Error e;
    e.code = code;
    e.file = source.name;
    e.pointer = std::move(pointer);
    e.message = std::move(message);
    out.push_back(std::move(e));
  };
  if (auto bad = text::find_invalid_utf8(source.json)) {
    fail(ErrorCode::invalid_utf8, "", "the file is not valid UTF-8 (byte " + std::to_string(*bad) + "); save it as UTF-8");
    return out;
  }
  auto doc = nlohmann::json::parse(source.json, nullptr, false);
  if (doc.is_discarded()) {
    // Compiling reports the parse position.
    auto r = compile({source});
    if (!r) out.push_back(r.error());
    return out;
  }
  for (const auto& p : policy::policy_schema().validate(doc)) fail(ErrorCode::policy_schema, p.pointer, p.message);
  if (out.empty()) {
    // Schema-valid: compile it to find rule, set and regex problems too.
    auto r = compile({source});
    if (!r) out.push_back(r.error());
  }
  return out;
}

std::string Policy::explain_json() const {
  // The compiled policy kept no phrases or identities: merge its inputs again
  // (they merged before, so they merge the same way now).
  auto again = policy::merge(impl_->merged.inputs, impl_->merged.school_asked);
  const policy::MergedPolicy& m = again ? again.value() : impl_->merged;
  ordered_json j;
  j["school"] = traced(m.school.value, m.school.from);
  j["organisation"] = {{"id", m.organisation_id}, {"name", m.organisation_name}};
  j["files"] = m.files;
  ordered_json ids = ordered_json::array();
  for (const auto& i : m.identities) {
    ordered_json x;
    x["kind"] = kind_name(i.kind);
    x["text"] = i.text;
    x["owner"] = i.owner;
    x["from"] = origin(i.from);
    ids.push_back(std::move(x));
  }
  j["employer"] = std::move(ids);
  j["disclaimer"] = traced(m.disclaimer.value, m.disclaimer.from);
  ordered_json refs = ordered_json::object();
  for (const auto& [cat, r] : m.policy_refs) refs[cat] = traced(r.value, r.from);
  j["policyRefs"] = std::move(refs);
  ordered_json rules = ordered_json::array();
  for (const auto& cr : impl_->rules) {
    const policy::RuleSpec& r = *cr.spec;
    ordered_json x;
    x["id"] = r.id;
    x["type"] = r.type;
    x["category"] = r.category;
    x["enabled"] = traced(r.enabled.value, r.enabled.from);
    x["severity"] = traced(to_string(r.severity.value), r.severity.from);
    x["message"] = traced(r.message.value, r.message.from);
    x["policyRef"] = traced(cr.policy_ref, r.policy_ref.from);
    rules.push_back(std::move(x));
  }
  j["rules"] = std::move(rules);
  ordered_json added = ordered_json::object();
  for (const auto& [name, set] : m.sets) {
    if (name.find('#') != std::string::npos) continue;
    for (const auto& p : set.phrases) {
      if (p.from.layer == "baseline") continue;
      added[name].push_back(traced(p.text, p.from));
    }
  }
  j["addedPhrases"] = std::move(added);
  return j.dump(2);
}

}  // namespace postguard

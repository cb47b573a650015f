// `policy validate` and `policy explain`: all problems of a file, and the
// merged policy with where each value came from.
#include <functional>
#include <string_view>

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

namespace {

// Writes JSON piece by piece in the layout nlohmann's dump(indent) gives the
// whole document (so `policy explain` prints what it always printed), while
// only small values ever exist as a DOM: a large bundle explains to megabytes
// and its DOM was several times that (the host's getPolicy peak).
class ExplainWriter {
 public:
  ExplainWriter(const std::function<void(std::string_view)>& out, int indent) : out_(out), indent_(indent) {}

  void open(char bracket) {
    out_(std::string_view(&bracket, 1));
    first_.push_back(true);
  }
  void close(char bracket) {
    const bool empty = first_.back();
    first_.pop_back();
    if (!empty) newline();
    out_(std::string_view(&bracket, 1));
  }
  // Before each member of an object.
  void key(std::string_view k) {
    element();
    out_(ordered_json(k).dump());
    out_(indent_ >= 0 ? ": " : ":");
  }
  // Before each element of an array.
  void element() {
    if (!first_.back()) out_(",");
    first_.back() = false;
    newline();
  }
  // A small value (a traced string, one rule), laid out at this depth.
  void value(const ordered_json& v) {
    std::string text = v.dump(indent_);
    if (indent_ > 0 && text.find('\n') != std::string::npos) {
      // Strings are escaped in JSON text, so every newline is layout.
      const std::string pad = "\n" + std::string(first_.size() * static_cast<size_t>(indent_), ' ');
      std::string shifted;
      shifted.reserve(text.size() + text.size() / 8);
      for (const char c : text) {
        if (c == '\n') shifted += pad;
        else shifted += c;
      }
      text = std::move(shifted);
    }
    out_(text);
  }
  void member(std::string_view k, const ordered_json& v) {
    key(k);
    value(v);
  }

 private:
  void newline() {
    if (indent_ < 0) return;
    out_("\n");
    out_(std::string(first_.size() * static_cast<size_t>(indent_), ' '));
  }

  const std::function<void(std::string_view)>& out_;
  int indent_;
  std::vector<bool> first_;  // per open object/array: nothing written in it yet
};

// One pass of the explanation: `m` merged from `impl`'s inputs.
void write_explanation(const Policy::Impl& impl, const policy::MergedPolicy& m,
                       const std::function<void(std::string_view)>& out, int indent) {
  ExplainWriter w(out, indent);
  w.open('{');
  w.member("school", traced(m.school.value, m.school.from));
  w.member("organisation", {{"id", m.organisation_id}, {"name", m.organisation_name}});
  w.member("files", m.files);
  w.key("employer");
  w.open('[');
  for (const auto& i : m.identities) {
    ordered_json x;
    x["kind"] = kind_name(i.kind);
    x["text"] = i.text;
    x["owner"] = i.owner;
    x["from"] = origin(i.from);
    w.element();
    w.value(x);
  }
  w.close(']');
  w.member("disclaimer", traced(m.disclaimer.value, m.disclaimer.from));
  ordered_json refs = ordered_json::object();
  for (const auto& [cat, r] : m.policy_refs) refs[cat] = traced(r.value, r.from);
  w.member("policyRefs", refs);
  w.key("rules");
  w.open('[');
  for (const auto& cr : impl.rules) {
    const policy::RuleSpec& r = *cr.spec;
    ordered_json x;
    x["id"] = r.id;
    x["type"] = r.type;
    x["category"] = r.category;
    x["enabled"] = traced(r.enabled.value, r.enabled.from);
    x["severity"] = traced(to_string(r.severity.value), r.severity.from);
    x["message"] = traced(r.message.value, r.message.from);
    x["policyRef"] = traced(cr.policy_ref, r.policy_ref.from);
    w.element();
    w.value(x);
  }
  w.close(']');
  w.key("addedPhrases");
  w.open('{');
  for (const auto& [name, set] : m.sets) {
    if (name.find('#') != std::string::npos) continue;
    bool any = false;
    for (const auto& p : set.phrases) {
      if (p.from.layer == "baseline") continue;
      if (!any) {
        w.key(name);
        w.open('[');
        any = true;
      }
      w.element();
      w.value(traced(p.text, p.from));
    }
    if (any) w.close(']');
  }
  w.close('}');
  w.close('}');
}

}  // namespace

std::string Policy::explain_json() const {
  std::string text;
  write_explain_json([&](int, std::string_view piece) { text += piece; }, 2);
  return text;
}

void Policy::write_explain_json(const std::function<void(int pass, std::string_view piece)>& out, int indent,
                                int passes) const {
  // The compiled policy kept no phrases or identities: merge its inputs again
  // (they merged before, so they merge the same way now), without the packs'
  // own phrases: explain lists only the phrases the policy files add.
  const auto& tables = impl_->baseline;
  auto again = policy::merge(impl_->merged.inputs, impl_->merged.school_asked, policy::PackPhrases::skip,
                             tables ? &tables->merged_packs : nullptr);
  const policy::MergedPolicy& m = again ? again.value() : impl_->merged;
  for (int pass = 0; pass < passes; ++pass) {
    const std::function<void(std::string_view)> piece = [&](std::string_view text) { out(pass, text); };
    write_explanation(*impl_, m, piece, indent);
  }
}

}  // namespace postguard

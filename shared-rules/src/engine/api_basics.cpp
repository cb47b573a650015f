// The small parts of the public API: Policy lifetime, enums, context checks.
#include <algorithm>

#include "engine/compiled_policy.h"
#include "postguard/postguard.h"

namespace postguard {

std::string Error::to_string() const {
  std::string out;
  if (!file.empty()) out += file + ": ";
  if (!pointer.empty()) out += pointer + ": ";
  return out + message;
}

const char* to_string(Severity s) {
  switch (s) {
    case Severity::info: return "info";
    case Severity::warn: return "warn";
    case Severity::confirm: return "confirm";
    case Severity::block: return "block";
  }
  return "warn";
}

std::optional<Severity> severity_from_string(std::string_view s) {
  if (s == "info") return Severity::info;
  if (s == "warn") return Severity::warn;
  if (s == "confirm") return Severity::confirm;
  if (s == "block") return Severity::block;
  return std::nullopt;
}

std::optional<Error> validate(const Context& ctx) {
  auto bad = [](const std::string& field, const std::string& value, const char* allowed) {
    Error e;
    e.code = ErrorCode::context_invalid;
    e.message = field + " \"" + value + "\" is not valid; use one of: " + allowed;
    return e;
  };
  const std::string& s = ctx.surface;
  if (s != "post" && s != "comment" && s != "dm" && s != "bio") return bad("surface", s, "post, comment, dm, bio");
  if (ctx.account != "personal" && ctx.account != "official") return bad("account", ctx.account, "personal, official");
  if (ctx.images < 0) return bad("images", std::to_string(ctx.images), "a count of 0 or more");
  return std::nullopt;
}

std::optional<Severity> max_severity(const std::vector<Finding>& findings) {
  std::optional<Severity> out;
  for (const auto& f : findings) {
    if (!out || f.severity > *out) out = f.severity;
  }
  return out;
}

const char* version() { return POSTGUARD_VERSION; }

Policy::Policy(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
Policy::~Policy() = default;
Policy::Policy(const Policy&) = default;
Policy& Policy::operator=(const Policy&) = default;
Policy::Policy(Policy&&) noexcept = default;
Policy& Policy::operator=(Policy&&) noexcept = default;

Result<Policy> Policy::compile(const std::vector<PolicySource>& sources, std::string_view school) {
  try {
    // The packs' phrases are in the baseline tables, which also hold the
    // packs merged without them (nothing to parse).
    auto tables = baseline_tables();
    auto merged = policy::merge(sources, school, policy::PackPhrases::skip, tables ? &tables->merged_packs : nullptr);
    if (!merged) return merged.error();
    auto compiled = compile_policy(std::move(merged).value(), std::move(tables));
    if (!compiled) return compiled.error();
    return Policy(std::move(compiled).value());
  } catch (const std::exception& ex) {
    Error e;
    e.code = ErrorCode::internal;
    e.message = std::string("internal error while compiling the policy: ") + ex.what();
    return e;
  }
}

Result<Policy> Policy::baseline() { return compile({}, {}); }

const std::string& Policy::school() const { return impl_->merged.school.value; }

std::string Policy::disclaimer_text() const { return impl_->merged.disclaimer.value; }

}  // namespace postguard

#include "policy/json_schema.h"

#include <unicode/regex.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>

#include "embedded/embedded_files.h"
#include "policy/schema_pattern.h"
#include "policy/suggest.h"

namespace postguard::policy {
namespace {

using nlohmann::json;

std::string type_of(const json& v) {
  switch (v.type()) {
    case json::value_t::object: return "object";
    case json::value_t::array: return "array";
    case json::value_t::string: return "string";
    case json::value_t::boolean: return "boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return "integer";
    case json::value_t::number_float: return "number";
    case json::value_t::null: return "null";
    default: return "unknown";
  }
}

bool type_matches(const std::string& want, const json& v) {
  const std::string got = type_of(v);
  return want == got || (want == "number" && got == "integer");
}

bool regex_matches(const std::string& pattern, const std::string& value) {
  // Compiled once per pattern (a policy file has many handles and slugs). The
  // schemas' own patterns are matched without ICU (schema_pattern.h says why);
  // ICU's regex is the fallback for any other syntax.
  struct Compiled {
    std::optional<SchemaPattern> simple;
    std::unique_ptr<icu::RegexPattern> icu;
  };
  thread_local std::map<std::string, Compiled> cache;
  auto it = cache.find(pattern);
  if (it == cache.end()) {
    Compiled c;
    c.simple = SchemaPattern::compile(pattern);
    it = cache.emplace(pattern, std::move(c)).first;
  }
  if (it->second.simple) {
    if (const auto found = it->second.simple->search(value)) return *found;
  }
  if (!it->second.icu) {
    // ICU, compiled on first need: a pattern outside the subset, or a value too long for it.
    UErrorCode status = U_ZERO_ERROR;
    UParseError pe;
    it->second.icu.reset(icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(pattern), 0, pe, status));
    if (U_FAILURE(status)) it->second.icu.reset();
  }
  if (!it->second.icu) return true;  // a bad schema pattern must not reject data
  UErrorCode status = U_ZERO_ERROR;
  // The matcher keeps a reference to its input: the string must outlive it.
  const icu::UnicodeString input = icu::UnicodeString::fromUTF8(value);
  std::unique_ptr<icu::RegexMatcher> m(it->second.icu->matcher(input, status));
  return U_SUCCESS(status) && m->find(status);
}

std::string describe(const json& schema) {
  auto it = schema.find("description");
  return it != schema.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::string pointer_token(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out.push_back(c);
  }
  return out;
}

const json& JsonSchema::resolve(const json& schema) const {
  auto ref = schema.find("$ref");
  if (ref == schema.end() || !ref->is_string()) return schema;
  const std::string r = ref->get<std::string>();
  if (r.rfind("#/", 0) != 0) return schema;
  return resolve(root_.at(json::json_pointer(r.substr(1))));
}

std::vector<SchemaProblem> JsonSchema::validate(const json& doc) const {
  std::vector<SchemaProblem> out;
  check(root_, doc, "", out);
  return out;
}

void JsonSchema::check(const json& schema_in, const json& value, const std::string& pointer,
                       std::vector<SchemaProblem>& out) const {
  const json& schema = resolve(schema_in);
  const std::string hint = describe(schema).empty() ? describe(schema_in) : describe(schema);
  if (auto t = schema.find("type"); t != schema.end() && t->is_string()) {
    const std::string want = t->get<std::string>();
    if (!type_matches(want, value)) {
      std::string msg = "must be " + std::string(want == "object" || want == "array" ? "an " : "a ") + want +
                        ", not " + type_of(value);
      if (!hint.empty()) msg += " (" + hint + ")";
      out.push_back({pointer, msg});
      return;
    }
  }
  if (auto e = schema.find("enum"); e != schema.end() && e->is_array()) {
    if (std::find(e->begin(), e->end(), value) == e->end()) {
      std::string allowed;
      for (const auto& a : *e) allowed += (allowed.empty() ? "" : ", ") + a.dump();
      out.push_back({pointer, "must be one of " + allowed + " (got " + value.dump() + ")"});
    }
  }
  if (value.is_string()) {
    const auto& s = value.get_ref<const std::string&>();
    if (auto m = schema.find("minLength"); m != schema.end() && s.size() < m->get<size_t>()) {
      out.push_back({pointer, "must not be empty"});
    }
    if (auto p = schema.find("pattern"); p != schema.end() && !regex_matches(p->get<std::string>(), s)) {
      out.push_back({pointer, "\"" + s + "\" is not valid here: write " + (hint.empty() ? "a value matching " + p->get<std::string>() : hint)});
    }
  }
  if (value.is_array()) {
    if (auto items = schema.find("items"); items != schema.end()) {
      for (size_t i = 0; i < value.size(); ++i) check(*items, value[i], pointer + "/" + std::to_string(i), out);
    }
  }
  if (value.is_object()) {
    const auto props = schema.find("properties");
    if (auto req = schema.find("required"); req != schema.end()) {
      for (const auto& r : *req) {
        if (!value.contains(r.get<std::string>())) {
          out.push_back({pointer, "missing required field \"" + r.get<std::string>() + "\""});
        }
      }
    }
    const auto additional = schema.find("additionalProperties");
    for (const auto& [key, v] : value.items()) {
      const std::string child = pointer + "/" + pointer_token(key);
      if (props != schema.end() && props->contains(key)) {
        check((*props)[key], v, child, out);
      } else if (additional != schema.end() && additional->is_object()) {
        check(*additional, v, child, out);
      } else if (additional != schema.end() && additional->is_boolean() && !additional->get<bool>()) {
        std::string msg = "unknown field \"" + key + "\"";
        if (props != schema.end()) {
          std::vector<std::string> names;
          for (const auto& [name, _] : props->items()) names.push_back(name);
          const std::string best = closest(key, names, 2);
          std::string all;
          for (const auto& n : names) all += (all.empty() ? "" : ", ") + n;
          msg += best.empty() ? "; allowed fields: " + all : " - did you mean \"" + best + "\"?";
        }
        out.push_back({child, msg});
      }
    }
  }
}

const JsonSchema& policy_schema() {
  static const JsonSchema schema(json::parse(embedded::policy_schema()));
  return schema;
}

const JsonSchema& pack_schema() {
  static const JsonSchema schema(json::parse(embedded::pack_schema()));
  return schema;
}

}  // namespace postguard::policy

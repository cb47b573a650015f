// Validates JSON documents against the JSON Schemas published in
// shared-rules/schema/, so the published schema and the checker cannot drift.
//
// Hand-written because Debian has no C++ JSON Schema validator package and the
// core must also build for WebAssembly. It supports the subset our schemas
// use: type, enum, properties, required, additionalProperties, items, pattern,
// minLength, $ref to #/definitions/..., description.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace postguard::policy {

struct SchemaProblem {
  std::string pointer;  // JSON pointer into the document
  std::string message;  // says what to write instead
};

class JsonSchema {
 public:
  explicit JsonSchema(nlohmann::json schema) : root_(std::move(schema)) {}
  std::vector<SchemaProblem> validate(const nlohmann::json& doc) const;

 private:
  void check(const nlohmann::json& schema, const nlohmann::json& value, const std::string& pointer,
             std::vector<SchemaProblem>& out) const;
  const nlohmann::json& resolve(const nlohmann::json& schema) const;
  nlohmann::json root_;
};

// The policy file schema (shared-rules/schema/policy.schema.json, built in).
const JsonSchema& policy_schema();
// The rule pack schema (shared-rules/schema/pack.schema.json, built in).
const JsonSchema& pack_schema();

// JSON pointer escaping of one reference token.
std::string pointer_token(const std::string& key);

}  // namespace postguard::policy

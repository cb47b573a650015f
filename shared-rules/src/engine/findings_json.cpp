#include <nlohmann/json.hpp>

#include "postguard/postguard.h"

namespace postguard {

std::string findings_to_json(const std::vector<Finding>& findings) {
  nlohmann::ordered_json arr = nlohmann::ordered_json::array();
  for (const auto& f : findings) {
    nlohmann::ordered_json j;
    j["rule"] = f.rule;
    j["category"] = f.category;
    j["severity"] = to_string(f.severity);
    j["start"] = f.start;
    j["end"] = f.end;
    j["message"] = f.message;
    j["policyRef"] = f.policy_ref;
    if (f.fix) {
      j["fix"] = {{"label", f.fix->label}, {"start", f.fix->start}, {"end", f.fix->end}, {"text", f.fix->text}};
    }
    arr.push_back(std::move(j));
  }
  return arr.dump();
}

std::string error_to_json(const Error& error) {
  nlohmann::ordered_json j;
  j["code"] = static_cast<int>(error.code);
  j["message"] = error.message;
  if (!error.file.empty()) j["file"] = error.file;
  if (!error.pointer.empty()) j["pointer"] = error.pointer;
  return j.dump();
}

}  // namespace postguard

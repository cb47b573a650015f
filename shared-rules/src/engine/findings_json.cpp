// The findings as JSON text, written straight into one string. Hand-written
// rather than through nlohmann::ordered_json: building that DOM first (an
// allocation per key and value) was a third of a short check in
// WebAssembly. The output is byte for byte what nlohmann's dump() gives
// (tests/core/findings_json_test.cpp compares the two).
#include <nlohmann/json.hpp>

#include "postguard/postguard.h"

namespace postguard {
namespace {

// As nlohmann's serializer with ensure_ascii off: the two-character escapes,
// other control characters as \u00xx, everything else (UTF-8 included) as is.
// Every string here is valid UTF-8 (policy files are checked when loaded).
void append_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  size_t run = 0;  // start of the bytes not yet copied
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    out.push_back('\\');
    switch (c) {
      case '"': out.push_back('"'); break;
      case '\\': out.push_back('\\'); break;
      case '\b': out.push_back('b'); break;
      case '\f': out.push_back('f'); break;
      case '\n': out.push_back('n'); break;
      case '\r': out.push_back('r'); break;
      case '\t': out.push_back('t'); break;
      default:
        out += "u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 15]);
    }
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

void append_member(std::string& out, const char* key, std::string_view value) {
  out += key;
  append_string(out, value);
}

void append_member(std::string& out, const char* key, uint32_t value) {
  out += key;
  out += std::to_string(value);
}

}  // namespace

std::string findings_to_json(const std::vector<Finding>& findings) {
  std::string out;
  out.reserve(64 + findings.size() * 320);
  out.push_back('[');
  for (const auto& f : findings) {
    if (out.size() > 1) out.push_back(',');
    append_member(out, "{\"rule\":", f.rule);
    append_member(out, ",\"category\":", f.category);
    append_member(out, ",\"severity\":", to_string(f.severity));
    append_member(out, ",\"start\":", f.start);
    append_member(out, ",\"end\":", f.end);
    append_member(out, ",\"message\":", f.message);
    append_member(out, ",\"policyRef\":", f.policy_ref);
    if (f.fix) {
      append_member(out, ",\"fix\":{\"label\":", f.fix->label);
      append_member(out, ",\"start\":", f.fix->start);
      append_member(out, ",\"end\":", f.fix->end);
      append_member(out, ",\"text\":", f.fix->text);
      out.push_back('}');
    }
    out.push_back('}');
  }
  out.push_back(']');
  return out;
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

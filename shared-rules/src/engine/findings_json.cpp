#include <nlohmann/json.hpp>

#include "postguard/postguard.h"
#include "text/utf8.h"

namespace postguard {

namespace {

// The nlohmann form, kept for strings that are not valid UTF-8 (it reports
// them as it always did).
std::string findings_to_json_dom(const std::vector<Finding>& findings) {
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

// A JSON string as nlohmann's dump() writes it: '"' and '\\' escaped,
// \b \f \n \r \t, other bytes below 0x20 as \u00xx, UTF-8 as it is.
void append_string(std::string& out, std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  out += '"';
  size_t run = 0;  // start of the bytes not yet copied
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s, run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
  }
  out.append(s, run, std::string::npos);
  out += '"';
}

void append_member(std::string& out, const char* key, const std::string& value) {
  out += '"';
  out += key;
  out += "\":";
  append_string(out, value);
}

void append_member(std::string& out, const char* key, uint32_t value) {
  out += '"';
  out += key;
  out += "\":";
  out += std::to_string(value);
}

bool valid_utf8(const Finding& f) {
  auto ok = [](const std::string& s) { return !text::find_invalid_utf8(s); };
  return ok(f.rule) && ok(f.category) && ok(f.message) && ok(f.policy_ref) && (!f.fix || (ok(f.fix->label) && ok(f.fix->text)));
}

}  // namespace

// Written directly rather than through nlohmann's DOM: building the DOM of
// every finding (an ordered map per object) was about a quarter of a short
// check in the WebAssembly engine, which returns findings as this JSON.
// Byte for byte what the DOM's dump() gives (tests/core/findings_json_test.cpp).
std::string findings_to_json(const std::vector<Finding>& findings) {
  for (const auto& f : findings) {
    if (!valid_utf8(f)) return findings_to_json_dom(findings);
  }
  std::string out;
  out.reserve(64 + findings.size() * 320);
  out += '[';
  for (size_t k = 0; k < findings.size(); ++k) {
    const Finding& f = findings[k];
    if (k) out += ',';
    out += '{';
    append_member(out, "rule", f.rule);
    out += ',';
    append_member(out, "category", f.category);
    out += ',';
    append_member(out, "severity", to_string(f.severity));
    out += ',';
    append_member(out, "start", f.start);
    out += ',';
    append_member(out, "end", f.end);
    out += ',';
    append_member(out, "message", f.message);
    out += ',';
    append_member(out, "policyRef", f.policy_ref);
    if (f.fix) {
      out += ",\"fix\":{";
      append_member(out, "label", f.fix->label);
      out += ',';
      append_member(out, "start", f.fix->start);
      out += ',';
      append_member(out, "end", f.fix->end);
      out += ',';
      append_member(out, "text", f.fix->text);
      out += '}';
    }
    out += '}';
  }
  out += ']';
  return out;
}

// Written directly for the same reason (and so a host's reply needs no
// nlohmann serializer); a field that is not valid UTF-8 (a file name from the
// host, say) goes through nlohmann with U+FFFD for the bad bytes.
std::string error_to_json(const Error& error) {
  auto ok = [](const std::string& s) { return !text::find_invalid_utf8(s); };
  if (!ok(error.message) || !ok(error.file) || !ok(error.pointer)) {
    nlohmann::ordered_json j;
    j["code"] = static_cast<int>(error.code);
    j["message"] = error.message;
    if (!error.file.empty()) j["file"] = error.file;
    if (!error.pointer.empty()) j["pointer"] = error.pointer;
    return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  }
  std::string out = "{\"code\":" + std::to_string(static_cast<int>(error.code)) + ",";
  append_member(out, "message", error.message);
  if (!error.file.empty()) {
    out += ',';
    append_member(out, "file", error.file);
  }
  if (!error.pointer.empty()) {
    out += ',';
    append_member(out, "pointer", error.pointer);
  }
  out += '}';
  return out;
}

std::string json_string(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  append_string(out, text);
  return out;
}

}  // namespace postguard

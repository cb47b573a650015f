// Fuzzes policy loading: bytes -> one policy file -> Policy::validate and
// Policy::compile (alone, and as an overlay on a fixed bundle). A compiled
// policy must explain itself and check a draft; an error must name the file.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "postguard/postguard.h"

namespace {

const char* const kBundle = R"({"format": "postguard/1",
  "organisation": {"id": "zorblax", "name": "Zorblax Quantum Trust", "aliases": ["ZQT"], "handles": ["@ZorblaxQT"]},
  "disclaimer": {"text": "Views my own."},
  "schools": [{"id": "quill-harbour", "name": "Quill Harbour Primary", "hashtags": ["#QHfamily"]}]})";

void expect(bool ok) {
  if (!ok) std::abort();
}

void exercise(const postguard::Result<postguard::Policy>& r, const std::string& file) {
  if (!r) {
    // Errors in the fuzzed file name it (errors in the fixed bundle cannot happen).
    expect(!r.error().message.empty());
    expect(r.error().code != postguard::ErrorCode::ok);
    if (r.error().code != postguard::ErrorCode::policy_unknown_school) expect(r.error().file == file);
    return;
  }
  const std::string explained = r.value().explain_json();
  expect(!explained.empty());
  postguard::Context ctx;
  ctx.school = r.value().school();
  auto c = postguard::check(r.value(), "Great day at Quill Harbour with Zorbina Smith, pay rise news, password: x1!", ctx);
  expect(c.ok());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const postguard::PolicySource src{"fuzz.json", text};
  // validate() parses and checks the schema, and compiles only a schema-valid
  // file; compiling loads the baseline packs, which is slow under the
  // sanitizers, so the other compiles below run only for such files.
  const auto errors = postguard::Policy::validate(src);
  bool schema_valid = true;
  for (const auto& e : errors) {
    expect(e.file == "fuzz.json");
    expect(!e.message.empty());
    expect(e.code != postguard::ErrorCode::ok);
    schema_valid = schema_valid && e.code != postguard::ErrorCode::invalid_utf8 &&
                   e.code != postguard::ErrorCode::policy_parse && e.code != postguard::ErrorCode::policy_schema;
  }
  if (!schema_valid) return 0;
  if (errors.empty()) {
    // validate() and compile() agree: a file that validates compiles.
    auto alone = postguard::Policy::compile({src});
    expect(alone.ok());
    exercise(alone, "fuzz.json");
  }
  if (text.find("\"organisation\"") == std::string::npos) {
    exercise(postguard::Policy::compile({{"bundle.json", kBundle}, src}, "quill-harbour"), "fuzz.json");
  }
  return 0;
}

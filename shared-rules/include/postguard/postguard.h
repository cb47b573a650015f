// PostGuard rules core: the public API.
//
// A pure function of (policy, text, context) -> findings. No I/O happens here:
// the hosts (CLI, native messaging host, wasm binding) read files and hand the
// core their text. Errors are values; nothing in this header throws.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace postguard {

// Stable error codes: hosts print them and the native messaging protocol
// carries them, so never renumber.
enum class ErrorCode : int {
  ok = 0,
  invalid_utf8 = 10,        // the draft or a policy file is not valid UTF-8
  policy_parse = 20,        // a policy file is not JSON
  policy_schema = 21,       // a policy file does not follow the schema
  policy_unknown_school = 22,  // the school id is not in the bundle
  policy_rule = 23,         // a rule refers to something that does not exist
  policy_regex = 24,        // an ICU regex in a rule does not compile
  context_invalid = 30,     // surface/account/... not one of the allowed values
  internal = 90,
};

struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;  // what is wrong and what to write instead
  std::string file;     // the policy file, when the error is in one
  std::string pointer;  // JSON pointer into that file ("" for the whole file)

  // "file: /pointer: message" as an admin reads it.
  std::string to_string() const;
};

// A value or an Error. Small on purpose: the core only needs this much.
template <class T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}              // NOLINT(implicit)
  Result(Error error) : error_(std::move(error)) {}          // NOLINT(implicit)
  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }
  const T& value() const& { return *value_; }
  T& value() & { return *value_; }
  T&& value() && { return std::move(*value_); }
  const Error& error() const { return *error_; }

 private:
  std::optional<T> value_;
  std::optional<Error> error_;
};

enum class Severity : int { info = 0, warn = 1, confirm = 2, block = 3 };
const char* to_string(Severity s);
std::optional<Severity> severity_from_string(std::string_view s);

// Where and how the draft is being written (DESIGN.md "Check context").
struct Context {
  std::string school;              // school id; "" = trust-central staff
  std::string site;                // host, e.g. "x.com"
  std::string surface = "post";    // post | comment | dm | bio
  std::string account = "personal";  // personal | official
  std::string time;                // ISO 8601, optional
  int images = 0;                  // attached images
};

// Validates surface/account values.
std::optional<Error> validate(const Context& ctx);

// A one-click change to the draft: replace [start, end) with text
// (start == end inserts). Offsets are UTF-16 code units, like findings.
struct Fix {
  std::string label;
  uint32_t start = 0;
  uint32_t end = 0;
  std::string text;
};

struct Finding {
  std::string rule;
  std::string category;
  Severity severity = Severity::warn;
  uint32_t start = 0;  // UTF-16 code units into the original text
  uint32_t end = 0;
  std::string message;
  std::string policy_ref;
  std::optional<Fix> fix;
};

// One policy file as the host read it. `name` is what errors call the file.
struct PolicySource {
  std::string name;
  std::string json;
};

// A compiled policy: baseline packs + trust bundle + school overlays, merged
// and compiled once, then used for any number of checks (thread-safe, const).
class Policy {
 public:
  // Layers in order: the built-in baseline is always first; then each source
  // (the trust bundle, then overlays). `school` selects a school in the bundle
  // ("" = trust-central staff, or the overlay's own "school" field if set).
  static Result<Policy> compile(const std::vector<PolicySource>& sources,
                                std::string_view school = {});
  // The baseline alone.
  static Result<Policy> baseline();

  // Validates a file against the published schema without compiling.
  static std::vector<Error> validate(const PolicySource& source);

  // The merged policy with provenance (which layer and file set each value),
  // as JSON text: what `postguard policy explain` prints.
  std::string explain_json() const;
  // The same JSON handed to `out` in pieces as it is written (`indent` < 0:
  // compact, no whitespace), `passes` times over one merge (`pass` counts
  // from 0): the native host measures a large reply in a first pass and
  // sends it chunk by chunk in the second, never holding all of it.
  void write_explain_json(const std::function<void(int pass, std::string_view piece)>& out, int indent = 2,
                          int passes = 1) const;

  const std::string& school() const;  // selected school id ("" = trust)
  std::string disclaimer_text() const;

  ~Policy();
  Policy(const Policy&);
  Policy& operator=(const Policy&);
  Policy(Policy&&) noexcept;
  Policy& operator=(Policy&&) noexcept;

  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  explicit Policy(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

// The check itself. `text` is UTF-8; invalid UTF-8 is an error, not a guess.
// Findings are sorted by start offset.
Result<std::vector<Finding>> check(const Policy& policy, std::string_view text,
                                   const Context& context);

// For rule authors: the folded matching text and, per phrase set, what
// matched (as JSON). Shows why a rule fired or did not.
Result<std::string> trace(const Policy& policy, std::string_view text, const Context& context);

// Findings as the DESIGN.md JSON array (fields in the documented order).
std::string findings_to_json(const std::vector<Finding>& findings);
// An error as {"code": n, "message": ..., "file": ..., "pointer": ...}.
std::string error_to_json(const Error& error);
// `text` (valid UTF-8) as a JSON string, quoted and escaped as the two above
// write theirs: for hosts that build their own replies around them.
std::string json_string(std::string_view text);

// Highest severity among findings, or nullopt when there are none.
std::optional<Severity> max_severity(const std::vector<Finding>& findings);

const char* version();

// The baseline packs' phrase tables, compiled at build time. Native builds
// embed them; the WebAssembly build ships them beside the module
// (postguard-baseline.bin), and its host passes the bytes in before the first
// policy compile. Returns false when they are not tables for these packs:
// policies then compile the baseline from the packs (slower, same findings).
// `bytes` must stay alive and unchanged for the rest of the process.
bool provide_baseline_tables(std::string_view bytes);
// Whether policies compile on build-time tables (diagnostics, tests).
bool baseline_tables_prebuilt();

}  // namespace postguard

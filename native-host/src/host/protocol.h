// The native messaging protocol's vocabulary: version, limits and error codes.
// docs/protocol.md is the reference; the extension and tests depend on these
// numbers, so never renumber — add new codes instead.
#pragma once

#include <cstdint>

namespace postguard::host {

// Bumped when a message changes incompatibly; `hello` reports it so an old
// extension can tell a new host apart.
inline constexpr int kProtocolVersion = 1;

// The manifest name browsers look up (connectNative("org.postguard.host")).
inline constexpr const char* kHostName = "org.postguard.host";

// Error codes the host adds to the core's (postguard::ErrorCode 0-99, which
// pass through unchanged when the core reports them).
enum class HostError : int {
  frame_too_large = 100,       // declared length over the browser->host cap
  frame_truncated = 101,       // the stream ended inside a length prefix or body
  frame_empty = 102,           // a zero-length message
  message_not_utf8 = 103,      // the message bytes are not UTF-8
  message_not_json = 104,      // the message is not JSON
  bad_request = 105,           // JSON of the wrong shape (not an object, bad field type...)
  unknown_type = 106,          // `type` is not one this host knows
  caller_not_allowed = 107,    // the calling extension is not in the host manifest
  policy_file_refused = 110,   // a policy file is writable by users, so it is ignored
  policy_file_unreadable = 111,  // a policy file exists but cannot be read
};

}  // namespace postguard::host

// The protocol, JSON in and JSON out, with no transport: main.cpp feeds it
// frames from stdin, tests and the fuzzer call it directly. Nothing thrown
// inside leaves it — every failure becomes an `error` reply (docs/protocol.md).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "host/caller_check.h"
#include "host/effective_policy.h"
#include "host/framing.h"
#include "host/reply_chunker.h"

namespace postguard::host {

class Dispatcher {
 public:
  Dispatcher(EffectivePolicy& policy, CallerVerdict caller, size_t max_reply_bytes = kMaxOutgoingMessageBytes);

  // One message's replies, each a complete JSON text within the reply cap,
  // sent to `out` as they are made (a large reply goes as several `chunk`
  // messages, made one at a time).
  void handle(std::string_view message, ReplySink& out) noexcept;
  // The same, collected (tests, the fuzzer).
  std::vector<std::string> handle(std::string_view message) noexcept;

  // The reply to a framing failure (too large, truncated) — there is no
  // request to echo, so `id` is null.
  std::vector<std::string> frame_error(FrameStatus status, uint32_t declared_length) noexcept;

  // Whether a `subscribe` is in force (the loop then watches the policy files).
  bool subscribed() const { return subscribed_; }

  // The files may have changed: re-read them and, when the policy in force or
  // its problems changed and someone subscribed, return `policyChanged`.
  std::vector<std::string> policy_maybe_changed() noexcept;

 private:
  void dispatch(std::string_view message, ReplySink& out);
  // After a reply that needed the compiled policy only to describe it.
  void release_compiled_unless_checking();

  EffectivePolicy& policy_;
  CallerVerdict caller_;
  size_t max_reply_bytes_;
  bool subscribed_ = false;
  bool checking_ = false;  // a `check` came in: keep the compiled policy for the next one
  std::string subscribe_id_ = "null";  // JSON text of the subscribe request's id
};

}  // namespace postguard::host

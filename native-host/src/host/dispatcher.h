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

namespace postguard::host {

class Dispatcher {
 public:
  Dispatcher(EffectivePolicy& policy, CallerVerdict caller, size_t max_reply_bytes = kMaxOutgoingMessageBytes);

  // One message's replies, each a complete JSON text within the reply cap
  // (a large reply comes back as several `chunk` messages).
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
  std::vector<std::string> dispatch(std::string_view message);

  EffectivePolicy& policy_;
  CallerVerdict caller_;
  size_t max_reply_bytes_;
  bool subscribed_ = false;
  std::string subscribe_id_ = "null";  // JSON text of the subscribe request's id
};

}  // namespace postguard::host

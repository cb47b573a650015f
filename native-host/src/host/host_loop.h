// The host's main loop: frames from the browser to a session, the session's
// replies back, and policy-change wake-ups while someone is subscribed. One
// interface, one implementation per OS:
//   host_loop_posix.cpp   — poll() on stdin and the watcher's inotify fd;
//   host_loop_windows.cpp — a reader thread doing blocking ReadFile on stdin
//     (anonymous pipes cannot be waited on) feeding a bounded queue, and the
//     main thread waiting on the queue's event and the watcher's change
//     handles (FindFirstChangeNotification, RegNotifyChangeKeyValue).
// The loop knows frames, not JSON, so it builds for Windows without the core
// and its tests drive it with a session of their own.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "host/framing.h"
#include "host/policy_sources.h"

namespace postguard::host {

// What the loop drives; main.cpp's session wraps the Dispatcher.
class HostSession {
 public:
  struct Step {
    std::vector<std::string> replies;  // sent in order, each one frame
    // Then this writes its own frames (false: the browser has gone), so a
    // large reply goes out chunk by chunk as it is made, never held whole.
    std::function<bool(ByteSink&)> stream;
    std::optional<int> exit_code;      // stop after sending, with this status
  };
  virtual ~HostSession() = default;
  // Every frame the reader produced, including end of stream and errors.
  virtual Step on_frame(Frame& frame) = 0;
  // The policy files may have changed: `policyChanged` replies, or none.
  virtual std::vector<std::string> on_policy_maybe_changed() = 0;
  // Whether the loop should watch the policy sources (a `subscribe` is in force).
  virtual bool wants_policy_changes() const = 0;
};

// Runs until the session says stop or the browser goes away; returns the
// process exit status. `in`/`out`: POSIX fds or Windows HANDLEs (intptr_t).
int run_host_loop(HostSession& session, const PolicySources& sources, intptr_t in, intptr_t out);

// Shared by both loops (host_loop_common.cpp). Writes each reply as one frame;
// false when the browser has gone.
bool send_all(ByteSink& out, const std::vector<std::string>& replies);
// A step's replies, then its stream; false when the browser has gone.
bool send_step(ByteSink& out, const HostSession::Step& step);

// Arms the policy watcher when a subscribe came in and drops it when the
// session no longer wants changes; false when the browser has gone.
bool sync_watcher(HostSession& session, const PolicySources& sources, std::unique_ptr<ChangeWatcher>& watcher,
                  ByteSink& out);

// Editors save in several steps (truncate, write, rename): a watcher waits
// until its folder has been quiet this long (at most kMaxSettleMs) before
// re-reading, so one save is one policyChanged.
inline constexpr int kQuietMs = 40;
inline constexpr int kMaxSettleMs = 500;

}  // namespace postguard::host

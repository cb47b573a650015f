// The parts of the host loop that do not depend on the OS.
#include "host/host_loop.h"

namespace postguard::host {

bool send_all(ByteSink& out, const std::vector<std::string>& replies) {
  for (const auto& r : replies) {
    if (!write_frame(out, r)) return false;
  }
  return true;
}

bool send_step(ByteSink& out, const HostSession::Step& step) {
  if (!send_all(out, step.replies)) return false;
  return !step.stream || step.stream(out);
}

bool sync_watcher(HostSession& session, const PolicySources& sources, std::unique_ptr<ChangeWatcher>& watcher,
                  ByteSink& out) {
  if (session.wants_policy_changes() && !watcher) {
    watcher = sources.watch();
    // An edit between the subscribe reply and arming the watcher would be
    // missed; the session compares with the policy it last served.
    if (!send_all(out, session.on_policy_maybe_changed())) return false;
  }
  if (!session.wants_policy_changes()) watcher.reset();
  return true;
}

}  // namespace postguard::host

// Linux and macOS: one thread, poll() on stdin and the watcher's fd (inotify),
// or a timeout when the watcher polls.
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <memory>

#include "host/host_loop.h"

namespace postguard::host {
namespace {

void settle(const ChangeWatcher& w) {
  if (w.fd() < 0) return;
  const auto start = std::chrono::steady_clock::now();
  pollfd p{w.fd(), POLLIN, 0};
  while (::poll(&p, 1, kQuietMs) > 0) {
    // Leave the events for changed() to drain; just wait for the burst to end.
    if (std::chrono::steady_clock::now() - start > std::chrono::milliseconds(kMaxSettleMs)) break;
    char buf[4096];
    if (::read(w.fd(), buf, sizeof buf) <= 0) break;
  }
}

}  // namespace

int run_host_loop(HostSession& session, const PolicySources& sources, intptr_t in_fd, intptr_t out_fd) {
  FileSource in(in_fd);
  FileSink out(out_fd);
  FrameReader reader(in);
  std::unique_ptr<ChangeWatcher> watcher;
  for (;;) {
    if (!sync_watcher(session, sources, watcher, out)) return 0;

    pollfd fds[2] = {{static_cast<int>(in_fd), POLLIN, 0}, {watcher ? watcher->fd() : -1, POLLIN, 0}};
    const int timeout = watcher ? watcher->poll_interval_ms() : -1;
    const int ready = ::poll(fds, 2, timeout);
    if (ready < 0) continue;  // EINTR

    if (watcher && (ready == 0 || (fds[1].revents & POLLIN))) {
      settle(*watcher);
      if (watcher->changed() && !send_all(out, session.on_policy_maybe_changed())) return 0;
    }
    if (!(fds[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;

    Frame f = reader.next();
    const HostSession::Step step = session.on_frame(f);
    // A browser that has gone away cannot be told anything more.
    if (!send_step(out, step)) return step.exit_code.value_or(0);
    if (step.exit_code) return *step.exit_code;
  }
}

}  // namespace postguard::host

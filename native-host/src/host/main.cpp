// postguard-host: what a browser starts for connectNative("org.postguard.host").
// This file is the transport only: frames from stdin to the dispatcher, its
// replies to stdout, and the policy watcher once someone subscribes. It logs
// to stderr (the browser's log) only frame-level trouble, never message text.
#include <poll.h>
#include <signal.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "host/caller_check.h"
#include "host/dispatcher.h"
#include "host/effective_policy.h"
#include "host/framing.h"
#include "host/policy_sources.h"
#include "postguard/postguard.h"

using namespace postguard::host;

namespace {

// Editors save in several steps (truncate, write, rename): wait until the
// folder has been quiet this long before re-reading it.
constexpr int kQuietMs = 40;
constexpr int kMaxSettleMs = 500;

// Compiling a policy and building a big reply are transient peaks; hand the
// freed memory back so an idle host connected all day stays small.
void release_free_memory() {
#if defined(__GLIBC__)
  ::malloc_trim(0);
#endif
}

bool send_all(FileSink& out, const std::vector<std::string>& replies) {
  for (const auto& r : replies) {
    if (!write_frame(out, r)) return false;
  }
  return true;
}

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

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && (args[0] == "--version" || args[0] == "--help")) {
    std::printf("postguard-host %s: the PostGuard native messaging host. Browsers start it; "
                "see `postguard install-host` and `postguard doctor`.\n",
                postguard::version());
    return 0;
  }
  // A browser that goes away closes our stdout; that must end the process
  // quietly, not kill it with SIGPIPE mid-write.
  ::signal(SIGPIPE, SIG_IGN);

  const CallerVerdict caller =
      verify_caller(parse_caller(args), chromium_manifest_candidates(), builtin_allowed_origins());
  if (!caller.allowed) std::fprintf(stderr, "postguard-host: refusing caller: %s\n", caller.message.c_str());

  const std::unique_ptr<PolicySources> sources = machine_policy_sources();
  EffectivePolicy policy(*sources);
  Dispatcher dispatcher(policy, caller);
  FileSource in(STDIN_FILENO);
  FileSink out(STDOUT_FILENO);
  FrameReader reader(in);
  std::unique_ptr<ChangeWatcher> watcher;
  uint64_t trimmed_revision = 0;

  for (;;) {
    if (dispatcher.subscribed() && !watcher) {
      watcher = sources->watch();
      // An edit between the subscribe reply and arming the watcher would be
      // missed; the dispatcher compares with the policy it last served.
      if (!send_all(out, dispatcher.policy_maybe_changed())) return 0;
    }
    if (!dispatcher.subscribed()) watcher.reset();

    pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {watcher ? watcher->fd() : -1, POLLIN, 0}};
    const int timeout = watcher ? watcher->poll_interval_ms() : -1;
    const int ready = ::poll(fds, 2, timeout);
    if (ready < 0) continue;  // EINTR

    if (watcher && (ready == 0 || (fds[1].revents & POLLIN))) {
      settle(*watcher);
      if (watcher->changed()) {
        if (!send_all(out, dispatcher.policy_maybe_changed())) return 0;
        release_free_memory();
      }
    }
    if (!(fds[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;

    Frame f = reader.next();
    switch (f.status) {
      case FrameStatus::message: {
        const bool large = f.payload.size() > 64 * 1024;
        const auto replies = dispatcher.handle(f.payload);
        f.payload = std::string();
        if (!send_all(out, replies)) return 0;
        if (large || replies.size() > 1 || policy.loaded_revision() != trimmed_revision) {
          trimmed_revision = policy.loaded_revision();
          release_free_memory();
        }
        break;
      }
      case FrameStatus::too_large:
        std::fprintf(stderr, "postguard-host: skipping a %u-byte message (over the limit)\n", f.declared_length);
        if (!send_all(out, dispatcher.frame_error(f.status, f.declared_length))) return 0;
        break;
      case FrameStatus::end_of_stream:
        return 0;  // the browser closed the port
      case FrameStatus::truncated:
        std::fprintf(stderr, "postguard-host: input ended inside a message\n");
        send_all(out, dispatcher.frame_error(f.status, 0));
        return 1;
      case FrameStatus::read_error:
        std::fprintf(stderr, "postguard-host: cannot read standard input\n");
        return 1;
    }
  }
}

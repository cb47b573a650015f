// postguard-host: what a browser starts for connectNative("org.postguard.host").
// This file wires the parts together: the caller check, the machine's policy,
// the Dispatcher as the loop's session, and the OS's loop (host_loop.h). It
// logs to stderr (the browser's log) only frame-level trouble, never message
// text. Log lines follow the user's language; replies stay English (codes are
// what the extension localises, docs/protocol.md).
#ifdef _WIN32
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>
#else
#include <signal.h>
#include <unistd.h>
#endif
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "common/i18n.h"
#include "host/caller_check.h"
#include "host/dispatcher.h"
#include "host/effective_policy.h"
#include "host/framing.h"
#include "host/host_loop.h"
#include "host/policy_sources.h"
#include "postguard/postguard.h"

using namespace postguard::host;
using postguard::i18n::tr;
using postguard::i18n::trf;

namespace {

// Compiling a policy and building a big reply are transient peaks; hand the
// freed memory back so an idle host connected all day stays small. glibc's
// free() returns memory to the system only from the top of the heap and only
// past M_TRIM_THRESHOLD; malloc_trim(0) also gives back every free page in
// the middle (madvise), which is where a compile's temporaries end up.
// mallopt (M_MMAP_THRESHOLD, M_TRIM_THRESHOLD, M_ARENA_MAX) was measured too
// and changed nothing (1 MB policy: anon 2.3 MB steady with and without; the
// loop is one thread, so there is one arena): not set.
void release_free_memory() {
#if defined(__GLIBC__)
  ::malloc_trim(0);
#endif
}

void log_line(const std::string& line) { std::fprintf(stderr, "postguard-host: %s\n", line.c_str()); }

class DispatcherSession final : public HostSession {
 public:
  DispatcherSession(Dispatcher& dispatcher, EffectivePolicy& policy) : dispatcher_(dispatcher), policy_(policy) {}

  Step on_frame(Frame& f) override {
    Step step;
    switch (f.status) {
      case FrameStatus::message: {
        // Replies go straight to stdout as they are made (a large getPolicy
        // chunk by chunk), then the memory they took is handed back.
        step.stream = [this, message = std::move(f.payload)](ByteSink& out) {
          FrameReplySink sink(out);
          const bool held = policy_.holds_compiled();
          dispatcher_.handle(message, sink);
          if (message.size() > 64 * 1024 || sink.count() > 1 || policy_.loaded_revision() != trimmed_revision_ ||
              held != policy_.holds_compiled()) {
            trimmed_revision_ = policy_.loaded_revision();
            release_free_memory();
          }
          return sink.ok();
        };
        break;
      }
      case FrameStatus::too_large:
        log_line(trf("skipping a {1}-byte message (over the limit)", f.declared_length));
        step.replies = dispatcher_.frame_error(f.status, f.declared_length);
        break;
      case FrameStatus::end_of_stream:
        step.exit_code = 0;  // the browser closed the port
        break;
      case FrameStatus::truncated:
        log_line(tr("input ended inside a message"));
        step.replies = dispatcher_.frame_error(f.status, 0);
        step.exit_code = 1;
        break;
      case FrameStatus::read_error:
        log_line(tr("cannot read standard input"));
        step.exit_code = 1;
        break;
    }
    return step;
  }

  std::vector<std::string> on_policy_maybe_changed() override {
    auto replies = dispatcher_.policy_maybe_changed();
    release_free_memory();  // a re-read compiled the files again
    return replies;
  }

  bool wants_policy_changes() const override { return dispatcher_.subscribed(); }

 private:
  Dispatcher& dispatcher_;
  EffectivePolicy& policy_;
  uint64_t trimmed_revision_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && (args[0] == "--version" || args[0] == "--help")) {
    std::printf("%s\n", trf("postguard-host {1}: the PostGuard native messaging host. Browsers start it; "
                            "see `postguard install-host` and `postguard doctor`.",
                            postguard::version())
                            .c_str());
    return 0;
  }
#ifndef _WIN32
  // A browser that goes away closes our stdout; that must end the process
  // quietly, not kill it with SIGPIPE mid-write.
  ::signal(SIGPIPE, SIG_IGN);
#endif

  const CallerVerdict caller =
      verify_caller(parse_caller(args), chromium_manifest_candidates(), builtin_allowed_origins());
  // The verdict's message is also the error replies' English text.
  if (!caller.allowed) log_line(trf("refusing caller: {1}", caller.message));

  const std::unique_ptr<PolicySources> sources = machine_policy_sources();
  EffectivePolicy policy(*sources);
  Dispatcher dispatcher(policy, caller);
  DispatcherSession session(dispatcher, policy);
#ifdef _WIN32
  return run_host_loop(session, *sources, reinterpret_cast<intptr_t>(GetStdHandle(STD_INPUT_HANDLE)),
                       reinterpret_cast<intptr_t>(GetStdHandle(STD_OUTPUT_HANDLE)));
#else
  return run_host_loop(session, *sources, STDIN_FILENO, STDOUT_FILENO);
#endif
}

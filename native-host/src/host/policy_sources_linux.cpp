// Linux: /etc/postguard/policy.json then /etc/postguard/policy.d/*.json,
// watched with inotify.
#include <limits.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "host/policy_sources.h"
#include "host/protocol.h"

namespace postguard::host {
namespace {

constexpr const char* kMachineRoot = kDefaultPolicyDirectory;

// Why a path must not be trusted as machine policy, or nullopt. A file or
// folder that an ordinary user could change is no longer IT's policy.
std::optional<std::string> posix_refuse(const std::string& path, bool owner_may_be_self) {
  auto check = [&](const std::string& p) -> std::optional<std::string> {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) return std::nullopt;  // vanished: the read reports it
    // A sticky folder (like /tmp) lets users add entries but not replace others'.
    const bool sticky_dir = S_ISDIR(st.st_mode) && (st.st_mode & S_ISVTX);
    if ((st.st_mode & S_IWOTH) && !sticky_dir) return p + " is writable by every user";
    if ((st.st_mode & S_IWGRP) && st.st_gid != 0) return p + " is writable by a group other than root";
    if (st.st_uid != 0 && !(owner_may_be_self && st.st_uid == ::geteuid())) {
      return p + " is owned by uid " + std::to_string(st.st_uid) + ", not root";
    }
    return std::nullopt;
  };
  if (auto why = check(path)) return why;
  // A symlink into a folder a user controls lets that user swap the target.
  char resolved[PATH_MAX];
  if (::realpath(path.c_str(), resolved) != nullptr && path != resolved) {
    const std::string parent = std::filesystem::path(resolved).parent_path().string();
    if (!parent.empty()) return check(parent);
  }
  return std::nullopt;
}

bool holds_policy(const std::string& root) {
  std::error_code ec;
  namespace fs = std::filesystem;
  if (fs::exists(fs::path(root) / "policy.json", ec)) return true;
  for (fs::directory_iterator it(fs::path(root) / "policy.d", ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".json") return true;
  }
  return false;
}

class InotifyWatcher final : public ChangeWatcher {
 public:
  InotifyWatcher(const PolicySources& sources, std::string root)
      : sources_(sources), root_(std::move(root)), last_(fingerprint(sources.read())) {
    fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    arm();
  }
  ~InotifyWatcher() override {
    if (fd_ >= 0) ::close(fd_);
  }
  bool ok() const { return fd_ >= 0; }
  int fd() const override { return fd_; }
  // Also re-reads now and then: inotify does not see through a symlink to a
  // file kept elsewhere.
  int poll_interval_ms() const override { return 5000; }

  bool changed() override {
    alignas(inotify_event) char buf[16 * 1024];
    while (::read(fd_, buf, sizeof buf) > 0) {
    }
    arm();  // folders may have appeared or been replaced
    const uint64_t now = fingerprint(sources_.read());
    const bool differs = now != last_;
    last_ = now;
    return differs;
  }

 private:
  // Watches the root and policy.d, or the root's parent while the root does
  // not exist yet, so creating /etc/postguard later is noticed too.
  void arm() {
    const uint32_t mask = IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM |
                          IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF;
    const std::string overlays = root_ + "/policy.d";
    if (::inotify_add_watch(fd_, root_.c_str(), mask) < 0) {
      const std::string parent = std::filesystem::path(root_).parent_path().string();
      ::inotify_add_watch(fd_, parent.empty() ? "/" : parent.c_str(), mask);
    }
    ::inotify_add_watch(fd_, overlays.c_str(), mask);
  }

  const PolicySources& sources_;
  std::string root_;
  uint64_t last_;
  int fd_ = -1;
};

class DirectorySources final : public PolicySources {
 public:
  DirectorySources(std::string root, bool owner_may_be_self, std::optional<Error> note)
      : root_(std::move(root)), owner_may_be_self_(owner_may_be_self), note_(std::move(note)) {}

  SourceRead read() const override {
    SourceRead out;
    out.location = root_;
    if (note_) out.problems.push_back(*note_);
    read_policy_directory(
        root_, [this](const std::string& p) { return posix_refuse(p, owner_may_be_self_); }, out);
    return out;
  }

  std::unique_ptr<ChangeWatcher> watch() const override {
    auto w = std::make_unique<InotifyWatcher>(*this, root_);
    if (w->ok()) return w;
    return polling_watcher(*this, 2000);  // e.g. out of inotify instances
  }

 private:
  std::string root_;
  bool owner_may_be_self_;
  std::optional<Error> note_;
};

}  // namespace

std::unique_ptr<PolicySources> directory_policy_sources(std::string root, bool owner_may_be_self) {
  return std::make_unique<DirectorySources>(std::move(root), owner_may_be_self, std::nullopt);
}

std::unique_ptr<PolicySources> machine_policy_sources() {
  const char* env = std::getenv("POSTGUARD_POLICY_ROOT");
  if (env == nullptr || *env == '\0') return directory_policy_sources(kMachineRoot, false);
  if (holds_policy(kMachineRoot)) {
    Error note;
    note.code = static_cast<ErrorCode>(HostError::policy_file_refused);
    note.file = env;
    note.message = "POSTGUARD_POLICY_ROOT ignored: /etc/postguard holds the machine's policy";
    return std::make_unique<DirectorySources>(kMachineRoot, false, note);
  }
  return directory_policy_sources(env, true);
}

}  // namespace postguard::host

// Where this machine's policy comes from. One interface; one implementation
// per OS (policy_sources_linux.cpp / _windows.cpp / _macos.cpp), each reading
// only machine-managed locations, so nothing a user can write ever overrides
// what IT deployed. Depends only on the core's plain structs (no core code,
// no JSON library) so the Windows implementation cross-compiles on its own.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "postguard/postguard.h"

namespace postguard::host {

// One reading of the machine's policy files.
struct SourceRead {
  std::vector<PolicySource> sources;  // merge order: trust bundle, overlays, inline values
  std::vector<Error> problems;        // files refused or unreadable (never silently skipped)
  std::string location;               // where they were looked for, for `doctor` and getPolicy
};

// Tells the host's loop when the policy may have changed. Either something
// the loop can wait on — an fd (inotify on Linux) or Windows handles (folder
// change notifications, a registry event) — or nothing, and the loop calls
// `changed()` every `poll_interval_ms()` (also the fallback between wake-ups).
class ChangeWatcher {
 public:
  virtual ~ChangeWatcher() = default;
  virtual int fd() const { return -1; }
  // Windows HANDLEs (as intptr_t) signalled on a possible change; changed()
  // re-arms them.
  virtual std::vector<intptr_t> wait_handles() const { return {}; }
  virtual int poll_interval_ms() const { return 2000; }
  // Drains pending events; true when something may have changed. Spurious
  // trues are fine: the host compares file contents before telling anyone.
  virtual bool changed() = 0;
};

class PolicySources {
 public:
  virtual ~PolicySources() = default;
  virtual SourceRead read() const = 0;
  virtual std::unique_ptr<ChangeWatcher> watch() const = 0;
};

// The folder holding policy.json and policy.d/ on this OS.
#if defined(_WIN32)
inline constexpr const char* kDefaultPolicyDirectory = "C:\\ProgramData\\PostGuard";  // %ProgramData%\PostGuard
#elif defined(__APPLE__)
inline constexpr const char* kDefaultPolicyDirectory = "/Library/Application Support/PostGuard";
#else
inline constexpr const char* kDefaultPolicyDirectory = "/etc/postguard";
#endif

// This OS's machine locations. On Linux the root may be redirected with
// POSTGUARD_POLICY_ROOT, but only while /etc/postguard holds no policy, so
// the variable can point tests at a temporary root yet never override IT.
std::unique_ptr<PolicySources> machine_policy_sources();

// The directory layout every OS shares: ROOT/policy.json (the trust bundle),
// then ROOT/policy.d/*.json in byte order of their names.
//   `refuse`: returns why a file or folder must be ignored (e.g. writable by
//   users), or nullopt to accept it.
//   `read_bundle`: false when the OS names the bundle elsewhere (Windows'
//   PolicyFile), so ROOT/policy.json is not read as a second bundle.
using RefusePredicate = std::function<std::optional<std::string>(const std::string& path)>;
void read_policy_directory(const std::string& root, const RefusePredicate& refuse, SourceRead& out,
                           bool read_bundle = true);

// One named file (Windows' PolicyFile, macOS' managed PolicyFile): a source,
// or a problem saying why not.
void read_policy_file(const std::string& path, const RefusePredicate& refuse, SourceRead& out);

// An overlay that only selects the school, for OS settings that name one
// (the Windows `School` value, the macOS managed `School` key).
PolicySource school_selection_source(const std::string& name, const std::string& school);

// The directory layout alone, rooted at `root` (tests, `doctor --root`),
// with this OS's ownership rules. `owner_may_be_self`: also accept files
// owned by the running user (a test root), not only by root/Administrators.
std::unique_ptr<PolicySources> directory_policy_sources(std::string root, bool owner_may_be_self);

// Polling fallback for any PolicySources: re-reads and compares a hash.
std::unique_ptr<ChangeWatcher> polling_watcher(const PolicySources& sources, int interval_ms);

// A stable hash of a reading (FNV-1a over names, texts and problems).
uint64_t fingerprint(const SourceRead& read);

}  // namespace postguard::host

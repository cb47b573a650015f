// macOS: /Library/Application Support/PostGuard (policy.json, policy.d/*.json)
// and the managed preferences an MDM installs for org.postguard
// (/Library/Managed Preferences/org.postguard.plist: PolicyFile, PolicyJson,
// School). Only these machine locations: ~/Library/Preferences is the user's.
// Changes are found by polling.
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "common/file_io.h"
#include "host/plist_xml.h"
#include "host/policy_sources.h"
#include "host/protocol.h"

namespace postguard::host {
namespace {

constexpr const char* kManagedPlist = "/Library/Managed Preferences/org.postguard.plist";

// Same rule as Linux: a file or folder an ordinary user could change is not
// IT's policy. Root or the admin group may own folders under /Library.
std::optional<std::string> macos_refuse(const std::string& path, bool owner_may_be_self) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  const bool sticky_dir = S_ISDIR(st.st_mode) && (st.st_mode & S_ISVTX);
  if ((st.st_mode & S_IWOTH) && !sticky_dir) return path + " is writable by every user";
  if (st.st_uid != 0 && !(owner_may_be_self && st.st_uid == ::geteuid())) {
    return path + " is owned by uid " + std::to_string(st.st_uid) + ", not root";
  }
  return std::nullopt;
}

Error problem(HostError code, const std::string& file, std::string message) {
  Error e;
  e.code = static_cast<ErrorCode>(code);
  e.file = file;
  e.message = std::move(message);
  return e;
}

class MacSources final : public PolicySources {
 public:
  MacSources(std::string root, bool machine, bool owner_may_be_self)
      : root_(std::move(root)), machine_(machine), owner_may_be_self_(owner_may_be_self) {}

  SourceRead read() const override {
    SourceRead out;
    const auto refuse = [this](const std::string& p) { return macos_refuse(p, owner_may_be_self_); };
    out.location = machine_ ? root_ + " + " + kManagedPlist : root_;
    std::map<std::string, std::string> prefs;
    if (machine_) prefs = managed_preferences(refuse, out);
    const std::string file = prefs.count("PolicyFile") ? prefs["PolicyFile"] : std::string();
    if (!file.empty()) read_policy_file(file, refuse, out);
    read_policy_directory(root_, refuse, out, file.empty());
    if (!prefs["PolicyJson"].empty()) {
      out.sources.push_back({std::string(kManagedPlist) + ":PolicyJson", prefs["PolicyJson"]});
    }
    if (!prefs["School"].empty()) {
      out.sources.push_back(school_selection_source(std::string(kManagedPlist) + ":School", prefs["School"]));
    }
    return out;
  }

  std::unique_ptr<ChangeWatcher> watch() const override { return polling_watcher(*this, 2000); }

 private:
  std::map<std::string, std::string> managed_preferences(const RefusePredicate& refuse, SourceRead& out) const {
    std::error_code ec;
    if (!std::filesystem::exists(kManagedPlist, ec)) return {};
    if (auto why = refuse(kManagedPlist)) {
      out.problems.push_back(problem(HostError::policy_file_refused, kManagedPlist, "ignored: " + *why));
      return {};
    }
    std::string error;
    auto text = io::read_file(kManagedPlist, error);
    if (!text) {
      out.problems.push_back(problem(HostError::policy_file_unreadable, kManagedPlist, error));
      return {};
    }
    auto prefs = parse_plist_strings(*text, error);
    if (!prefs) {
      out.problems.push_back(problem(HostError::policy_file_unreadable, kManagedPlist, error));
      return {};
    }
    return *prefs;
  }

  std::string root_;
  bool machine_;
  bool owner_may_be_self_;
};

}  // namespace

std::unique_ptr<PolicySources> directory_policy_sources(std::string root, bool owner_may_be_self) {
  return std::make_unique<MacSources>(std::move(root), false, owner_may_be_self);
}

std::unique_ptr<PolicySources> machine_policy_sources() {
  return std::make_unique<MacSources>(kDefaultPolicyDirectory, true, false);
}

}  // namespace postguard::host

// Windows: Group Policy / Intune values under HKLM\SOFTWARE\Policies\PostGuard
// (PolicyFile, PolicyJson, School) and %ProgramData%\PostGuard\policy.d.
// Changes wake the host through FindFirstChangeNotification on the folder and
// RegNotifyChangeKeyValue on the key, with a slow re-read as the fallback
// (a PolicyFile kept in some other folder, a folder created later).
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>
#include <aclapi.h>
#include <shlobj.h>

#include <filesystem>
#include <memory>
#include <string>

#include "host/host_loop.h"  // kQuietMs, kMaxSettleMs
#include "host/policy_sources.h"
#include "host/protocol.h"

namespace postguard::host {
namespace {

namespace fs = std::filesystem;

constexpr const wchar_t* kPolicyKey = L"SOFTWARE\\Policies\\PostGuard";
constexpr const char* kPolicyKeyName = "HKLM\\SOFTWARE\\Policies\\PostGuard";

std::string to_utf8(const std::wstring& w) {
  if (w.empty()) return {};
  const int n = WideCharToMultiByte(CP_UTF8, 0, w.data(), static_cast<int>(w.size()), nullptr, 0, nullptr, nullptr);
  std::string out(static_cast<size_t>(n), '\0');
  WideCharToMultiByte(CP_UTF8, 0, w.data(), static_cast<int>(w.size()), out.data(), n, nullptr, nullptr);
  return out;
}

// A string value from the machine's policy key (64-bit view even from a
// 32-bit host). REG_EXPAND_SZ is expanded; REG_MULTI_SZ lines are joined
// with newlines (how ADMX multi-line text boxes store inline JSON).
std::optional<std::string> policy_value(const wchar_t* name) {
  // Not RRF_RT_REG_EXPAND_SZ: without RRF_NOEXPAND that is ERROR_INVALID_PARAMETER; an
  // expanded REG_EXPAND_SZ value is returned as REG_SZ (found running the tests under wine).
  const DWORD flags = RRF_RT_REG_SZ | RRF_RT_REG_MULTI_SZ | RRF_SUBKEY_WOW6464KEY;
  DWORD type = 0, bytes = 0;
  if (RegGetValueW(HKEY_LOCAL_MACHINE, kPolicyKey, name, flags, &type, nullptr, &bytes) != ERROR_SUCCESS) {
    return std::nullopt;
  }
  std::wstring buf(bytes / sizeof(wchar_t) + 1, L'\0');
  if (RegGetValueW(HKEY_LOCAL_MACHINE, kPolicyKey, name, flags, &type, buf.data(), &bytes) != ERROR_SUCCESS) {
    return std::nullopt;
  }
  buf.resize(bytes / sizeof(wchar_t));
  while (!buf.empty() && buf.back() == L'\0') buf.pop_back();
  if (type == REG_MULTI_SZ) {
    for (auto& c : buf) {
      if (c == L'\0') c = L'\n';
    }
  }
  return to_utf8(buf);
}

// %ProgramData% from the shell, not the environment: a user can set an
// environment variable for their own browser, not the known folder.
std::string program_data() {
  PWSTR path = nullptr;
  std::string out = "C:\\ProgramData";
  if (SUCCEEDED(SHGetKnownFolderPath(FOLDERID_ProgramData, 0, nullptr, &path))) out = to_utf8(path);
  CoTaskMemFree(path);
  return out;
}

bool is_sid(PSID sid, WELL_KNOWN_SID_TYPE type) { return sid && IsWellKnownSid(sid, type); }

bool is_current_user(PSID sid) {
  HANDLE token = nullptr;
  if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) return false;
  DWORD size = 0;
  GetTokenInformation(token, TokenUser, nullptr, 0, &size);
  std::unique_ptr<BYTE[]> buf(new BYTE[size ? size : 1]);
  bool same = false;
  if (GetTokenInformation(token, TokenUser, buf.get(), size, &size)) {
    same = EqualSid(reinterpret_cast<TOKEN_USER*>(buf.get())->User.Sid, sid) != FALSE;
  }
  CloseHandle(token);
  return same;
}

// Why a file or folder is not IT's: owned by someone other than
// Administrators/SYSTEM, or writable by ordinary users through its DACL.
// (%ProgramData% lets Users add files to new subfolders by inheritance, so an
// installer must tighten the PostGuard folder; this says so if it did not.)
std::optional<std::string> windows_refuse(const std::string& path, bool owner_may_be_self) {
  const std::wstring wide = fs::u8path(path).wstring();
  PSID owner = nullptr;
  PACL dacl = nullptr;
  PSECURITY_DESCRIPTOR sd = nullptr;
  if (GetNamedSecurityInfoW(wide.c_str(), SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION,
                            &owner, nullptr, &dacl, nullptr, &sd) != ERROR_SUCCESS) {
    return std::nullopt;  // vanished or unreadable: the read reports it
  }
  std::optional<std::string> why;
  const bool trusted_owner = is_sid(owner, WinBuiltinAdministratorsSid) || is_sid(owner, WinLocalSystemSid) ||
                             (owner_may_be_self && is_current_user(owner));
  if (!trusted_owner) why = path + " is not owned by Administrators or SYSTEM";
  const DWORD write_rights = FILE_WRITE_DATA | FILE_APPEND_DATA | WRITE_DAC | WRITE_OWNER | DELETE |
                             GENERIC_WRITE | GENERIC_ALL;
  for (DWORD i = 0; !why && dacl && i < dacl->AceCount; ++i) {
    void* ace = nullptr;
    if (!GetAce(dacl, i, &ace)) continue;
    auto* header = static_cast<ACE_HEADER*>(ace);
    if (header->AceType != ACCESS_ALLOWED_ACE_TYPE || (header->AceFlags & INHERIT_ONLY_ACE)) continue;
    auto* allowed = static_cast<ACCESS_ALLOWED_ACE*>(ace);
    PSID who = reinterpret_cast<PSID>(&allowed->SidStart);
    const bool ordinary = is_sid(who, WinWorldSid) || is_sid(who, WinAuthenticatedUserSid) ||
                          is_sid(who, WinBuiltinUsersSid) || is_sid(who, WinInteractiveSid);
    if (ordinary && (allowed->Mask & write_rights)) {
      why = path + " is writable by ordinary users (remove their write access, e.g. icacls /inheritance:r)";
    }
  }
  LocalFree(sd);
  return why;
}

// Waits on the policy folder (or, while it does not exist, its parent), its
// policy.d, and, for the machine's sources, the policy key (or, while it does not exist,
// HKLM\SOFTWARE\Policies). Each wake-up re-reads everything and compares a
// fingerprint, so a spurious or unrelated change costs one read, no message.
class NotifyWatcher final : public ChangeWatcher {
 public:
  NotifyWatcher(const PolicySources& sources, std::string root, bool machine)
      : sources_(sources), root_(std::move(root)), machine_(machine), last_(fingerprint(sources.read())) {
    arm_folder();
    if (machine_) {
      registry_event_ = CreateEventW(nullptr, TRUE, FALSE, nullptr);
      arm_registry();
    }
  }
  ~NotifyWatcher() override {
    if (folder_ != INVALID_HANDLE_VALUE) FindCloseChangeNotification(folder_);
    if (overlays_ != INVALID_HANDLE_VALUE) FindCloseChangeNotification(overlays_);
    if (key_ != nullptr) RegCloseKey(key_);  // also cancels its pending notification
    if (registry_event_ != nullptr) CloseHandle(registry_event_);
  }
  NotifyWatcher(const NotifyWatcher&) = delete;
  NotifyWatcher& operator=(const NotifyWatcher&) = delete;

  std::vector<intptr_t> wait_handles() const override {
    std::vector<intptr_t> out;
    if (folder_ != INVALID_HANDLE_VALUE) out.push_back(reinterpret_cast<intptr_t>(folder_));
    if (overlays_ != INVALID_HANDLE_VALUE) out.push_back(reinterpret_cast<intptr_t>(overlays_));
    if (registry_event_ != nullptr && key_ != nullptr) out.push_back(reinterpret_cast<intptr_t>(registry_event_));
    return out;
  }
  int poll_interval_ms() const override { return 5000; }

  bool changed() override {
    // Re-arm what fired, then wait until the burst of a save is over.
    const DWORD start = GetTickCount();
    while (rearm_signalled()) {
      std::vector<HANDLE> h;
      for (intptr_t x : wait_handles()) h.push_back(reinterpret_cast<HANDLE>(x));
      if (h.empty() || GetTickCount() - start > static_cast<DWORD>(kMaxSettleMs)) break;
      if (WaitForMultipleObjects(static_cast<DWORD>(h.size()), h.data(), FALSE, kQuietMs) == WAIT_TIMEOUT) break;
    }
    const uint64_t now = fingerprint(sources_.read());
    const bool differs = now != last_;
    last_ = now;
    return differs;
  }

 private:
  static constexpr DWORD kFolderChanges = FILE_NOTIFY_CHANGE_FILE_NAME | FILE_NOTIFY_CHANGE_DIR_NAME |
                                          FILE_NOTIFY_CHANGE_SIZE | FILE_NOTIFY_CHANGE_LAST_WRITE |
                                          FILE_NOTIFY_CHANGE_SECURITY;

  // The root and policy.d each watched on their own level, not one subtree
  // watch: only those two levels matter, and wine reports no changes below
  // the top of a subtree watch.
  void arm_folder() {
    const std::wstring root = fs::u8path(root_).wstring();
    folder_ = FindFirstChangeNotificationW(root.c_str(), FALSE, kFolderChanges);
    watching_parent_ = false;
    if (folder_ == INVALID_HANDLE_VALUE) {
      const std::wstring parent = fs::u8path(root_).parent_path().wstring();
      folder_ = FindFirstChangeNotificationW(parent.c_str(), FALSE, FILE_NOTIFY_CHANGE_DIR_NAME);
      watching_parent_ = folder_ != INVALID_HANDLE_VALUE;
      return;
    }
    arm_overlays();
  }

  void arm_overlays() {
    if (overlays_ != INVALID_HANDLE_VALUE) return;
    const std::wstring overlays = (fs::u8path(root_) / "policy.d").wstring();
    overlays_ = FindFirstChangeNotificationW(overlays.c_str(), FALSE, kFolderChanges);
  }

  void arm_registry() {
    if (key_ == nullptr) {
      // The PostGuard key itself, or its parent until Group Policy creates it.
      if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, kPolicyKey, 0, KEY_NOTIFY | KEY_WOW64_64KEY, &key_) == ERROR_SUCCESS) {
        watching_policies_ = false;
      } else if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\Policies", 0, KEY_NOTIFY | KEY_WOW64_64KEY, &key_) ==
                 ERROR_SUCCESS) {
        watching_policies_ = true;
      } else {
        key_ = nullptr;
        return;
      }
    }
    ResetEvent(registry_event_);
    if (RegNotifyChangeKeyValue(key_, watching_policies_ ? TRUE : FALSE,
                                REG_NOTIFY_CHANGE_NAME | REG_NOTIFY_CHANGE_LAST_SET, registry_event_,
                                TRUE) != ERROR_SUCCESS) {
      RegCloseKey(key_);
      key_ = nullptr;
    }
  }

  // Re-arms every handle that fired; true when any had.
  bool rearm_signalled() {
    bool any = false;
    if (folder_ != INVALID_HANDLE_VALUE && WaitForSingleObject(folder_, 0) == WAIT_OBJECT_0) {
      any = true;
      if (watching_parent_ || !FindNextChangeNotification(folder_)) {
        // The folder appeared (or went away): watch it afresh.
        FindCloseChangeNotification(folder_);
        arm_folder();
      } else {
        arm_overlays();  // policy.d may have been created
      }
    }
    if (overlays_ != INVALID_HANDLE_VALUE && WaitForSingleObject(overlays_, 0) == WAIT_OBJECT_0) {
      any = true;
      if (!FindNextChangeNotification(overlays_)) {  // policy.d went away
        FindCloseChangeNotification(overlays_);
        overlays_ = INVALID_HANDLE_VALUE;
        arm_overlays();
      }
    }
    if (key_ != nullptr && WaitForSingleObject(registry_event_, 0) == WAIT_OBJECT_0) {
      any = true;
      if (watching_policies_) {  // maybe the PostGuard key exists now
        RegCloseKey(key_);
        key_ = nullptr;
      }
      arm_registry();
    }
    return any;
  }

  const PolicySources& sources_;
  std::string root_;
  bool machine_;
  uint64_t last_;
  HANDLE folder_ = INVALID_HANDLE_VALUE;
  HANDLE overlays_ = INVALID_HANDLE_VALUE;
  bool watching_parent_ = false;
  HKEY key_ = nullptr;
  bool watching_policies_ = false;
  HANDLE registry_event_ = nullptr;
};

class WindowsSources final : public PolicySources {
 public:
  WindowsSources(std::string root, bool machine, bool owner_may_be_self)
      : root_(std::move(root)), machine_(machine), owner_may_be_self_(owner_may_be_self) {}

  SourceRead read() const override {
    SourceRead out;
    const auto refuse = [this](const std::string& p) { return windows_refuse(p, owner_may_be_self_); };
    const std::optional<std::string> file = machine_ ? policy_value(L"PolicyFile") : std::nullopt;
    out.location = machine_ ? std::string(kPolicyKeyName) + " + " + root_ : root_;
    if (file && !file->empty()) read_policy_file(*file, refuse, out);
    read_policy_directory(root_, refuse, out, !file || file->empty());
    if (!machine_) return out;
    if (auto inline_json = policy_value(L"PolicyJson"); inline_json && !inline_json->empty()) {
      out.sources.push_back({std::string(kPolicyKeyName) + "\\PolicyJson", *inline_json});
    }
    if (auto school = policy_value(L"School"); school && !school->empty()) {
      out.sources.push_back(school_selection_source(std::string(kPolicyKeyName) + "\\School", *school));
    }
    return out;
  }

  std::unique_ptr<ChangeWatcher> watch() const override {
    return std::make_unique<NotifyWatcher>(*this, root_, machine_);
  }

 private:
  std::string root_;
  bool machine_;
  bool owner_may_be_self_;
};

}  // namespace

std::unique_ptr<PolicySources> directory_policy_sources(std::string root, bool owner_may_be_self) {
  return std::make_unique<WindowsSources>(std::move(root), false, owner_may_be_self);
}

std::unique_ptr<PolicySources> machine_policy_sources() {
  return std::make_unique<WindowsSources>((fs::u8path(program_data()) / "PostGuard").u8string(), true, false);
}

}  // namespace postguard::host

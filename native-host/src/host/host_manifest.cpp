#include "host/host_manifest.h"

#include <cstdlib>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "host/protocol.h"

#if defined(_WIN32)
#include <windows.h>
#elif defined(__APPLE__)
#include <mach-o/dyld.h>
#else
#include <unistd.h>
#endif

namespace postguard::host {

const char* to_string(Browser b) {
  switch (b) {
    case Browser::chrome: return "chrome";
    case Browser::chromium: return "chromium";
    case Browser::edge: return "edge";
    case Browser::firefox: return "firefox";
  }
  return "chrome";
}

std::optional<Browser> browser_from_string(std::string_view s) {
  for (Browser b : kAllBrowsers) {
    if (s == to_string(b)) return b;
  }
  return std::nullopt;
}

const char* to_string(Scope s) { return s == Scope::system ? "system" : "user"; }

namespace {

// Per-browser folders, from each browser's native messaging documentation.
struct Folders {
  const char* system;
  const char* user;  // relative to the home folder
  const char* registry;  // Windows: under HKLM or HKCU
};

Folders folders(Browser b) {
#if defined(_WIN32)
  switch (b) {
    case Browser::chrome: return {"", "", "Software\\Google\\Chrome\\NativeMessagingHosts\\"};
    case Browser::chromium: return {"", "", "Software\\Chromium\\NativeMessagingHosts\\"};
    case Browser::edge: return {"", "", "Software\\Microsoft\\Edge\\NativeMessagingHosts\\"};
    case Browser::firefox: return {"", "", "Software\\Mozilla\\NativeMessagingHosts\\"};
  }
#elif defined(__APPLE__)
  switch (b) {
    case Browser::chrome:
      return {"/Library/Google/Chrome/NativeMessagingHosts", "Library/Application Support/Google/Chrome/NativeMessagingHosts", ""};
    case Browser::chromium:
      return {"/Library/Application Support/Chromium/NativeMessagingHosts", "Library/Application Support/Chromium/NativeMessagingHosts", ""};
    case Browser::edge:
      return {"/Library/Microsoft/Edge/NativeMessagingHosts", "Library/Application Support/Microsoft Edge/NativeMessagingHosts", ""};
    case Browser::firefox:
      return {"/Library/Application Support/Mozilla/NativeMessagingHosts", "Library/Application Support/Mozilla/NativeMessagingHosts", ""};
  }
#else
  switch (b) {
    case Browser::chrome: return {"/etc/opt/chrome/native-messaging-hosts", ".config/google-chrome/NativeMessagingHosts", ""};
    case Browser::chromium: return {"/etc/chromium/native-messaging-hosts", ".config/chromium/NativeMessagingHosts", ""};
    case Browser::edge: return {"/etc/opt/edge/native-messaging-hosts", ".config/microsoft-edge/NativeMessagingHosts", ""};
    case Browser::firefox: return {"/usr/lib/mozilla/native-messaging-hosts", ".mozilla/native-messaging-hosts", ""};
  }
#endif
  return {"", "", ""};
}

std::string join(const std::string& a, const std::string& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  return (std::filesystem::u8path(a) / std::filesystem::u8path(b)).u8string();
}

}  // namespace

// `root` + an absolute path: "/tmp/r" + "/etc/x" -> "/tmp/r/etc/x".
std::string under_root(const std::string& root, const std::string& path) {
  if (root.empty()) return path;
  std::string rel = path;
  while (!rel.empty() && (rel[0] == '/' || rel[0] == '\\')) rel.erase(0, 1);
  return join(root, rel);
}

ManifestLocation manifest_location(Browser browser, Scope scope, const std::string& root, const std::string& home) {
  const Folders f = folders(browser);
  const std::string file = std::string(kHostName) + ".json";
  ManifestLocation loc;
#if defined(_WIN32)
  // Windows browsers find the manifest through the registry; the file itself
  // lives with the installation (system) or in the user's local app data.
  std::string base;
  if (scope == Scope::system) {
    base = std::filesystem::u8path(default_host_path()).parent_path().u8string();
  } else {
    const char* local = std::getenv("LOCALAPPDATA");
    base = join(local ? local : home, "PostGuard");
  }
  loc.path = under_root(root, join(join(base, "native-messaging-hosts"), join(to_string(browser), file)));
  loc.registry_key = std::string(scope == Scope::system ? "HKLM\\" : "HKCU\\") + f.registry + kHostName;
#else
  const std::string folder = scope == Scope::system ? std::string(f.system) : join(home, f.user);
  loc.path = under_root(root, join(folder, file));
#endif
  return loc;
}

bool is_chromium_extension_id(std::string_view id) {
  if (id.size() != 32) return false;
  for (char c : id) {
    if (c < 'a' || c > 'p') return false;
  }
  return true;
}

std::string manifest_json(Browser browser, const std::string& host_path, const std::vector<std::string>& ids) {
  nlohmann::ordered_json j;
  j["name"] = kHostName;
  j["description"] = "PostGuard: school social media policy from this machine";
  j["path"] = host_path;
  j["type"] = "stdio";
  if (browser == Browser::firefox) {
    j["allowed_extensions"] = ids;
  } else {
    auto origins = nlohmann::ordered_json::array();
    for (const auto& id : ids) origins.push_back("chrome-extension://" + id + "/");
    j["allowed_origins"] = std::move(origins);
  }
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

Result<HostManifest> parse_manifest(const std::string& text, const std::string& file) {
  auto fail = [&](std::string msg) {
    Error e;
    e.code = ErrorCode::policy_parse;
    e.file = file;
    e.message = std::move(msg);
    return e;
  };
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return fail("the manifest is not a JSON object");
  HostManifest m;
  auto str = [&](const char* key, std::string& out) {
    if (auto it = j.find(key); it != j.end() && it->is_string()) out = it->get<std::string>();
  };
  auto list = [&](const char* key, std::vector<std::string>& out) {
    if (auto it = j.find(key); it != j.end() && it->is_array()) {
      for (const auto& v : *it) {
        if (v.is_string()) out.push_back(v.get<std::string>());
      }
    }
  };
  str("name", m.name);
  str("path", m.path);
  str("type", m.type);
  list("allowed_origins", m.allowed_origins);
  list("allowed_extensions", m.allowed_extensions);
  return m;
}

std::string this_executable_path() {
#if defined(_WIN32)
  wchar_t buf[MAX_PATH * 4];
  const DWORD n = GetModuleFileNameW(nullptr, buf, static_cast<DWORD>(std::size(buf)));
  if (n == 0 || n >= std::size(buf)) return "";
  return std::filesystem::path(std::wstring(buf, n)).u8string();
#elif defined(__APPLE__)
  char buf[4096];
  uint32_t size = sizeof buf;
  if (_NSGetExecutablePath(buf, &size) != 0) return "";
  std::error_code ec;
  return std::filesystem::weakly_canonical(buf, ec).string();
#else
  std::error_code ec;
  auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? "" : p.string();
#endif
}

std::string default_host_path() {
  const std::string self = this_executable_path();
  if (self.empty()) return "";
#if defined(_WIN32)
  const char* name = "postguard-host.exe";
#else
  const char* name = "postguard-host";
#endif
  return (std::filesystem::u8path(self).parent_path() / name).u8string();
}

std::string home_folder() {
#if defined(_WIN32)
  const char* h = std::getenv("USERPROFILE");
#else
  const char* h = std::getenv("HOME");
#endif
  return h ? h : "";
}

}  // namespace postguard::host

// `postguard install-host`: writes the host manifest each browser looks for,
// so IT (or a test) registers org.postguard.host in one command.
#include <filesystem>
#include <fstream>
#include <ostream>
#include <system_error>

#include "cli/host_commands.h"
#include "common/i18n.h"
#include "host/host_manifest.h"

#ifdef _WIN32
#include <windows.h>
#endif

namespace postguard::cli {
namespace {

namespace fs = std::filesystem;
using host::Browser;
using host::Scope;

std::string usage() {
  using i18n::tr;
  // The option lines are not translated; the second lines up under the first's options.
  const std::string lead = tr("usage:") + " postguard install-host ";
  return lead + "--browser chrome|chromium|edge|firefox|all [--system|--user]\n" + std::string(lead.size(), ' ') +
         "--extension-id ID [--extension-id ID]... [--host-path PATH] [--root DIR]\n  " +
         tr("Chrome, Chromium and Edge take 32-letter ids (a-p); any other id is a Firefox add-on id.") + "\n  " +
         tr("--user (the default) writes to your profile; --system to the machine-wide location.") + "\n  " +
         tr("--root DIR writes under DIR instead of / (for tests and packaging).") + "\n";
}

// Temp file + rename, so a browser starting the host never reads half a manifest.
bool write_file_atomically(const fs::path& path, const std::string& text, std::string& error) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) {
    error = i18n::trf("cannot create {1}: {2}", path.parent_path().u8string(), ec.message());
    return false;
  }
  const fs::path tmp = path.u8string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) {
      error = i18n::trf("cannot write {1}", tmp.u8string());
      return false;
    }
  }
  // Browsers need to read it; nobody else needs to change it.
  fs::permissions(tmp, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read,
                  ec);
  fs::rename(tmp, path, ec);
  if (ec) {
    error = i18n::trf("cannot write {1}: {2}", path.u8string(), ec.message());
    fs::remove(tmp, ec);
    return false;
  }
  return true;
}

#ifdef _WIN32
// HKLM\...\NativeMessagingHosts\org.postguard.host (default value) = manifest path.
bool register_manifest(const std::string& key, const std::string& manifest, std::string& error) {
  const HKEY hive = key.rfind("HKLM\\", 0) == 0 ? HKEY_LOCAL_MACHINE : HKEY_CURRENT_USER;
  const std::wstring subkey = fs::u8path(key.substr(5)).wstring();
  const std::wstring value = fs::u8path(manifest).wstring();
  HKEY h = nullptr;
  LONG rc = RegCreateKeyExW(hive, subkey.c_str(), 0, nullptr, 0, KEY_SET_VALUE | KEY_WOW64_64KEY, nullptr, &h, nullptr);
  if (rc == ERROR_SUCCESS) {
    rc = RegSetValueExW(h, nullptr, 0, REG_SZ, reinterpret_cast<const BYTE*>(value.c_str()),
                        static_cast<DWORD>((value.size() + 1) * sizeof(wchar_t)));
    RegCloseKey(h);
  }
  if (rc != ERROR_SUCCESS) {
    error = i18n::trf("cannot set registry key {1} (error {2})", key, rc);
    return false;
  }
  return true;
}
#endif

}  // namespace

int command_install_host(const std::vector<std::string>& args, Io io) {
  std::vector<Browser> browsers;
  Scope scope = Scope::user;
  std::vector<std::string> chromium_ids, firefox_ids;
  std::string host_path = host::default_host_path();
  std::string root;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const bool has_value = i + 1 < args.size();
    if (a == "--system" || a == "--user") {
      scope = a == "--system" ? Scope::system : Scope::user;
    } else if (a == "--browser" && has_value) {
      const std::string b = args[++i];
      if (b == "all") {
        browsers.assign(std::begin(host::kAllBrowsers), std::end(host::kAllBrowsers));
      } else if (auto one = host::browser_from_string(b)) {
        browsers.push_back(*one);
      } else {
        io.err << i18n::trf("postguard install-host: unknown browser \"{1}\"", b) << "\n" << usage();
        return exit_usage;
      }
    } else if (a == "--extension-id" && has_value) {
      const std::string id = args[++i];
      (host::is_chromium_extension_id(id) ? chromium_ids : firefox_ids).push_back(id);
    } else if (a == "--host-path" && has_value) {
      host_path = args[++i];
    } else if (a == "--root" && has_value) {
      root = args[++i];
    } else if (a == "--help" || a == "-h") {
      io.out << usage();
      return exit_clean;
    } else {
      io.err << i18n::trf("postguard install-host: unexpected argument {1}", a) << "\n" << usage();
      return exit_usage;
    }
  }
  if (browsers.empty() || (chromium_ids.empty() && firefox_ids.empty())) {
    io.err << i18n::tr("postguard install-host: give --browser and --extension-id") << "\n" << usage();
    return exit_usage;
  }
  std::error_code ec;
  // With --root the manifests describe another machine (a package's staging
  // root): the host path is where the package puts it there, not a file here
  // (`postguard doctor --root` checks it inside the root).
  if (host_path.empty() || (root.empty() && !fs::exists(fs::u8path(host_path), ec))) {
    io.err << i18n::trf("postguard install-host: warning: the host {1} does not exist; pass --host-path",
                        host_path.empty() ? i18n::tr("(unknown)") : host_path)
           << "\n";
  }

  int written = 0, failed = 0;
  for (Browser b : browsers) {
    const auto& ids = b == Browser::firefox ? firefox_ids : chromium_ids;
    if (ids.empty()) {
      const bool asked_alone = browsers.size() == 1;
      io.err << to_string(b) << ": "
             << (b == Browser::firefox ? i18n::tr("skipped: no Firefox add-on id given")
                                       : i18n::tr("skipped: no 32-letter extension id given"))
             << "\n";
      if (asked_alone) ++failed;
      continue;
    }
    const auto loc = host::manifest_location(b, scope, root, host::home_folder());
    std::string error;
    if (!write_file_atomically(fs::u8path(loc.path), host::manifest_json(b, host_path, ids), error)) {
      io.err << to_string(b) << " (" << to_string(scope) << "): " << error << "\n";
      ++failed;
      continue;
    }
#ifdef _WIN32
    if (root.empty() && !register_manifest(loc.registry_key, loc.path, error)) {
      io.err << to_string(b) << " (" << to_string(scope) << "): " << error << "\n";
      ++failed;
      continue;
    }
#endif
    io.out << to_string(b) << " (" << to_string(scope) << "): " << i18n::trf("wrote {1}", loc.path) << "\n";
    ++written;
  }
  return failed || !written ? exit_usage : exit_clean;
}

}  // namespace postguard::cli

#include "host/caller_check.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "common/file_io.h"
#include "host/host_manifest.h"
#include "host/protocol.h"

#if defined(__linux__)
#include <unistd.h>
#endif

#ifndef POSTGUARD_HOST_ALLOWED_ORIGINS
#define POSTGUARD_HOST_ALLOWED_ORIGINS ""
#endif

namespace postguard::host {
namespace {

constexpr std::string_view kChromeScheme = "chrome-extension://";

bool contains(const std::vector<std::string>& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

#if defined(__linux__)
// The parent browser's --user-data-dir: Chromium also reads host manifests
// from <user-data-dir>/NativeMessagingHosts, which no fixed path covers.
std::string parent_user_data_dir() {
  std::ifstream in("/proc/" + std::to_string(::getppid()) + "/cmdline", std::ios::binary);
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> args;
  std::string cur;
  for (char c : all) {
    if (c == '\0') {
      args.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  const std::string flag = "--user-data-dir";
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i].rfind(flag + "=", 0) == 0) return args[i].substr(flag.size() + 1);
    if (args[i] == flag && i + 1 < args.size()) return args[i + 1];
  }
  return "";
}
#endif

}  // namespace

Caller parse_caller(const std::vector<std::string>& args) {
  Caller c;
  if (args.empty()) return c;
  const std::string& first = args[0];
  if (first.rfind(kChromeScheme, 0) == 0) {
    c.kind = Caller::Kind::chromium;
    c.origin = first;
    std::string id = first.substr(kChromeScheme.size());
    if (!id.empty() && id.back() == '/') id.pop_back();
    c.extension_id = id;
    return c;
  }
  if (args.size() >= 2) {
    c.kind = Caller::Kind::firefox;
    c.manifest_path = first;
    c.extension_id = args[1];
  }
  return c;
}

CallerVerdict verify_caller(const Caller& caller, const std::vector<std::string>& chromium_manifests,
                            const std::vector<std::string>& builtin_origins) {
  CallerVerdict v;
  v.caller = caller;
  switch (caller.kind) {
    case Caller::Kind::none:
      v.message = "postguard-host was started without a caller: browsers pass the extension's origin "
                  "(Chrome, Edge) or manifest path and add-on id (Firefox); run `postguard doctor` to check the setup";
      return v;
    case Caller::Kind::chromium: {
      if (!is_chromium_extension_id(caller.extension_id) || caller.origin != std::string(kChromeScheme) + caller.extension_id + "/") {
        v.message = "\"" + caller.origin + "\" is not a chrome-extension://<32 letters a-p>/ origin";
        return v;
      }
      if (contains(builtin_origins, caller.origin)) {
        v.allowed = true;
        return v;
      }
      std::string looked;
      for (const auto& path : chromium_manifests) {
        std::string error;
        auto text = io::read_file(path, error);
        if (!text) continue;
        looked += (looked.empty() ? "" : ", ") + path;
        auto m = parse_manifest(*text, path);
        if (m && m.value().name == kHostName && contains(m.value().allowed_origins, caller.origin)) {
          v.allowed = true;
          return v;
        }
      }
      v.message = "extension origin " + caller.origin + " is not in allowed_origins of " +
                  (looked.empty() ? std::string("any org.postguard.host manifest (none found)") : looked) +
                  "; run `postguard install-host --extension-id " + caller.extension_id + "`";
      return v;
    }
    case Caller::Kind::firefox: {
      std::string error;
      auto text = io::read_file(caller.manifest_path, error);
      if (!text) {
        v.message = "cannot read the manifest Firefox named: " + error;
        return v;
      }
      auto m = parse_manifest(*text, caller.manifest_path);
      if (!m) {
        v.message = m.error().file + ": " + m.error().message;
        return v;
      }
      if (m.value().name != kHostName) {
        v.message = caller.manifest_path + " is for \"" + m.value().name + "\", not " + kHostName;
        return v;
      }
      if (!contains(m.value().allowed_extensions, caller.extension_id)) {
        v.message = "add-on \"" + caller.extension_id + "\" is not in allowed_extensions of " +
                    caller.manifest_path + "; run `postguard install-host --browser firefox --extension-id " +
                    caller.extension_id + "`";
        return v;
      }
      v.allowed = true;
      return v;
    }
  }
  return v;
}

std::vector<std::string> chromium_manifest_candidates() {
  std::vector<std::string> out;
  const std::string home = home_folder();
  for (Browser b : kAllBrowsers) {
    if (b == Browser::firefox) continue;
    for (Scope s : {Scope::system, Scope::user}) out.push_back(manifest_location(b, s, "", home).path);
  }
#if defined(__linux__)
  const std::string dir = parent_user_data_dir();
  if (!dir.empty()) out.push_back(dir + "/NativeMessagingHosts/" + kHostName + ".json");
#endif
  return out;
}

std::vector<std::string> builtin_allowed_origins() {
  std::vector<std::string> out;
  std::stringstream ss(POSTGUARD_HOST_ALLOWED_ORIGINS);
  std::string item;
  while (std::getline(ss, item, ';')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

}  // namespace postguard::host

// Native messaging host manifests: where each browser looks for them on this
// OS, what goes in them, and reading them back. Shared by the host (which
// origins may call it), `postguard install-host` and `postguard doctor`.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "postguard/postguard.h"

namespace postguard::host {

enum class Browser { chrome, chromium, edge, firefox };
inline constexpr Browser kAllBrowsers[] = {Browser::chrome, Browser::chromium, Browser::edge, Browser::firefox};
const char* to_string(Browser b);
std::optional<Browser> browser_from_string(std::string_view s);

enum class Scope { system, user };
const char* to_string(Scope s);

struct ManifestLocation {
  std::string path;          // the manifest file
  std::string registry_key;  // Windows only: the key whose default value names `path`
};

// Where `browser` reads the host manifest at `scope`. `root` prefixes every
// path (tests install into a temporary tree); "" is the real filesystem.
// `home` is the user's home folder (user scope).
// `path` (absolute, as on the machine) inside `root` ("" = the machine itself):
// where install-host --root writes and doctor --root looks.
std::string under_root(const std::string& root, const std::string& path);

ManifestLocation manifest_location(Browser browser, Scope scope, const std::string& root,
                                   const std::string& home);

// Chromium-family extension ids: 32 letters a-p (sha256 of the key, DESIGN.md).
bool is_chromium_extension_id(std::string_view id);

// The manifest text for `browser`: Chromium-family browsers get
// `allowed_origins` (chrome-extension://ID/), Firefox `allowed_extensions`.
std::string manifest_json(Browser browser, const std::string& host_path,
                          const std::vector<std::string>& extension_ids);

struct HostManifest {
  std::string name;
  std::string path;
  std::string type;
  std::vector<std::string> allowed_origins;
  std::vector<std::string> allowed_extensions;
};

// Reads a manifest's text; the error names `file`.
Result<HostManifest> parse_manifest(const std::string& text, const std::string& file);

// The running executable's absolute path ("" when unknown).
std::string this_executable_path();
// postguard-host beside the running executable (the CLI and the host ship together).
std::string default_host_path();
// The user's home folder ($HOME, or %USERPROFILE% on Windows).
std::string home_folder();

}  // namespace postguard::host

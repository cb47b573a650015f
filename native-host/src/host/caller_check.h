// Which extension started the host, and whether it may. Browsers already
// enforce the manifest they read; checking again here means a host started
// through some other manifest, or by hand, says clearly that it will not serve.
#pragma once

#include <string>
#include <vector>

namespace postguard::host {

struct Caller {
  enum class Kind { none, chromium, firefox };
  Kind kind = Kind::none;
  std::string origin;         // chromium: "chrome-extension://<id>/"
  std::string extension_id;   // chromium: <id>; firefox: the add-on id
  std::string manifest_path;  // firefox: the manifest it read
};

// From the host's arguments (argv[1..]). Chrome, Chromium and Edge pass the
// caller's origin first (then, on Windows, --parent-window=N); Firefox passes
// the manifest's path and the add-on id.
Caller parse_caller(const std::vector<std::string>& args);

struct CallerVerdict {
  bool allowed = false;
  std::string message;  // why not, naming what to fix
  Caller caller;
};

// Chromium-family callers must appear in `allowed_origins` of one of
// `chromium_manifests` (those that exist) or in `builtin_origins`; Firefox
// callers in `allowed_extensions` of the manifest Firefox named.
CallerVerdict verify_caller(const Caller& caller, const std::vector<std::string>& chromium_manifests,
                            const std::vector<std::string>& builtin_origins);

// Every manifest a Chromium-family browser on this machine could have used:
// each browser's system and user locations, plus (Linux) the
// NativeMessagingHosts folder of the parent browser's --user-data-dir.
std::vector<std::string> chromium_manifest_candidates();

// Origins compiled in (POSTGUARD_HOST_ALLOWED_ORIGINS, ';'-separated): the
// published extension ids, so a stray manifest is not the only gate.
std::vector<std::string> builtin_allowed_origins();

}  // namespace postguard::host

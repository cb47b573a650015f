// The parts of policy sourcing every OS shares: the directory layout, the
// polling watcher and the fingerprint.
#include "host/policy_sources.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "host/protocol.h"
#include "host/reply_chunker.h"

namespace postguard::host {
namespace fs = std::filesystem;
namespace {

// Far above any real policy, low enough that a stray file cannot balloon the
// host (it stays a small process the browser starts per connection).
constexpr std::uintmax_t kMaxPolicyFileBytes = 16u * 1024u * 1024u;

Error problem(HostError code, const std::string& file, std::string message) {
  Error e;
  e.code = static_cast<ErrorCode>(code);
  e.file = file;
  e.message = std::move(message);
  return e;
}

// Adds the file to `out` (as a source or as a problem); false if it was refused.
void read_one(const fs::path& path, const RefusePredicate& refuse, SourceRead& out) {
  const std::string name = path.u8string();
  if (auto why = refuse(name)) {
    out.problems.push_back(problem(HostError::policy_file_refused, name, "ignored: " + *why));
    return;
  }
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) {
    out.problems.push_back(problem(HostError::policy_file_unreadable, name, "cannot read: " + ec.message()));
    return;
  }
  if (size > kMaxPolicyFileBytes) {
    out.problems.push_back(problem(HostError::policy_file_unreadable, name,
                                   "ignored: larger than 16 MiB (" + std::to_string(size) + " bytes)"));
    return;
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) {
    // An empty file reads as failure on rdbuf(); that is a parse problem for the core, not a read one.
    if (size != 0) {
      out.problems.push_back(problem(HostError::policy_file_unreadable, name, "cannot read the file"));
      return;
    }
  }
  out.sources.push_back({name, text.str()});
}

}  // namespace

void read_policy_file(const std::string& path, const RefusePredicate& refuse, SourceRead& out) {
  std::error_code ec;
  const fs::path p = fs::u8path(path);
  if (!fs::is_regular_file(p, ec)) {
    out.problems.push_back(problem(HostError::policy_file_unreadable, path, "the policy file named by the machine's settings does not exist"));
    return;
  }
  read_one(p, refuse, out);
}

PolicySource school_selection_source(const std::string& name, const std::string& school) {
  std::string json = "{\"format\": \"postguard/1\", \"school\": \"";
  append_json_escaped(json, school);
  json += "\"}";
  return {name, json};
}

void read_policy_directory(const std::string& root, const RefusePredicate& refuse, SourceRead& out,
                           bool read_bundle) {
  std::error_code ec;
  const fs::path base = fs::u8path(root);
  if (!fs::is_directory(base, ec)) return;  // no policy here: the baseline applies
  if (auto why = refuse(root)) {
    out.problems.push_back(problem(HostError::policy_file_refused, root, "ignored: " + *why));
    return;
  }
  const fs::path bundle = base / "policy.json";
  if (read_bundle && fs::exists(bundle, ec)) read_one(bundle, refuse, out);

  const fs::path overlays = base / "policy.d";
  if (!fs::is_directory(overlays, ec)) return;
  if (auto why = refuse(overlays.u8string())) {
    out.problems.push_back(problem(HostError::policy_file_refused, overlays.u8string(), "ignored: " + *why));
    return;
  }
  std::vector<fs::path> files;
  for (fs::directory_iterator it(overlays, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string leaf = it->path().filename().u8string();
    // Dot files are editors' temporaries (.foo.json.swp, .#foo.json), not policy.
    if (leaf.empty() || leaf[0] == '.' || it->path().extension() != ".json") continue;
    std::error_code type_ec;
    if (!fs::is_regular_file(it->path(), type_ec)) continue;
    files.push_back(it->path());
  }
  if (ec) {
    out.problems.push_back(problem(HostError::policy_file_unreadable, overlays.u8string(),
                                   "cannot list the folder: " + ec.message()));
  }
  // Name order, byte-wise, so "10-x.json" after "09-y.json" on every OS and locale.
  std::sort(files.begin(), files.end(), [](const fs::path& a, const fs::path& b) {
    return a.filename().u8string() < b.filename().u8string();
  });
  for (const auto& f : files) read_one(f, refuse, out);
}

uint64_t fingerprint(const SourceRead& read) {
  uint64_t h = 1469598103934665603ull;
  auto mix = [&h](const std::string& s) {
    for (const char c : s) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ull;
    }
    h ^= 0xff;  // separator, so ("ab","c") differs from ("a","bc")
    h *= 1099511628211ull;
  };
  for (const auto& s : read.sources) {
    mix(s.name);
    mix(s.json);
  }
  for (const auto& p : read.problems) {
    mix(p.file);
    mix(p.message);
  }
  return h;
}

namespace {

class PollingWatcher final : public ChangeWatcher {
 public:
  PollingWatcher(const PolicySources& sources, int interval_ms)
      : sources_(sources), interval_ms_(interval_ms), last_(fingerprint(sources.read())) {}
  int poll_interval_ms() const override { return interval_ms_; }
  bool changed() override {
    const uint64_t now = fingerprint(sources_.read());
    const bool differs = now != last_;
    last_ = now;
    return differs;
  }

 private:
  const PolicySources& sources_;
  int interval_ms_;
  uint64_t last_;
};

}  // namespace

std::unique_ptr<ChangeWatcher> polling_watcher(const PolicySources& sources, int interval_ms) {
  return std::make_unique<PollingWatcher>(sources, interval_ms);
}

}  // namespace postguard::host

// `postguard doctor`: what a browser would find on this machine — each
// browser's host manifest, the policy files, the school selected — so IT can
// see in one run why the extension gets no policy.
#include <filesystem>
#include <ostream>
#include <system_error>

#include <nlohmann/json.hpp>

#include "cli/host_commands.h"
#include "common/file_io.h"
#include "common/i18n.h"
#include "host/effective_policy.h"
#include "host/host_manifest.h"
#include "host/policy_sources.h"
#include "host/protocol.h"

namespace postguard::cli {
namespace {

namespace fs = std::filesystem;
using host::Browser;
using host::Scope;
using nlohmann::ordered_json;

std::string usage() {
  return i18n::tr("usage:") + " postguard doctor [--host-path PATH] [--root DIR] [--format text|json]\n  " +
         i18n::tr("Checks each browser's host manifest (system and user), the policy files and the school.") + "\n  " +
         i18n::tr("Exit status: 0 all well, 1 problems found, 2 usage error.") + "\n";
}

bool same_file(const std::string& a, const std::string& b) {
  std::error_code ec;
  if (fs::equivalent(fs::u8path(a), fs::u8path(b), ec)) return true;
  return a == b;
}

// One manifest's state: "missing", "ok" or "problem" with the reason.
ordered_json inspect_manifest(Browser b, Scope s, const std::string& root, const std::string& expected_host) {
  const auto loc = host::manifest_location(b, s, root, host::home_folder());
  ordered_json j;
  j["browser"] = to_string(b);
  j["scope"] = to_string(s);
  j["path"] = loc.path;
  std::error_code ec;
  if (!fs::exists(fs::u8path(loc.path), ec)) {
    j["status"] = "missing";
    return j;
  }
  std::string error;
  auto text = io::read_file(loc.path, error);
  auto problem = [&](std::string why) {
    j["status"] = "problem";
    j["problem"] = std::move(why);
    return j;
  };
  if (!text) return problem(error);
  auto m = host::parse_manifest(*text, loc.path);
  if (!m) return problem(m.error().message);
  const auto& mf = m.value();
  j["hostPath"] = mf.path;
  const auto& allowed = b == Browser::firefox ? mf.allowed_extensions : mf.allowed_origins;
  j["allowed"] = allowed;
  using i18n::trf;
  if (mf.name != host::kHostName) return problem(trf("its name is \"{1}\", not {2}", mf.name, host::kHostName));
  if (mf.type != "stdio") return problem(trf("its type is \"{1}\", not stdio", mf.type));
  if (allowed.empty()) {
    return problem(trf("{1} is empty", b == Browser::firefox ? "allowed_extensions" : "allowed_origins"));
  }
  // Under --root the manifest names a path on the machine being prepared
  // (a package's staging root, a test root): look for it inside the root.
  const std::string on_disk = host::under_root(root, mf.path);
  if (!fs::exists(fs::u8path(on_disk), ec)) {
    return problem(root.empty() ? trf("it points at {1}, which does not exist", mf.path)
                                : trf("it points at {1}, which does not exist under the root ({2})", mf.path, on_disk));
  }
  if (!expected_host.empty() && !same_file(on_disk, host::under_root(root, expected_host))) {
    return problem(trf("it points at {1}, not at this installation's {2}", mf.path, expected_host));
  }
  j["status"] = "ok";
  return j;
}

ordered_json inspect_policy(const host::PolicySources& sources) {
  host::EffectivePolicy effective(sources);
  const host::SourceRead read = sources.read();
  const host::PolicySnapshot& snap = effective.current();
  ordered_json j;
  j["location"] = snap.location;
  ordered_json files = ordered_json::array();
  auto add_file = [&](const std::string& name) {
    ordered_json f;
    f["file"] = name;
    ordered_json problems = ordered_json::array();
    for (const auto& p : snap.problems) {
      if (p.file == name) problems.push_back(p.to_string() + " [" + std::to_string(static_cast<int>(p.code)) + "]");
    }
    f["status"] = problems.empty() ? "ok" : "problem";
    if (!problems.empty()) f["problems"] = std::move(problems);
    files.push_back(std::move(f));
  };
  for (const auto& s : read.sources) add_file(s.name);
  for (const auto& p : read.problems) add_file(p.file);  // refused or unreadable
  j["files"] = std::move(files);
  ordered_json other = ordered_json::array();
  for (const auto& p : snap.problems) {
    bool named = false;
    for (const auto& s : read.sources) named = named || s.name == p.file;
    for (const auto& q : read.problems) named = named || q.file == p.file;
    if (!named) other.push_back(p.to_string());
  }
  if (!other.empty()) j["problems"] = std::move(other);
  j["basis"] = to_string(snap.basis);
  if (snap.policy) {
    j["school"] = snap.policy->school();
    const auto explain = ordered_json::parse(snap.policy->explain_json(), nullptr, false);
    if (explain.is_object() && explain.contains("school")) j["schoolFrom"] = explain["school"]["from"];
  }
  j["ok"] = snap.problems.empty() && snap.policy != nullptr;
  return j;
}

void print_text(const ordered_json& report, std::ostream& out) {
  using i18n::tr;
  using i18n::trf;
  out << "postguard doctor (PostGuard " << report["version"].get<std::string>() << ")\n";
  out << trf("host: {1}", report["host"]["path"].get<std::string>())
      << (report["host"]["exists"].get<bool>() ? "" : "  " + tr("(MISSING)")) << "\n\n"
      << tr("browsers:") << "\n";
  for (const auto& m : report["manifests"]) {
    const std::string status = m["status"];
    out << "  " << m["browser"].get<std::string>() << " (" << m["scope"].get<std::string>() << "): ";
    if (status == "missing") {
      out << trf("no manifest at {1}", m["path"].get<std::string>()) << "\n";
    } else if (status == "ok") {
      out << trf("OK {1} -> allows {2}", m["path"].get<std::string>(), m["allowed"].dump()) << "\n";
    } else {
      out << trf("PROBLEM {1}: {2}", m["path"].get<std::string>(), m["problem"].get<std::string>()) << "\n";
    }
  }
  const auto& p = report["policy"];
  out << "\n" << trf("policy ({1}):", p["location"].get<std::string>()) << "\n";
  if (p["files"].empty()) out << "  " << tr("no policy files: the built-in baseline applies") << "\n";
  for (const auto& f : p["files"]) {
    out << "  " << f["file"].get<std::string>() << ": " << (f["status"] == "ok" ? tr("OK") : tr("PROBLEM")) << "\n";
    if (f.contains("problems")) {
      for (const auto& q : f["problems"]) out << "      " << q.get<std::string>() << "\n";
    }
  }
  if (p.contains("problems")) {
    for (const auto& q : p["problems"]) out << "  " << tr("PROBLEM") << " " << q.get<std::string>() << "\n";
  }
  // TRANSLATORS: {1} is baseline, last-valid or current (a protocol token, kept in English).
  out << "  " << trf("in force: {1}", p["basis"].get<std::string>()) << "\n";
  if (p.contains("school")) {
    const std::string school = p["school"];
    out << "  " << trf("school: {1}", school.empty() ? tr("(none: trust-wide settings)") : school);
    if (p.contains("schoolFrom") && p["schoolFrom"].contains("file") && !p["schoolFrom"]["file"].get<std::string>().empty()) {
      out << " " << trf("(set in {1})", p["schoolFrom"]["file"].get<std::string>());
    }
    out << "\n";
  }
  out << "\n" << (report["ok"].get<bool>() ? tr("All well.") : tr("Problems found (see above).")) << "\n";
}

}  // namespace

int command_doctor(const std::vector<std::string>& args, Io io) {
  std::string host_path = host::default_host_path();
  bool host_path_given = false;
  std::string root;
  std::string format = "text";
  for (size_t i = 0; i < args.size(); ++i) {
    const bool has_value = i + 1 < args.size();
    if (args[i] == "--host-path" && has_value) {
      host_path = args[++i];
      host_path_given = true;
    } else if (args[i] == "--root" && has_value) {
      root = args[++i];
    } else if (args[i] == "--format" && has_value && (args[i + 1] == "text" || args[i + 1] == "json")) {
      format = args[++i];
    } else if (args[i] == "--help" || args[i] == "-h") {
      io.out << usage();
      return exit_clean;
    } else {
      io.err << i18n::trf("postguard doctor: unexpected argument {1}", args[i]) << "\n" << usage();
      return exit_usage;
    }
  }
  ordered_json report;
  report["version"] = version();
  std::error_code ec;
  // With --root, a --host-path is a path inside the root, like the manifests'
  // paths; this installation's own host says nothing about another root.
  const bool in_root = !root.empty() && host_path_given;
  const std::string host_on_disk = in_root ? host::under_root(root, host_path) : host_path;
  report["host"] = {{"path", host_path}, {"exists", !host_path.empty() && fs::exists(fs::u8path(host_on_disk), ec)}};
  const std::string expected_host = root.empty() || in_root ? host_path : std::string();
  bool ok = report["host"]["exists"].get<bool>();
  bool any_manifest = false;
  ordered_json manifests = ordered_json::array();
  for (Browser b : host::kAllBrowsers) {
    for (Scope s : {Scope::system, Scope::user}) {
      auto m = inspect_manifest(b, s, root, expected_host);
      if (m["status"] == "problem") ok = false;
      if (m["status"] == "ok") any_manifest = true;
      manifests.push_back(std::move(m));
    }
  }
  report["manifests"] = std::move(manifests);
  if (!any_manifest) ok = false;
  const auto sources = root.empty()
                           ? host::machine_policy_sources()
                           : host::directory_policy_sources((fs::u8path(root) / fs::u8path(host::kDefaultPolicyDirectory).relative_path()).u8string(), true);
  report["policy"] = inspect_policy(*sources);
  ok = ok && report["policy"]["ok"].get<bool>();
  report["ok"] = ok;
  if (format == "json") {
    io.out << report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else {
    print_text(report, io.out);
  }
  return ok ? exit_clean : exit_findings;
}

}  // namespace postguard::cli

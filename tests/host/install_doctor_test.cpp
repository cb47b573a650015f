// Caller check, host manifests, `postguard install-host` and `postguard doctor`
// (run in-process, writing under a temporary --root).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <sstream>

#include "cli/cli.h"
#include "host/caller_check.h"
#include "host/host_manifest.h"
#include "host_test_support.h"

using namespace postguard::host;
using host_test::json;
namespace fs = std::filesystem;

namespace {

struct Run {
  int code;
  std::string out, err;
};

Run cli(const std::vector<std::string>& args) {
  std::istringstream in;
  std::ostringstream out, err;
  const int code = postguard::cli::run(args, {in, out, err});
  return {code, out.str(), err.str()};
}

constexpr const char* kId = "abcdefghijklmnopabcdefghijklmnop";

}  // namespace

TEST_CASE("caller arguments: Chrome's origin, Firefox's manifest and id", "[caller]") {
  auto c = parse_caller({"chrome-extension://abcdefghijklmnopabcdefghijklmnop/", "--parent-window=0"});
  CHECK(c.kind == Caller::Kind::chromium);
  CHECK(c.extension_id == kId);
  auto f = parse_caller({"/usr/lib/mozilla/native-messaging-hosts/org.postguard.host.json", "postguard@x"});
  CHECK(f.kind == Caller::Kind::firefox);
  CHECK(f.extension_id == "postguard@x");
  CHECK(parse_caller({}).kind == Caller::Kind::none);
}

TEST_CASE("a Chromium caller must be in a manifest's allowed_origins", "[caller]") {
  host_test::TempDir dir;
  const auto manifest = dir.path() / "org.postguard.host.json";
  host_test::write_file(manifest, manifest_json(Browser::chromium, "/opt/postguard-host", {kId}));
  const std::vector<std::string> manifests = {(dir.path() / "absent.json").string(), manifest.string()};

  CHECK(verify_caller(parse_caller({std::string("chrome-extension://") + kId + "/"}), manifests, {}).allowed);
  auto other = verify_caller(parse_caller({"chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba/"}), manifests, {});
  CHECK_FALSE(other.allowed);
  CHECK(other.message.find(manifest.string()) != std::string::npos);
  CHECK_FALSE(verify_caller(parse_caller({"chrome-extension://../"}), manifests, {}).allowed);
  // The compiled-in list is enough on its own.
  CHECK(verify_caller(parse_caller({"chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba/"}), {},
                      {"chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba/"})
            .allowed);
}

TEST_CASE("manifests carry the right allow list per browser", "[manifest]") {
  auto chromium = json::parse(manifest_json(Browser::edge, "/opt/pg/postguard-host", {kId}));
  CHECK(chromium["name"] == "org.postguard.host");
  CHECK(chromium["type"] == "stdio");
  CHECK(chromium["path"] == "/opt/pg/postguard-host");
  CHECK(chromium["allowed_origins"] == json::array({std::string("chrome-extension://") + kId + "/"}));
  CHECK_FALSE(chromium.contains("allowed_extensions"));
  auto firefox = json::parse(manifest_json(Browser::firefox, "/opt/pg/postguard-host", {"postguard@x"}));
  CHECK(firefox["allowed_extensions"] == json::array({"postguard@x"}));
  CHECK_FALSE(firefox.contains("allowed_origins"));
  CHECK(manifest_location(Browser::chromium, Scope::system, "/r", "/home/u").path ==
        "/r/etc/chromium/native-messaging-hosts/org.postguard.host.json");
  CHECK(manifest_location(Browser::chrome, Scope::user, "", "/home/u").path ==
        "/home/u/.config/google-chrome/NativeMessagingHosts/org.postguard.host.json");
  CHECK(manifest_location(Browser::firefox, Scope::system, "", "/home/u").path ==
        "/usr/lib/mozilla/native-messaging-hosts/org.postguard.host.json");
}

TEST_CASE("install-host writes every browser's manifest and doctor finds them", "[cli]") {
  host_test::TempDir root;
  const std::string host = POSTGUARD_HOST_BIN;
  auto r = cli({"install-host", "--browser", "all", "--system", "--extension-id", kId, "--extension-id",
                "postguard@x", "--host-path", host, "--root", root.str()});
  INFO(r.err);
  REQUIRE(r.code == 0);
  for (Browser b : kAllBrowsers) {
    const auto loc = manifest_location(b, Scope::system, root.str(), "");
    REQUIRE(fs::exists(loc.path));
    auto m = json::parse(host_test::read_text(loc.path));
    CHECK(m["path"] == host);
    CHECK(fs::status(loc.path).permissions() == (fs::perms::owner_read | fs::perms::owner_write |
                                                 fs::perms::group_read | fs::perms::others_read));
  }

  host_test::write_tarka_root(root.path() / "etc" / "postguard");
  // The doctor looks for the manifests' host inside the root, as on the machine.
  fs::create_directories(root.path() / fs::path(host).relative_path().parent_path());
  fs::copy_file(host, root.path() / fs::path(host).relative_path());
  auto d = cli({"doctor", "--host-path", host, "--root", root.str(), "--format", "json"});
  INFO(d.out);
  CHECK(d.code == 0);
  auto report = json::parse(d.out);
  CHECK(report["ok"] == true);
  int ok = 0;
  for (const auto& m : report["manifests"]) ok += m["status"] == "ok";
  CHECK(ok == 4);
  CHECK(report["policy"]["school"] == "bideford-road");
  CHECK(report["policy"]["schoolFrom"]["file"].get<std::string>().find("10-school.json") != std::string::npos);

  SECTION("doctor flags a manifest that points elsewhere and a broken policy file") {
    const auto loc = manifest_location(Browser::chromium, Scope::system, root.str(), "");
    host_test::write_file(loc.path, manifest_json(Browser::chromium, "/old/postguard-host", {kId}));
    host_test::write_file(root.path() / "etc" / "postguard" / "policy.d" / "20-bad.json", "{");
    auto bad = cli({"doctor", "--host-path", host, "--root", root.str()});
    CHECK(bad.code == 1);
    CHECK(bad.out.find("PROBLEM " + loc.path) != std::string::npos);
    CHECK(bad.out.find("/old/postguard-host") != std::string::npos);
    CHECK(bad.out.find("20-bad.json: PROBLEM") != std::string::npos);
    CHECK(bad.out.find("school: bideford-road") != std::string::npos);
  }
}

TEST_CASE("doctor --root looks for the manifests' host inside the root", "[cli][doctor-root]") {
  // What packaging does: manifests for /usr/bin/postguard-host, written under a staging root.
  host_test::TempDir root;
  auto r = cli({"install-host", "--browser", "chromium", "--system", "--extension-id", kId, "--host-path",
                "/usr/bin/postguard-host", "--root", root.str()});
  REQUIRE(r.code == 0);
  // No "does not exist" warning: the path is the target machine's, not this one's.
  CHECK(r.err.find("warning") == std::string::npos);
  // Without --root the same missing host is worth a warning (a user
  // manifest, with HOME pointed at a temporary folder).
  host_test::TempDir home;
  const char* old_home = std::getenv("HOME");
  const std::string saved = old_home ? old_home : "";
  ::setenv("HOME", home.str().c_str(), 1);
  auto here = cli({"install-host", "--browser", "chromium", "--user", "--extension-id", kId, "--host-path",
                   (home.path() / "no-such-host").string()});
  if (old_home) ::setenv("HOME", saved.c_str(), 1); else ::unsetenv("HOME");
  CHECK(here.err.find("warning") != std::string::npos);
  auto missing = json::parse(cli({"doctor", "--host-path", "/usr/bin/postguard-host", "--root", root.str(),
                                  "--format", "json"}).out);
  const std::string under = (root.path() / "usr" / "bin" / "postguard-host").string();
  CHECK(missing["host"]["exists"] == false);
  bool flagged = false;
  for (const auto& m : missing["manifests"]) {
    if (m["browser"] == "chromium" && m["scope"] == "system") {
      CHECK(m["status"] == "problem");
      flagged = m["problem"].get<std::string>().find(under) != std::string::npos;
    }
  }
  CHECK(flagged);

  // Once the host is there (inside the root), the same manifest is fine.
  host_test::write_file(under, "#!/bin/sh\n");
  auto d = json::parse(cli({"doctor", "--host-path", "/usr/bin/postguard-host", "--root", root.str(),
                            "--format", "json"}).out);
  CHECK(d["host"]["exists"] == true);
  for (const auto& m : d["manifests"]) {
    if (m["browser"] == "chromium" && m["scope"] == "system") CHECK(m["status"] == "ok");
  }
}

TEST_CASE("install-host usage errors", "[cli]") {
  CHECK(cli({"install-host", "--browser", "chrome"}).code == 2);
  CHECK(cli({"install-host", "--browser", "netscape", "--extension-id", kId}).code == 2);
  host_test::TempDir root;
  // Firefox alone with only a Chromium id: nothing to write.
  CHECK(cli({"install-host", "--browser", "firefox", "--extension-id", kId, "--root", root.str()}).code == 2);
}

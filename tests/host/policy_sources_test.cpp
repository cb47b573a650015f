// Policy sources on real files in a temporary root: order, refusals,
// fallbacks and change notification.
#include <catch2/catch.hpp>

#include <poll.h>
#include <sys/stat.h>

#include <thread>

#include "host/effective_policy.h"
#include "host/policy_sources.h"
#include "host/protocol.h"
#include "host_test_support.h"

using namespace postguard::host;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> leaf_names(const SourceRead& r) {
  std::vector<std::string> out;
  for (const auto& s : r.sources) out.push_back(fs::path(s.name).filename().string());
  return out;
}

// Waits up to `ms` for the watcher to report a change, as the host's loop does.
bool wait_for_change(ChangeWatcher& w, int ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (std::chrono::steady_clock::now() < deadline) {
    if (w.fd() >= 0) {
      pollfd p{w.fd(), POLLIN, 0};
      ::poll(&p, 1, 100);
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (w.changed()) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("the bundle comes first, then policy.d/*.json in name order", "[sources]") {
  host_test::TempDir root;
  host_test::write_file(root.path() / "policy.json", "{}");
  host_test::write_file(root.path() / "policy.d" / "20-b.json", "{}");
  host_test::write_file(root.path() / "policy.d" / "10-a.json", "{}");
  host_test::write_file(root.path() / "policy.d" / "Z-upper.json", "{}");
  host_test::write_file(root.path() / "policy.d" / "notes.txt", "not policy");
  host_test::write_file(root.path() / "policy.d" / ".10-a.json.swp", "editor temp");
  fs::create_directories(root.path() / "policy.d" / "dir.json");
  auto src = directory_policy_sources(root.str(), true);
  const auto r = src->read();
  CHECK(leaf_names(r) == std::vector<std::string>{"policy.json", "10-a.json", "20-b.json", "Z-upper.json"});
  CHECK(r.problems.empty());
  CHECK(r.location == root.str());
}

TEST_CASE("no files at all: the baseline applies", "[sources]") {
  host_test::TempDir root;
  auto src = directory_policy_sources((root.path() / "missing").string(), true);
  EffectivePolicy p(*src);
  CHECK(p.current().basis == PolicyBasis::baseline);
  CHECK(p.current().sources.empty());
  REQUIRE(p.current().policy);
  CHECK(p.current().policy->school().empty());
}

TEST_CASE("a file any user can write is refused and reported", "[sources]") {
  host_test::TempDir root;
  host_test::write_tarka_root(root.path());
  const auto overlay = root.path() / "policy.d" / "10-school.json";
  ::chmod(overlay.c_str(), 0666);
  auto src = directory_policy_sources(root.str(), true);
  const auto r = src->read();
  CHECK(leaf_names(r) == std::vector<std::string>{"policy.json"});
  REQUIRE(r.problems.size() == 1);
  CHECK(static_cast<int>(r.problems[0].code) == static_cast<int>(HostError::policy_file_refused));
  CHECK(r.problems[0].message.find("writable by every user") != std::string::npos);

  SECTION("a user-writable policy.d folder is refused as a whole") {
    ::chmod(overlay.c_str(), 0644);
    ::chmod((root.path() / "policy.d").c_str(), 0777);
    const auto r2 = src->read();
    CHECK(leaf_names(r2) == std::vector<std::string>{"policy.json"});
    REQUIRE(r2.problems.size() == 1);
  }
  SECTION("the machine source does not accept a file owned by the user running it") {
    if (::geteuid() != 0) {
      auto strict = directory_policy_sources(root.str(), false);
      CHECK(strict->read().sources.empty());
    }
  }
}

TEST_CASE("an invalid file is reported and the rest stays in force", "[sources]") {
  host_test::TempDir root;
  host_test::write_tarka_root(root.path());
  host_test::write_file(root.path() / "policy.d" / "20-broken.json", "{ not json");
  host_test::write_file(root.path() / "policy.d" / "30-other-school.json",
                        R"({"format": "postguard/1", "school": "nowhere"})");
  auto src = directory_policy_sources(root.str(), true);
  EffectivePolicy p(*src);
  const auto& s = p.current();
  CHECK(s.basis == PolicyBasis::valid_files);
  CHECK(s.policy->school() == "bideford-road");
  CHECK(s.sources.size() == 2);
  REQUIRE(s.problems.size() == 2);
  CHECK(s.problems[0].code == postguard::ErrorCode::policy_parse);
  CHECK(s.problems[0].file.find("20-broken.json") != std::string::npos);
  CHECK(s.problems[1].code == postguard::ErrorCode::policy_unknown_school);
}

TEST_CASE("a bundle that does not parse leaves the baseline in force", "[sources]") {
  host_test::TempDir root;
  host_test::write_file(root.path() / "policy.json", "{\"format\": \"postguard/1\", \"organisation\": 5}");
  auto src = directory_policy_sources(root.str(), true);
  EffectivePolicy p(*src);
  CHECK(p.current().basis == PolicyBasis::baseline);
  CHECK(p.current().problems.size() == 1);
}

TEST_CASE("refresh recompiles only when the files changed", "[sources]") {
  host_test::TempDir root;
  host_test::write_tarka_root(root.path());
  auto src = directory_policy_sources(root.str(), true);
  EffectivePolicy p(*src);
  const auto first = p.current().policy;
  CHECK_FALSE(p.refresh());
  CHECK(p.current().policy == first);
  host_test::write_tarka_root(root.path(), "torridge-vale");
  CHECK(p.refresh());
  CHECK(p.current().revision == 2);
  CHECK(p.current().policy->school() == "torridge-vale");
}

TEST_CASE("the inotify watcher sees edits, new files and a root created later", "[sources][watch]") {
  host_test::TempDir tmp;
  const auto root = tmp.path() / "etc-postguard";
  auto src = directory_policy_sources(root.string(), true);
  auto w = src->watch();
  REQUIRE(w->fd() >= 0);
  CHECK_FALSE(w->changed());

  host_test::write_tarka_root(root);  // the root did not exist when watching began
  CHECK(wait_for_change(*w, 3000));
  host_test::write_file(root / "policy.d" / "10-school.json", R"({"format": "postguard/1", "school": "torridge-vale"})");
  CHECK(wait_for_change(*w, 3000));
  host_test::write_file(root / "policy.d" / "20-new.json", R"({"format": "postguard/1"})");
  CHECK(wait_for_change(*w, 3000));
  fs::remove(root / "policy.d" / "20-new.json");
  CHECK(wait_for_change(*w, 3000));
  // Same bytes written again: no change worth telling anyone about.
  host_test::write_file(root / "policy.d" / "10-school.json", R"({"format": "postguard/1", "school": "torridge-vale"})");
  CHECK_FALSE(wait_for_change(*w, 500));
}

TEST_CASE("the polling watcher works on any source", "[sources][watch]") {
  host_test::TempDir root;
  host_test::write_tarka_root(root.path());
  auto src = directory_policy_sources(root.str(), true);
  auto w = polling_watcher(*src, 50);
  CHECK(w->fd() < 0);
  CHECK_FALSE(w->changed());
  host_test::write_tarka_root(root.path(), "torridge-vale");
  CHECK(w->changed());
  CHECK_FALSE(w->changed());
}

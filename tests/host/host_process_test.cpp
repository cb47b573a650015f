// The real postguard-host binary through real pipes (fork/exec), as a
// browser runs it: every bad frame gets an error reply and the host keeps
// serving, or it exits cleanly at end of input.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <thread>

#include "host/protocol.h"
#include "host_test_support.h"

using namespace postguard::host;
using host_test::HostProcess;
using host_test::json;

namespace {

std::string raw_prefix(uint32_t n) {
  std::string p(4, '\0');
  std::memcpy(p.data(), &n, 4);
  return p;
}

void expect_serving(HostProcess& h, int id) {
  REQUIRE(h.send(json{{"type", "hello"}, {"id", id}}));
  auto r = h.receive_json();
  REQUIRE(r);
  CHECK((*r)["type"] == "hello");
  CHECK((*r)["id"] == id);
}

void expect_error(HostProcess& h, HostError code) {
  auto r = h.receive_json();
  REQUIRE(r);
  CHECK((*r)["type"] == "error");
  CHECK((*r)["code"] == static_cast<int>(code));
}

long rss_kib(pid_t pid, const char* field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::strlen(field)));
  }
  return -1;
}

}  // namespace

TEST_CASE("hello through pipes, then a clean exit on end of input", "[process]") {
  host_test::TempDir root;
  host_test::write_tarka_root(root.path());
  host_test::AllowedCaller caller;
  HostProcess h(caller.args, root.str());
  expect_serving(h, 1);
  h.close_input();
  CHECK_FALSE(h.receive(2000));
  CHECK(h.wait_exit() == 0);
}

TEST_CASE("every malformed frame gets an error reply and the host keeps serving", "[process]") {
  host_test::TempDir root;
  host_test::write_tarka_root(root.path());
  host_test::AllowedCaller caller;
  HostProcess h(caller.args, root.str());

  h.send_raw(raw_prefix(0));
  expect_error(h, HostError::frame_empty);
  expect_serving(h, 1);

  h.send("{\"type\":\"hello\",\"id\":2,\"x\":\"\xFF\xFE\"}");
  expect_error(h, HostError::message_not_utf8);
  expect_serving(h, 3);

  h.send("this is not json");
  expect_error(h, HostError::message_not_json);
  h.send("[\"type\",\"hello\"]");
  expect_error(h, HostError::bad_request);
  h.send(R"({"type":["hello"],"id":4})");
  expect_error(h, HostError::bad_request);
  h.send(R"({"type":"format-disk","id":5})");
  expect_error(h, HostError::unknown_type);
  expect_serving(h, 6);

  SECTION("a length over the 64 MiB cap: an error, the body skipped, still serving") {
    const uint32_t n = kMaxIncomingMessageBytes + 1;
    // Write the oversized body from another thread: the host answers first,
    // then drains it.
    std::thread writer([&] {
      h.send_raw(raw_prefix(n));
      const std::string block(1 << 20, 'x');
      uint32_t left = n;
      while (left > 0) {
        const uint32_t k = std::min<uint32_t>(left, static_cast<uint32_t>(block.size()));
        if (!h.send_raw(block.substr(0, k))) break;
        left -= k;
      }
    });
    auto r = h.receive_json(10000);
    writer.join();
    REQUIRE(r);
    CHECK((*r)["code"] == static_cast<int>(HostError::frame_too_large));
    expect_serving(h, 7);
    h.close_input();
    CHECK(h.wait_exit() == 0);
  }
  SECTION("a truncated length prefix: an error, then exit") {
    h.send_raw(std::string("\x10\x00", 2));
    h.close_input();
    expect_error(h, HostError::frame_truncated);
    CHECK(h.wait_exit() == 1);
  }
  SECTION("a truncated body: an error, then exit") {
    h.send_raw(raw_prefix(100) + R"({"type":"hel)");
    h.close_input();
    expect_error(h, HostError::frame_truncated);
    CHECK(h.wait_exit() == 1);
  }
}

TEST_CASE("a burst of 10,000 messages is answered in order", "[process]") {
  host_test::TempDir root;
  host_test::write_tarka_root(root.path());
  host_test::AllowedCaller caller;
  HostProcess h(caller.args, root.str());
  constexpr int kCount = 10000;
  std::thread writer([&] {
    std::string batch;
    for (int i = 0; i < kCount; ++i) {
      json m;
      switch (i % 4) {
        case 0: m = {{"type", "hello"}, {"id", i}}; break;
        case 1: m = {{"type", "check"}, {"id", i}, {"text", "Great day at Bideford Road"}}; break;
        case 2: m = {{"type", "nope"}, {"id", i}}; break;
        default: m = {{"type", "check"}, {"id", i}}; break;  // no text
      }
      batch += postguard::host::encode_frame(m.dump());
      if (batch.size() > 64 * 1024) {
        h.send_raw(batch);
        batch.clear();
      }
    }
    h.send_raw(batch);
    h.close_input();
  });
  int answered = 0;
  bool in_order = true;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kCount; ++i) {
    auto r = h.receive_json(10000);
    if (!r) break;
    in_order = in_order && (*r)["id"] == i;
    const char* want = i % 4 == 0 ? "hello" : i % 4 == 1 ? "findings" : "error";
    in_order = in_order && (*r)["type"] == want;
    ++answered;
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  writer.join();
  CHECK(answered == kCount);
  CHECK(in_order);
  CHECK(h.wait_exit() == 0);
  WARN("10,000 messages answered in " << ms << " ms");
}

TEST_CASE("a caller not in any manifest gets a clear error", "[process]") {
  host_test::TempDir root;
  HostProcess h({"chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba/"}, root.str());
  h.send(json{{"type", "getPolicy"}, {"id", 1}});
  auto r = h.receive_json();
  REQUIRE(r);
  CHECK((*r)["code"] == static_cast<int>(HostError::caller_not_allowed));
  CHECK((*r)["id"] == 1);
  CHECK((*r)["message"].get<std::string>().find("ponmlkjihgfedcbaponmlkjihgfedcba") != std::string::npos);
  h.close_input();
  CHECK(h.wait_exit() == 0);

  SECTION("Firefox with an add-on the manifest does not list") {
    host_test::AllowedCaller allowed;
    HostProcess f({allowed.args[0], "evil@example.com"}, root.str());
    f.send(json{{"type", "hello"}, {"id", 2}});
    auto e = f.receive_json();
    REQUIRE(e);
    CHECK((*e)["code"] == static_cast<int>(HostError::caller_not_allowed));
  }
  SECTION("started with no caller at all") {
    HostProcess n({}, root.str());
    n.send(json{{"type", "hello"}, {"id", 3}});
    auto e = n.receive_json();
    REQUIRE(e);
    CHECK((*e)["code"] == static_cast<int>(HostError::caller_not_allowed));
  }
}

TEST_CASE("subscribe through pipes: editing a policy file pushes policyChanged", "[process][watch]") {
  host_test::TempDir root;
  host_test::write_tarka_root(root.path());
  host_test::AllowedCaller caller;
  HostProcess h(caller.args, root.str());
  h.send(json{{"type", "subscribe"}, {"id", "s"}});
  auto sub = h.receive_json();
  REQUIRE(sub);
  CHECK((*sub)["type"] == "subscribed");

  // Written aside and renamed into place, as deployment tools do: an in-place
  // write can be seen half done (truncated, so invalid: the host then rightly
  // pushes the last valid policy first), which made this test flaky under load.
  const auto start = std::chrono::steady_clock::now();
  const auto target = root.path() / "policy.d" / "10-school.json";
  host_test::write_file(root.path() / "10-school.json.new", R"({"format": "postguard/1", "school": "torridge-vale"})");
  std::filesystem::rename(root.path() / "10-school.json.new", target);
  auto pushed = h.receive_json(5000);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  REQUIRE(pushed);
  CHECK((*pushed)["type"] == "policyChanged");
  CHECK((*pushed)["id"] == "s");
  CHECK((*pushed)["school"] == "torridge-vale");
  WARN("policyChanged arrived " << ms << " ms after the edit");

  // Still answering requests on the same connection.
  h.send(json{{"type", "getPolicy"}, {"id", 9}});
  auto g = h.receive_json();
  REQUIRE(g);
  CHECK((*g)["school"] == "torridge-vale");
  CHECK((*g)["revision"] == 2);
}

TEST_CASE("host memory with a 1 MB policy", "[process][rss]") {
  host_test::TempDir root;
  host_test::write_tarka_root(root.path());
  json overlay = {{"format", "postguard/1"}, {"phrases", {{"confidential_terms", json::array()}}}};
  size_t bytes = 0;
  for (int i = 0; bytes < 1024 * 1024; ++i) {
    std::string term = "Project Codename " + std::to_string(i);
    bytes += term.size() + 3;
    overlay["phrases"]["confidential_terms"].push_back(std::move(term));
  }
  host_test::write_file(root.path() / "policy.d" / "20-big.json", overlay.dump());
  host_test::AllowedCaller caller;
  HostProcess h(caller.args, root.str());
  const auto start = std::chrono::steady_clock::now();
  h.send(json{{"type", "getPolicy"}, {"id", 1}});
  std::string joined;
  size_t parts = 0;
  for (;;) {
    auto r = h.receive_json(20000);
    REQUIRE(r);
    if ((*r)["type"] != "chunk") {
      joined = r->dump();
      break;
    }
    joined += (*r)["data"].get<std::string>();
    parts = (*r)["parts"].get<size_t>();
    if ((*r)["part"].get<size_t>() + 1 == parts) break;
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  CHECK(json::parse(joined)["sources"].size() == 3);
  h.send(json{{"type", "check"}, {"id", 2}, {"text", "Project Codename 4242 is going ahead"}});
  auto c = h.receive_json(20000);
  REQUIRE(c);
  CHECK((*c)["findings"].size() >= 1);
  const long hwm = rss_kib(h.pid(), "VmHWM:");
  const long rss = rss_kib(h.pid(), "VmRSS:");
  WARN("1 MB policy: getPolicy in " << ms << " ms as " << parts << " chunks; host RSS " << rss
                                    << " KiB, peak " << hwm << " KiB");
  CHECK(hwm > 0);
}

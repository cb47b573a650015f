// The host in Welsh: its log lines and --help follow LANG, while its error
// replies keep the stable code and an English message (docs/protocol.md) —
// the extension localises from the code.
#include <catch2/catch.hpp>

#include <cstdio>

#include "host/protocol.h"
#include "host_test_support.h"

using host_test::HostProcess;
using nlohmann::json;
using postguard::host::HostError;

TEST_CASE("host: log lines in Welsh, error replies in English with their code", "[process][locale]") {
  host_test::TempDir root;
  host_test::TempDir logs;
  const std::string log = (logs.path() / "stderr.txt").string();
  {
    HostProcess h({"chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba/"}, root.str(),
                  {{"LANG", "cy_GB.UTF-8"}, {"LC_ALL", ""}, {"LC_MESSAGES", ""}}, log);
    h.send(json{{"type", "hello"}, {"id", 1}});
    auto r = h.receive_json();
    REQUIRE(r);
    CHECK((*r)["type"] == "error");
    CHECK((*r)["code"] == static_cast<int>(HostError::caller_not_allowed));
    const std::string message = (*r)["message"];
    CHECK_THAT(message, Catch::Contains("install-host"));
    CHECK_THAT(message, !Catch::Contains("galwr"));
    CHECK_FALSE(r->contains("localMessage"));
    // A truncated frame: the reply in English, the log line in Welsh.
    h.send_raw(std::string("\x10\x00", 2));
    h.close_input();
    auto t = h.receive_json();
    REQUIRE(t);
    CHECK((*t)["code"] == static_cast<int>(HostError::frame_truncated));
    CHECK(h.wait_exit() == 1);
  }
  const std::string err = host_test::read_text(log);
  CHECK_THAT(err, Catch::Contains("postguard-host: yn gwrthod y galwr: "));
  CHECK_THAT(err, Catch::Contains("postguard-host: daeth y mewnbwn i ben yng nghanol neges"));
}

TEST_CASE("host: --help follows LANG", "[process][locale]") {
  auto help = [](const char* lang) {
    const std::string cmd = std::string("env -u LC_ALL -u LC_MESSAGES LANG=") + lang + " '" + POSTGUARD_HOST_BIN +
                            "' --help";
    FILE* p = ::popen(cmd.c_str(), "r");
    REQUIRE(p != nullptr);
    std::string out;
    char buf[512];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    CHECK(::pclose(p) == 0);
    return out;
  };
  CHECK_THAT(help("cy_GB.UTF-8"), Catch::Contains("gwesteiwr negeseuon brodorol PostGuard"));
  CHECK_THAT(help("en_GB.UTF-8"), Catch::Contains("the PostGuard native messaging host"));
}

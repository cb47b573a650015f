// The minimal XML plist reader used for macOS managed preferences.
#include <catch2/catch.hpp>

#include "host/plist_xml.h"

using postguard::host::parse_plist_strings;

TEST_CASE("top-level string values of an XML plist", "[plist]") {
  const std::string xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <!-- pushed by Jamf -->
  <key>School</key>
  <string>bideford-road</string>
  <key>Nested</key>
  <dict><key>School</key><string>not-this-one</string><key>list</key><array><string>x</string></array></dict>
  <key>Enabled</key>
  <true/>
  <key>PolicyJson</key>
  <string>{"format": "postguard/1", "school": "caf&#xE9;&amp;&lt;&#233;"}</string>
  <key>Empty</key>
  <string/>
</dict>
</plist>)";
  std::string error;
  auto prefs = parse_plist_strings(xml, error);
  INFO(error);
  REQUIRE(prefs);
  CHECK(prefs->at("School") == "bideford-road");
  CHECK(prefs->at("PolicyJson") == "{\"format\": \"postguard/1\", \"school\": \"caf\xC3\xA9&<\xC3\xA9\"}");
  CHECK(prefs->at("Empty").empty());
  CHECK(prefs->count("Enabled") == 0);
  CHECK(prefs->count("Nested") == 0);
}

TEST_CASE("what is not an XML plist is reported, not guessed", "[plist]") {
  std::string error;
  CHECK_FALSE(parse_plist_strings("bplist00\x01\x02", error));
  CHECK(error.find("binary") != std::string::npos);
  CHECK_FALSE(parse_plist_strings("{\"School\": \"x\"}", error));
  CHECK_FALSE(parse_plist_strings("<plist><dict><key>School</key><string>x", error));
  CHECK_FALSE(parse_plist_strings("<plist><dict><key>School</key><string>&bogus;</string></dict></plist>", error));
}

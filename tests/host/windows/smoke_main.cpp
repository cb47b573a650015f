// Windows smoke test for the parts of the host that build without the core:
// framing, chunking and the Windows policy sources. Built by
// scripts/cross-compile-windows.sh; run under wine when it is installed.
#include <cstdio>
#include <string>

#include "host/framing.h"
#include "host/policy_sources.h"
#include "host/reply_chunker.h"

using namespace postguard::host;

int main(int argc, char** argv) {
  int failures = 0;
  auto expect = [&](bool ok, const char* what) {
    std::printf("%s %s\n", ok ? "ok  " : "FAIL", what);
    failures += ok ? 0 : 1;
  };
  const std::string bytes = encode_frame("{\"type\":\"hello\"}") + std::string("\x05\x00", 2);
  MemorySource src(bytes);
  FrameReader reader(src);
  expect(reader.next().payload == "{\"type\":\"hello\"}", "frame round trip");
  expect(reader.next().status == FrameStatus::truncated, "truncated prefix");
  expect(!find_invalid_utf8("caf\xC3\xA9") && find_invalid_utf8("\xC0\xAF"), "UTF-8 validation");
  expect(chunk_reply(std::string(3 * 1024 * 1024, 'a'), "1").size() == 3 + 1, "chunking");

  // The machine's sources (or a folder given on the command line).
  auto sources = argc > 1 ? directory_policy_sources(argv[1], true) : machine_policy_sources();
  const SourceRead read = sources->read();
  std::printf("policy location: %s\n", read.location.c_str());
  for (const auto& s : read.sources) std::printf("  source %s (%zu bytes)\n", s.name.c_str(), s.json.size());
  for (const auto& p : read.problems) std::printf("  problem %s: %s\n", p.file.c_str(), p.message.c_str());
  return failures ? 1 : 0;
}

// Windows test of the host's main loop (host_loop_windows.cpp) through real
// anonymous pipes, as a browser connects: a reader thread, the bounded frame
// queue, change notifications on a policy folder, and the HKLM policy key's
// registry notification. The session here answers frames itself (the
// Dispatcher needs the core, which is not cross-compiled yet). Built by
// scripts/cross-compile-windows.sh; run under wine when it works.
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "host/framing.h"
#include "host/host_loop.h"
#include "host/policy_sources.h"

using namespace postguard::host;
namespace fs = std::filesystem;

namespace {

int failures = 0;
void expect(bool ok, const std::string& what) {
  std::printf("%s %s\n", ok ? "ok  " : "FAIL", what.c_str());
  std::fflush(stdout);
  failures += ok ? 0 : 1;
}

// Echoes each message; "subscribe" turns watching on. The first
// on_policy_maybe_changed after arming is the loop's race guard, so it is
// answered with nothing; later ones are real wake-ups.
class EchoSession final : public HostSession {
 public:
  Step on_frame(Frame& f) override {
    Step s;
    switch (f.status) {
      case FrameStatus::message:
        if (f.payload == "subscribe") subscribed_ = true;
        s.replies.push_back("echo:" + f.payload);
        break;
      case FrameStatus::too_large:
        s.replies.push_back("too_large:" + std::to_string(f.declared_length));
        break;
      case FrameStatus::truncated:
        s.replies.push_back("truncated");
        s.exit_code = 1;
        break;
      case FrameStatus::end_of_stream:
        s.exit_code = 0;
        break;
      case FrameStatus::read_error:
        s.exit_code = 2;
        break;
    }
    return s;
  }
  std::vector<std::string> on_policy_maybe_changed() override {
    if (!guard_seen_) {
      guard_seen_ = true;
      return {};
    }
    return {"policyChanged:" + std::to_string(++changes_)};
  }
  bool wants_policy_changes() const override { return subscribed_; }

 private:
  bool subscribed_ = false;
  bool guard_seen_ = false;
  int changes_ = 0;
};

struct LoopRun {
  EchoSession session;
  const PolicySources* sources = nullptr;
  HANDLE in_read = nullptr, in_write = nullptr, out_read = nullptr, out_write = nullptr;
  HANDLE thread = nullptr;
  DWORD exit_code = 999;

  static DWORD WINAPI body(void* p) {
    auto* r = static_cast<LoopRun*>(p);
    r->exit_code = static_cast<DWORD>(run_host_loop(r->session, *r->sources, reinterpret_cast<intptr_t>(r->in_read),
                                                    reinterpret_cast<intptr_t>(r->out_write)));
    return 0;
  }

  explicit LoopRun(const PolicySources& s) : sources(&s) {
    CreatePipe(&in_read, &in_write, nullptr, 0);
    CreatePipe(&out_read, &out_write, nullptr, 1 << 20);
    thread = CreateThread(nullptr, 0, body, this, 0, nullptr);
  }

  bool send_raw(const std::string& bytes) {
    DWORD put = 0;
    return WriteFile(in_write, bytes.data(), static_cast<DWORD>(bytes.size()), &put, nullptr) && put == bytes.size();
  }
  bool send(const std::string& payload) { return send_raw(encode_frame(payload)); }
  void close_input() {
    if (in_write) CloseHandle(in_write);
    in_write = nullptr;
  }

  // Reads exactly n bytes within the deadline (polling the pipe, which has no timeouts).
  bool read_exact(char* buf, DWORD n, DWORD deadline) {
    DWORD got = 0;
    while (got < n) {
      DWORD avail = 0;
      if (!PeekNamedPipe(out_read, nullptr, 0, nullptr, &avail, nullptr)) return false;
      if (avail == 0) {
        if (GetTickCount() > deadline) return false;
        Sleep(2);
        continue;
      }
      DWORD r = 0;
      if (!ReadFile(out_read, buf + got, std::min(avail, n - got), &r, nullptr)) return false;
      got += r;
    }
    return true;
  }
  std::optional<std::string> receive(DWORD timeout_ms = 5000) {
    const DWORD deadline = GetTickCount() + timeout_ms;
    char prefix[4];
    if (!read_exact(prefix, 4, deadline)) return std::nullopt;
    uint32_t n = 0;
    std::memcpy(&n, prefix, 4);
    std::string body(n, '\0');
    if (n && !read_exact(body.data(), n, deadline)) return std::nullopt;
    return body;
  }
  // The loop's exit status once it has returned, or nullopt.
  std::optional<DWORD> finished(DWORD timeout_ms = 5000) {
    if (WaitForSingleObject(thread, timeout_ms) != WAIT_OBJECT_0) return std::nullopt;
    return exit_code;
  }
};

void write_text(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
}

void test_messages_and_end_of_stream(const PolicySources& sources) {
  LoopRun run(sources);
  run.send("hello");
  const auto first = run.receive();
  expect(first && *first == "echo:hello", "a message is answered through the pipes");

  // A burst larger than the queue: the reader blocks, nothing is lost or reordered.
  constexpr int kBurst = 2000;
  std::string burst;
  for (int i = 0; i < kBurst; ++i) burst += encode_frame("m" + std::to_string(i));
  run.send_raw(burst);
  bool in_order = true;
  int answered = 0;
  for (int i = 0; i < kBurst; ++i) {
    const auto r = run.receive();
    if (!r) break;
    ++answered;
    in_order = in_order && *r == "echo:m" + std::to_string(i);
  }
  expect(answered == kBurst && in_order, "a burst of " + std::to_string(kBurst) + " messages is answered in order");

  // Over the cap: reported, the body skipped, the host still serving.
  std::string big(4, '\0');
  const uint32_t declared = kMaxIncomingMessageBytes + 1;
  std::memcpy(big.data(), &declared, 4);
  run.send_raw(big + std::string(declared, 'x'));
  const auto too_large = run.receive();
  expect(too_large && *too_large == "too_large:" + std::to_string(declared), "a frame over the cap is reported");
  run.send("after");
  const auto after = run.receive();
  expect(after && *after == "echo:after", "and the next message is still served");

  run.close_input();
  const auto code = run.finished();
  expect(code && *code == 0, "end of input ends the loop with status 0");
}

void test_truncated(const PolicySources& sources) {
  LoopRun run(sources);
  run.send_raw(std::string("\x10\x00\x00\x00" "abc", 7));
  run.close_input();
  const auto r = run.receive();
  expect(r && *r == "truncated", "input ending inside a message gets a reply");
  const auto code = run.finished();
  expect(code && *code == 1, "and the loop ends with status 1");
}

void test_policy_folder_notification(const fs::path& root, const PolicySources& sources) {
  LoopRun run(sources);
  run.send("subscribe");
  const auto sub = run.receive();
  expect(sub && *sub == "echo:subscribe", "subscribe is answered");
  Sleep(200);  // the watcher is armed after the reply
  const DWORD start = GetTickCount();
  write_text(root / "policy.d" / "20-school.json", R"({"format": "postguard/1", "school": "x"})");
  // Notifications wake the loop well before the 5 s fallback re-read.
  const auto changed = run.receive(4000);
  const DWORD took = GetTickCount() - start;
  expect(changed && *changed == "policyChanged:1",
         "editing policy.d pushes policyChanged (" + std::to_string(took) + " ms)");
  expect(took < 2500, "woken by the folder notification, not the 5 s fallback re-read");
  run.send("still-there");
  const auto still = run.receive();
  expect(still && *still == "echo:still-there", "the loop keeps serving while subscribed");
  run.close_input();
  const auto code = run.finished();
  expect(code && *code == 0, "end of input ends a subscribed loop too");
}

// HKLM\SOFTWARE\Policies\PostGuard\School, the way Group Policy writes it.
// Needs write access to HKLM (an elevated prompt, or wine); skipped otherwise.
void test_registry_notification() {
  HKEY key = nullptr;
  if (RegCreateKeyExW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\Policies\\PostGuard", 0, nullptr, 0,
                      KEY_SET_VALUE | KEY_WOW64_64KEY, nullptr, &key, nullptr) != ERROR_SUCCESS) {
    std::printf("skip registry notification (no write access to HKLM)\n");
    return;
  }
  auto sources = machine_policy_sources();
  auto watcher = sources->watch();
  const auto handles = watcher->wait_handles();
  // The folder (or %ProgramData% until it exists), maybe policy.d, and last the key.
  expect(handles.size() >= 2, "the machine watcher waits on the folders and the policy key");
  const std::wstring school = L"bideford-road";
  RegSetValueExW(key, L"School", 0, REG_SZ, reinterpret_cast<const BYTE*>(school.c_str()),
                 static_cast<DWORD>((school.size() + 1) * sizeof(wchar_t)));
  std::vector<HANDLE> h;
  for (intptr_t x : handles) h.push_back(reinterpret_cast<HANDLE>(x));
  const DWORD woke = WaitForMultipleObjects(static_cast<DWORD>(h.size()), h.data(), FALSE, 3000);
  expect(woke == WAIT_OBJECT_0 + handles.size() - 1, "setting the School value signals the registry notification");
  expect(watcher->changed(), "and the watcher reports a change");
  const SourceRead read = sources->read();
  bool named = false;
  for (const auto& s : read.sources) named = named || s.json.find("bideford-road") != std::string::npos;
  expect(named, "the School value is read as a source");
  RegDeleteValueW(key, L"School");
  RegCloseKey(key);
  RegDeleteKeyExW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\Policies\\PostGuard", KEY_WOW64_64KEY, 0);
}

}  // namespace

int main() {
  wchar_t tmp[MAX_PATH];
  GetTempPathW(MAX_PATH, tmp);
  const fs::path root = fs::path(tmp) / ("postguard-loop-test-" + std::to_string(GetCurrentProcessId()));
  fs::create_directories(root / "policy.d");
  write_text(root / "policy.json", R"({"format": "postguard/1"})");
  {
    auto sources = directory_policy_sources(root.u8string(), true);
    test_messages_and_end_of_stream(*sources);
    test_truncated(*sources);
    test_policy_folder_notification(root, *sources);
  }
  test_registry_notification();
  std::error_code ec;
  fs::remove_all(root, ec);
  std::printf("%s\n", failures ? "FAILED" : "all passed");
  return failures ? 1 : 0;
}

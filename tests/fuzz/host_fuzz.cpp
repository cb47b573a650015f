// libFuzzer target over the host's framing + dispatcher: the input is the
// byte stream a browser would write to the host's stdin. Every reply must be
// within the 1 MiB cap, valid UTF-8 and a JSON object with a "type"; nothing
// may crash, hang or allocate a declared-but-absent 64 MiB body.
#include <cstdint>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "host/dispatcher.h"
#include "host/effective_policy.h"
#include "host/framing.h"
#include "host/policy_sources.h"

namespace {

using namespace postguard::host;

// A fixed in-memory policy: no file I/O per input, so the fuzzer runs fast.
class FixedSources final : public PolicySources {
 public:
  SourceRead read() const override {
    SourceRead r;
    r.location = "fuzz";
    r.sources.push_back({"bundle.json", R"({"format": "postguard/1",
      "organisation": {"id": "tarka", "name": "Tarka Learning Partnership", "aliases": ["TLP"]},
      "disclaimer": {"text": "Views my own."},
      "schools": [{"id": "bideford-road", "name": "Bideford Road Primary School"}]})"});
    r.sources.push_back({"10-school.json", R"({"format": "postguard/1", "school": "bideford-road"})"});
    return r;
  }
  std::unique_ptr<ChangeWatcher> watch() const override { return polling_watcher(*this, 1000); }
};

void check_reply(const std::string& reply) {
  if (reply.size() > kMaxOutgoingMessageBytes) std::abort();
  if (find_invalid_utf8(reply)) std::abort();
  const auto j = nlohmann::json::parse(reply, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("type") || !j["type"].is_string()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static FixedSources sources;
  static EffectivePolicy policy(sources);
  CallerVerdict caller;
  caller.allowed = true;
  Dispatcher dispatcher(policy, caller);

  MemorySource in(std::string_view(reinterpret_cast<const char*>(data), size));
  FrameReader reader(in);
  for (;;) {
    Frame f = reader.next();
    if (f.status == FrameStatus::message) {
      for (const auto& r : dispatcher.handle(f.payload)) check_reply(r);
    } else if (f.status == FrameStatus::too_large) {
      for (const auto& r : dispatcher.frame_error(f.status, f.declared_length)) check_reply(r);
    } else {
      if (f.status == FrameStatus::truncated) {
        for (const auto& r : dispatcher.frame_error(f.status, 0)) check_reply(r);
      }
      break;
    }
  }
  for (const auto& r : dispatcher.policy_maybe_changed()) check_reply(r);
  return 0;
}

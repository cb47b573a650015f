// The dispatcher driven directly (no transport): every request shape, every
// error, and the draft never echoed in an error.
#include <catch2/catch.hpp>

#include "host/dispatcher.h"
#include "host/protocol.h"
#include "host_test_support.h"

using namespace postguard::host;
using host_test::json;

namespace {

CallerVerdict allowed() {
  CallerVerdict v;
  v.allowed = true;
  return v;
}

struct Fixture {
  host_test::TempDir root;
  std::unique_ptr<PolicySources> sources;
  std::unique_ptr<EffectivePolicy> policy;
  std::unique_ptr<Dispatcher> dispatcher;

  explicit Fixture(CallerVerdict caller = allowed(), size_t max_reply = kMaxOutgoingMessageBytes) {
    host_test::write_tarka_root(root.path());
    sources = directory_policy_sources(root.str(), true);
    policy = std::make_unique<EffectivePolicy>(*sources);
    dispatcher = std::make_unique<Dispatcher>(*policy, std::move(caller), max_reply);
  }

  // A second dispatcher over the same files, as a new host process would be.
  struct Dispatcher2 {
    EffectivePolicy policy;
    Dispatcher d;
    explicit Dispatcher2(Fixture& f) : policy(*f.sources), d(policy, allowed()) {}
  };

  // The single reply to `message`, parsed.
  json one(std::string_view message) {
    const auto replies = dispatcher->handle(message);
    REQUIRE(replies.size() == 1);
    return json::parse(replies[0]);
  }
};

void require_error(const json& r, HostError code) {
  CHECK(r["type"] == "error");
  CHECK(r["code"] == static_cast<int>(code));
  CHECK(r["message"].is_string());
  CHECK_FALSE(r["message"].get<std::string>().empty());
}

}  // namespace

TEST_CASE("hello reports protocol and product versions and echoes id", "[dispatcher]") {
  Fixture f;
  auto r = f.one(R"({"type":"hello","id":7})");
  CHECK(r["type"] == "hello");
  CHECK(r["id"] == 7);
  CHECK(r["protocol"] == kProtocolVersion);
  CHECK(r["version"] == postguard::version());
  CHECK(r["limits"]["maxReplyBytes"] == kMaxOutgoingMessageBytes);
  CHECK(f.one(R"({"type":"hello","id":"abc"})")["id"] == "abc");
  CHECK(f.one(R"({"type":"hello"})")["id"].is_null());
}

TEST_CASE("malformed messages get numbered errors", "[dispatcher]") {
  Fixture f;
  require_error(f.one(""), HostError::frame_empty);
  require_error(f.one("{\"type\":\"hello\",\"x\":\"\xC3\"}"), HostError::message_not_utf8);
  require_error(f.one("{\"type\":"), HostError::message_not_json);
  require_error(f.one("[1,2,3]"), HostError::bad_request);
  require_error(f.one("\"hello\""), HostError::bad_request);
  require_error(f.one("null"), HostError::bad_request);
  require_error(f.one(R"({"id":1})"), HostError::bad_request);
  require_error(f.one(R"({"type":5,"id":1})"), HostError::bad_request);
  require_error(f.one(R"({"type":"hello","id":{"a":1}})"), HostError::bad_request);
  require_error(f.one(R"({"type":"hello","id":")" + std::string(300, 'x') + "\"}"), HostError::bad_request);
  require_error(f.one(R"({"type":"check","id":1})"), HostError::bad_request);
  require_error(f.one(R"({"type":"check","id":1,"text":5})"), HostError::bad_request);
  require_error(f.one(R"({"type":"check","id":1,"text":"x","context":[]})"), HostError::bad_request);
  require_error(f.one(R"({"type":"check","id":1,"text":"x","context":{"images":-1}})"), HostError::bad_request);
  require_error(f.one(R"({"type":"check","id":1,"text":"x","context":{"site":3}})"), HostError::bad_request);
  auto unknown = f.one(R"({"type":"launchMissiles","id":9})");
  require_error(unknown, HostError::unknown_type);
  CHECK(unknown["id"] == 9);
  // ...and it keeps serving.
  CHECK(f.one(R"({"type":"hello","id":10})")["type"] == "hello");
}

TEST_CASE("an error reply never quotes the draft", "[dispatcher]") {
  Fixture f;
  const std::string secret = "Mrs Jones said the Year 6 SATS results are terrible";
  // Broken JSON right after the draft: a parser message would quote it.
  auto r = f.one(R"({"type":"check","id":1,"text":")" + secret + "\" oops}");
  require_error(r, HostError::message_not_json);
  CHECK(r.dump().find("SATS") == std::string::npos);
  auto bad_ctx = f.one(R"({"type":"check","id":2,"text":")" + secret + R"(","context":{"surface":"carrier pigeon"}})");
  CHECK(bad_ctx["type"] == "error");
  CHECK(bad_ctx["code"] == 30);  // the core's context_invalid passes through
  CHECK(bad_ctx.dump().find("SATS") == std::string::npos);
}

TEST_CASE("getPolicy returns the sources in merge order, the school, provenance and problems", "[dispatcher]") {
  Fixture f;
  auto r = f.one(R"({"type":"getPolicy","id":"p"})");
  CHECK(r["type"] == "policy");
  CHECK(r["id"] == "p");
  CHECK(r["school"] == "bideford-road");
  CHECK(r["basis"] == "allFiles");
  CHECK(r["revision"] == 1);
  REQUIRE(r["sources"].size() == 2);
  CHECK(r["sources"][0]["name"].get<std::string>().find("policy.json") != std::string::npos);
  CHECK(r["sources"][1]["name"].get<std::string>().find("10-school.json") != std::string::npos);
  CHECK(r["sources"][0]["json"] == host_test::corpus_bundle("tarka"));
  CHECK(r["explain"]["school"]["value"] == "bideford-road");
  CHECK(r["problems"].empty());
}

TEST_CASE("getPolicy's explain is the core's explanation, and the compiled policy is not kept for it",
          "[dispatcher][memory]") {
  Fixture f;
  auto r = f.one(R"({"type":"getPolicy","id":1})");
  // Nothing but check needs the compiled form; a host serving getPolicy all day drops it.
  CHECK_FALSE(f.policy->holds_compiled());
  auto compiled = f.policy->compiled();
  REQUIRE(compiled);
  CHECK(r["explain"] == json::parse(compiled.value()->explain_json()));
  f.policy->release_compiled();

  // A check compiles it again (same sources, same findings) and keeps it from then on.
  auto c = f.one(R"({"type":"check","id":2,"text":"Loving the sports day at Bideford Road!"})");
  CHECK(c["type"] == "findings");
  CHECK_FALSE(c["findings"].empty());
  CHECK(f.policy->holds_compiled());
  CHECK(f.one(R"({"type":"getPolicy","id":3})")["school"] == "bideford-road");
  CHECK(f.policy->holds_compiled());
  CHECK(f.policy->current().revision == 1);  // nothing was re-read as a change
}

TEST_CASE("check runs the native engine with the machine's school", "[dispatcher]") {
  Fixture f;
  auto r = f.one(R"({"type":"check","id":3,"text":"Loving the sports day at Bideford Road!","context":{"site":"x.com"}})");
  CHECK(r["type"] == "findings");
  CHECK(r["id"] == 3);
  REQUIRE(r["findings"].is_array());
  bool disclaimer = false;
  for (const auto& x : r["findings"]) disclaimer = disclaimer || x["category"] == "disclaimer";
  CHECK(disclaimer);
  CHECK(f.one(R"({"type":"check","id":4,"text":"Nice weather today."})")["findings"].empty());
}

TEST_CASE("a caller not in the manifest gets a clear error for every request", "[dispatcher]") {
  CallerVerdict no;
  no.allowed = false;
  no.message = "extension origin chrome-extension://x/ is not in allowed_origins";
  Fixture f(no);
  for (const char* m : {R"({"type":"hello","id":1})", R"({"type":"getPolicy","id":2})"}) {
    auto r = f.one(m);
    require_error(r, HostError::caller_not_allowed);
    CHECK(r["message"].get<std::string>().find("allowed_origins") != std::string::npos);
  }
}

TEST_CASE("subscribe, then an edit to a policy file pushes policyChanged", "[dispatcher]") {
  Fixture f;
  CHECK(f.dispatcher->policy_maybe_changed().empty());  // nobody subscribed
  auto s = f.one(R"({"type":"subscribe","id":"sub"})");
  CHECK(s["type"] == "subscribed");
  CHECK(s["revision"] == 1);
  CHECK(f.dispatcher->subscribed());
  CHECK(f.dispatcher->policy_maybe_changed().empty());  // nothing changed yet

  host_test::write_tarka_root(f.root.path(), "torridge-vale");
  auto pushed = f.dispatcher->policy_maybe_changed();
  REQUIRE(pushed.size() == 1);
  auto p = json::parse(pushed[0]);
  CHECK(p["type"] == "policyChanged");
  CHECK(p["id"] == "sub");
  CHECK(p["revision"] == 2);
  CHECK(p["school"] == "torridge-vale");
  CHECK(f.one(R"({"type":"getPolicy","id":1})")["school"] == "torridge-vale");

  CHECK(f.one(R"({"type":"unsubscribe","id":2})")["type"] == "unsubscribed");
  host_test::write_tarka_root(f.root.path(), "bideford-road");
  CHECK(f.dispatcher->policy_maybe_changed().empty());
}

TEST_CASE("a broken edit keeps the last valid policy and says so", "[dispatcher]") {
  Fixture f;
  f.one(R"({"type":"subscribe","id":1})");
  host_test::write_file(f.root.path() / "policy.d" / "10-school.json", "{\"format\": \"postguard/1\", ");
  auto pushed = f.dispatcher->policy_maybe_changed();
  REQUIRE(pushed.size() == 1);
  auto p = json::parse(pushed[0]);
  CHECK(p["basis"] == "lastValid");
  CHECK(p["school"] == "bideford-road");
  REQUIRE(p["problems"].size() == 1);
  CHECK(p["problems"][0]["code"] == 20);  // the core's policy_parse
  CHECK(p["problems"][0]["file"].get<std::string>().find("10-school.json") != std::string::npos);
  auto g = f.one(R"({"type":"getPolicy","id":2})");
  CHECK(g["sources"].size() == 2);
  CHECK(g["sources"][1]["json"].get<std::string>().find("bideford-road") != std::string::npos);
}

TEST_CASE("a policy too big for one message comes back in chunks", "[dispatcher][chunk]") {
  Fixture f;
  // A 1 MB overlay of extra phrases: a big trust's realistic worst case.
  json overlay = {{"format", "postguard/1"}, {"phrases", {{"confidential_terms", json::array()}}}};
  size_t bytes = 0;
  for (int i = 0; bytes < 1024 * 1024; ++i) {
    std::string term = "Project Codename " + std::to_string(i);
    bytes += term.size() + 3;
    overlay["phrases"]["confidential_terms"].push_back(std::move(term));
  }
  host_test::write_file(f.root.path() / "policy.d" / "20-big.json", overlay.dump());
  const auto replies = f.dispatcher->handle(R"({"type":"getPolicy","id":5})");
  REQUIRE(replies.size() > 1);
  std::string joined;
  for (size_t i = 0; i < replies.size(); ++i) {
    CHECK(replies[i].size() <= kMaxOutgoingMessageBytes);
    auto c = json::parse(replies[i]);
    CHECK(c["type"] == "chunk");
    CHECK(c["id"] == 5);
    CHECK(c["part"] == i);
    joined += c["data"].get<std::string>();
  }
  auto full = json::parse(joined);
  CHECK(full["type"] == "policy");
  CHECK(full["basis"] == "allFiles");
  CHECK(full["sources"].size() == 3);
}

TEST_CASE("getPolicy with ifNoneMatch answers notModified without compiling", "[dispatcher][etag]") {
  Fixture f;
  auto full = f.one(R"({"type":"getPolicy","id":1})");
  REQUIRE(full["etag"].is_string());
  const std::string etag = full["etag"];

  // A fresh host process (new dispatcher, same files) recognises the etag.
  Fixture::Dispatcher2 fresh(f);
  auto nm = json::parse(fresh.d.handle(R"({"type":"getPolicy","id":2,"ifNoneMatch":")" + etag + "\"}")[0]);
  CHECK(nm["type"] == "notModified");
  CHECK(nm["id"] == 2);
  CHECK(nm["etag"] == etag);
  CHECK(fresh.policy.loaded_revision() == 0);  // nothing was compiled

  host_test::write_tarka_root(f.root.path(), "torridge-vale");
  auto changed = f.one(R"({"type":"getPolicy","id":3,"ifNoneMatch":")" + etag + "\"}");
  CHECK(changed["type"] == "policy");
  CHECK(changed["school"] == "torridge-vale");
  CHECK(changed["etag"] != etag);
  require_error(f.one(R"({"type":"getPolicy","id":4,"ifNoneMatch":5})"), HostError::bad_request);

  SECTION("no etag while there are problems: the outcome depends on history") {
    host_test::write_file(f.root.path() / "policy.d" / "20-bad.json", "{");
    auto bad = f.one(R"({"type":"getPolicy","id":5})");
    CHECK_FALSE(bad.contains("etag"));
    CHECK(f.one(R"({"type":"getPolicy","id":6,"ifNoneMatch":""})")["type"] == "policy");
  }
}

TEST_CASE("a burst of 10,000 framed messages through framing + dispatcher in-process", "[dispatcher][burst]") {
  Fixture f;
  std::string stream;
  for (int i = 0; i < 10000; ++i) {
    const std::string m = i % 3 == 0   ? R"({"type":"hello","id":)" + std::to_string(i) + "}"
                          : i % 3 == 1 ? R"({"type":"check","id":)" + std::to_string(i) + R"(,"text":"TLP pay freeze"})"
                                       : std::string("\xFF");
    stream += encode_frame(m);
  }
  MemorySource src(stream);
  FrameReader reader(src);
  int answered = 0, errors = 0;
  for (;;) {
    Frame fr = reader.next();
    if (fr.status != FrameStatus::message) {
      CHECK(fr.status == FrameStatus::end_of_stream);
      break;
    }
    for (const auto& r : f.dispatcher->handle(fr.payload)) {
      ++answered;
      errors += json::parse(r)["type"] == "error";
    }
  }
  CHECK(answered == 10000);
  CHECK(errors == 3333);
}

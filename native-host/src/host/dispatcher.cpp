#include "host/dispatcher.h"

#include <nlohmann/json.hpp>

#include "host/protocol.h"
#include "host/reply_chunker.h"

#ifndef POSTGUARD_VERSION
#define POSTGUARD_VERSION "0.0.0"
#endif

namespace postguard::host {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// Longest string id echoed back; ids are correlation tokens, and a bounded id
// keeps every reply header (and each chunk's) small.
constexpr size_t kMaxIdBytes = 256;

const char* platform_name() {
#if defined(_WIN32)
  return "windows";
#elif defined(__APPLE__)
  return "macos";
#else
  return "linux";
#endif
}

// Never throws on bad UTF-8 (a file name in Latin-1, say): such bytes become U+FFFD.
std::string dump(const ordered_json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

ordered_json error_object(const Error& e) {
  ordered_json j;
  j["code"] = static_cast<int>(e.code);
  j["message"] = e.message;
  if (!e.file.empty()) j["file"] = e.file;
  if (!e.pointer.empty()) j["pointer"] = e.pointer;
  return j;
}

ordered_json problems_array(const std::vector<Error>& problems) {
  ordered_json a = ordered_json::array();
  for (const auto& p : problems) a.push_back(error_object(p));
  return a;
}

// A request that failed: what the browser gets back. `id` is JSON (null when
// the request could not be read far enough to find one).
struct Failure {
  int code;
  std::string message;
  std::string file;
  std::string pointer;
};

std::string error_reply(const ordered_json& id, const Failure& f) {
  ordered_json j;
  j["type"] = "error";
  j["id"] = id;
  j["code"] = f.code;
  j["message"] = f.message;
  if (!f.file.empty()) j["file"] = f.file;
  if (!f.pointer.empty()) j["pointer"] = f.pointer;
  return dump(j);
}

Failure host_failure(HostError code, std::string message) { return {static_cast<int>(code), std::move(message), {}, {}}; }
Failure core_failure(const Error& e) { return {static_cast<int>(e.code), e.message, e.file, e.pointer}; }

// Reads an optional string field; false when present with the wrong type.
bool optional_string(const json& obj, const char* key, std::string& out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return true;
  if (!it->is_string()) return false;
  out = it->get<std::string>();
  return true;
}

// `object_json` (a dumped object) with `"key":raw_json` appended.
std::string append_raw_member(std::string object_json, std::string_view key, std::string_view raw_json) {
  object_json.pop_back();  // the closing brace
  object_json += ",\"";
  object_json += key;
  object_json += "\":";
  object_json += raw_json;
  object_json += '}';
  return object_json;
}

}  // namespace

Dispatcher::Dispatcher(EffectivePolicy& policy, CallerVerdict caller, size_t max_reply_bytes)
    : policy_(policy), caller_(std::move(caller)), max_reply_bytes_(max_reply_bytes) {}

std::vector<std::string> Dispatcher::handle(std::string_view message) noexcept {
  CollectingReplySink sink;
  handle(message, sink);
  return std::move(sink.messages);
}

void Dispatcher::handle(std::string_view message, ReplySink& out) noexcept {
  try {
    dispatch(message, out);
    return;
  } catch (const std::exception&) {
    // The exception text may quote the draft, so it is not passed on. (A
    // reply is only sent once it is complete, so nothing half-sent precedes
    // this, except after a failure to allocate mid-way through chunks.)
    try {
      out.send(error_reply(nullptr, {static_cast<int>(ErrorCode::internal), "internal error while handling the message", {}, {}}));
      return;
    } catch (...) {
    }
  } catch (...) {
  }
  out.send(R"({"type":"error","id":null,"code":90,"message":"internal error"})");
}

void Dispatcher::release_compiled_unless_checking() {
  if (!checking_) policy_.release_compiled();
}

std::vector<std::string> Dispatcher::frame_error(FrameStatus status, uint32_t declared_length) noexcept {
  try {
    if (status == FrameStatus::too_large) {
      return {error_reply(nullptr, host_failure(HostError::frame_too_large,
                                                "message of " + std::to_string(declared_length) +
                                                    " bytes is over the " + std::to_string(kMaxIncomingMessageBytes) +
                                                    "-byte limit; it was skipped"))};
    }
    return {error_reply(nullptr, host_failure(HostError::frame_truncated,
                                              "the input ended inside a message; the host is exiting"))};
  } catch (...) {
    return {R"({"type":"error","id":null,"code":90,"message":"internal error"})"};
  }
}

void Dispatcher::dispatch(std::string_view message, ReplySink& out) {
  const ordered_json null_id = nullptr;
  auto send = [&](const std::string& text) { out.send(text); };
  if (message.empty()) return send(error_reply(null_id, host_failure(HostError::frame_empty, "empty message (length 0)")));
  if (auto bad = find_invalid_utf8(message)) {
    return send(error_reply(null_id, host_failure(HostError::message_not_utf8,
                                                  "the message is not UTF-8 (at byte " + std::to_string(*bad) + ")")));
  }
  json req = json::parse(message, nullptr, false);
  if (req.is_discarded()) {
    // Only the position: the parser's own message quotes the input, which may be a draft.
    size_t at = 0;
    try {
      [[maybe_unused]] const json reparsed = json::parse(message);
    } catch (const json::parse_error& e) {
      at = e.byte;
    }
    return send(error_reply(null_id, host_failure(HostError::message_not_json,
                                                  "the message is not JSON (error at byte " + std::to_string(at) + ")")));
  }
  if (!req.is_object()) {
    return send(error_reply(null_id, host_failure(HostError::bad_request, "a request is a JSON object with a \"type\"")));
  }

  ordered_json id = nullptr;
  if (auto it = req.find("id"); it != req.end()) {
    const bool ok = it->is_null() || it->is_number() || (it->is_string() && it->get_ref<const std::string&>().size() <= kMaxIdBytes);
    if (!ok) {
      return send(error_reply(null_id, host_failure(HostError::bad_request,
                                                    "\"id\" must be a number or a string of at most 256 bytes")));
    }
    id = *it;
  }
  const std::string id_json = dump(id);
  auto reply_text = [&](const std::string& text) { send_reply(out, text, id_json, max_reply_bytes_); };
  auto reply = [&](const ordered_json& body) { reply_text(dump(body)); };
  auto fail = [&](const Failure& f) { send(error_reply(id, f)); };

  auto type_it = req.find("type");
  if (type_it == req.end() || !type_it->is_string()) {
    return fail(host_failure(HostError::bad_request, "a request needs \"type\" (a string)"));
  }
  const std::string type = type_it->get<std::string>();
  if (!caller_.allowed) return fail(host_failure(HostError::caller_not_allowed, caller_.message));

  auto header = [&](const char* reply_type) {
    ordered_json j;
    j["type"] = reply_type;
    j["id"] = id;
    return j;
  };

  if (type == "hello") {
    ordered_json j = header("hello");
    j["protocol"] = kProtocolVersion;
    j["product"] = "PostGuard";
    j["version"] = POSTGUARD_VERSION;
    j["host"] = kHostName;
    j["platform"] = platform_name();
    j["limits"] = {{"maxMessageBytes", kMaxIncomingMessageBytes}, {"maxReplyBytes", max_reply_bytes_}};
    return reply(j);
  }

  if (type == "getPolicy") {
    std::string if_none_match;
    if (!optional_string(req, "ifNoneMatch", if_none_match)) {
      return fail(host_failure(HostError::bad_request, "\"ifNoneMatch\" is the etag of a policy reply (a string)"));
    }
    if (policy_.matches(if_none_match)) {
      ordered_json j = header("notModified");
      j["etag"] = if_none_match;
      return reply(j);
    }
    policy_.refresh();  // a long-lived port sees edits even without subscribing
    auto compiled = policy_.compiled();
    const PolicySnapshot& s = policy_.current();
    if (!compiled) return fail(core_failure(s.problems.empty() ? compiled.error() : s.problems.back()));
    ordered_json j = header("policy");
    j["revision"] = s.revision;
    j["school"] = s.school;
    j["basis"] = to_string(s.basis);
    j["location"] = s.location;
    if (!s.etag.empty()) j["etag"] = s.etag;
    j["problems"] = problems_array(s.problems);
    // The big members go straight into the reply, with no DOM and no whole
    // copy: the sources' text (escaped a block at a time) and the
    // explanation (compact JSON, in pieces). Written twice over one merge:
    // measured, then sent chunk by chunk (ReplyStream).
    std::string head = dump(j);
    head.pop_back();  // the closing brace
    ReplyStream stream(out, id_json, max_reply_bytes_);
    auto write_head = [&] {
      stream.write(head);
      stream.write(",\"sources\":[");
      for (size_t i = 0; i < s.sources.size(); ++i) {
        stream.write(i ? ",{\"name\":" : "{\"name\":");
        stream.write(dump(s.sources[i].name));
        stream.write(",\"json\":");
        stream.write_string(s.sources[i].json);  // in force means it compiled: valid UTF-8
        stream.write("}");
      }
      stream.write("],\"explain\":");
    };
    write_head();
    int writing = 0;
    compiled.value()->write_explain_json(
        [&](int pass, std::string_view piece) {
          if (pass != writing) {  // the measuring pass is over
            stream.write("}");
            stream.start_sending();
            write_head();
            writing = pass;
          }
          stream.write(piece);
        },
        -1, 2);
    stream.write("}");
    const bool sent = stream.finish();
    compiled.value().reset();  // the snapshot's reference is then the last one
    release_compiled_unless_checking();
    // Only a bug (the passes differed) or a browser that went away gets here;
    // the error tells the former's client not to wait for more chunks.
    if (!sent) fail({static_cast<int>(ErrorCode::internal), "the policy reply could not be sent whole", {}, {}});
    return;
  }

  if (type == "check") {
    auto text = req.find("text");
    if (text == req.end() || !text->is_string()) {
      return fail(host_failure(HostError::bad_request, "check needs \"text\" (a string)"));
    }
    checking_ = true;
    auto compiled = policy_.compiled();
    const PolicySnapshot& s = policy_.current();
    if (!compiled) return fail(core_failure(s.problems.empty() ? compiled.error() : s.problems.back()));
    const Policy& policy = *compiled.value();
    Context ctx;
    ctx.school = s.school;
    if (auto c = req.find("context"); c != req.end() && !c->is_null()) {
      if (!c->is_object()) return fail(host_failure(HostError::bad_request, "\"context\" must be an object"));
      const bool strings_ok = optional_string(*c, "school", ctx.school) && optional_string(*c, "site", ctx.site) &&
                              optional_string(*c, "surface", ctx.surface) &&
                              optional_string(*c, "account", ctx.account) && optional_string(*c, "time", ctx.time);
      if (!strings_ok) {
        return fail(host_failure(HostError::bad_request, "context school, site, surface, account and time are strings"));
      }
      if (auto im = c->find("images"); im != c->end() && !im->is_null()) {
        if (!im->is_number_integer() || im->get<long long>() < 0 || im->get<long long>() > 1000000) {
          return fail(host_failure(HostError::bad_request, "context images is a count (0 or more)"));
        }
        ctx.images = static_cast<int>(im->get<long long>());
      }
    }
    auto findings = check(policy, text->get_ref<const std::string&>(), ctx);
    if (!findings) return fail(core_failure(findings.error()));
    ordered_json j = header("findings");
    j["revision"] = s.revision;
    return reply_text(append_raw_member(dump(j), "findings", findings_to_json(findings.value())));
  }

  if (type == "subscribe") {
    subscribed_ = true;
    subscribe_id_ = id_json;
    ordered_json j = header("subscribed");
    j["revision"] = policy_.current().revision;
    return reply(j);
  }

  if (type == "unsubscribe") {
    subscribed_ = false;
    return reply(header("unsubscribed"));
  }

  return fail(host_failure(HostError::unknown_type,
                           "unknown type \"" + type.substr(0, 64) +
                               "\"; this host knows hello, getPolicy, check, subscribe, unsubscribe"));
}

std::vector<std::string> Dispatcher::policy_maybe_changed() noexcept {
  try {
    if (!subscribed_ || !policy_.refresh()) return {};
    // The compiled policy stays until the getPolicy this push prompts has
    // described it (releasing it now would compile the files twice).
    const PolicySnapshot& s = policy_.current();
    ordered_json j;
    j["type"] = "policyChanged";
    j["id"] = ordered_json::parse(subscribe_id_);
    j["revision"] = s.revision;
    j["school"] = s.school;
    j["basis"] = to_string(s.basis);
    j["problems"] = problems_array(s.problems);
    return chunk_reply(dump(j), subscribe_id_, max_reply_bytes_);
  } catch (...) {
    return {};
  }
}

}  // namespace postguard::host

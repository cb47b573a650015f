// The framing unit on in-memory bytes: every way a frame can be wrong.
#include <catch2/catch.hpp>

#include <cstring>

#include <nlohmann/json.hpp>

#include "host/framing.h"
#include "host/reply_chunker.h"

using namespace postguard::host;

namespace {

std::string prefix(uint32_t n) {
  std::string p(4, '\0');
  std::memcpy(p.data(), &n, 4);
  return p;
}

}  // namespace

TEST_CASE("a frame round-trips with a native-endian prefix", "[framing]") {
  const std::string bytes = encode_frame(R"({"type":"hello"})") + encode_frame("{}");
  REQUIRE(bytes.size() == 4 + 16 + 4 + 2);
  MemorySource src(bytes);
  FrameReader r(src);
  auto a = r.next();
  CHECK(a.status == FrameStatus::message);
  CHECK(a.payload == R"({"type":"hello"})");
  auto b = r.next();
  CHECK(b.status == FrameStatus::message);
  CHECK(b.payload == "{}");
  CHECK(r.next().status == FrameStatus::end_of_stream);
}

TEST_CASE("end of stream between frames is clean, inside one is truncation", "[framing]") {
  SECTION("nothing at all") {
    MemorySource src("");
    FrameReader r(src);
    CHECK(r.next().status == FrameStatus::end_of_stream);
  }
  SECTION("a truncated length prefix") {
    const std::string bytes("\x05\x00", 2);
    MemorySource src(bytes);
    FrameReader r(src);
    CHECK(r.next().status == FrameStatus::truncated);
  }
  SECTION("a truncated body") {
    const std::string bytes = prefix(10) + "{\"a\":";
    MemorySource src(bytes);
    FrameReader r(src);
    CHECK(r.next().status == FrameStatus::truncated);
  }
}

TEST_CASE("zero length is a message with an empty payload", "[framing]") {
  const std::string bytes = prefix(0) + encode_frame("{}");
  MemorySource src(bytes);
  FrameReader r(src);
  auto f = r.next();
  CHECK(f.status == FrameStatus::message);
  CHECK(f.payload.empty());
  CHECK(r.next().payload == "{}");
}

TEST_CASE("a length over the cap is refused before allocating, then skipped", "[framing]") {
  // A small cap stands in for 64 MiB: the body is skipped, the next frame read.
  const std::string bytes = prefix(1000) + std::string(1000, 'x') + encode_frame("{}");
  MemorySource src(bytes);
  FrameReader r(src, 100);
  auto f = r.next();
  CHECK(f.status == FrameStatus::too_large);
  CHECK(f.declared_length == 1000);
  CHECK(f.payload.empty());
  auto g = r.next();
  CHECK(g.status == FrameStatus::message);
  CHECK(g.payload == "{}");

  SECTION("4 GiB declared and the stream ends: truncated, nothing allocated") {
    const std::string huge = prefix(0xFFFFFFFFu) + "abc";
    MemorySource s2(huge);
    FrameReader r2(s2);
    CHECK(r2.next().status == FrameStatus::too_large);
    CHECK(r2.next().status == FrameStatus::truncated);
  }
}

TEST_CASE("the caps are the browsers'", "[framing]") {
  CHECK(kMaxIncomingMessageBytes == 64u * 1024 * 1024);
  CHECK(kMaxOutgoingMessageBytes == 1024u * 1024);
}

namespace {
struct StringSink : ByteSink {
  std::string data;
  bool write_all(std::string_view d) override {
    data.append(d);
    return true;
  }
};
}  // namespace

TEST_CASE("write_frame refuses a payload over the reply cap", "[framing]") {
  StringSink sink;
  CHECK(write_frame(sink, std::string(kMaxOutgoingMessageBytes, 'a')));
  CHECK(sink.data.size() == kMaxOutgoingMessageBytes + 4);
  CHECK_FALSE(write_frame(sink, std::string(kMaxOutgoingMessageBytes + 1, 'a')));
  CHECK(sink.data.size() == kMaxOutgoingMessageBytes + 4);
}

TEST_CASE("UTF-8 validation is strict", "[framing]") {
  CHECK_FALSE(find_invalid_utf8("plain ascii"));
  CHECK_FALSE(find_invalid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));
  CHECK(find_invalid_utf8("ab\xC3") == 2u);              // cut short
  CHECK(find_invalid_utf8("\xC0\xAF") == 0u);            // overlong '/'
  CHECK(find_invalid_utf8("\xE0\x80\xAF") == 0u);        // overlong
  CHECK(find_invalid_utf8("x\xED\xA0\x80") == 1u);       // a UTF-16 surrogate
  CHECK(find_invalid_utf8("\xF4\x90\x80\x80") == 0u);    // over U+10FFFF
  CHECK(find_invalid_utf8("\xFF") == 0u);
  CHECK(find_invalid_utf8("a\x80") == 1u);               // lone continuation byte
}

TEST_CASE("a large reply is chunked under the cap and joins back exactly", "[framing][chunk]") {
  // Quotes, backslashes, control characters and multi-byte characters all
  // grow or must not be split, so the reply is made of them.
  std::string text;
  for (int i = 0; i < 100000; ++i) text += "\"\\\n\x01 caf\xC3\xA9 \xF0\x9F\x98\x80 ";
  const std::string reply = nlohmann::json{{"type", "policy"}, {"id", "abc"}, {"data", text}}.dump();
  REQUIRE(reply.size() > 2 * 1024 * 1024);

  const size_t cap = 100000;  // small cap: many chunks, same code path
  const auto chunks = chunk_reply(reply, "\"abc\"", cap);
  REQUIRE(chunks.size() > 20);
  std::string joined;
  for (size_t i = 0; i < chunks.size(); ++i) {
    CHECK(chunks[i].size() <= cap);
    CHECK_FALSE(find_invalid_utf8(chunks[i]));
    const auto c = nlohmann::json::parse(chunks[i]);
    CHECK(c["type"] == "chunk");
    CHECK(c["id"] == "abc");
    CHECK(c["part"] == i);
    CHECK(c["parts"] == chunks.size());
    joined += c["data"].get<std::string>();
  }
  CHECK(joined == reply);

  SECTION("with the real cap") {
    const auto real = chunk_reply(reply, "\"abc\"");
    std::string again;
    for (const auto& c : real) {
      CHECK(c.size() <= kMaxOutgoingMessageBytes);
      again += nlohmann::json::parse(c)["data"].get<std::string>();
    }
    CHECK(again == reply);
  }
}

TEST_CASE("a reply that fits is passed through untouched", "[framing][chunk]") {
  const auto out = chunk_reply(R"({"type":"hello","id":1})", "1");
  REQUIRE(out.size() == 1);
  CHECK(out[0] == R"({"type":"hello","id":1})");
}

namespace {

// Writes `reply` through a ReplyStream in pieces of `step` bytes (so
// characters and escapes straddle pieces), measured then sent.
std::vector<std::string> streamed(const std::string& reply, size_t step, size_t cap) {
  CollectingReplySink sink;
  ReplyStream stream(sink, "\"abc\"", cap);
  for (int pass = 0; pass < 2; ++pass) {
    if (pass == 1) stream.start_sending();
    for (size_t i = 0; i < reply.size(); i += step) stream.write(std::string_view(reply).substr(i, step));
  }
  CHECK(stream.finish());
  return sink.messages;
}

}  // namespace

TEST_CASE("a streamed reply is sent as exactly the chunks of the whole reply", "[framing][chunk][stream]") {
  std::string text;
  for (int i = 0; i < 45000; ++i) text += "\"\\\n\x01 caf\xC3\xA9 \xF0\x9F\x98\x80 ";
  const std::string reply = nlohmann::json{{"type", "policy"}, {"id", "abc"}, {"data", text}}.dump();
  for (const size_t step : {size_t{1}, size_t{7}, size_t{4096}, reply.size()}) {
    for (const size_t cap : {size_t{5000}, size_t{100000}, size_t{kMaxOutgoingMessageBytes}}) {
      CAPTURE(step, cap);
      const auto expected = chunk_reply(reply, "\"abc\"", cap);
      REQUIRE(expected.size() > 1);
      CHECK(streamed(reply, step, cap) == expected);
    }
  }
  // Small enough for one message: sent whole, as send_reply would.
  CHECK(streamed(R"({"type":"hello","id":1})", 3, kMaxOutgoingMessageBytes) ==
        std::vector<std::string>{R"({"type":"hello","id":1})"});
}

TEST_CASE("a streamed reply whose passes differ is refused", "[framing][chunk][stream]") {
  CollectingReplySink sink;
  ReplyStream stream(sink, "1", 1000);
  stream.write(std::string(5000, 'a'));
  stream.start_sending();
  stream.write(std::string(4000, 'a'));
  CHECK_FALSE(stream.finish());
}

TEST_CASE("write_string escapes a text as one JSON string", "[framing][stream]") {
  std::string text(200000, 'x');
  text[70000] = '"';
  text[140000] = '\n';
  const std::string reply = "{\"t\":" + nlohmann::json(text).dump() + "}";
  CollectingReplySink sink;
  ReplyStream stream(sink, "1", 50000);
  for (int pass = 0; pass < 2; ++pass) {
    if (pass == 1) stream.start_sending();
    stream.write("{\"t\":");
    stream.write_string(text);
    stream.write("}");
  }
  REQUIRE(stream.finish());
  CHECK(sink.messages == chunk_reply(reply, "1", 50000));
}

// Keeps every host->browser message under the browser's 1 MiB cap: a reply
// that would be larger (a big policy, many findings) goes out as numbered
// `chunk` messages whose `data` strings, joined in order, are the reply's
// JSON text (docs/protocol.md "Chunked replies"). Chunks are made one at a
// time as they are sent, so a large reply is never held twice over.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "host/framing.h"

namespace postguard::host {

// Where replies go: one complete message (within the cap) per call.
class ReplySink {
 public:
  virtual ~ReplySink() = default;
  // False when the message could not be sent (the browser has gone).
  virtual bool send(std::string_view message) = 0;
};

// Each message as a frame on `out` (the host's stdout). After one failed
// write it sends nothing more.
class FrameReplySink final : public ReplySink {
 public:
  explicit FrameReplySink(ByteSink& out) : out_(out) {}
  bool send(std::string_view message) override {
    ok_ = ok_ && write_frame(out_, message);
    ++count_;
    return ok_;
  }
  bool ok() const { return ok_; }
  size_t count() const { return count_; }  // messages sent (or tried)

 private:
  ByteSink& out_;
  bool ok_ = true;
  size_t count_ = 0;
};

// Keeps the messages (tests, the fuzzer, the pushes the loop sends later).
class CollectingReplySink final : public ReplySink {
 public:
  bool send(std::string_view message) override {
    messages.emplace_back(message);
    return true;
  }
  std::vector<std::string> messages;
};

// `reply` is one complete JSON message (valid UTF-8). `id_json` is the
// request's id as JSON text ("null", "7", "\"a\""), at most a few hundred bytes.
// Sends `reply` alone when it fits, otherwise its chunk messages, each made
// just before it is sent. False when `out` refused a message.
bool send_reply(ReplySink& out, std::string_view reply, std::string_view id_json,
                size_t max_bytes = kMaxOutgoingMessageBytes);

// The messages send_reply would send, collected.
std::vector<std::string> chunk_reply(std::string_view reply, std::string_view id_json,
                                     size_t max_bytes = kMaxOutgoingMessageBytes);

// A reply too large to hold comfortably (getPolicy of a big policy), written
// twice in the same pieces: a first pass only measures it (its size, and so
// how many chunks), the second sends it chunk by chunk as the pieces come.
// Memory: one chunk. The two passes must write the same bytes.
class ReplyStream {
 public:
  ReplyStream(ReplySink& out, std::string_view id_json, size_t max_bytes = kMaxOutgoingMessageBytes);
  // Raw JSON text of the reply (valid UTF-8; a sequence may span pieces).
  void write(std::string_view piece);
  // `text` as a JSON string, quotes included.
  void write_string(std::string_view text);
  // Ends the measuring pass; what is written from now on is sent.
  void start_sending();
  // Ends the sending pass: sends what is left. False when `out` refused a
  // message or the passes differed (a bug: the reply cannot be trusted).
  bool finish();

 private:
  void flush_chunk();

  ReplySink& out_;
  std::string head_;  // {"type":"chunk","id":...,"part":
  size_t max_bytes_;
  size_t budget_;
  bool sending_ = false;
  bool ok_ = true;
  // Measured in the first pass, checked in the second.
  size_t total_ = 0, measured_total_ = 0;
  size_t parts_ = 1, measured_parts_ = 0;
  size_t cost_ = 0;   // escaped bytes in the current chunk
  size_t part_ = 0;   // chunk being filled (second pass)
  std::string message_;  // the chunk being filled, or the whole reply when it fits
};

// `text` as the inside of a JSON string (no quotes added).
void append_json_escaped(std::string& out, std::string_view text);

}  // namespace postguard::host

// Native messaging framing: a 4-byte length in native byte order, then that
// many bytes of UTF-8 JSON. Bytes only — JSON is the dispatcher's business —
// so this unit also builds for Windows without the core or a JSON library.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace postguard::host {

// Browsers refuse host->browser messages over 1 MiB and send at most 64 MiB
// (DESIGN.md). The incoming cap is checked before anything is allocated.
inline constexpr uint32_t kMaxIncomingMessageBytes = 64u * 1024u * 1024u;
inline constexpr uint32_t kMaxOutgoingMessageBytes = 1024u * 1024u;

// Where frames come from. A tiny interface so tests and the fuzzer feed
// in-memory bytes and the host feeds stdin.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Up to `n` bytes into `buf`: the count read, 0 at end of stream, -1 on error.
  virtual long read_some(char* buf, size_t n) = 0;
};

class ByteSink {
 public:
  virtual ~ByteSink() = default;
  // All of `data`, or false (e.g. the browser closed the pipe).
  virtual bool write_all(std::string_view data) = 0;
};

// stdin/stdout of the host: a POSIX fd, or a Windows HANDLE given as intptr_t.
class FileSource final : public ByteSource {
 public:
  explicit FileSource(intptr_t handle) : handle_(handle) {}
  long read_some(char* buf, size_t n) override;

 private:
  intptr_t handle_;
};

class FileSink final : public ByteSink {
 public:
  explicit FileSink(intptr_t handle) : handle_(handle) {}
  bool write_all(std::string_view data) override;

 private:
  intptr_t handle_;
};

// A whole buffer as a source (tests, fuzzing).
class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::string_view bytes) : bytes_(bytes) {}
  long read_some(char* buf, size_t n) override;

 private:
  std::string_view bytes_;
  size_t pos_ = 0;
};

enum class FrameStatus {
  message,           // `payload` holds one message (maybe empty: zero length)
  end_of_stream,     // clean end between frames: the browser hung up
  truncated,         // the stream ended inside a length prefix or a body
  too_large,         // declared length over the cap; the body is skipped on the next call
  read_error,
};

struct Frame {
  FrameStatus status = FrameStatus::end_of_stream;
  std::string payload;
  uint32_t declared_length = 0;  // as the prefix said (meaningful for too_large)
};

class FrameReader {
 public:
  explicit FrameReader(ByteSource& source, uint32_t max_bytes = kMaxIncomingMessageBytes)
      : source_(source), max_bytes_(max_bytes) {}

  // The next frame. After `too_large` the caller replies first; the next call
  // then discards the oversized body in small pieces (never allocating it) so
  // the stream stays in step and the host keeps serving.
  Frame next();

 private:
  // Reads exactly n bytes; returns how many arrived before end/error.
  size_t read_exact(char* buf, size_t n, bool& error);
  bool skip(uint64_t n, bool& error);

  ByteSource& source_;
  uint32_t max_bytes_;
  uint64_t pending_skip_ = 0;
};

// The 4-byte native-endian prefix followed by `payload`.
std::string encode_frame(std::string_view payload);

// Writes one frame; refuses (returns false) a payload over `max_bytes`,
// because the browser would drop the whole connection for it.
bool write_frame(ByteSink& sink, std::string_view payload,
                 uint32_t max_bytes = kMaxOutgoingMessageBytes);

// Byte offset of the first invalid UTF-8 sequence (overlong forms, surrogates
// and values over U+10FFFF count as invalid), or nullopt when valid.
std::optional<size_t> find_invalid_utf8(std::string_view bytes);

}  // namespace postguard::host

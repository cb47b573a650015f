#include "host/framing.h"

#include <algorithm>
#include <cstring>

#ifdef _WIN32
#include <windows.h>
#else
#include <cerrno>
#include <unistd.h>
#endif

namespace postguard::host {

long FileSource::read_some(char* buf, size_t n) {
#ifdef _WIN32
  DWORD got = 0;
  const DWORD want = static_cast<DWORD>(std::min<size_t>(n, 1u << 30));
  if (!ReadFile(reinterpret_cast<HANDLE>(handle_), buf, want, &got, nullptr)) {
    // A closed pipe is how the browser says goodbye on Windows.
    return GetLastError() == ERROR_BROKEN_PIPE ? 0 : -1;
  }
  return static_cast<long>(got);
#else
  for (;;) {
    const ssize_t r = ::read(static_cast<int>(handle_), buf, n);
    if (r >= 0) return static_cast<long>(r);
    if (errno != EINTR) return -1;
  }
#endif
}

bool FileSink::write_all(std::string_view data) {
  while (!data.empty()) {
#ifdef _WIN32
    DWORD put = 0;
    const DWORD want = static_cast<DWORD>(std::min<size_t>(data.size(), 1u << 30));
    if (!WriteFile(reinterpret_cast<HANDLE>(handle_), data.data(), want, &put, nullptr)) return false;
    data.remove_prefix(put);
#else
    const ssize_t w = ::write(static_cast<int>(handle_), data.data(), data.size());
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<size_t>(w));
#endif
  }
  return true;
}

long MemorySource::read_some(char* buf, size_t n) {
  const size_t take = std::min(n, bytes_.size() - pos_);
  std::memcpy(buf, bytes_.data() + pos_, take);
  pos_ += take;
  return static_cast<long>(take);
}

size_t FrameReader::read_exact(char* buf, size_t n, bool& error) {
  size_t got = 0;
  while (got < n) {
    const long r = source_.read_some(buf + got, n - got);
    if (r < 0) {
      error = true;
      break;
    }
    if (r == 0) break;
    got += static_cast<size_t>(r);
  }
  return got;
}

bool FrameReader::skip(uint64_t n, bool& error) {
  char scratch[64 * 1024];
  while (n > 0) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(n, sizeof scratch));
    const size_t got = read_exact(scratch, want, error);
    n -= got;
    if (got < want) return false;
  }
  return true;
}

Frame FrameReader::next() {
  Frame f;
  bool error = false;
  if (pending_skip_ > 0) {
    const uint64_t n = pending_skip_;
    pending_skip_ = 0;
    if (!skip(n, error)) {
      f.status = error ? FrameStatus::read_error : FrameStatus::truncated;
      return f;
    }
  }
  char prefix[4];
  const size_t got = read_exact(prefix, 4, error);
  if (error) {
    f.status = FrameStatus::read_error;
    return f;
  }
  if (got == 0) {
    f.status = FrameStatus::end_of_stream;
    return f;
  }
  if (got < 4) {
    f.status = FrameStatus::truncated;
    return f;
  }
  uint32_t length = 0;
  std::memcpy(&length, prefix, 4);  // native byte order, as the browsers write it
  f.declared_length = length;
  if (length > max_bytes_) {
    pending_skip_ = length;
    f.status = FrameStatus::too_large;
    return f;
  }
  f.payload.resize(length);
  const size_t body = read_exact(f.payload.data(), length, error);
  if (error) {
    f.status = FrameStatus::read_error;
  } else if (body < length) {
    f.payload.clear();
    f.status = FrameStatus::truncated;
  } else {
    f.status = FrameStatus::message;
  }
  return f;
}

std::string encode_frame(std::string_view payload) {
  const auto length = static_cast<uint32_t>(payload.size());
  std::string out(4, '\0');
  std::memcpy(out.data(), &length, 4);
  out.append(payload);
  return out;
}

bool write_frame(ByteSink& sink, std::string_view payload, uint32_t max_bytes) {
  if (payload.size() > max_bytes) return false;
  // One write for prefix and body, so a reader never sees a lone prefix.
  return sink.write_all(encode_frame(payload));
}

std::optional<size_t> find_invalid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // overlong
      if (c == 0xED) hi = 0x9F;  // UTF-16 surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;  // overlong
      if (c == 0xF4) hi = 0x8F;  // over U+10FFFF
    } else {
      return i;
    }
    if (i + len > n || p[i + 1] < lo || p[i + 1] > hi) return i;
    for (size_t k = 2; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
    }
    i += len;
  }
  return std::nullopt;
}

}  // namespace postguard::host

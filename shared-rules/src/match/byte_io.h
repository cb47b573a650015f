// Little-endian, 4-byte-aligned sections for the build-time snapshot of the
// baseline automaton (engine/baseline_tables.cpp). Hand-written: the format
// is a handful of fixed-width arrays read in place (no copy, no parse), which
// a serialisation library would not give us in both builds without a copy.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace postguard::match {

class ByteWriter {
 public:
  void u32(uint32_t v) { raw(&v, sizeof v); }
  void u64(uint64_t v) { raw(&v, sizeof v); }
  template <class T>
  void array(const T* data, size_t n) {
    static_assert(std::is_trivially_copyable_v<T>);
    u32(static_cast<uint32_t>(n));
    raw(data, n * sizeof(T));
    while (out_.size() % 4 != 0) out_.push_back('\0');
  }
  void string(std::string_view s) { array(s.data(), s.size()); }
  const std::string& bytes() const { return out_; }

 private:
  void raw(const void* p, size_t n) { out_.append(static_cast<const char*>(p), n); }
  std::string out_;
};

// Reads what ByteWriter wrote; any overrun or misalignment makes ok() false
// and every later read empty, so a damaged snapshot is refused, not trusted.
class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : at_(bytes.data()), end_(bytes.data() + bytes.size()) {}
  bool ok() const { return ok_; }
  bool done() const { return ok_ && at_ == end_; }
  uint32_t u32() { return scalar<uint32_t>(); }
  uint64_t u64() { return scalar<uint64_t>(); }
  // A view of n elements in place; the bytes must outlive it.
  template <class T>
  const T* array(size_t& n) {
    static_assert(std::is_trivially_copyable_v<T>);
    n = u32();
    const size_t bytes = n * sizeof(T), padded = (bytes + 3) / 4 * 4;
    if (!ok_ || static_cast<size_t>(end_ - at_) < padded || reinterpret_cast<uintptr_t>(at_) % alignof(T) != 0) {
      ok_ = false;
      n = 0;
      return nullptr;
    }
    const T* out = reinterpret_cast<const T*>(at_);
    at_ += padded;
    return out;
  }
  std::string_view string() {
    size_t n = 0;
    const char* p = array<char>(n);
    return p ? std::string_view(p, n) : std::string_view();
  }

 private:
  template <class T>
  T scalar() {
    T v{};
    if (!ok_ || static_cast<size_t>(end_ - at_) < sizeof v) {
      ok_ = false;
      return v;
    }
    std::memcpy(&v, at_, sizeof v);
    at_ += sizeof v;
    return v;
  }
  const char* at_;
  const char* end_;
  bool ok_ = true;
};

}  // namespace postguard::match

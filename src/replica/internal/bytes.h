// Little-endian writing and bounds-checked reading of the replica's byte formats
// (docs/replica-format.md). A reader never reads past its input: every Read* returns false
// once the input is short, and the caller turns that into its own error.
//
// Thread safety: one object per thread.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace ncbnet::replica::internal {

class ByteWriter {
 public:
  explicit ByteWriter(std::string& out) : out_(out) {}

  void U8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void U16(std::uint16_t v) { Le(v, 2); }
  void U32(std::uint32_t v) { Le(v, 4); }
  void U64(std::uint64_t v) { Le(v, 8); }
  void I64(std::int64_t v) { Le(static_cast<std::uint64_t>(v), 8); }
  void Bytes(std::string_view b) { out_.append(b); }
  // A string of at most 255 bytes after a one-byte length (the caller bounds it).
  void Short(std::string_view s) {
    U8(static_cast<std::uint8_t>(s.size()));
    Bytes(s);
  }

 private:
  void Le(std::uint64_t v, int n) {
    for (int i = 0; i < n; ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  }
  std::string& out_;
};

class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}

  bool U8(std::uint8_t& v) { return Le(v, 1); }
  bool U16(std::uint16_t& v) { return Le(v, 2); }
  bool U32(std::uint32_t& v) { return Le(v, 4); }
  bool U64(std::uint64_t& v) { return Le(v, 8); }
  bool I64(std::int64_t& v) {
    std::uint64_t u = 0;
    if (!Le(u, 8)) return false;
    v = static_cast<std::int64_t>(u);
    return true;
  }
  bool Bytes(std::size_t n, std::string_view& out) {
    if (in_.size() - pos_ < n) return false;
    out = in_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  bool Short(std::string_view& out) {
    std::uint8_t n = 0;
    return U8(n) && Bytes(n, out);
  }
  std::size_t remaining() const { return in_.size() - pos_; }
  std::size_t position() const { return pos_; }

 private:
  template <typename T>
  bool Le(T& v, int n) {
    if (in_.size() - pos_ < static_cast<std::size_t>(n)) return false;
    std::uint64_t x = 0;
    for (int i = n - 1; i >= 0; --i) {
      x = (x << 8) | static_cast<unsigned char>(in_[pos_ + static_cast<std::size_t>(i)]);
    }
    v = static_cast<T>(x);
    pos_ += static_cast<std::size_t>(n);
    return true;
  }
  std::string_view in_;
  std::size_t pos_ = 0;
};

}  // namespace ncbnet::replica::internal

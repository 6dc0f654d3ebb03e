#pragma once

// Reading schemaless Avro bytes that are not trusted: the primitives both decoders share (the
// one that writes JSON text and the one that fills a Record). Every failure is a Failure with
// the byte offset where the bad value starts.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace oex::avro {

struct Failure
{
  std::size_t offset;
  std::string message;
};

bool valid_utf8(std::string_view s);

class ByteReader
{
public:
  explicit ByteReader(std::string_view data)
    : m_begin(data.data())
    , m_p(data.data())
    , m_end(data.data() + data.size())
  {
  }

  std::size_t offset() const { return static_cast<std::size_t>(m_p - m_begin); }
  std::size_t left() const { return static_cast<std::size_t>(m_end - m_p); }

  [[noreturn]] void fail(std::size_t at, std::string message) const { throw Failure{at, std::move(message)}; }

  void need(std::size_t n) const
  {
    if (left() < n) [[unlikely]] {
      fail_need(n);
    }
  }

  // A zig-zag varint of at most 10 bytes.
  std::int64_t read_long()
  {
    // the common case: one byte
    if (m_p != m_end && !(static_cast<unsigned char>(*m_p) & 0x80)) [[likely]] {
      const auto n = static_cast<std::uint64_t>(static_cast<unsigned char>(*m_p++));
      return static_cast<std::int64_t>(n >> 1) ^ -static_cast<std::int64_t>(n & 1);
    }
    return read_long_slow();
  }

  // A length-prefixed byte string, checked against the bytes left.
  std::string_view read_bytes()
  {
    const std::size_t at = offset();
    const std::int64_t len = read_long();
    if (len < 0 || static_cast<std::uint64_t>(len) > left()) [[unlikely]] {
      fail_length(at, len);
    }
    const std::string_view s(m_p, static_cast<std::size_t>(len));
    m_p += len;
    return s;
  }

  // The next n bytes (need(n) first).
  const char* take(std::size_t n)
  {
    const char* p = m_p;
    m_p += n;
    return p;
  }

private:
  std::int64_t read_long_slow();
  [[noreturn]] void fail_need(std::size_t n) const;
  [[noreturn]] void fail_length(std::size_t at, std::int64_t len) const;

  const char* m_begin;
  const char* m_p;
  const char* m_end;
};

} // namespace oex::avro

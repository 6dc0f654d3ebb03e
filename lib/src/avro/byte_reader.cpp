// The shared primitives of the Avro decoders: UTF-8 validation and the slow paths of reading.

#include "avro/byte_reader.hpp"

namespace oex::avro {

bool valid_utf8(std::string_view s)
{
  std::size_t i = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  while (i < n) {
    // eight ASCII bytes at a time
    while (i + 8 <= n) {
      std::uint64_t word;
      __builtin_memcpy(&word, p + i, 8);
      if (word & 0x8080808080808080ULL) {
        break;
      }
      i += 8;
    }
    if (i >= n) {
      break;
    }
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) {
      return false;
    }
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) {
        return false;
      }
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
      return false;
    }
    i += len;
  }
  return true;
}

std::int64_t ByteReader::read_long_slow()
{
  const std::size_t at = offset();
  std::uint64_t n = 0;
  for (int shift = 0; shift < 70; shift += 7) {
    if (m_p == m_end) {
      fail(offset(), "unexpected end of input in a varint");
    }
    const auto b = static_cast<unsigned char>(*m_p++);
    if (shift == 63 && (b & 0x80)) {
      fail(at, "varint longer than 10 bytes");
    }
    if (shift == 63 && b > 1) {
      fail(at, "varint overflows 64 bits");
    }
    n |= static_cast<std::uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) {
      return static_cast<std::int64_t>(n >> 1) ^ -static_cast<std::int64_t>(n & 1);
    }
  }
  return 0; // not reached: the tenth byte ends the varint or fails
}

void ByteReader::fail_need(std::size_t n) const
{
  fail(offset(), "unexpected end of input (" + std::to_string(n) + (n == 1 ? " byte" : " bytes") + " needed, "
                   + std::to_string(left()) + " left)");
}

void ByteReader::fail_length(std::size_t at, std::int64_t len) const
{
  if (len < 0) {
    fail(at, "negative length " + std::to_string(len));
  }
  fail(at, "length " + std::to_string(len) + " exceeds the " + std::to_string(left()) + " bytes left");
}

} // namespace oex::avro

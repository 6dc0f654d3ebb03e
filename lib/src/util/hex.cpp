#include "oex/util/hex.hpp"

#include "oex/util/error.hpp"

namespace oex {

std::string to_hex(std::string_view bytes)
{
  static constexpr char k_digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out.push_back(k_digits[b >> 4]);
    out.push_back(k_digits[b & 15]);
  }
  return out;
}

std::string from_hex(const std::string& name, std::string_view text)
{
  std::string out;
  out.reserve(text.size() / 2);
  int high = -1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    int v;
    if (c >= '0' && c <= '9') {
      v = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      v = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      v = c - 'A' + 10;
    } else if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      continue;
    } else {
      const auto b = static_cast<unsigned char>(c);
      static constexpr char k_digits[] = "0123456789abcdef";
      const std::string shown = b >= 0x20 && b < 0x7f
                                  ? std::string(1, c)
                                  : std::string("\\x") + k_digits[b >> 4] + k_digits[b & 15];
      throw Error(name + ": character " + std::to_string(i) + ": invalid hex digit '" + shown + "'");
    }
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<char>(high * 16 + v));
      high = -1;
    }
  }
  if (high >= 0) {
    throw Error(name + ": odd number of hex digits");
  }
  return out;
}

} // namespace oex

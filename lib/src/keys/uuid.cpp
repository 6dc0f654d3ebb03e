#include "oex/keys/uuid.hpp"

#include <uuid/uuid.h>

#include "keys/unicode_classes.hpp"

namespace oex {
namespace {

// Python's str.replace(from, ""): one pass, left to right, so "urnurn::" leaves "urn:".
std::string remove_all(std::string_view text, std::string_view from)
{
  std::string out;
  for (std::size_t start = 0;;) {
    const std::size_t at = text.find(from, start);
    out.append(
      text.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) {
      return out;
    }
    start = at + from.size();
  }
}

bool is_hex_digit(char32_t c)
{
  return (c >= U'0' && c <= U'9') || (c >= U'a' && c <= U'f') || (c >= U'A' && c <= U'F');
}

// The hex digits of text as int(text, 16) reads it, or nullopt when int() refuses it. A text
// with non-ASCII characters is first made ASCII as CPython does: Unicode whitespace becomes ' ',
// Unicode decimal digits their ASCII digit, anything else fails. The grammar is then
// WS* [+-] [0x [_]] H ([_] H)* WS*, with WS the ASCII whitespace of C's isspace().
std::optional<std::string> python_hex_digits(std::u32string text)
{
  for (char32_t& c : text) {
    if (c < 0x80) {
      continue;
    }
    if (unicode::is_space(c)) {
      c = U' ';
    } else if (const int digit = unicode::decimal_value(c); digit >= 0) {
      c = U'0' + static_cast<char32_t>(digit);
    } else {
      return std::nullopt;
    }
  }
  const auto is_ws = [](char32_t c) {
    return c == U' ' || (c >= U'\t' && c <= U'\r');
  };
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n && is_ws(text[i])) {
    ++i;
  }
  if (i < n && (text[i] == U'+' || text[i] == U'-')) {
    ++i;
  }
  if (i + 1 < n && text[i] == U'0' && (text[i + 1] == U'x' || text[i + 1] == U'X')) {
    i += 2;
    if (i < n && text[i] == U'_') {
      ++i;
    }
  }
  std::string digits;
  bool after_underscore = i < n && text[i] == U'_'; // an underscore must follow a digit
  if (after_underscore) {
    return std::nullopt;
  }
  for (; i < n && (is_hex_digit(text[i]) || text[i] == U'_'); ++i) {
    if (text[i] == U'_') {
      if (after_underscore) {
        return std::nullopt;
      }
      after_underscore = true;
    } else {
      digits += static_cast<char>(text[i] | 0x20); // lowercase
      after_underscore = false;
    }
  }
  while (i < n && is_ws(text[i])) {
    ++i;
  }
  if (after_underscore || digits.empty() || i != n) {
    return std::nullopt;
  }
  return digits;
}

} // namespace

std::string uuid1()
{
  uuid_t id;
  uuid_generate_time(id);
  char text[37];
  uuid_unparse_lower(id, text);
  return text;
}

std::optional<std::string> canonical_uuid(std::string_view text)
{
  // Python 3.11's UUID.__init__: drop every "urn:", then every "uuid:", strip '{' and '}' from
  // both ends, drop every '-', and read the 32 code points left with int(hex, 16). These steps
  // only touch ASCII, so they can run on the UTF-8 bytes.
  std::string s = remove_all(remove_all(text, "urn:"), "uuid:");
  const std::size_t first = s.find_first_not_of("{}");
  s = first == std::string::npos ? std::string()
                                 : s.substr(first, s.find_last_not_of("{}") - first + 1);
  std::erase(s, '-');
  const std::optional<std::u32string> code_points = unicode::decode_utf8(s);
  if (!code_points || code_points->size() != 32) {
    return std::nullopt;
  }
  // '-' is gone, so the value is never negative, and 32 characters hold at most 32 hex digits.
  const std::optional<std::string> digits = python_hex_digits(*code_points);
  if (!digits) {
    return std::nullopt;
  }
  const std::string hex = std::string(32 - digits->size(), '0') + *digits;
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-"
         + hex.substr(16, 4) + "-" + hex.substr(20);
}

} // namespace oex

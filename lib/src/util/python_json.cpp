#include "oex/util/python_json.hpp"

#include <cstdint>
#include <cstdio>
#include <cstring>

namespace oex {
namespace {

using json = nlohmann::ordered_json;

void append_escaped_code_point(std::string& out, std::uint32_t code_point)
{
  char buffer[16];
  if (code_point >= 0x10000) {
    const std::uint32_t v = code_point - 0x10000;
    std::snprintf(buffer, sizeof buffer, "\\u%04x\\u%04x", 0xd800 + (v >> 10),
                  0xdc00 + (v & 0x3ff));
  } else {
    std::snprintf(buffer, sizeof buffer, "\\u%04x", code_point);
  }
  out += buffer;
}

// Decodes one UTF-8 sequence at s[i]; returns U+FFFD for a malformed one and advances i.
std::uint32_t next_code_point(std::string_view s, std::size_t& i)
{
  const auto byte = [&](std::size_t k) {
    return static_cast<unsigned char>(s[k]);
  };
  const unsigned char lead = byte(i);
  std::size_t length = lead < 0xc0 ? 0 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : lead < 0xf8 ? 4 : 0;
  if (length == 0 || i + length > s.size()) {
    ++i;
    return 0xfffd;
  }
  std::uint32_t code_point = lead & (0x7fu >> length);
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) {
      ++i;
      return 0xfffd;
    }
    code_point = (code_point << 6) | (byte(i + k) & 0x3fu);
  }
  i += length;
  return code_point;
}

// Where the run of bytes from i that need no escaping ends: eight at a time while none of the
// eight is a control character, '"', '\\' or (ensure_ascii) a non-ASCII byte, then one by one.
std::size_t plain_run_end(std::string_view s, std::size_t i, EnsureAscii ensure_ascii)
{
  constexpr std::uint64_t ones = 0x0101010101010101u;
  constexpr std::uint64_t highs = 0x8080808080808080u;
  // a byte of w below n (n <= 0x80) sets its high bit here, and only then does any bit get set
  const auto below = [](std::uint64_t w, std::uint64_t n) { return (w - ones * n) & ~w & highs; };
  while (i + 8 <= s.size()) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    std::uint64_t special = below(w, 0x20) | below(w ^ (ones * '"'), 1) | below(w ^ (ones * '\\'), 1);
    if (ensure_ascii == EnsureAscii::yes) {
      special |= w & highs;
    }
    if (special != 0) {
      break;
    }
    i += 8;
  }
  return i;
}

} // namespace

void append_python_json_string(std::string& out, std::string_view s, EnsureAscii ensure_ascii)
{
  out.reserve(out.size() + s.size() + 2);
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    // the run of bytes copied as they are, in one append
    std::size_t end = plain_run_end(s, i, ensure_ascii);
    while (end < s.size()) {
      const unsigned char b = static_cast<unsigned char>(s[end]);
      if (b < 0x20 || b == '"' || b == '\\' || (b >= 0x80 && ensure_ascii == EnsureAscii::yes)) {
        break;
      }
      ++end;
    }
    out.append(s.data() + i, end - i);
    i = end;
    if (i == s.size()) {
      break;
    }
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      if (ensure_ascii == EnsureAscii::yes) {
        append_escaped_code_point(out, next_code_point(s, i));
      } else {
        out += static_cast<char>(c);
        ++i;
      }
      continue;
    }
    ++i;
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\t':
      out += "\\t";
      break;
    case '\b':
      out += "\\b";
      break;
    case '\f':
      out += "\\f";
      break;
    default:
      if (c < 0x20 || c == 0x7f) {
        if (c == 0x7f) {
          out += static_cast<char>(c); // Python escapes only below 0x20
        } else {
          append_escaped_code_point(out, c);
        }
      } else {
        out += static_cast<char>(c);
      }
    }
  }
  out += '"';
}

namespace {

void append_newline(std::string& out, std::optional<int> indent, int depth)
{
  if (indent) {
    out += '\n';
    out.append(static_cast<std::size_t>(*indent * depth), ' ');
  }
}

void append_value(std::string& out, const json& value, std::optional<int> indent, int depth)
{
  const char* item_separator = indent ? "," : ", ";
  switch (value.type()) {
  case json::value_t::object: {
    if (value.empty()) {
      out += "{}";
      return;
    }
    out += '{';
    bool first = true;
    for (const auto& [key, item] : value.items()) {
      if (!first) {
        out += item_separator;
      }
      first = false;
      append_newline(out, indent, depth + 1);
      append_python_json_string(out, key, EnsureAscii::yes);
      out += ": ";
      append_value(out, item, indent, depth + 1);
    }
    append_newline(out, indent, depth);
    out += '}';
    return;
  }
  case json::value_t::array: {
    if (value.empty()) {
      out += "[]";
      return;
    }
    out += '[';
    bool first = true;
    for (const json& item : value) {
      if (!first) {
        out += item_separator;
      }
      first = false;
      append_newline(out, indent, depth + 1);
      append_value(out, item, indent, depth + 1);
    }
    append_newline(out, indent, depth);
    out += ']';
    return;
  }
  case json::value_t::string:
    append_python_json_string(out, value.get_ref<const std::string&>(), EnsureAscii::yes);
    return;
  default:
    // Numbers, booleans and null: nlohmann writes floats as the shortest round-trip form with
    // the same exponent thresholds as Python's repr().
    out += value.dump();
  }
}

} // namespace

std::string python_json_dumps(const json& value, std::optional<int> indent)
{
  std::string out;
  append_value(out, value, indent, 0);
  return out;
}

} // namespace oex

#include <cstring>

#include "oex/util/json_value.hpp"
#include "oex/util/text.hpp"

namespace oex {
namespace {

class Parser
{
public:
  explicit Parser(std::string_view text)
    : m_text(text)
  {
  }

  JsonParseResult run()
  {
    JsonParseResult result;
    skip_space();
    if (m_pos == m_text.size()) {
      return fail_result(m_pos, "empty input");
    }
    JsonValue value;
    if (!parse_value(value, 0)) {
      return fail_result(m_error_offset, m_error);
    }
    skip_space();
    if (m_pos != m_text.size()) {
      return fail_result(m_pos, "extra data after the JSON value");
    }
    result.value = std::move(value);
    return result;
  }

private:
  static JsonParseResult fail_result(std::size_t offset, std::string message)
  {
    JsonParseResult result;
    result.error_offset = offset;
    result.error = std::move(message);
    return result;
  }

  bool fail(std::size_t offset, std::string message)
  {
    m_error_offset = offset;
    m_error = std::move(message);
    return false;
  }

  bool fail_unexpected(const char* expected)
  {
    if (m_pos >= m_text.size()) {
      return fail(m_pos, std::string("unexpected end of input; expected ") + expected);
    }
    const unsigned char c = static_cast<unsigned char>(m_text[m_pos]);
    std::string shown =
      c >= 0x20 && c < 0x7f ? std::string("'") + static_cast<char>(c) + "'" : "byte 0x" + hex2(c);
    return fail(m_pos, "unexpected " + shown + "; expected " + expected);
  }

  static std::string hex2(unsigned char c)
  {
    static const char* k_digits = "0123456789abcdef";
    return {k_digits[c >> 4], k_digits[c & 15]};
  }

  // Steps over c when it is the next character.
  bool consume(char c)
  {
    if (m_pos < m_text.size() && m_text[m_pos] == c) {
      ++m_pos;
      return true;
    }
    return false;
  }

  void skip_space()
  {
    while (m_pos < m_text.size()) {
      const char c = m_text[m_pos];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        break;
      }
      ++m_pos;
    }
  }

  bool literal(const char* word)
  {
    const std::size_t length = std::strlen(word);
    if (m_text.substr(m_pos, length) != word) {
      return fail_unexpected("a JSON value");
    }
    m_pos += length;
    return true;
  }

  bool parse_value(JsonValue& out, std::size_t depth)
  {
    out.offset = m_pos;
    if (m_pos >= m_text.size()) {
      return fail_unexpected("a JSON value");
    }
    switch (m_text[m_pos]) {
    case '{':
      out.kind = JsonKind::object;
      return parse_object(out, depth + 1);
    case '[':
      out.kind = JsonKind::array;
      return parse_array(out, depth + 1);
    case '"':
      out.kind = JsonKind::string;
      return parse_string(out.text);
    case 't':
      out.kind = JsonKind::boolean;
      out.boolean = true;
      return literal("true");
    case 'f':
      out.kind = JsonKind::boolean;
      return literal("false");
    case 'n':
      out.kind = JsonKind::null;
      return literal("null");
    default:
      out.kind = JsonKind::number;
      return parse_number(out.text);
    }
  }

  bool enter(std::size_t depth)
  {
    if (depth > k_json_max_depth) {
      return fail(m_pos, "nesting deeper than " + std::to_string(k_json_max_depth) + " levels");
    }
    ++m_pos;
    skip_space();
    return true;
  }

  bool parse_object(JsonValue& out, std::size_t depth)
  {
    if (!enter(depth)) {
      return false;
    }
    if (consume('}')) {
      return true;
    }
    while (true) {
      if (m_pos >= m_text.size() || m_text[m_pos] != '"') {
        return fail_unexpected("a string key");
      }
      JsonMember& member = out.members.emplace_back();
      member.key_offset = m_pos;
      if (!parse_string(member.key)) {
        return false;
      }
      skip_space();
      if (!consume(':')) {
        return fail_unexpected("':' after an object key");
      }
      skip_space();
      if (!parse_value(member.value, depth)) {
        return false;
      }
      skip_space();
      if (consume(',')) {
        skip_space();
        continue;
      }
      if (consume('}')) {
        return true;
      }
      return fail_unexpected("',' or '}'");
    }
  }

  bool parse_array(JsonValue& out, std::size_t depth)
  {
    if (!enter(depth)) {
      return false;
    }
    if (consume(']')) {
      return true;
    }
    while (true) {
      if (!parse_value(out.elements.emplace_back(), depth)) {
        return false;
      }
      skip_space();
      if (consume(',')) {
        skip_space();
        continue;
      }
      if (consume(']')) {
        return true;
      }
      return fail_unexpected("',' or ']'");
    }
  }

  bool digits(std::size_t& count)
  {
    count = 0;
    while (m_pos < m_text.size() && m_text[m_pos] >= '0' && m_text[m_pos] <= '9') {
      ++m_pos;
      ++count;
    }
    return count > 0;
  }

  bool parse_number(std::string& out)
  {
    const std::size_t start = m_pos;
    if (m_text[m_pos] == '-') {
      ++m_pos;
    }
    std::size_t count = 0;
    const std::size_t int_start = m_pos;
    if (!digits(count)) {
      m_pos = start;
      return fail_unexpected("a JSON value");
    }
    if (count > 1 && m_text[int_start] == '0') {
      return fail(int_start, "invalid number: leading zero");
    }
    if (m_pos < m_text.size() && m_text[m_pos] == '.') {
      ++m_pos;
      if (!digits(count)) {
        return fail(m_pos, "invalid number: digits expected after '.'");
      }
    }
    if (m_pos < m_text.size() && (m_text[m_pos] == 'e' || m_text[m_pos] == 'E')) {
      ++m_pos;
      if (m_pos < m_text.size() && (m_text[m_pos] == '+' || m_text[m_pos] == '-')) {
        ++m_pos;
      }
      if (!digits(count)) {
        return fail(m_pos, "invalid number: digits expected in the exponent");
      }
    }
    out.assign(m_text.substr(start, m_pos - start));
    return true;
  }

  bool hex4(unsigned& value)
  {
    value = 0;
    for (int i = 0; i < 4; ++i, ++m_pos) {
      if (m_pos >= m_text.size()) {
        return fail(m_pos, "unexpected end of input in a \\u escape");
      }
      const char c = m_text[m_pos];
      unsigned digit = 0;
      if (c >= '0' && c <= '9') {
        digit = static_cast<unsigned>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        digit = static_cast<unsigned>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        digit = static_cast<unsigned>(c - 'A' + 10);
      } else {
        return fail(m_pos, "invalid \\u escape: 4 hex digits expected");
      }
      value = value * 16 + digit;
    }
    return true;
  }

  // Length of the valid UTF-8 sequence at m_pos, or 0.
  std::size_t utf8_length() const
  {
    const auto byte = [&](std::size_t k) {
      return m_pos + k < m_text.size() ? static_cast<unsigned char>(m_text[m_pos + k]) : 0u;
    };
    const unsigned lead = byte(0);
    const auto cont = [&](std::size_t k) {
      return (byte(k) & 0xc0u) == 0x80u;
    };
    if (lead >= 0xc2 && lead <= 0xdf) {
      return cont(1) ? 2 : 0;
    }
    if (lead >= 0xe0 && lead <= 0xef) {
      const unsigned second = byte(1);
      if ((lead == 0xe0 && second < 0xa0) || (lead == 0xed && second > 0x9f)) {
        return 0; // overlong, or a surrogate
      }
      return cont(1) && cont(2) ? 3 : 0;
    }
    if (lead >= 0xf0 && lead <= 0xf4) {
      const unsigned second = byte(1);
      if ((lead == 0xf0 && second < 0x90) || (lead == 0xf4 && second > 0x8f)) {
        return 0;
      }
      return cont(1) && cont(2) && cont(3) ? 4 : 0;
    }
    return 0;
  }

  bool parse_string(std::string& out)
  {
    ++m_pos; // opening quote
    while (true) {
      if (m_pos >= m_text.size()) {
        return fail(m_pos, "unexpected end of input in a string");
      }
      const unsigned char c = static_cast<unsigned char>(m_text[m_pos]);
      if (c == '"') {
        ++m_pos;
        return true;
      }
      if (c < 0x20) {
        return fail(m_pos, "unescaped control character in a string");
      }
      if (c == '\\') {
        if (!parse_escape(out)) {
          return false;
        }
        continue;
      }
      if (c < 0x80) {
        out += static_cast<char>(c);
        ++m_pos;
        continue;
      }
      const std::size_t length = utf8_length();
      if (length == 0) {
        return fail(m_pos, "invalid UTF-8");
      }
      out.append(m_text.substr(m_pos, length));
      m_pos += length;
    }
  }

  bool parse_escape(std::string& out)
  {
    const std::size_t start = m_pos;
    ++m_pos;
    if (m_pos >= m_text.size()) {
      return fail(m_pos, "unexpected end of input in a string");
    }
    const char c = m_text[m_pos++];
    switch (c) {
    case '"':
    case '\\':
    case '/':
      out += c;
      return true;
    case 'b':
      out += '\b';
      return true;
    case 'f':
      out += '\f';
      return true;
    case 'n':
      out += '\n';
      return true;
    case 'r':
      out += '\r';
      return true;
    case 't':
      out += '\t';
      return true;
    case 'u': {
      unsigned cp = 0;
      if (!hex4(cp)) {
        return false;
      }
      if (cp >= 0xdc00 && cp <= 0xdfff) {
        return fail(start, "lone surrogate in a \\u escape");
      }
      if (cp >= 0xd800 && cp <= 0xdbff) {
        unsigned low = 0;
        if (m_text.substr(m_pos, 2) != "\\u") {
          return fail(start, "lone surrogate in a \\u escape");
        }
        m_pos += 2;
        if (!hex4(low)) {
          return false;
        }
        if (low < 0xdc00 || low > 0xdfff) {
          return fail(start, "lone surrogate in a \\u escape");
        }
        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
      }
      append_utf8(out, cp);
      return true;
    }
    default:
      return fail(start, std::string("invalid escape '\\") + c + "'");
    }
  }

  std::string_view m_text;
  std::size_t m_pos = 0;
  std::size_t m_error_offset = 0;
  std::string m_error;
};

} // namespace

JsonParseResult parse_json_with_positions(std::string_view text)
{
  return Parser(text).run();
}

} // namespace oex

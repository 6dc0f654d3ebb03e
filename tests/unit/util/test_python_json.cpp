#include <cstdio>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "oex/util/python_json.hpp"

using json = nlohmann::ordered_json;

TEST_CASE("oex::python_json_dumps")
{
  // Expected strings are what Python 3.11's json.dumps prints for the same values.
  const json value = json::parse(R"({"b": [1, 2.5, true, null], "a": {"x": "\u00e9\ud83d\ude00\n"},
                                     "e": [], "o": {}})");
  CHECK(oex::python_json_dumps(value)
        == R"({"b": [1, 2.5, true, null], "a": {"x": "\u00e9\ud83d\ude00\n"}, "e": [], "o": {}})");
  CHECK(oex::python_json_dumps(value, 2)
        == "{\n  \"b\": [\n    1,\n    2.5,\n    true,\n    null\n  ],\n  \"a\": {\n    \"x\": "
           "\"\\u00e9\\ud83d\\ude00\\n\"\n  },\n  \"e\": [],\n  \"o\": {}\n}");
  CHECK(oex::python_json_dumps(json("tab\tquote\"back\\ctl\x01"))
        == R"("tab\tquote\"back\\ctl\u0001")");
  CHECK(oex::python_json_dumps(json(1e16)) == "1e+16");
  CHECK(oex::python_json_dumps(json(0.0001)) == "0.0001");
  CHECK(oex::python_json_dumps(json(1e-05)) == "1e-05");
  CHECK(oex::python_json_dumps(json(1.0)) == "1.0");
  CHECK(oex::python_json_dumps(json(-9223372036854775807LL)) == "-9223372036854775807");
}

namespace {

// One byte at a time, as json.dumps escapes (the ASCII cases; ensure_ascii turns each non-ASCII
// byte of these Latin-1-free tests' "\xc3\xa9" into \u00e9).
std::string escaped_slowly(const std::string& s, bool ensure_ascii)
{
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    char buffer[8];
    switch (c) {
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\n': out += "\\n"; break;
    case '\r': out += "\\r"; break;
    case '\t': out += "\\t"; break;
    case '\b': out += "\\b"; break;
    case '\f': out += "\\f"; break;
    default:
      if (c < 0x20) {
        std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
        out += buffer;
      } else if (c == 0xc3 && ensure_ascii) {
        out += "\\u00e9"; // the only non-ASCII text below
        ++i;
      } else {
        out += static_cast<char>(c);
      }
    }
  }
  return out + "\"";
}

} // namespace

TEST_CASE("oex::append_python_json_string: plain runs of every length, a special byte anywhere")
{
  // The fast path takes eight bytes at a time: put each kind of byte that needs care at every
  // place of strings up to 3 words long.
  const std::vector<std::string> specials = {"\"", "\\", "\n", std::string(1, '\0'), "\x1f", "\x7f",
                                             " ", "~", "\xc3\xa9"};
  for (std::size_t length = 0; length <= 24; ++length) {
    for (const std::string& special : specials) {
      for (std::size_t at = 0; at <= length; ++at) {
        std::string s(length, 'a');
        for (std::size_t k = 0; k < length; ++k) {
          s[k] = static_cast<char>('!' + (k * 7) % 90 == '"' || '!' + (k * 7) % 90 == '\\'
                                     ? 'x'
                                     : '!' + (k * 7) % 90);
        }
        s.insert(at, special);
        for (const bool ascii : {true, false}) {
          INFO("length " << length << ", special " << static_cast<int>(special[0]) << " at " << at
                         << (ascii ? ", ensure_ascii" : ""));
          std::string out = "prefix";
          oex::append_python_json_string(out, s, ascii ? oex::EnsureAscii::yes : oex::EnsureAscii::no);
          CHECK(out == "prefix" + escaped_slowly(s, ascii));
        }
      }
    }
  }
  // and what Python writes for a few, as a check on the reference above
  std::string out;
  oex::append_python_json_string(out, "caf\xc3\xa9 \"12345678\"\\\x01", oex::EnsureAscii::yes);
  CHECK(out == "\"caf\\u00e9 \\\"12345678\\\"\\\\\\u0001\"");
}

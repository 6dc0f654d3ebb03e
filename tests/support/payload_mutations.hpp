#pragma once

// Broken copies of payloads, made at random but reproducibly: for the tests that hold a fast
// reading of payloads (FastCheck, the one-pass encoder) to the slow, exact one.

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/random.hpp"

namespace oex::test {

// Pieces that break (or nearly break) JSON, UTF-8, the grammars and the types.
inline const std::vector<std::string> k_pieces = {
  "\"", "\\", "{", "}", "[", "]", ",", ":", " ", "\n", "\r", "\t", std::string(1, '\0'), "\x7f",
  "\xc3\xa9", "\xc3", "\xa9", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xc0\xaf", "\xe2\x80\xa8",
  "\xff", "0", "-", ".", "e", "1", "9", "a", "n", "null", "true", "false", "\\u0041", "\\ud83d\\ude00",
  "\\ud800", "\\udc00", "\\u00e9", "\\n", "\\x", "+", "@", "/", "T", "Z", "%", "~", "$",
  "99999999999999999999", "9223372036854775808", "-9223372036854775808", "1e400", "1.0", "-0",
  "[]", "{}", "\"\"", "\"a\":1,", "course-v1:a+b+c", "block-v1:a+b+c+type@x+block@y",
};

// One broken copy of text: a piece inserted or put in place of some bytes, bytes dropped, the
// text cut, or a span repeated (which makes duplicate keys).
inline std::string mutate(const std::string& text, Random& random)
{
  std::string out = text;
  const std::size_t at = random.below(out.size() + 1);
  const std::string& piece = k_pieces[random.below(k_pieces.size())];
  switch (random.below(6)) {
  case 0:
    out.insert(at, piece);
    break;
  case 1:
    out.replace(at, std::min<std::size_t>(1 + random.below(4), out.size() - at), piece);
    break;
  case 2:
    out.erase(at, 1 + random.below(3));
    break;
  case 3:
    out.resize(at);
    break;
  case 4: { // repeat a member-sized span just after itself
    const std::size_t length = std::min<std::size_t>(1 + random.below(60), out.size() - at);
    out.insert(at + length, out.substr(at, length));
    break;
  }
  default: { // a string value replaced: where the grammars are
    const std::size_t quote = out.find("\":\"", at);
    if (quote != std::string::npos) {
      const std::size_t end = out.find('"', quote + 3);
      if (end != std::string::npos) {
        out.replace(quote + 3, end - quote - 3, piece == "\"" ? "x" : piece);
      }
    }
    break;
  }
  }
  return out;
}

// One broken copy made on the JSON itself: a member of some object dropped (a required field
// missing), or set to null (null where it may not be), or its value made an empty string.
inline std::string mutate_members(const nlohmann::ordered_json& sample, Random& random)
{
  nlohmann::ordered_json copy = sample;
  std::vector<nlohmann::ordered_json*> objects;
  const auto collect = [&](auto& self, nlohmann::ordered_json& node) -> void {
    if (node.is_object() && !node.empty()) {
      objects.push_back(&node);
    }
    if (node.is_structured()) {
      for (auto& child : node) {
        self(self, child);
      }
    }
  };
  collect(collect, copy);
  nlohmann::ordered_json& object = *objects[random.below(objects.size())];
  auto member = object.begin();
  std::advance(member, static_cast<std::ptrdiff_t>(random.below(object.size())));
  switch (random.below(3)) {
  case 0:
    object.erase(member);
    break;
  case 1:
    member.value() = nullptr;
    break;
  default:
    member.value() = "";
    break;
  }
  return copy.dump();
}

} // namespace oex::test

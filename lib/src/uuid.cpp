#include "oex/uuid.hpp"

#include <cctype>

#include <uuid/uuid.h>

namespace oex {

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
  // Python: drop every "urn:" and "uuid:", strip '{' and '}' from both ends, drop every '-',
  // then require exactly 32 hex digits.
  std::string s(text);
  for (const std::string_view prefix : {"urn:", "uuid:"}) {
    for (std::size_t at; (at = s.find(prefix)) != std::string::npos;) {
      s.erase(at, prefix.size());
    }
  }
  const std::size_t first = s.find_first_not_of("{}");
  const std::size_t last = s.find_last_not_of("{}");
  s = first == std::string::npos ? std::string() : s.substr(first, last - first + 1);
  std::string hex;
  for (char c : s) {
    if (c != '-') {
      hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  if (hex.size() != 32) {
    return std::nullopt;
  }
  for (char c : hex) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return std::nullopt;
    }
  }
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-"
         + hex.substr(16, 4) + "-" + hex.substr(20);
}

} // namespace oex

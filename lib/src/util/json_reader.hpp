#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "oex/util/error.hpp"

namespace oex {

// Thrown by parse_json_document: what() is "NAME:LINE:COL: invalid JSON: DETAIL".
class JsonSyntaxError : public Error
{
public:
  JsonSyntaxError(std::string_view name, std::size_t line, std::size_t column, std::string detail);
  std::size_t line() const { return m_line; }
  std::size_t column() const { return m_column; }
  // "invalid JSON: DETAIL"
  const std::string& message() const { return m_message; }

private:
  std::size_t m_line;
  std::size_t m_column;
  std::string m_message;
};

// Parses text as JSON; throws JsonSyntaxError when it is not. A key repeated in an object keeps
// its last value; *duplicate_keys (when given) is set true when that happened.
nlohmann::ordered_json parse_json_document(std::string_view name, std::string_view text,
                                           bool* duplicate_keys = nullptr);

// The name of a JSON value's type as used in messages: "object", "array", "string", "integer",
// "number", "boolean", "null".
std::string_view json_type_name(const nlohmann::ordered_json& value);

} // namespace oex

#include "json_reader.hpp"

#include "oex/error.hpp"
#include "oex/text.hpp"

namespace oex {

nlohmann::ordered_json parse_json_document(std::string_view name, std::string_view text)
{
  try {
    return nlohmann::ordered_json::parse(text);
  } catch (const nlohmann::ordered_json::parse_error& e) {
    // nlohmann's message reads "[json.exception.parse_error.101] parse error at line L, column C:
    // syntax error while parsing value - DETAIL"; keep DETAIL and compute the place ourselves.
    std::string detail = e.what();
    if (auto dash = detail.find(" - "); dash != std::string::npos) {
      detail = detail.substr(dash + 3);
    } else if (auto colon = detail.rfind(": "); colon != std::string::npos) {
      detail = detail.substr(colon + 2);
    }
    const TextPosition at = position_of(text, e.byte == 0 ? 0 : e.byte - 1);
    throw Error(std::string(name) + ":" + std::to_string(at.line) + ":" + std::to_string(at.column)
                + ": invalid JSON: " + detail);
  }
}

std::string_view json_type_name(const nlohmann::ordered_json& value)
{
  switch (value.type()) {
  case nlohmann::ordered_json::value_t::object:
    return "object";
  case nlohmann::ordered_json::value_t::array:
    return "array";
  case nlohmann::ordered_json::value_t::string:
    return "string";
  case nlohmann::ordered_json::value_t::number_integer:
  case nlohmann::ordered_json::value_t::number_unsigned:
    return "integer";
  case nlohmann::ordered_json::value_t::number_float:
    return "number";
  case nlohmann::ordered_json::value_t::boolean:
    return "boolean";
  case nlohmann::ordered_json::value_t::null:
    return "null";
  default:
    return "value";
  }
}

} // namespace oex

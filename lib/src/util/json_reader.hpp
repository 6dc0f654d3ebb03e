#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace oex {

// Parses text as JSON; throws oex::Error "NAME:LINE:COL: invalid JSON: DETAIL" when it is not.
nlohmann::ordered_json parse_json_document(std::string_view name, std::string_view text);

// The name of a JSON value's type as used in messages: "object", "array", "string", "integer",
// "number", "boolean", "null".
std::string_view json_type_name(const nlohmann::ordered_json& value);

} // namespace oex

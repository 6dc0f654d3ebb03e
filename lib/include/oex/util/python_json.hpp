#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace oex {

// Serializes value exactly as Python's json.dumps(value) (indent = nullopt: ", " and ": "
// separators) or json.dumps(value, indent=N) does, with ensure_ascii escaping.
std::string python_json_dumps(const nlohmann::ordered_json& value,
                              std::optional<int> indent = std::nullopt);

} // namespace oex

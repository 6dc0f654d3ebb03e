#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace oex {

enum class EnsureAscii { no, yes };

// Appends s (UTF-8) as a JSON string literal as Python's json.dumps writes it: control
// characters escaped, and with EnsureAscii::yes every non-ASCII character as \uXXXX (a
// malformed sequence as U+FFFD); with no, non-ASCII bytes are copied as they are.
void append_python_json_string(std::string& out, std::string_view s, EnsureAscii ensure_ascii);

// Serializes value exactly as Python's json.dumps(value) (indent = nullopt: ", " and ": "
// separators) or json.dumps(value, indent=N) does, with ensure_ascii escaping.
std::string python_json_dumps(const nlohmann::ordered_json& value,
                              std::optional<int> indent = std::nullopt);

} // namespace oex

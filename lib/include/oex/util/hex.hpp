#pragma once

#include <string>
#include <string_view>

namespace oex {

// Lowercase hex of bytes.
std::string to_hex(std::string_view bytes);

// The bytes written as hex text (whitespace ignored, either case); throws oex::Error
// "NAME: character N: invalid hex digit 'C'" or "NAME: odd number of hex digits".
std::string from_hex(const std::string& name, std::string_view text);

} // namespace oex

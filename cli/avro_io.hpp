#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace oex::cli {

// Lowercase hex of bytes.
std::string to_hex(std::string_view bytes);

// The bytes written as hex text (whitespace ignored, either case); throws oex::Error
// "NAME: invalid hex ..." naming the character offset.
std::string from_hex(const std::string& name, std::string_view text);

// Writes bytes to standard output; throws oex::Error when that fails (a closed pipe, a full disk).
void write_stdout(std::string_view bytes);

} // namespace oex::cli

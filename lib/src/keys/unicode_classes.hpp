#pragma once

#include <optional>
#include <string>
#include <string_view>

// Python 3.11's character classes (Unicode 14.0), so that rules written as Python regular
// expressions or str methods can be checked without Python. Other Python versions use other
// Unicode versions and differ slightly.
namespace oex::unicode {

// Python's re \w in a str pattern: ch.isalnum() or ch == '_'.
bool is_word(char32_t c);

// Python's re \d in a str pattern: ch.isdecimal() (general category Nd).
bool is_decimal(char32_t c);

// The value 0-9 of a decimal digit (unicodedata.decimal); -1 when is_decimal(c) is false.
int decimal_value(char32_t c);

// Python's ch.isspace().
bool is_space(char32_t c);

// The code points of UTF-8 text; nullopt when it is not valid UTF-8 (overlong forms, surrogates
// and values past U+10FFFF included), which Python could not hold in a str.
std::optional<std::u32string> decode_utf8(std::string_view text);

} // namespace oex::unicode

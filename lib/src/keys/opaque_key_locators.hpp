#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

// The pieces of opaque_keys.cpp shared with the '+'-separated locators of opaque-keys
// (BlockLocatorBase.URL_RE and ccx-keys' variant). Text is in code points, because upstream's
// classes are Unicode ones; a Key is upstream's str(key), or nullopt for InvalidKeyError.
namespace oex::opaque_keys {

using Text = std::u32string_view;
using Key = std::optional<std::u32string>;

template <class... Parts>
std::u32string concat(const Parts&... parts)
{
  std::u32string out;
  (out.append(parts), ...);
  return out;
}

// Locator.ALLOWED_ID_CHARS [\w\-~.:]
bool is_id(char32_t c);

// BLOCK_ALLOWED_ID_CHARS / DEPRECATED_ALLOWED_ID_CHARS [\w\-~.:%]
bool is_block_id(char32_t c);

// What INVALID_CHARS_DEPRECATED [^\w.%-] leaves: the parts of "org/course/run" and i4x org, course.
bool is_deprecated_part(char32_t c);

// X+ of a class: text is not empty and every character is in the class.
bool all_of(Text text, bool (*in_class)(char32_t));

// Python's text.split(separator).
std::vector<Text> split(Text text, char32_t separator);

// The locators, given the text after their namespace. course_v1 serves "slashes:" too.
Key course_v1(Text rest);
Key ccx_v1(Text rest);
Key library_v1(Text rest);
Key block_v1(Text rest);
Key ccx_block_v1(Text rest);
Key lib_block_v1(Text rest);

} // namespace oex::opaque_keys

#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace oex {

// Levenshtein distance between a and b, capped: returns max + 1 when it is larger than max.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t max);

// text with ASCII letters in lower case.
std::string ascii_lower(std::string_view text);
// True when a and b are equal, or text contains word, ignoring the case of ASCII letters.
bool iequals(std::string_view a, std::string_view b);
bool icontains(std::string_view text, std::string_view word);

// The candidate closest to word, ignoring case, if it is close enough to be a likely typo
// (ninja's SpellcheckString); nullopt otherwise.
std::optional<std::string> closest_match(std::string_view word,
                                         std::span<const std::string_view> candidates);

// Shell-style glob: '*' matches any run of characters, '?' one character, '[abc]' / '[!a-z]' a set.
bool glob_match(std::string_view pattern, std::string_view text);

// A regular expression (the body) made to match a whole string, the one way every JSON Schema
// "pattern" of oex is anchored: "^(?:BODY)$(?!\n)". The "(?!\n)" is for Python's re (as
// jsonschema uses it), where '$' also matches before a final line break; ECMAScript's '$' never
// does, so the guard changes nothing there.
std::string whole_string_pattern(std::string_view body);

// 1-based line and column of byte offset in text (the column counts bytes).
struct TextPosition
{
  std::size_t line = 1;
  std::size_t column = 1;
};
TextPosition position_of(std::string_view text, std::size_t offset);

// position_of for many offsets of one text: the line starts found once, each offset placed in
// logarithmic time (a file with many findings stays linear). Keeps a view of text.
class LineIndex
{
public:
  explicit LineIndex(std::string_view text);
  TextPosition position_of(std::size_t offset) const;

private:
  std::string_view m_text;
  std::vector<std::size_t> m_line_starts;
};

} // namespace oex

namespace oex {

// Appends code point cp (at most U+10FFFF) to out in UTF-8.
void append_utf8(std::string& out, char32_t cp);

// The length of the longest prefix of text of at most max bytes that does not end inside a
// UTF-8 sequence (text is cut there when it is too long to keep whole).
std::size_t utf8_prefix_length(std::string_view text, std::size_t max);

// text made safe to print on a terminal: control characters (C0, DEL, C1) and bytes that are
// not UTF-8 become escapes (\n, \r, \t, \e, \xNN, \u0085); everything else is kept.
std::string escape_control(std::string_view text);
// The same, appended to out.
void append_escaped_control(std::string& out, std::string_view text);

// text made safe inside XML or HTML text and attribute values: &, <, > and " become character
// references, and ' too when `apostrophe` (HTML attributes in single quotes).
std::string escape_markup(std::string_view text, bool apostrophe = false);

} // namespace oex

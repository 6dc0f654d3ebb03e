#include "oex/util/text.hpp"

#include <algorithm>
#include <numeric>
#include <vector>

namespace oex {

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t max)
{
  const std::size_t length_gap = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
  if (length_gap > max) {
    return max + 1;
  }
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    std::size_t row_min = row[0];
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0u : 1u)});
      diagonal = above;
      row_min = std::min(row_min, row[j]);
    }
    if (row_min > max) {
      return max + 1;
    }
  }
  return std::min(row[b.size()], max + 1);
}

std::string ascii_lower(std::string_view text)
{
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

bool iequals(std::string_view a, std::string_view b)
{
  return a.size() == b.size() && ascii_lower(a) == ascii_lower(b);
}

bool icontains(std::string_view text, std::string_view word)
{
  return ascii_lower(text).find(ascii_lower(word)) != std::string::npos;
}

std::optional<std::string> closest_match(std::string_view word,
                                         std::span<const std::string_view> candidates)
{
  // Allow about one edit in four characters, at least 2 and at most 8: a typo, not a new word.
  // Case does not count: "LIST" is a typo of "list".
  const std::size_t max = std::clamp<std::size_t>(word.size() / 4, 2, 8);
  const std::string lower_word = ascii_lower(word);
  std::optional<std::string> best;
  std::size_t best_distance = max + 1;
  for (std::string_view candidate : candidates) {
    const std::size_t distance = edit_distance(lower_word, ascii_lower(candidate), max);
    if (distance < best_distance) {
      best_distance = distance;
      best = std::string(candidate);
    }
  }
  return best;
}

namespace {

// Matches a '[...]' set at pattern[p] against c; sets p past the set. Returns nullopt when the
// set is not closed, so the '[' is taken literally.
std::optional<bool> match_set(std::string_view pattern, std::size_t& p, char c)
{
  std::size_t i = p + 1;
  const bool negate = i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^');
  if (negate) {
    ++i;
  }
  bool matched = false;
  bool first = true;
  for (; i < pattern.size(); ++i) {
    if (pattern[i] == ']' && !first) {
      p = i + 1;
      return matched != negate;
    }
    first = false;
    if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
      matched = matched || (pattern[i] <= c && c <= pattern[i + 2]);
      i += 2;
    } else {
      matched = matched || pattern[i] == c;
    }
  }
  return std::nullopt;
}

} // namespace

bool glob_match(std::string_view pattern, std::string_view text)
{
  // Iterative matching with one backtrack point for the last '*' (linear for typical patterns).
  std::size_t p = 0;
  std::size_t t = 0;
  std::size_t star_p = std::string_view::npos;
  std::size_t star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size()) {
      const char pc = pattern[p];
      if (pc == '*') {
        star_p = p++;
        star_t = t;
        continue;
      }
      if (pc == '[') {
        std::size_t next = p;
        if (auto set = match_set(pattern, next, text[t])) {
          if (*set) {
            p = next;
            ++t;
            continue;
          }
        } else if (text[t] == '[') {
          ++p;
          ++t;
          continue;
        }
      } else if (pc == '?' || pc == text[t]) {
        ++p;
        ++t;
        continue;
      }
    }
    if (star_p == std::string_view::npos) {
      return false;
    }
    p = star_p + 1;
    t = ++star_t;
  }
  while (p < pattern.size() && pattern[p] == '*') {
    ++p;
  }
  return p == pattern.size();
}

LineIndex::LineIndex(std::string_view text)
  : m_text(text)
  , m_line_starts{0}
{
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') {
      m_line_starts.push_back(i + 1);
    }
  }
}

TextPosition LineIndex::position_of(std::size_t offset) const
{
  offset = std::min(offset, m_text.size());
  // The last line start at or before offset.
  const auto after = std::upper_bound(m_line_starts.begin(), m_line_starts.end(), offset);
  const std::size_t line = static_cast<std::size_t>(after - m_line_starts.begin());
  return {line, offset - m_line_starts[line - 1] + 1};
}

TextPosition position_of(std::string_view text, std::size_t offset)
{
  TextPosition position;
  offset = std::min(offset, text.size());
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++position.line;
      position.column = 1;
    } else {
      ++position.column;
    }
  }
  return position;
}

std::string whole_string_pattern(std::string_view body)
{
  return "^(?:" + std::string(body) + ")$(?!\\n)";
}

} // namespace oex

namespace oex {

void append_utf8(std::string& out, char32_t cp)
{
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

std::size_t utf8_prefix_length(std::string_view text, std::size_t max)
{
  if (text.size() <= max) {
    return text.size();
  }
  // Step back over continuation bytes (at most 3) to the start of the sequence that is cut.
  std::size_t end = max;
  for (int i = 0; i < 3 && end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80; ++i) {
    --end;
  }
  return (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80 ? max : end;
}

namespace {

// The length of the well-formed UTF-8 sequence at the start of text, or 0.
std::size_t utf8_sequence_length(std::string_view text)
{
  const auto byte = [&](std::size_t i) {
    return static_cast<unsigned char>(text[i]);
  };
  const unsigned char lead = byte(0);
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    low = lead == 0xE0 ? 0xA0 : 0x80;
    high = lead == 0xED ? 0x9F : 0xBF;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    low = lead == 0xF0 ? 0x90 : 0x80;
    high = lead == 0xF4 ? 0x8F : 0xBF;
  } else {
    return 0;
  }
  if (text.size() < length || byte(1) < low || byte(1) > high) {
    return 0;
  }
  for (std::size_t i = 2; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) {
      return 0;
    }
  }
  return length;
}

} // namespace

std::string escape_control(std::string_view text)
{
  std::string out;
  out.reserve(text.size());
  append_escaped_control(out, text);
  return out;
}

void append_escaped_control(std::string& out, std::string_view text)
{
  static constexpr char k_hex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7F) {
      // A run of printable ASCII goes in whole.
      std::size_t end = i + 1;
      while (end < text.size() && static_cast<unsigned char>(text[end]) >= 0x20
             && static_cast<unsigned char>(text[end]) < 0x7F) {
        ++end;
      }
      out.append(text.data() + i, end - i);
      i = end;
      continue;
    }
    if (c >= 0x80) {
      const std::size_t length = utf8_sequence_length(text.substr(i));
      if (length == 2 && c == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0) {
        out += "\\u00";
        out += k_hex[static_cast<unsigned char>(text[i + 1]) >> 4];
        out += k_hex[static_cast<unsigned char>(text[i + 1]) & 0xF];
        i += 2;
        continue;
      }
      if (length > 0) {
        out.append(text.substr(i, length));
        i += length;
        continue;
      }
    }
    switch (c) {
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\t':
      out += "\\t";
      break;
    case 0x1B:
      out += "\\e";
      break;
    default:
      out += "\\x";
      out += k_hex[c >> 4];
      out += k_hex[c & 0xF];
    }
    ++i;
  }
}

std::string escape_markup(std::string_view text, bool apostrophe)
{
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += apostrophe ? "&#39;" : "'";
      break;
    default:
      out += c;
    }
  }
  return out;
}

} // namespace oex

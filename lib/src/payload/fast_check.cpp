#include "payload/fast_check.hpp"

#include <array>
#include <bit>
#include <charconv>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "oex/catalog/catalog.hpp"
#include "oex/keys/datetime.hpp"
#include "oex/keys/opaque_keys.hpp"
#include "oex/keys/uuid.hpp"
#include "oex/util/text.hpp"

namespace oex {
namespace {

// Bytes a string may hold as they are: printable ASCII but '"' and '\\'.
constexpr std::array<bool, 256> k_plain = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x80; ++c) {
    plain[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
  }
  return plain;
}();

constexpr int hex_value(char c)
{
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

} // namespace

bool FastCheck::accepts(std::string_view document)
{
  m_at = document.data();
  m_end = m_at + document.size();
  m_depth = 0;
  m_spaced = false;
  skip_space();
  if (!data()) {
    return false;
  }
  skip_space();
  return m_at == m_end;
}

void FastCheck::skip_some_space()
{
  const char* start = m_at;
  while (m_at != m_end && (*m_at == ' ' || *m_at == '\n' || *m_at == '\r' || *m_at == '\t')) {
    ++m_at;
  }
  m_spaced |= m_at != start;
}

bool FastCheck::literal(std::string_view word)
{
  if (static_cast<std::size_t>(m_end - m_at) < word.size()
      || std::memcmp(m_at, word.data(), word.size()) != 0) {
    return false;
  }
  m_at += word.size();
  return true;
}

// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?; *integer: no fraction, no exponent, and
// within the signed 64-bit range.
bool FastCheck::number(bool* integer)
{
  const char* start = m_at;
  const auto digits = [&] {
    const char* from = m_at;
    while (m_at != m_end && *m_at >= '0' && *m_at <= '9') {
      ++m_at;
    }
    return m_at != from;
  };
  if (m_at != m_end && *m_at == '-') {
    ++m_at;
  }
  if (m_at != m_end && *m_at == '0') {
    ++m_at;
  } else if (!digits()) {
    return false;
  }
  bool whole = true;
  if (m_at != m_end && *m_at == '.') {
    ++m_at;
    whole = false;
    if (!digits()) {
      return false;
    }
  }
  if (m_at != m_end && (*m_at == 'e' || *m_at == 'E')) {
    ++m_at;
    whole = false;
    if (m_at != m_end && (*m_at == '+' || *m_at == '-')) {
      ++m_at;
    }
    if (!digits()) {
      return false;
    }
  }
  if (whole && m_at - start > 18) {
    std::int64_t ignored = 0;
    const auto [stop, ec] = std::from_chars(start, m_at, ignored);
    whole = ec == std::errc() && stop == m_at;
  }
  *integer = whole;
  return true;
}

// One UTF-8 sequence of 2 to 4 bytes at m_at (RFC 3629: no overlong forms, no surrogates,
// nothing past U+10FFFF).
bool FastCheck::utf8_sequence()
{
  const auto byte = [&](std::ptrdiff_t i) { return static_cast<unsigned char>(m_at[i]); };
  const unsigned char lead = byte(0);
  const std::ptrdiff_t left = m_end - m_at;
  const auto cont = [&](std::ptrdiff_t i, unsigned char low = 0x80, unsigned char high = 0xBF) {
    return i < left && byte(i) >= low && byte(i) <= high;
  };
  std::ptrdiff_t size = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    size = cont(1) ? 2 : 0;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    const unsigned char low = lead == 0xE0 ? 0xA0 : 0x80;
    const unsigned char high = lead == 0xED ? 0x9F : 0xBF;
    size = cont(1, low, high) && cont(2) ? 3 : 0;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    const unsigned char low = lead == 0xF0 ? 0x90 : 0x80;
    const unsigned char high = lead == 0xF4 ? 0x8F : 0xBF;
    size = cont(1, low, high) && cont(2) && cont(3) ? 4 : 0;
  }
  m_at += size;
  return size > 0;
}

// One escape at m_at (after the backslash), appended decoded to *out when out is given. A lone
// surrogate is left to the others (the positional reader refuses it, RapidJSON takes some).
bool FastCheck::escape(std::string* out)
{
  if (m_at == m_end) {
    return false;
  }
  const char c = *m_at++;
  static constexpr std::string_view k_from = "\"\\/bfnrt";
  static constexpr std::string_view k_to = "\"\\/\b\f\n\r\t";
  if (const std::size_t at = k_from.find(c); at != std::string_view::npos) {
    if (out) {
      *out += k_to[at];
    }
    return true;
  }
  const auto unit = [&](std::uint32_t* u) {
    if (m_end - m_at < 4) {
      return false;
    }
    *u = 0;
    for (int i = 0; i < 4; ++i) {
      const int h = hex_value(*m_at++);
      if (h < 0) {
        return false;
      }
      *u = *u * 16 + static_cast<std::uint32_t>(h);
    }
    return true;
  };
  std::uint32_t code = 0;
  if (c != 'u' || !unit(&code) || (code >= 0xDC00 && code <= 0xDFFF)) {
    return false;
  }
  if (code >= 0xD800 && code <= 0xDBFF) {
    std::uint32_t low = 0;
    if (m_end - m_at < 2 || m_at[0] != '\\' || m_at[1] != 'u') {
      return false;
    }
    m_at += 2;
    if (!unit(&low) || low < 0xDC00 || low > 0xDFFF) {
      return false;
    }
    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
  }
  if (out) {
    append_utf8(*out, code);
  }
  return true;
}

// Past the bytes a string may hold as they are: sixteen at a time (SSE2, part of every x86-64)
// or eight (elsewhere) while there are that many, the first byte that is not plain found from
// the block's mask; then byte by byte near the end of the text. Inline in string(), its only
// caller, which runs it for every string of a payload.
[[gnu::always_inline]] inline void FastCheck::skip_plain()
{
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i space = _mm_set1_epi8(0x20);
  while (m_end - m_at >= 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(m_at));
    // Signed: bytes from 0x80 up are negative, so "below 0x20" also takes every non-ASCII byte.
    const __m128i special = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)),
                                         _mm_cmplt_epi8(x, space));
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(special));
    if (mask != 0) {
      m_at += __builtin_ctz(mask);
      return;
    }
    m_at += 16;
  }
#else
  constexpr std::uint64_t k_ones = 0x0101010101010101ULL;
  constexpr std::uint64_t k_highs = 0x8080808080808080ULL;
  // The high bit of each byte that is zero; bytes above the first zero one may be marked too,
  // never one below it, so the lowest mark is exact.
  const auto zero_byte = [](std::uint64_t x) { return (x - k_ones) & ~x & k_highs; };
  while (m_end - m_at >= 8) {
    std::uint64_t x = 0;
    std::memcpy(&x, m_at, 8);
    const std::uint64_t special = zero_byte(x ^ (k_ones * '"')) | zero_byte(x ^ (k_ones * '\\'))
                                  | ((x - k_ones * 0x20) & ~x & k_highs) | (x & k_highs);
    if (special != 0) {
      if constexpr (std::endian::native == std::endian::little) {
        m_at += __builtin_ctzll(special) / 8;
        return;
      }
      break;
    }
    m_at += 8;
  }
#endif
  while (m_at != m_end && k_plain[static_cast<unsigned char>(*m_at)]) {
    ++m_at;
  }
}

// A string at m_at; with decoded, *decoded is its text (a view of the input when it holds no
// escape, else of m_scratch).
bool FastCheck::string(std::string_view* decoded)
{
  if (m_at == m_end || *m_at != '"') {
    return false;
  }
  const char* start = ++m_at;
  const char* run = start; // the text since the last escape
  bool escaped = false;
  while (true) {
    skip_plain();
    if (m_at == m_end) {
      return false;
    }
    const unsigned char c = static_cast<unsigned char>(*m_at);
    if (c == '"') {
      break;
    }
    if (c == '\\') {
      if (decoded) {
        if (!escaped) {
          m_scratch.clear();
        }
        m_scratch.append(run, m_at);
      }
      escaped = true;
      ++m_at;
      if (!escape(decoded ? &m_scratch : nullptr)) {
        return false;
      }
      run = m_at;
    } else if (c < 0x80 || !utf8_sequence()) {
      return false; // a control character, or not UTF-8
    }
  }
  if (decoded) {
    if (escaped) {
      m_scratch.append(run, m_at);
      *decoded = m_scratch;
    } else {
      *decoded = std::string_view(start, static_cast<std::size_t>(m_at - start));
    }
  }
  ++m_at;
  return true;
}

bool FastCheck::checked_string(const Type& type)
{
  std::string_view text;
  if (!string(&text)) {
    return false;
  }
  switch (type.kind) {
  case TypeKind::datetime:
    return is_isoformat(text);
  case TypeKind::uuid:
    return is_hyphenated_uuid(text) || canonical_uuid(text).has_value();
  case TypeKind::opaque_key:
    return is_valid_key(type.key, text);
  default:
    return false;
  }
}

// The payload rules of PayloadWalker::check, for a value at m_at (after any space).
bool FastCheck::value(const Type& type, bool nullable)
{
  if (m_at == m_end) {
    return false;
  }
  if (*m_at == 'n') {
    return nullable && literal("null");
  }
  bool integer = false;
  switch (type.kind) {
  case TypeKind::str:
  case TypeKind::bytes:
  case TypeKind::binary_io:
    return string(nullptr);
  case TypeKind::int_:
    return number(&integer) && integer;
  case TypeKind::float_:
    return number(&integer);
  case TypeKind::bool_:
    return *m_at == 't' ? literal("true") : literal("false");
  case TypeKind::datetime:
  case TypeKind::uuid:
  case TypeKind::opaque_key:
    return checked_string(type);
  case TypeKind::list:
    return list(*type.element);
  case TypeKind::dict:
    return dict(*type.element);
  case TypeKind::record:
    return record(*type.record);
  }
  return false;
}

// The ':' after a member's key, with the space around it.
bool FastCheck::colon()
{
  skip_space();
  if (m_at == m_end || *m_at != ':') {
    return false;
  }
  ++m_at;
  skip_space();
  return true;
}

bool FastCheck::list(const Type& element)
{
  return items('[', ']', [&] { return value(element, false); });
}

// A dict's keys are any strings, repeats included (the walker checks only the values).
bool FastCheck::dict(const Type& element)
{
  return items('{', '}', [&] { return string(nullptr) && colon() && value(element, false); });
}

bool FastCheck::record(const DataClass& cls)
{
  std::uint64_t seen = 0;
  const auto& fields = cls.fields;
  if (!members(
        fields.size(), [&](std::size_t i) -> const std::string& { return fields[i].name; },
        [&](std::size_t i) {
          return value(fields[i].type, fields[i].default_value.kind == DefaultKind::none);
        },
        &seen)) {
    return false;
  }
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if ((seen & (std::uint64_t{1} << i)) == 0 && !fields[i].default_value.optional()) {
      return false; // a required field missing
    }
  }
  return true;
}

// The top level: every data key, each a data class (never null).
bool FastCheck::data()
{
  std::uint64_t seen = 0;
  const auto& keys = m_event.data;
  const std::size_t count = keys.size();
  return members(
           count, [&](std::size_t i) -> const std::string& { return keys[i].name; },
           [&](std::size_t i) {
             return m_at != m_end && *m_at != 'n' && record(*keys[i].data_class);
           },
           &seen)
         && seen == (count == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << count) - 1);
}

} // namespace oex

#include "oex/keys/opaque_keys.hpp"

#include <array>
#include <algorithm>
#include <initializer_list>

#include "keys/opaque_key_locators.hpp"
#include "oex/util/text.hpp"
#include "keys/unicode_classes.hpp"

// A port of what opaque-keys 4.x and ccx-keys accept, one function per key grammar (the
// '+'-separated locators are in opaque_key_locators.cpp). Each parser returns upstream's str(key):
// the aside keys need the str() of the key they wrap.
namespace oex::opaque_keys {
namespace {

bool is_ascii_alnum(char32_t c)
{
  return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') || (c >= U'0' && c <= U'9');
}

// CheckFieldMixin's default [a-zA-Z0-9_\-.] (ASCII)
bool is_ascii_field(char32_t c)
{
  return is_ascii_alnum(c) || c == U'_' || c == U'-' || c == U'.';
}

// SLUG_REGEXP and its copies [\w\-.]
bool is_slug(char32_t c)
{
  return unicode::is_word(c) || c == U'-' || c == U'.';
}

// The library v2 fields use re.match('^[...]+$'), and '$' also matches before a final '\n'.
bool check_field(Text text, bool (*in_class)(char32_t))
{
  if (!text.empty() && text.back() == U'\n') {
    text.remove_suffix(1);
  }
  return all_of(text, in_class);
}

// CourseLocator._from_deprecated_string on the whole text: "org/course/run", run may be empty.
Key deprecated_course(Text text)
{
  const std::vector<Text> parts = split(text, U'/');
  if (parts.size() != 3 || !all_of(parts[0], is_deprecated_part)
      || !all_of(parts[1], is_deprecated_part)
      || !std::all_of(parts[2].begin(), parts[2].end(), is_deprecated_part)) {
    return std::nullopt;
  }
  return std::u32string(text);
}

// location: exactly five '+'-separated IDs.
Key location(Text rest)
{
  const std::vector<Text> parts = split(rest, U'+');
  if (parts.size() != 5
      || !std::all_of(parts.begin(), parts.end(), [](Text p) { return all_of(p, is_id); })) {
    return std::nullopt;
  }
  return concat(U"location:", rest);
}

// BlockUsageLocator._from_deprecated_string: i4x://org/course/category/name[@revision]. The
// category is never checked: anything without '/' will do.
Key deprecated_usage(Text text)
{
  if (!text.starts_with(U"i4x://")) {
    return std::nullopt;
  }
  Text parts[3];
  Text tail = text.substr(6);
  for (Text& part : parts) {
    const std::size_t slash = tail.find(U'/');
    if (slash == 0 || slash == Text::npos) {
      return std::nullopt;
    }
    part = tail.substr(0, slash);
    tail = tail.substr(slash + 1);
  }
  const std::size_t at = tail.find(U'@');
  const Text name = tail.substr(0, at);
  if (!all_of(parts[0], is_deprecated_part) || !all_of(parts[1], is_deprecated_part)
      || !all_of(name, is_block_id)
      || (at != Text::npos && !all_of(tail.substr(at + 1), is_block_id))) {
    return std::nullopt;
  }
  return std::u32string(text);
}

// The library v2 keys: ':'-separated fields, each with its class and the '$' quirk.
Key v2_key(Text namespace_name, Text rest, std::initializer_list<bool (*)(char32_t)> fields)
{
  const std::vector<Text> parts = split(rest, U':');
  if (parts.size() != fields.size()) {
    return std::nullopt;
  }
  auto in_class = fields.begin();
  for (Text part : parts) {
    if (!check_field(part, *in_class++)) {
      return std::nullopt;
    }
  }
  return concat(namespace_name, U":", rest);
}

Key lib(Text rest)
{
  return v2_key(U"lib", rest, {is_ascii_field, is_slug});
}

Key lb(Text rest)
{
  return v2_key(U"lb", rest, {is_ascii_field, is_slug, is_ascii_field, is_slug});
}

Key lib_collection(Text rest)
{
  return v2_key(U"lib-collection", rest, {is_ascii_field, is_slug, is_slug});
}

Key lct(Text rest)
{
  return v2_key(U"lct", rest, {is_ascii_field, is_slug, is_ascii_field, is_slug});
}

// Parses text as one of the namespaces: the namespace is the text before the first ':'.
struct Namespace
{
  Text name;
  Key (*parse)(Text rest);
};

Key dispatch(Text text, std::initializer_list<Namespace> namespaces)
{
  const std::size_t colon = text.find(U':');
  if (colon == Text::npos) {
    return std::nullopt;
  }
  for (const Namespace& ns : namespaces) {
    if (ns.name == text.substr(0, colon)) {
      return ns.parse(text.substr(colon + 1));
    }
  }
  return std::nullopt;
}

// CourseKey.from_string: a namespace, or after any failure the deprecated "org/course/run".
Key course_key(Text text)
{
  Key key = dispatch(text, {{U"course-v1", course_v1},
                            {U"slashes", course_v1},
                            {U"library-v1", library_v1},
                            {U"ccx-v1", ccx_v1}});
  return key ? key : deprecated_course(text);
}

Key aside_usage_v1(Text rest);
Key aside_usage_v2(Text rest);

// UsageKey.from_string: a namespace, or after any failure the deprecated i4x:// form.
Key usage_key(Text text)
{
  Key key = dispatch(text, {{U"block-v1", block_v1},
                            {U"lib-block-v1", lib_block_v1},
                            {U"lb", lb},
                            {U"location", location},
                            {U"aside-usage-v1", aside_usage_v1},
                            {U"aside-usage-v2", aside_usage_v2},
                            {U"ccx-block-v1", ccx_block_v1}});
  return key ? key : deprecated_usage(text);
}

// ---- aside keys (asides.py): a usage key and an aside type, escaped and joined by "::"

// Python's str.replace: left to right, non-overlapping, one pass.
std::u32string replace(Text text, Text from, Text to)
{
  std::u32string out;
  for (std::size_t start = 0;;) {
    const std::size_t at = text.find(from, start);
    out.append(text.substr(start, at == Text::npos ? Text::npos : at - start));
    if (at == Text::npos) {
      return out;
    }
    out.append(to);
    start = at + from.size();
  }
}

std::u32string encode_v1(Text value)
{
  return replace(replace(value, U"$", U"$$"), U"::", U"$::");
}

// Upstream decodes, then refuses text that does not encode back to itself.
std::optional<std::u32string> decode_v1(Text value)
{
  std::u32string decoded = replace(replace(value, U"$::", U"::"), U"$$", U"$");
  return encode_v1(decoded) == value ? std::optional(decoded) : std::nullopt;
}

std::u32string encode_v2(Text value)
{
  return replace(replace(value, U"$", U"$$"), U":", U"$:");
}

// Every ':' must be escaped as "$:", and after unescaping them every run of '$' must be even.
std::optional<std::u32string> decode_v2(Text value)
{
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] == U':' && (i == 0 || value[i - 1] != U'$')) {
      return std::nullopt;
    }
  }
  const std::u32string colons = replace(value, U"$:", U":");
  for (std::size_t i = 0; i < colons.size();) {
    const std::size_t end = std::min(colons.find_first_not_of(U'$', i), colons.size());
    if ((end - i) % 2 != 0) {
      return std::nullopt;
    }
    i = end == i ? i + 1 : end;
  }
  return replace(colons, U"$$", U"$");
}

bool is_aside(Text text)
{
  return text.starts_with(U"aside-usage-v1:") || text.starts_with(U"aside-usage-v2:");
}

// Split at the first "::"; the wrapped key's str() must not hold "::" nor end with ':'. An aside
// key's str() always holds "::", so it is refused without parsing it (which also keeps the
// recursion shallow: "aside-usage-v1:" repeated needs no escaping).
Key aside_usage_v1(Text rest)
{
  const std::size_t separator = rest.find(U"::");
  const Text left = rest.substr(0, separator);
  const Text right = separator == Text::npos ? Text() : rest.substr(separator + 2);
  const std::optional<std::u32string> usage = decode_v1(left);
  const std::optional<std::u32string> aside_type = decode_v1(right);
  if (!usage || !aside_type || is_aside(*usage)) {
    return std::nullopt;
  }
  const Key inner = usage_key(*usage);
  if (!inner || inner->find(U"::") != std::u32string::npos || inner->ends_with(U':')) {
    return std::nullopt;
  }
  return concat(U"aside-usage-v1:", encode_v1(*inner), U"::", encode_v1(*aside_type));
}

// Split at the last "::". Each level of nesting doubles the '$', so the recursion depth grows
// only with the logarithm of the length.
Key aside_usage_v2(Text rest)
{
  const std::size_t separator = rest.rfind(U"::");
  const Text left = separator == Text::npos ? Text() : rest.substr(0, separator);
  const Text right = separator == Text::npos ? rest : rest.substr(separator + 2);
  const std::optional<std::u32string> usage = decode_v2(left);
  const std::optional<std::u32string> aside_type = decode_v2(right);
  const Key inner = usage && aside_type ? usage_key(*usage) : std::nullopt;
  if (!inner) {
    return std::nullopt;
  }
  return concat(U"aside-usage-v2:", encode_v2(*inner), U"::", encode_v2(*aside_type));
}

// <Key>.from_string for the class each kind names.
Key parse_key(KeyKind kind, Text text)
{
  switch (kind) {
  case KeyKind::course_key:
    return course_key(text);
  case KeyKind::usage_key:
    return usage_key(text);
  case KeyKind::ccx_locator: // the inherited fallback makes CourseLocators, not CCXLocators
    return dispatch(text, {{U"ccx-v1", ccx_v1}});
  case KeyKind::library_locator_v2:
    return dispatch(text, {{U"lib", lib}});
  case KeyKind::library_usage_locator_v2:
    return dispatch(text, {{U"lb", lb}});
  case KeyKind::library_collection_locator:
    return dispatch(text, {{U"lib-collection", lib_collection}});
  case KeyKind::library_container_locator:
    return dispatch(text, {{U"lct", lct}});
  }
  return std::nullopt;
}

} // namespace
} // namespace oex::opaque_keys

namespace oex {

namespace {

// The bytes of ascii_part, one table lookup a byte: bit 1 [A-Za-z0-9_\-.], bit 2 '~' and ':'.
constexpr std::array<unsigned char, 256> ascii_part_bytes = [] {
  std::array<unsigned char, 256> table{};
  for (int c = 0; c < 256; ++c) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (alnum || c == '_' || c == '-' || c == '.') {
      table[static_cast<std::size_t>(c)] = 1;
    } else if (c == '~' || c == ':') {
      table[static_cast<std::size_t>(c)] = 2;
    }
  }
  return table;
}();

// [A-Za-z0-9_\-.]+, and '~' and ':' too when locator (an ID of Locator.ALLOWED_ID_CHARS in
// ASCII; without them, a library v2 field, where is_ascii_field and is_slug agree on ASCII).
// Advances text past it; false when it is empty.
bool ascii_part(std::string_view& text, bool locator = true)
{
  const unsigned char allowed = locator ? 3 : 1;
  std::size_t n = 0;
  while (n < text.size()
         && (ascii_part_bytes[static_cast<unsigned char>(text[n])] & allowed) != 0) {
    ++n;
  }
  text.remove_prefix(n);
  return n > 0;
}

bool take(std::string_view& text, std::string_view prefix)
{
  if (!text.starts_with(prefix)) {
    return false;
  }
  text.remove_prefix(prefix.size());
  return true;
}

// The usual spellings, in ASCII, which from_string always takes: "course-v1:ORG+COURSE+RUN",
// "block-v1:ORG+COURSE+RUN+type@TYPE+block@ID", "ccx-v1:ORG+COURSE+RUN+ccx@N", and the library v2 keys with their fields
// ("lib:ORG:SLUG", ...). True only for those; anything else (false) goes to the full grammar. A
// test holds this to parse_key on many mutations.
bool usual_key(KeyKind kind, std::string_view text)
{
  const auto v2 = [&](std::string_view name, int fields) {
    if (!take(text, name) || !ascii_part(text, false)) {
      return false;
    }
    for (int i = 1; i < fields; ++i) {
      if (!take(text, ":") || !ascii_part(text, false)) {
        return false;
      }
    }
    return text.empty();
  };
  switch (kind) {
  case KeyKind::library_locator_v2:
    return v2("lib:", 2);
  case KeyKind::library_usage_locator_v2:
    return v2("lb:", 4);
  case KeyKind::library_collection_locator:
    return v2("lib-collection:", 3);
  case KeyKind::library_container_locator:
    return v2("lct:", 4);
  case KeyKind::ccx_locator: {
    // "ccx-v1:ORG+COURSE+RUN+ccx@N", N in ASCII digits
    if (!(take(text, "ccx-v1:") && ascii_part(text) && take(text, "+") && ascii_part(text)
          && take(text, "+") && ascii_part(text) && take(text, "+ccx@") && !text.empty())) {
      return false;
    }
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  }
  case KeyKind::course_key:
  case KeyKind::usage_key:
    break;
  default:
    return false;
  }
  const bool block = kind == KeyKind::usage_key;
  if (!take(text, block ? "block-v1:" : "course-v1:")
      || !(ascii_part(text) && take(text, "+") && ascii_part(text) && take(text, "+")
           && ascii_part(text))) {
    return false;
  }
  if (block
      && !(take(text, "+type@") && ascii_part(text) && take(text, "+block@") && ascii_part(text))) {
    return false;
  }
  return text.empty();
}

} // namespace

bool is_valid_key(KeyKind kind, std::string_view text)
{
  if (usual_key(kind, text)) {
    return true;
  }
  const std::optional<std::u32string> code_points = unicode::decode_utf8(text);
  return code_points && opaque_keys::parse_key(kind, *code_points);
}

std::optional<std::string> canonical_key(KeyKind kind, std::string_view text)
{
  const std::optional<std::u32string> code_points = unicode::decode_utf8(text);
  const opaque_keys::Key key = code_points ? opaque_keys::parse_key(kind, *code_points) : std::nullopt;
  if (!key) {
    return std::nullopt;
  }
  std::string out; // UTF-8 of the code points (valid: they came from UTF-8)
  for (const char32_t c : *key) {
    append_utf8(out, c);
  }
  return out;
}

bool is_usual_canonical_key(KeyKind kind, std::string_view text)
{
  // str(key) spells these exactly as they are written (tests/unit/keys/test_opaque_keys.cpp
  // holds this to canonical_key, which always parses in full)
  return usual_key(kind, text);
}

std::string_view key_form(KeyKind kind)
{
  switch (kind) {
  case KeyKind::course_key:
    return "course-v1:ORG+COURSE+RUN";
  case KeyKind::usage_key:
    return "block-v1:ORG+COURSE+RUN+type@TYPE+block@ID";
  case KeyKind::ccx_locator:
    return "ccx-v1:ORG+COURSE+RUN+ccx@N";
  case KeyKind::library_locator_v2:
    return "lib:ORG:SLUG";
  case KeyKind::library_usage_locator_v2:
    return "lb:ORG:SLUG:TYPE:ID";
  case KeyKind::library_collection_locator:
    return "lib-collection:ORG:SLUG:ID";
  case KeyKind::library_container_locator:
    return "lct:ORG:SLUG:TYPE:ID";
  }
  return "?";
}

} // namespace oex

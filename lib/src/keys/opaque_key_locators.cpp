#include "keys/opaque_key_locators.hpp"

#include <algorithm>
#include <array>

#include "keys/unicode_classes.hpp"

namespace oex::opaque_keys {

// Locator.ALLOWED_ID_CHARS [\w\-~.:]
bool is_id(char32_t c)
{
  return unicode::is_word(c) || c == U'-' || c == U'~' || c == U'.' || c == U':';
}

// BLOCK_ALLOWED_ID_CHARS / DEPRECATED_ALLOWED_ID_CHARS [\w\-~.:%]
bool is_block_id(char32_t c)
{
  return is_id(c) || c == U'%';
}

// What INVALID_CHARS_DEPRECATED [^\w.%-] leaves: the parts of "org/course/run" and i4x org, course.
bool is_deprecated_part(char32_t c)
{
  return unicode::is_word(c) || c == U'.' || c == U'%' || c == U'-';
}

bool all_of(Text text, bool (*in_class)(char32_t))
{
  return !text.empty() && std::all_of(text.begin(), text.end(), in_class);
}

std::vector<Text> split(Text text, char32_t separator)
{
  std::vector<Text> parts;
  for (std::size_t start = 0;;) {
    const std::size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == Text::npos ? Text::npos : end - start));
    if (end == Text::npos) {
      return parts;
    }
    start = end + 1;
  }
}

namespace {

bool is_lower_hex(char32_t c)
{
  return (c >= U'0' && c <= U'9') || (c >= U'a' && c <= U'f');
}

bool is_hex(char32_t c)
{
  return is_lower_hex(c) || (c >= U'A' && c <= U'F');
}

bool is_decimal(char32_t c)
{
  return unicode::is_decimal(c);
}

// BlockLocatorBase.URL_RE, or the CCX variant (case-insensitive, a mandatory ccx@ segment).
enum class Grammar { plain, ccx };

// The groups of URL_RE that matched.
struct Url
{
  std::optional<Text> org, course, run, branch, version, ccx, block_type, block_id;
};

// The CCX regexes are IGNORECASE; in Unicode mode Python then also lets 'İ' and 'ı' match 'i',
// 'ſ' match 's' and the Kelvin sign match 'k' (found by brute force over all code points).
bool same_ignoring_case(Text text, Text name)
{
  if (text.size() != name.size()) {
    return false;
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char32_t c = text[i];
    const char32_t n = name[i]; // a lowercase ASCII letter
    const bool folds = (n == U'i' && (c == 0x130 || c == 0x131)) || (n == U's' && c == 0x17f)
                       || (n == U'k' && c == 0x212a);
    if (c != n && c != n - (U'a' - U'A') && !folds) {
      return false;
    }
  }
  return true;
}

enum class Field { branch, version, ccx, type, block };

// The value of a "prefix@value" segment, per field and grammar.
bool valid_value(Field field, Text value, Grammar grammar)
{
  switch (field) {
  case Field::branch:
  case Field::type:
    return all_of(value, is_id);
  case Field::version:
    return all_of(value, grammar == Grammar::ccx ? is_hex : is_lower_hex);
  case Field::ccx:
    return all_of(value, is_decimal); // \d: any Unicode decimal digit
  case Field::block:
    return all_of(value, grammar == Grammar::ccx ? is_id : is_block_id);
  }
  return false;
}

// URL_RE without a regex: IDs never hold '+' or '@', so the text splits at '+' into 0, 2 or 3
// plain IDs (org, course, run) and then "prefix@value" segments in a fixed order, each at most
// once, ccx@ mandatory in the CCX grammar, block@ last.
std::optional<Url> parse_url(Text rest, Grammar grammar)
{
  Url url;
  if (rest.empty()) {
    return grammar == Grammar::ccx ? std::nullopt : std::optional<Url>(url);
  }
  const std::vector<Text> segments = split(rest, U'+');
  if (std::any_of(segments.begin(), segments.end(), [](Text s) { return s.empty(); })) {
    return std::nullopt;
  }
  std::size_t plain = 0;
  while (plain < segments.size() && segments[plain].find(U'@') == Text::npos) {
    ++plain;
  }
  if (plain == 1 || plain > 3) {
    return std::nullopt;
  }
  for (std::size_t i = 0; i < plain; ++i) {
    if (!all_of(segments[i], is_id)) {
      return std::nullopt;
    }
  }
  if (plain >= 2) {
    url.org = segments[0];
    url.course = segments[1];
  }
  if (plain == 3) {
    url.run = segments[2];
  }
  struct Prefix
  {
    Field field;
    Text name;
    std::optional<Text> Url::*group;
  };
  static constexpr std::array<Prefix, 5> k_order = {{
    {Field::branch, U"branch", &Url::branch},
    {Field::version, U"version", &Url::version},
    {Field::ccx, U"ccx", &Url::ccx},
    {Field::type, U"type", &Url::block_type},
    {Field::block, U"block", &Url::block_id},
  }};
  std::size_t next = 0;
  for (std::size_t i = plain; i < segments.size(); ++i) {
    const std::size_t at = segments[i].find(U'@');
    if (at == Text::npos) {
      return std::nullopt; // a plain ID after the prefixed segments
    }
    const Text prefix = segments[i].substr(0, at);
    const Text value = segments[i].substr(at + 1);
    for (;; ++next) {
      if (next == k_order.size()) {
        return std::nullopt;
      }
      const Prefix& candidate = k_order[next];
      if (candidate.field == Field::ccx && grammar == Grammar::plain) {
        continue;
      }
      if (grammar == Grammar::ccx ? same_ignoring_case(prefix, candidate.name)
                                  : prefix == candidate.name) {
        break;
      }
      if (candidate.field == Field::ccx) {
        return std::nullopt; // ccx@ cannot be skipped
      }
    }
    const Prefix& found = k_order[next++];
    if (!valid_value(found.field, value, grammar)
        || (found.field == Field::block && i + 1 != segments.size())) {
      return std::nullopt;
    }
    url.*found.group = value;
  }
  if (grammar == Grammar::ccx && !url.ccx) {
    return std::nullopt;
  }
  return url;
}

std::u32string lowercase_hex(Text hex)
{
  std::u32string out(hex);
  for (char32_t& c : out) {
    if (c >= U'A' && c <= U'F') {
      c += U'a' - U'A';
    }
  }
  return out;
}

// CourseLocator (and CCXLocator) from URL_RE's groups, as its _to_string() prints it. A version
// must be a bson ObjectId (24 hex digits); without one, org, course and run are required.
Key course_part(const Url& url)
{
  if (url.version ? url.version->size() != 24 : !(url.org && url.course && url.run)) {
    return std::nullopt;
  }
  std::vector<std::u32string> parts;
  if (url.course && url.run) {
    parts = {std::u32string(*url.org), std::u32string(*url.course), std::u32string(*url.run)};
    if (url.branch) {
      parts.push_back(concat(U"branch@", *url.branch));
    }
  }
  if (url.version) {
    parts.push_back(concat(U"version@", lowercase_hex(*url.version)));
  }
  std::u32string out;
  for (const std::u32string& part : parts) {
    out += out.empty() ? part : concat(U"+", part);
  }
  if (url.ccx) {
    out += concat(U"+ccx@", *url.ccx);
  }
  return out;
}

// LibraryLocator: the course group is the library, a run group is ignored.
Key library_part(const Url& url)
{
  if (url.version ? url.version->size() != 24 : !(url.org && url.course)) {
    return std::nullopt;
  }
  std::u32string out;
  if (url.course) {
    out = concat(*url.org, U"+", *url.course);
    if (url.branch) {
      out += concat(U"+branch@", *url.branch);
    }
  }
  if (url.version) {
    out += concat(out.empty() ? U"" : U"+", U"version@", *url.version);
  }
  return out;
}

// course-v1:, slashes: and ccx-v1: (type@/block@ segments are parsed and dropped).
Key course_locator(Text rest, Grammar grammar)
{
  const std::optional<Url> url = parse_url(rest, grammar);
  const Key part = url ? course_part(*url) : std::nullopt;
  if (!part) {
    return std::nullopt;
  }
  return concat(grammar == Grammar::ccx ? U"ccx-v1:" : U"course-v1:", *part);
}

std::u32string block_suffix(const Url& url)
{
  return concat(U"+type@", url.block_type ? *url.block_type : U"None", U"+block@", *url.block_id);
}

// block-v1: and ccx-block-v1: the course part must parse; block@ is required and is checked
// again against ALLOWED_ID_RE, which has no '%'; type@ is optional.
Key block_usage(Text rest, Grammar grammar)
{
  const std::optional<Url> url = parse_url(rest, grammar);
  const Key part = url ? course_part(*url) : std::nullopt;
  if (!part || !url->block_id || !all_of(*url->block_id, is_id)) {
    return std::nullopt;
  }
  return concat(grammar == Grammar::ccx ? U"ccx-block-v1:" : U"block-v1:", *part,
                block_suffix(*url));
}

} // namespace

Key course_v1(Text rest)
{
  return course_locator(rest, Grammar::plain);
}

Key ccx_v1(Text rest)
{
  return course_locator(rest, Grammar::ccx);
}

Key library_v1(Text rest)
{
  const std::optional<Url> url = parse_url(rest, Grammar::plain);
  const Key part = url ? library_part(*url) : std::nullopt;
  return part ? Key(concat(U"library-v1:", *part)) : std::nullopt;
}

Key block_v1(Text rest)
{
  return block_usage(rest, Grammar::plain);
}

Key ccx_block_v1(Text rest)
{
  return block_usage(rest, Grammar::ccx);
}

// lib-block-v1: a LibraryLocator part, and both type@ and block@ (without '%').
Key lib_block_v1(Text rest)
{
  const std::optional<Url> url = parse_url(rest, Grammar::plain);
  const Key part = url ? library_part(*url) : std::nullopt;
  if (!part || !url->block_type || !url->block_id || !all_of(*url->block_id, is_id)) {
    return std::nullopt;
  }
  return concat(U"lib-block-v1:", *part, block_suffix(*url));
}

} // namespace oex::opaque_keys

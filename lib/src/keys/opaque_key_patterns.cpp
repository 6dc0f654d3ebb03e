#include <initializer_list>
#include <string>
#include <string_view>

#include "oex/keys/opaque_keys.hpp"
#include "oex/util/text.hpp"

// Regular expressions for the key grammars of opaque_keys.cpp, for JSON Schema "pattern".
//
// They use only what Python's re and ECMAScript share. \w and \d are Unicode classes in Python
// (as upstream's, so Python 3.11 agrees with is_valid_key on non-ASCII text too) but ASCII in
// ECMAScript, which therefore refuses non-ASCII letters and digits that upstream accepts.
// whole_string_pattern() anchors them (Python's '$' also matches before a final '\n').
//
// On ASCII text the patterns accept exactly what is_valid_key accepts, with one gap: an aside
// key inside an aside-usage-v2 key is only checked for its namespace and its escaping. Each level
// of aside nesting escapes the one inside it again, which no regular expression can follow to any
// depth; one level (a usage key inside an aside key) is exact.
namespace oex {
namespace {

// How the usage key inside an aside key is escaped: aside-usage-v1 doubles '$' and the wrapped
// key may hold no "::" (it is split at the first one); aside-usage-v2 doubles '$' and writes
// ':' as "$:". Only ':' and '$' change, so only the pieces that can hold them differ.
enum class Escape { none, aside_v1, aside_v2 };

// The characters of Python's re inside a class; in ECMAScript's too.
constexpr const char* k_id = R"(\w~.)";             // Locator.ALLOWED_ID_CHARS less ':' and '-'
constexpr const char* k_block_id = R"(\w~.%)";      // BLOCK_ALLOWED_ID_CHARS less ':' and '-'
constexpr const char* k_deprecated = R"([\w.%-]+)"; // "org/course/run" parts, i4x org and course
constexpr const char* k_ascii_field = R"([A-Za-z0-9_.-]+\n?)"; // '$' allows one final '\n'
constexpr const char* k_slug = R"([\w.-]+\n?)";
constexpr const char* k_any_v1 = R"((?:[^$:]|\$\$|\$::|:(?!:|\$::))*)"; // what decode_v1 takes
constexpr const char* k_any_v2 = R"((?:[^$:]|\$\$|\$:)*)";              // what decode_v2 takes

std::string colon(Escape escape)
{
  switch (escape) {
  case Escape::none:
    return ":";
  case Escape::aside_v1:
    return ":(?=[^:])"; // the wrapped key ends before the first "::" and not with ':'
  case Escape::aside_v2:
    return R"(\$:)";
  }
  return ":";
}

// One or more characters of a class that also holds ':' and '-'.
std::string with_colon(Escape escape, const char* members)
{
  if (escape == Escape::none) {
    return std::string("[") + members + ":-]+";
  }
  return std::string("(?:[") + members + "-]|" + colon(escape) + ")+";
}

// The i4x category: anything without '/'.
std::string category(Escape escape)
{
  switch (escape) {
  case Escape::none:
    return "[^/]+";
  case Escape::aside_v1:
    return R"((?:[^/$:]|\$\$|:(?=[^:]))+)";
  case Escape::aside_v2:
    return R"((?:[^/$:]|\$\$|\$:)+)";
  }
  return "[^/]+";
}

enum class Grammar { course, library, ccx };

// A URL_RE prefix such as "branch@": literal, or case-insensitive for the CCX grammar, where
// Python's Unicode IGNORECASE also lets 'İ' 'ı' match i, 'ſ' match s and the Kelvin sign k.
std::string prefix(std::string_view name, Grammar grammar)
{
  if (grammar != Grammar::ccx) {
    return std::string(name) + "@";
  }
  std::string out;
  for (char c : name) {
    const char upper = static_cast<char>(c - 'a' + 'A');
    out += c == 'i'   ? "[iI\u0130\u0131]"
           : c == 's' ? "[sS\u017f]"
           : c == 'k' ? "[kK\u212a]"
                      : std::string("[") + c + upper + "]";
  }
  return out + "@";
}

// The course (or library) part of a '+'-separated locator: org+course+run with an optional
// branch@ and version@, or a version@ (24 hex digits) with or without the others. Libraries
// need no run (it is ignored).
std::string locator_head(Grammar grammar, Escape escape)
{
  const bool ccx = grammar == Grammar::ccx;
  const std::string id = with_colon(escape, k_id);
  const std::string branch = prefix("branch", grammar) + id;
  const std::string version =
    prefix("version", grammar) + (ccx ? "[0-9A-Fa-f]{24}" : "[0-9a-f]{24}");
  const std::string two_or_three = id + R"(\+)" + id + R"((?:\+)" + id + ")?";
  const std::string named =
    grammar == Grammar::library ? two_or_three : id + R"(\+)" + id + R"(\+)" + id;
  const std::string with_version =
    grammar == Grammar::library ? "" : "(?:" + two_or_three + R"(\+)?)";
  return "(?:" + named + R"((?:\+)" + branch + R"()?(?:\+)" + version + ")?|" + with_version
         + "(?:" + branch + R"(\+)?)" + version + ")"
         + (ccx ? R"(\+)" + prefix("ccx", grammar) + R"(\d+)" : "");
}

// The type@ and block@ segments that follow; usage keys require block@ (without '%').
enum class Segment { optional, required };

std::string locator_tail(Grammar grammar, Escape escape, Segment block, Segment type)
{
  const bool ccx = grammar == Grammar::ccx;
  const std::string id = with_colon(escape, k_id);
  const std::string type_segment = prefix("type", grammar) + id;
  if (block == Segment::optional) {
    const std::string block_id = ccx ? id : with_colon(escape, k_block_id);
    return R"((?:\+)" + type_segment + R"()?(?:\+)" + prefix("block", grammar) + block_id + ")?";
  }
  const std::string type_then = type_segment + R"(\+)";
  return R"(\+)" + (type == Segment::required ? type_then : "(?:" + type_then + ")?")
         + prefix("block", grammar) + id;
}

std::string namespaced(std::string_view name, Escape escape, const std::string& rest)
{
  return std::string(name) + colon(escape) + rest;
}

std::string v2_fields(std::string_view name, Escape escape,
                      std::initializer_list<const char*> fields)
{
  std::string out(name);
  for (const char* field : fields) {
    out += colon(escape) + field;
  }
  return out;
}

std::string usage_key(Escape escape);

// aside-usage-v1 and -v2 around a usage key; inside an aside-usage-v2 key, loosely.
std::string aside_keys(Escape escape)
{
  switch (escape) {
  case Escape::none:
    return "aside-usage-v1:" + usage_key(Escape::aside_v1) + "(?:::" + k_any_v1
           + ")?|aside-usage-v2:" + usage_key(Escape::aside_v2) + "::" + k_any_v2;
  case Escape::aside_v1:
    return ""; // refused: an aside key's str() holds "::"
  case Escape::aside_v2:
    return std::string(R"(aside-usage-v[12]\$:)") + k_any_v2;
  }
  return "";
}

std::string usage_key(Escape escape)
{
  const std::string asides = aside_keys(escape);
  const std::string id = with_colon(escape, k_id);
  return "(?:"
         + namespaced(
           "block-v1", escape,
           locator_head(Grammar::course, escape)
             + locator_tail(Grammar::course, escape, Segment::required, Segment::optional))
         + "|"
         + namespaced(
           "lib-block-v1", escape,
           locator_head(Grammar::library, escape)
             + locator_tail(Grammar::library, escape, Segment::required, Segment::required))
         + "|"
         + namespaced("ccx-block-v1", escape,
                      locator_head(Grammar::ccx, escape)
                        + locator_tail(Grammar::ccx, escape, Segment::required, Segment::optional))
         + "|" + v2_fields("lb", escape, {k_ascii_field, k_slug, k_ascii_field, k_slug}) + "|"
         + namespaced("location", escape,
                      id + R"(\+)" + id + R"(\+)" + id + R"(\+)" + id + R"(\+)" + id)
         + "|i4x" + colon(escape) + "//" + k_deprecated + "/" + k_deprecated + "/"
         + category(escape) + "/" + with_colon(escape, k_block_id) + "(?:@"
         + with_colon(escape, k_block_id) + ")?" + (asides.empty() ? "" : "|" + asides) + ")";
}

std::string course_key()
{
  const Escape none = Escape::none;
  return "(?:(?:course-v1|slashes):" + locator_head(Grammar::course, none)
         + locator_tail(Grammar::course, none, Segment::optional, Segment::optional)
         + "|library-v1:" + locator_head(Grammar::library, none)
         + locator_tail(Grammar::library, none, Segment::optional, Segment::optional)
         + "|ccx-v1:" + locator_head(Grammar::ccx, none)
         + locator_tail(Grammar::ccx, none, Segment::optional, Segment::optional) + "|"
         + k_deprecated + "/" + k_deprecated + R"(/[\w.%-]*)" + ")";
}

} // namespace

std::string key_pattern(KeyKind kind)
{
  const Escape none = Escape::none;
  std::string body;
  switch (kind) {
  case KeyKind::course_key:
    body = course_key();
    break;
  case KeyKind::usage_key:
    body = usage_key(none);
    break;
  case KeyKind::ccx_locator:
    body = "ccx-v1:" + locator_head(Grammar::ccx, none)
           + locator_tail(Grammar::ccx, none, Segment::optional, Segment::optional);
    break;
  case KeyKind::library_locator_v2:
    body = v2_fields("lib", none, {k_ascii_field, k_slug});
    break;
  case KeyKind::library_usage_locator_v2:
    body = v2_fields("lb", none, {k_ascii_field, k_slug, k_ascii_field, k_slug});
    break;
  case KeyKind::library_collection_locator:
    body = v2_fields("lib-collection", none, {k_ascii_field, k_slug, k_slug});
    break;
  case KeyKind::library_container_locator:
    body = v2_fields("lct", none, {k_ascii_field, k_slug, k_ascii_field, k_slug});
    break;
  }
  return whole_string_pattern(body);
}

} // namespace oex

#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oex {

enum class JsonKind { null, boolean, number, string, array, object };

struct JsonMember;

// A JSON value that remembers where it stood in the input: the slow, exact reading used to
// place findings and syntax errors (the fast path uses RapidJSON and no positions).
struct JsonValue
{
  JsonKind kind = JsonKind::null;
  std::size_t offset = 0;          // byte offset of the value's first character
  bool boolean = false;            // kind == boolean
  std::string text;                // kind == string: decoded UTF-8; kind == number: as written
  std::vector<JsonMember> members; // kind == object, in input order (duplicates kept)
  std::vector<JsonValue> elements; // kind == array
};

struct JsonMember
{
  std::string key;
  std::size_t key_offset = 0;
  JsonValue value;
};

// Nesting deeper than this is refused (CPython's json gives up near 1000 as well).
inline constexpr std::size_t k_json_max_depth = 1024;

struct JsonParseResult
{
  std::optional<JsonValue> value;
  std::size_t error_offset = 0; // where the problem is, when value is empty
  std::string error;            // "unexpected end of input", ...
};

// text (valid JSON) without insignificant whitespace; values are kept exactly as written.
std::string minify_json(std::string_view text);

// Parses one JSON document (RFC 8259, strict: no comments, no trailing commas, no NaN, no lone
// surrogates, valid UTF-8). Integers of any size are kept as text.
JsonParseResult parse_json_with_positions(std::string_view text);

} // namespace oex

namespace oex {

// The byte offset of what a path such as "events[3].data.thing" names in root: the value, or
// with at_key the member's key. A member name may hold dots ("a.b" is tried as one key before
// "a" then "b"). Where the path leaves the document, the offset of the deepest value reached.
std::size_t json_path_offset(const JsonValue& root, std::string_view path, bool at_key = false);

// json_path_offset for many paths into one document: each object's keys are indexed the first
// time a path goes through it, so that placing a path costs about its length however large the
// objects are. Keeps a reference to root.
class JsonPlaces
{
public:
  explicit JsonPlaces(const JsonValue& root);
  ~JsonPlaces();
  JsonPlaces(const JsonPlaces&) = delete;
  JsonPlaces& operator=(const JsonPlaces&) = delete;
  JsonPlaces(JsonPlaces&&) noexcept;
  JsonPlaces& operator=(JsonPlaces&&) = delete;

  std::size_t offset(std::string_view path, bool at_key = false);

private:
  struct Index;
  const JsonValue& m_root;
  std::unique_ptr<Index> m_index;
};

// A key that appears again in the same object: the path of the object ("" for the top level,
// "events[0].data"), the key, and the offset of its second (or later) appearance.
struct DuplicateKey
{
  std::string path;
  std::string key;
  std::size_t offset = 0;
};

// Every repeated key in the document, in document order.
std::vector<DuplicateKey> duplicate_keys(const JsonValue& root);

} // namespace oex

#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "oex/catalog/types.hpp"

namespace oex {
struct EventType;
}

namespace oex::avro {

// The Avro types (specification 1.11): primitives, then complex types.
enum class Kind {
  null,
  boolean,
  int_,
  long_,
  float_,
  double_,
  bytes,
  string,
  record,
  enum_,
  array,
  map,
  union_,
  fixed,
};

// The Avro name of a kind: "null", "long", "record", "union", ...
std::string_view kind_name(Kind kind);

// What a string holds when the schema comes from the catalog: the encoder writes datetimes as
// Python's isoformat() of the parsed value, UUIDs and opaque keys in canonical form (str()).
// Never in the JSON form.
enum class StringForm { plain, datetime, uuid, key };

struct Node;

struct Field
{
  std::string name;
  const Node* type = nullptr;
  std::optional<nlohmann::ordered_json> default_value; // the Avro "default"
  std::vector<std::string> aliases;
  std::string doc;
  std::string order; // "ascending" (unset), "descending" or "ignore"; kept for the JSON form
  // Catalog schemas only: the value an absent field takes in the data class (attrs default or
  // factory), which the encoder writes. Avro defaults are only null in upstream's schemas.
  std::optional<nlohmann::ordered_json> fill;
};

// One type of a schema. Named types (record, enum, fixed) are shared: every use of a name
// points at the node that defines it, so a schema is a graph (recursive types have cycles).
struct Node
{
  Kind kind = Kind::null;
  // named types
  std::string name;      // the full name: "org.example.User" (or "User" without namespace)
  std::string namespace_;         // the effective namespace ("" when none)
  bool namespace_written = false; // the input said "namespace": the JSON form says it again
  std::vector<std::string> aliases; // full names
  std::string doc;
  // record
  std::vector<Field> fields;
  // enum
  std::vector<std::string> symbols;
  std::optional<std::string> enum_default;
  // fixed
  std::size_t size = 0;
  // array (items), map (values)
  const Node* items = nullptr;
  // union
  std::vector<const Node*> branches;
  // string (and bytes) from the catalog
  StringForm form = StringForm::plain;
  KeyKind key = KeyKind::course_key; // when form == key
  // other attributes of a complex type ("logicalType", ...), kept for the JSON form
  nlohmann::ordered_json extra = nlohmann::ordered_json::object();

  bool is_named() const { return kind == Kind::record || kind == Kind::enum_ || kind == Kind::fixed; }
  // The name without its namespace.
  std::string_view short_name() const;
};

// A parsed or built schema: owns its nodes. Move-only (nodes point at each other).
class Schema
{
public:
  Schema() = default;
  Schema(const Schema&) = delete;
  Schema& operator=(const Schema&) = delete;
  Schema(Schema&&) = default;
  Schema& operator=(Schema&&) = default;

  const Node& root() const { return *m_root; }
  // The named type with this full name, or nullptr.
  const Node* find(std::string_view full_name) const;

  // Building: a new node owned by the schema; the root; a named type's registration (false when
  // the name is taken).
  Node& add(Kind kind);
  void set_root(const Node* root) { m_root = root; }
  bool register_name(const Node& node);

private:
  std::deque<Node> m_nodes;
  std::map<std::string, const Node*, std::less<>> m_named;
  const Node* m_root = nullptr;
};

// The JSON form of a schema: each named type in full where it first appears (depth first, in
// field order) and by name after that; keys in the order upstream's generator writes them
// (name, type, doc, fields, namespace for records; name, type, default for fields).
nlohmann::ordered_json to_json(const Schema& schema);

// The schema openedx-events generates for the event (schema_from_signal): the CloudEvent record
// with one field per data key. Throws oex::Error when the event cannot go on the bus or a field's
// type has no Avro form upstream (BinaryIO, a datetime in a list, ...).
Schema event_schema(const EventType& event);

// Parses an Avro schema document (.avsc) in the specification's full syntax. Throws oex::Error
// "NAME: json.path: problem" (or "NAME:LINE:COL: invalid JSON: ..." for text that is not JSON).
Schema parse_schema(std::string_view name, std::string_view text);

} // namespace oex::avro

#include "oex/payload/json_schema.hpp"

#include <limits>

#include "oex/catalog/catalog.hpp"
#include "oex/keys/opaque_keys.hpp"
#include "oex/util/text.hpp"

namespace oex {

using json = nlohmann::ordered_json;

const std::string& datetime_pattern()
{
  // The forms of CPython 3.11's fromisoformat: calendar and ISO week dates, any one separator,
  // HH[:MM[:SS]] or HH[MM[SS]] with a fraction, and Z or a +-HH[:MM[:SS[.f]]] offset. What a
  // pattern cannot say: days past the end of a month, year 0, week 53 of a 52-week year, and
  // the parser's odd corners (see tests/data/datetime).
  static const std::string k_pattern = [] {
    const std::string month = "(?:0[1-9]|1[0-2])";
    const std::string day = "(?:0[1-9]|[12][0-9]|3[01])";
    const std::string week = "W(?:0[1-9]|[1-4][0-9]|5[0-3])";
    const std::string date = "(?:[0-9]{4}-" + month + "-" + day + "|[0-9]{4}" + month + day
                             + "|[0-9]{4}-" + week + "(?:-[1-7])?|[0-9]{4}" + week + "[1-7]?)";
    const std::string hour = "(?:[01][0-9]|2[0-3])";
    const std::string sixty = "[0-5][0-9]";
    // The C parser reads a NUL-terminated copy: one NUL may end a time or an offset that has no
    // fraction, and after "Z\0" nothing more is read.
    const std::string time = hour + "(?::" + sixty + "(?::" + sixty + ")?|" + sixty + "(?:" + sixty
                             + ")?)?(?:[.,][0-9]+|\\x00)?";
    const std::string fraction = "(?:[.,][0-9]+)?";
    const std::string offset = "(?:Z(?:\\x00[\\s\\S]*)?|[+-]" + hour + "(?::" + sixty + "(?::" + sixty
                               + fraction + ")?|" + sixty + "(?:" + sixty + fraction
                               + ")?)?(?:\\x00)?)?";
    return whole_string_pattern(date + "(?:[\\s\\S]" + time + offset + ")?");
  }();
  return k_pattern;
}

const std::string& uuid_pattern()
{
  // uuid.UUID(): optional urn:/uuid: prefixes and braces, 32 hex digits, hyphens anywhere. \d
  // is any Unicode decimal digit in Python's re, as in int(x, 16) (ASCII in ECMAScript).
  static const std::string k_pattern =
    whole_string_pattern("(?:urn:)?(?:uuid:)?\\{*-*(?:[\\dA-Fa-f]-*){32}\\}*");
  return k_pattern;
}

namespace {

json type_schema(const Type& type)
{
  switch (type.kind) {
  case TypeKind::str:
  case TypeKind::bytes:
  case TypeKind::binary_io:
    return {{"type", "string"}};
  case TypeKind::int_:
    return {{"type", "integer"},
            {"minimum", std::numeric_limits<std::int64_t>::min()},
            {"maximum", std::numeric_limits<std::int64_t>::max()}};
  case TypeKind::bool_:
    return {{"type", "boolean"}};
  case TypeKind::float_:
    return {{"type", "number"}};
  case TypeKind::datetime:
    return {{"type", "string"}, {"pattern", datetime_pattern()}};
  case TypeKind::uuid:
    return {{"type", "string"}, {"pattern", uuid_pattern()}};
  case TypeKind::opaque_key:
    return {{"type", "string"}, {"pattern", key_pattern(type.key)}};
  case TypeKind::list:
    return {{"type", "array"}, {"items", type_schema(*type.element)}};
  case TypeKind::dict:
    return {{"type", "object"}, {"additionalProperties", type_schema(*type.element)}};
  case TypeKind::record:
    return {{"$ref", "#/$defs/" + type.record->qualified_name()}};
  }
  return json::object();
}

void add_definitions(const DataClass& cls, json& defs)
{
  if (defs.contains(cls.qualified_name())) {
    return;
  }
  json& def = defs[cls.qualified_name()];
  def = json::object();
  def["type"] = "object";
  json properties = json::object();
  json required = json::array();
  for (const Field& field : cls.fields) {
    json schema = type_schema(field.type);
    if (field.default_value.kind == DefaultKind::none) {
      schema = json{{"anyOf", json::array({std::move(schema), json{{"type", "null"}}})}};
    }
    properties[field.name] = std::move(schema);
    if (!field.default_value.optional()) {
      required.push_back(field.name);
    }
  }
  def["properties"] = std::move(properties);
  def["required"] = std::move(required);
  def["additionalProperties"] = false;
  for (const Field& field : cls.fields) {
    const Type* type = &field.type;
    while (type->element) {
      type = type->element.get();
    }
    if (type->kind == TypeKind::record) {
      add_definitions(*type->record, defs);
    }
  }
}

} // namespace

json json_schema(const EventType& event)
{
  json schema = json::object();
  schema["$schema"] = "https://json-schema.org/draft/2020-12/schema";
  schema["$id"] = "urn:oex:event:" + event.event_type;
  schema["title"] = event.event_type;
  if (!event.description.empty()) {
    schema["description"] = event.description;
  }
  schema["type"] = "object";
  json properties = json::object();
  json required = json::array();
  json defs = json::object();
  for (const DataKey& key : event.data) {
    properties[key.name] = json{{"$ref", "#/$defs/" + key.data_class->qualified_name()}};
    required.push_back(key.name);
    add_definitions(*key.data_class, defs);
  }
  schema["properties"] = std::move(properties);
  schema["required"] = std::move(required);
  schema["additionalProperties"] = false;
  schema["$defs"] = std::move(defs);
  return schema;
}

std::string json_schema_file_name(const EventType& event)
{
  return event.event_type + ".schema.json";
}

} // namespace oex

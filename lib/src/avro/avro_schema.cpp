#include "oex/avro/avro_schema.hpp"

#include <set>

#include "oex/catalog/catalog.hpp"
#include "oex/util/error.hpp"

namespace oex {

using json = nlohmann::ordered_json;

namespace {

// Upstream's SIMPLE_PYTHON_TYPE_TO_AVRO_MAPPING; the only types allowed as list items and dict
// values besides containers and data classes.
const char* simple_avro_type(TypeKind kind)
{
  switch (kind) {
  case TypeKind::bool_:
    return "boolean";
  case TypeKind::int_:
    return "long";
  case TypeKind::float_:
    return "double";
  case TypeKind::bytes:
    return "bytes";
  case TypeKind::str:
    return "string";
  default:
    return nullptr;
  }
}

// Mirrors schema_from_signal / _create_avro_field_definition: each data class becomes a record
// the first time it appears and is referred to by name after that.
class SchemaBuilder
{
public:
  explicit SchemaBuilder(const EventType& event)
    : m_event(event)
  {
  }

  json field(const std::string& name, const Type& type, bool default_is_none,
             const std::string& path)
  {
    json out = json::object();
    out["name"] = name;
    json avro = field_type(type, path);
    if (default_is_none) {
      out["type"] = json::array({"null", std::move(avro)});
      out["default"] = nullptr;
    } else {
      out["type"] = std::move(avro);
    }
    return out;
  }

private:
  json field_type(const Type& type, const std::string& path)
  {
    switch (type.kind) {
    case TypeKind::datetime:
    case TypeKind::uuid:
    case TypeKind::opaque_key:
      return "string"; // custom serializers write these as strings
    case TypeKind::list:
      return json{{"type", "array"}, {"items", element_type(type, path + "[]", "list items")}};
    case TypeKind::dict:
      return json{{"type", "map"}, {"values", element_type(type, path + "{}", "dict values")}};
    case TypeKind::record:
      return record(*type.record, path);
    case TypeKind::binary_io:
      unsupported(type, path, "");
    default:
      return simple_avro_type(type.kind);
    }
  }

  json element_type(const Type& container, const std::string& path, const char* role)
  {
    const Type& element = *container.element;
    if (const char* simple = simple_avro_type(element.kind)) {
      return simple;
    }
    if (element.kind == TypeKind::list || element.kind == TypeKind::dict
        || element.kind == TypeKind::record) {
      return field_type(element, path);
    }
    unsupported(element, path, role);
  }

  json record(const DataClass& cls, const std::string& path)
  {
    if (!m_seen.insert(cls.name).second) {
      return cls.name;
    }
    json out = json::object();
    out["name"] = cls.name;
    out["type"] = "record";
    out["fields"] = json::array();
    for (const Field& f : cls.fields) {
      out["fields"].push_back(
        field(f.name, f.type, f.default_value.kind == DefaultKind::none, path + "." + f.name));
    }
    return out;
  }

  [[noreturn]] void unsupported(const Type& type, const std::string& path, std::string_view role)
  {
    throw Error("cannot make an Avro schema for '" + m_event.event_type + "': " + path + ": type "
                + type.spelling() + " is not supported"
                + (role.empty() ? "" : " for " + std::string(role)));
  }

  const EventType& m_event;
  std::set<std::string> m_seen; // by class name, not subdomain: as upstream
};

} // namespace

std::optional<std::string> bus_exclusion_reason(const EventType& event)
{
  if (event.bus) {
    return std::nullopt;
  }
  return "openedx-events marks it as not serializable for the event bus";
}

json avro_schema(const EventType& event)
{
  if (auto reason = bus_exclusion_reason(event)) {
    throw Error("'" + event.event_type + "' cannot go on the event bus: " + *reason);
  }
  json schema = json::object();
  schema["name"] = "CloudEvent";
  schema["type"] = "record";
  schema["doc"] = "Avro Event Format for CloudEvents created with openedx_events/schema";
  schema["fields"] = json::array();
  SchemaBuilder builder(event);
  for (const DataKey& key : event.data) {
    Type type;
    type.kind = TypeKind::record;
    type.record = key.data_class;
    schema["fields"].push_back(builder.field(key.name, type, false, key.name));
  }
  schema["namespace"] = event.event_type;
  return schema;
}

std::optional<std::string> avro_schema_problem(const EventType& event)
{
  if (auto reason = bus_exclusion_reason(event)) {
    return reason;
  }
  try {
    avro_schema(event);
    return std::nullopt;
  } catch (const Error& e) {
    return e.what();
  }
}

std::string avro_schema_file_name(const EventType& event)
{
  std::string name = event.event_type;
  for (char& c : name) {
    if (c == '.') {
      c = '+';
    }
  }
  return name + "_schema.avsc";
}

} // namespace oex

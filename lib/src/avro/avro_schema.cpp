#include "oex/avro/avro_schema.hpp"

#include <map>
#include <tuple>

#include "oex/avro/schema.hpp"
#include "oex/catalog/catalog.hpp"
#include "oex/util/error.hpp"

namespace oex {

using json = nlohmann::ordered_json;

namespace avro {
namespace {

// The catalog -> Avro type mapping, in one place. Upstream's SIMPLE_PYTHON_TYPE_TO_AVRO_MAPPING
// gives the only types allowed as list items and dict values besides containers and data
// classes; its custom serializers write datetimes, UUIDs and opaque keys as strings.
struct Mapping
{
  Kind kind;
  StringForm form;
  bool simple; // allowed as a list item or dict value
};

std::optional<Mapping> scalar_mapping(TypeKind kind)
{
  switch (kind) {
  case TypeKind::bool_:
    return Mapping{Kind::boolean, StringForm::plain, true};
  case TypeKind::int_:
    return Mapping{Kind::long_, StringForm::plain, true};
  case TypeKind::float_:
    return Mapping{Kind::double_, StringForm::plain, true};
  case TypeKind::bytes:
    return Mapping{Kind::bytes, StringForm::plain, true};
  case TypeKind::str:
    return Mapping{Kind::string, StringForm::plain, true};
  case TypeKind::datetime:
    return Mapping{Kind::string, StringForm::datetime, false};
  case TypeKind::uuid:
    return Mapping{Kind::string, StringForm::uuid, false};
  case TypeKind::opaque_key:
    return Mapping{Kind::string, StringForm::key, false};
  default:
    return std::nullopt; // containers, records; BinaryIO has no Avro form
  }
}

// The value an absent field takes in the data class: its default, or its factory's empty value.
std::optional<json> fill_value(const FieldDefault& d)
{
  switch (d.kind) {
  case DefaultKind::value:
    return d.value;
  case DefaultKind::factory:
    if (d.factory == "list") {
      return json::array();
    }
    if (d.factory == "dict") {
      return json::object();
    }
    return json("");
  default:
    return std::nullopt;
  }
}

// Mirrors schema_from_signal / _create_avro_field_definition: each data class becomes a record
// the first time it appears and is referred to by name after that (by class name, not
// subdomain: as upstream).
class SchemaBuilder
{
public:
  SchemaBuilder(const EventType& event, Schema& schema)
    : m_event(event)
    , m_schema(schema)
  {
  }

  Field field(const std::string& name, const Type& type, const FieldDefault& fdefault,
              const std::string& path)
  {
    Field out;
    out.name = name;
    const Node* avro = &field_type(type, path);
    if (fdefault.kind == DefaultKind::none) {
      Node& u = m_schema.add(Kind::union_);
      u.branches = {&primitive(Kind::null, StringForm::plain), avro};
      out.type = &u;
      out.default_value = nullptr;
    } else {
      out.type = avro;
      out.fill = fill_value(fdefault);
    }
    return out;
  }

private:
  const Node& field_type(const Type& type, const std::string& path)
  {
    if (auto m = scalar_mapping(type.kind)) {
      return primitive(m->kind, m->form, type.key);
    }
    switch (type.kind) {
    case TypeKind::list:
    case TypeKind::dict: {
      const bool list = type.kind == TypeKind::list;
      Node& node = m_schema.add(list ? Kind::array : Kind::map);
      node.items = &element_type(type, path + (list ? "[]" : "{}"), list ? "list items" : "dict values");
      return node;
    }
    case TypeKind::record:
      return record(*type.record, path);
    default:
      unsupported(type, path, "");
    }
  }

  const Node& element_type(const Type& container, const std::string& path, const char* role)
  {
    const Type& element = *container.element;
    const auto m = scalar_mapping(element.kind);
    if ((m && m->simple) || element.kind == TypeKind::list || element.kind == TypeKind::dict
        || element.kind == TypeKind::record) {
      return field_type(element, path);
    }
    unsupported(element, path, role);
  }

  const Node& record(const DataClass& cls, const std::string& path)
  {
    const std::string full = m_event.event_type + "." + cls.name;
    if (const Node* seen = m_schema.find(full)) {
      return *seen;
    }
    Node& node = m_schema.add(Kind::record);
    node.name = full;
    node.namespace_ = m_event.event_type;
    m_schema.register_name(node);
    for (const oex::Field& f : cls.fields) {
      node.fields.push_back(field(f.name, f.type, f.default_value, path + "." + f.name));
    }
    return node;
  }

  // One node per primitive kind and string form (and key kind), shared by every use.
  const Node& primitive(Kind kind, StringForm form, KeyKind key = KeyKind::course_key)
  {
    const Node*& slot = m_primitives[{kind, form, form == StringForm::key ? key : KeyKind::course_key}];
    if (!slot) {
      Node& node = m_schema.add(kind);
      node.form = form;
      node.key = key;
      slot = &node;
    }
    return *slot;
  }

  [[noreturn]] void unsupported(const Type& type, const std::string& path, std::string_view role)
  {
    throw Error("cannot make an Avro schema for '" + m_event.event_type + "': " + path + ": type "
                + type.spelling() + " is not supported"
                + (role.empty() ? "" : " for " + std::string(role)));
  }

  const EventType& m_event;
  Schema& m_schema;
  std::map<std::tuple<Kind, StringForm, KeyKind>, const Node*> m_primitives;
};

} // namespace

Schema event_schema(const EventType& event)
{
  if (auto reason = bus_exclusion_reason(event)) {
    throw Error("'" + event.event_type + "' cannot go on the event bus: " + *reason);
  }
  Schema schema;
  Node& root = schema.add(Kind::record);
  root.name = event.event_type + ".CloudEvent";
  root.namespace_ = event.event_type;
  root.namespace_written = true;
  root.doc = "Avro Event Format for CloudEvents created with openedx_events/schema";
  schema.register_name(root);
  SchemaBuilder builder(event, schema);
  for (const DataKey& key : event.data) {
    Type type;
    type.kind = TypeKind::record;
    type.record = key.data_class;
    root.fields.push_back(builder.field(key.name, type, FieldDefault{}, key.name));
  }
  schema.set_root(&root);
  return schema;
}

} // namespace avro

std::optional<std::string> bus_exclusion_reason(const EventType& event)
{
  if (event.bus) {
    return std::nullopt;
  }
  return "openedx-events marks it as not serializable for the event bus";
}

json avro_schema(const EventType& event)
{
  return avro::to_json(avro::event_schema(event));
}

std::optional<std::string> avro_schema_problem(const EventType& event)
{
  if (auto reason = bus_exclusion_reason(event)) {
    return reason;
  }
  try {
    avro::event_schema(event); // the model alone: its JSON would cost `oex list` start-up time
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

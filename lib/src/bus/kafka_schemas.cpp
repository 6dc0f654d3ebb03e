#include "oex/bus/kafka_schemas.hpp"

#include <algorithm>
#include <cstring>

#include <nlohmann/json.hpp>

#include "oex/avro/avro_schema.hpp"
#include "oex/avro/binary.hpp"
#include "oex/catalog/catalog.hpp"
#include "oex/util/error.hpp"
#include "oex/util/python_json.hpp"
#include "avro/byte_reader.hpp"

namespace oex::bus {
namespace {

// A copy of value with every object's keys in code-point order: json.dumps(sort_keys=True).
nlohmann::ordered_json sorted(const nlohmann::ordered_json& value)
{
  if (value.is_array()) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& item : value) {
      out.push_back(sorted(item));
    }
    return out;
  }
  if (!value.is_object()) {
    return value;
  }
  std::vector<std::string> keys;
  for (const auto& [key, item] : value.items()) {
    keys.push_back(key);
  }
  std::sort(keys.begin(), keys.end());
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const std::string& key : keys) {
    out[key] = sorted(value.at(key));
  }
  return out;
}

std::vector<std::string> split_path(const std::string& path)
{
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = path.find('.', start);
    parts.push_back(path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) {
      return parts;
    }
    start = dot + 1;
  }
}

} // namespace

std::string event_key_field(const EventType& event, const std::string* key_field_option)
{
  if (key_field_option) {
    return *key_field_option;
  }
  if (!event.key_field) {
    throw Error(event.event_type + ": no key field in the catalog: give one with --key-field");
  }
  return *event.key_field;
}

KafkaSchemas::KafkaSchemas(const EventType& event, const std::string& key_field)
  : m_schema(avro::event_schema(event))
  , m_key_field(key_field)
{
  const nlohmann::ordered_json schema = avro_schema(event);
  m_value_name = m_schema.root().name;
  m_value_schema = python_json_dumps(sorted(schema));
  // Down the path as event-bus-kafka's descend_avro_schema goes: into "fields", through a
  // field's "type" when the field itself has none.
  const nlohmann::ordered_json* at = &schema;
  std::string walked;
  for (const std::string& name : split_path(key_field)) {
    const std::string where = "key field '" + key_field + "'";
    if (!at->contains("fields") && at->contains("type") && (*at)["type"].is_object()) {
      at = &(*at)["type"];
    }
    if (!at->contains("fields") || !(*at)["fields"].is_array()) {
      throw Error(event.event_type + ": " + where + ": '" + walked + "' has no fields");
    }
    const nlohmann::ordered_json* found = nullptr;
    for (const auto& field : (*at)["fields"]) {
      if (field.value("name", "") == name) {
        found = &field;
        break;
      }
    }
    if (!found) {
      throw Error(event.event_type + ": " + where + ": no field '" + name + "'"
                  + (walked.empty() ? "" : " in '" + walked + "'"));
    }
    at = found;
    walked += (walked.empty() ? "" : ".") + name;
  }
  const nlohmann::ordered_json& type = (*at)["type"];
  static const std::pair<const char*, avro::Kind> k_primitives[] = {
    {"string", avro::Kind::string}, {"long", avro::Kind::long_},     {"int", avro::Kind::int_},
    {"boolean", avro::Kind::boolean}, {"double", avro::Kind::double_}, {"float", avro::Kind::float_},
    {"bytes", avro::Kind::bytes}};
  bool primitive = false;
  for (const auto& [name, kind] : k_primitives) {
    if (type.is_string() && type.get<std::string>() == name) {
      m_key_name = name;
      m_key_kind = kind;
      primitive = true;
    }
  }
  if (!primitive) {
    std::string what = type.is_array() ? "a union" : python_json_dumps(type);
    if (type.is_object()) {
      what = "a " + type.value("type", std::string("?")) + " '" + type.value("name", std::string()) + "'";
    }
    throw Error(event.event_type + ": key field '" + key_field + "' is " + what
                + ": a Kafka key must be of a primitive type (string, long, ...)");
  }
  m_key_schema = python_json_dumps(sorted(*at));
  m_key_path = split_path(key_field);
}

namespace {

// Moves reader past one value of type node (checked against the bytes left).
void skip_value(avro::ByteReader& reader, const avro::Node& node)
{
  switch (node.kind) {
  case avro::Kind::null: return;
  case avro::Kind::boolean: reader.need(1); reader.take(1); return;
  case avro::Kind::int_:
  case avro::Kind::long_:
  case avro::Kind::enum_: reader.read_long(); return;
  case avro::Kind::float_: reader.need(4); reader.take(4); return;
  case avro::Kind::double_: reader.need(8); reader.take(8); return;
  case avro::Kind::bytes:
  case avro::Kind::string: reader.read_bytes(); return;
  case avro::Kind::fixed: reader.need(node.size); reader.take(node.size); return;
  case avro::Kind::record:
    for (const avro::Field& field : node.fields) {
      skip_value(reader, *field.type);
    }
    return;
  case avro::Kind::union_: {
    const std::size_t at = reader.offset();
    const std::int64_t branch = reader.read_long();
    if (branch < 0 || static_cast<std::uint64_t>(branch) >= node.branches.size()) {
      reader.fail(at, "union branch " + std::to_string(branch) + " out of range");
    }
    skip_value(reader, *node.branches[static_cast<std::size_t>(branch)]);
    return;
  }
  case avro::Kind::array:
  case avro::Kind::map:
    // Blocks of items (a negative count is followed by the block's size in bytes), then 0.
    for (std::int64_t count = reader.read_long(); count != 0; count = reader.read_long()) {
      if (count < 0) {
        reader.read_long();
        count = -count;
      }
      for (std::int64_t i = 0; i < count; ++i) {
        if (node.kind == avro::Kind::map) {
          reader.read_bytes();
        }
        skip_value(reader, *node.items);
      }
    }
    return;
  }
}

} // namespace

void KafkaSchemas::encode_key(std::string_view value_avro, std::string& out) const
{
  // The key's schema is the field's own (a primitive), so its Avro bytes are the field's bytes in
  // the value: found by skipping the fields before it, level by level, with no decoding.
  try {
    avro::ByteReader whole(value_avro); // the value must be one whole value of the schema
    skip_value(whole, m_schema.root());
    if (whole.left() != 0) {
      whole.fail(whole.offset(), std::to_string(whole.left()) + " bytes left after the value");
    }
    avro::ByteReader reader(value_avro);
    const avro::Node* record = &m_schema.root();
    const std::vector<std::string>& path = m_key_path;
    for (std::size_t level = 0; level < path.size(); ++level) {
      const avro::Field* target = nullptr;
      for (const avro::Field& field : record->fields) {
        if (field.name == path[level]) {
          target = &field;
          break;
        }
        skip_value(reader, *field.type);
      }
      if (!target) {
        throw Error("key field '" + m_key_field + "': the event has no '" + path[level] + "'");
      }
      if (level + 1 < path.size()) {
        record = target->type;
        continue;
      }
      const std::size_t start = reader.offset();
      skip_value(reader, *target->type);
      out.append(value_avro.substr(start, reader.offset() - start));
    }
  } catch (const avro::Failure& failure) {
    throw Error("key field '" + m_key_field + "': the event data does not decode: "
                + failure.message + " at byte " + std::to_string(failure.offset));
  }
}

} // namespace oex::bus

#include "oex/bus/kafka_schemas.hpp"

#include <algorithm>
#include <cstring>

#include <nlohmann/json.hpp>

#include "oex/avro/avro_schema.hpp"
#include "oex/avro/binary.hpp"
#include "oex/catalog/catalog.hpp"
#include "oex/util/error.hpp"
#include "oex/util/python_json.hpp"

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
}

void KafkaSchemas::encode_key(std::string_view value_avro, std::string& out) const
{
  avro::DecodeResult decoded = avro::decode(m_schema, m_schema, value_avro);
  if (!decoded.ok) {
    throw Error("key field '" + m_key_field + "': the event data does not decode: "
                + decoded.error.message);
  }
  const nlohmann::json data = nlohmann::json::parse(decoded.json);
  const nlohmann::json* at = &data;
  for (const std::string& name : split_path(m_key_field)) {
    if (!at->is_object() || !at->contains(name)) {
      throw Error("key field '" + m_key_field + "': the event has no '" + name + "'");
    }
    at = &(*at)[name];
  }
  if (at->is_null()) {
    throw Error("key field '" + m_key_field + "' is null: a Kafka key needs a value");
  }
  switch (m_key_kind) {
  case avro::Kind::string:
  case avro::Kind::bytes: {
    const std::string& text = at->get_ref<const std::string&>();
    avro::append_long(out, static_cast<std::int64_t>(text.size()));
    out += text;
    break;
  }
  case avro::Kind::long_:
  case avro::Kind::int_: avro::append_long(out, at->get<std::int64_t>()); break;
  case avro::Kind::boolean: out.push_back(at->get<bool>() ? '\1' : '\0'); break;
  case avro::Kind::double_: {
    const double value = at->get<double>();
    char bytes[8];
    std::memcpy(bytes, &value, 8); // Avro doubles are little-endian, as x86 and ARM store them
    out.append(bytes, 8);
    break;
  }
  case avro::Kind::float_: {
    const float value = at->get<float>();
    char bytes[4];
    std::memcpy(bytes, &value, 4);
    out.append(bytes, 4);
    break;
  }
  default: break;
  }
}

} // namespace oex::bus

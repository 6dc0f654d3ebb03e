#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "oex/avro/schema.hpp"

namespace oex {
struct EventType;
}

namespace oex::bus {

// What event-bus-kafka registers for one event type and key field, and how it makes the key:
// the value schema is openedx-events' schema as json.dumps(schema, sort_keys=True), under the
// subject <topic>-<value_name> (topic_record_subject_name_strategy with the record's full name,
// "org.openedx....v1.CloudEvent"); the key schema is the key field's own entry of that schema
// (name, type, ...) dumped the same way, under <topic>-<key_name> where key_name is the field's
// primitive type ("string", "long"), as confluent-kafka names a primitive schema.
class KafkaSchemas
{
public:
  // key_field: a dotted path of field names into the event's data ("enrollment.course.course_key").
  // Throws oex::Error when the event has no Avro schema, the path does not lead to a field, or
  // the field is not of a primitive type (upstream cannot name or register other keys).
  KafkaSchemas(const EventType& event, const std::string& key_field);

  const std::string& value_name() const { return m_value_name; }
  const std::string& value_schema() const { return m_value_schema; }
  const std::string& key_field() const { return m_key_field; }
  const std::string& key_name() const { return m_key_name; }
  const std::string& key_schema() const { return m_key_schema; }

  // Appends the schemaless Avro of the key: the key field's value in value_avro (the event's
  // encoded data, so strings are in the canonical form the encoder wrote). Throws oex::Error
  // when value_avro does not decode or the field is null.
  void encode_key(std::string_view value_avro, std::string& out) const;

private:
  avro::Schema m_schema;
  std::string m_value_name;
  std::string m_value_schema;
  std::string m_key_field;
  std::vector<std::string> m_key_path; // m_key_field split at its dots
  std::string m_key_name;
  std::string m_key_schema;
  avro::Kind m_key_kind = avro::Kind::string;
};

// The key field of event: --key-field when given, else the catalog's annotation; throws
// oex::Error when neither says one.
std::string event_key_field(const EventType& event, const std::string* key_field_option);

} // namespace oex::bus

#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace oex {

struct EventType;

// Why the event cannot go on the event bus, or nullopt when it can.
std::optional<std::string> bus_exclusion_reason(const EventType& event);

// The Avro schema openedx-events generates for the event (schema_from_signal), keys in
// upstream's order. Throws oex::Error when the event cannot go on the bus or a field's type has
// no Avro form upstream (BinaryIO, a datetime in a list, ...).
nlohmann::ordered_json avro_schema(const EventType& event);

// Why avro_schema() cannot make the event's schema (its error message), or nullopt when it can:
// what `oex schema` and the event bus need, whatever the event's upstream warning says.
std::optional<std::string> avro_schema_problem(const EventType& event);

// "org+openedx+learning+...+v1_schema.avsc", as upstream's generate_avro_schemas names it.
std::string avro_schema_file_name(const EventType& event);

} // namespace oex

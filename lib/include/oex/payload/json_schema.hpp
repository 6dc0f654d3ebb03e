#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace oex {

struct EventType;

// The payload's JSON Schema (draft 2020-12): the same rules as PayloadValidator as far as JSON
// Schema can say them (data classes in $defs, no additional properties, patterns for datetimes,
// UUIDs and opaque keys, 64-bit integer bounds, nullable optional fields). Known differences
// are listed in the README.
nlohmann::ordered_json json_schema(const EventType& event);

// "org.openedx.learning.course.enrollment.created.v1.schema.json".
std::string json_schema_file_name(const EventType& event);

// The patterns used for datetime and UUID strings (anchored; valid for Python re and ECMAScript).
const std::string& datetime_pattern();
const std::string& uuid_pattern();

} // namespace oex

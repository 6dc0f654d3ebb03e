#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "oex/catalog/catalog.hpp"
#include "oex/util/result.hpp"

namespace oex {

// The type a period-delimited path into an event's data names, as upstream's producers descend
// it for the message key (event_key_field, "enrollment.course.course_key"): the first part is a
// data key, each next part a field of the data class before it. A failure says why, naming the
// part that does not resolve.
Result<Type> resolve_key_field(const EventType& event, std::string_view path);

// True when a value of the type can be a message key: its bus form is a string or an integer
// (str, int, UUID, datetime, opaque keys), not a bool, float, bytes, container or data class.
bool is_key_scalar(const Type& type);

// Why path cannot be the event's message key (it does not resolve, or not to a key scalar), or
// nullopt when it can.
std::optional<std::string> key_field_problem(const EventType& event, std::string_view path);

} // namespace oex

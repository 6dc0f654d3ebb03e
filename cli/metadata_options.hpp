#pragma once

#include <optional>
#include <string>

#include "oex/keys/datetime.hpp"
#include "oex/metadata/metadata.hpp"

namespace oex {
struct EventType;
}

namespace oex::cli {

// The metadata in a --metadata FILE ("-": standard input) for event; throws oex::Error
// "--metadata NAME: PROBLEM" when it does not parse or is for another event type.
EventsMetadata read_metadata_file(const std::string& path, const EventType& event);

// The value of a --time option; throws oex::Error "--time: PROBLEM".
std::optional<DateTime> parse_time_option(const std::optional<std::string>& text);

} // namespace oex::cli

#pragma once

#include <optional>
#include <string>
#include <vector>

#include "oex/bus/transport.hpp"
#include "oex/metadata/metadata.hpp"

namespace oex::bus {

// The metadata fields of a message, in names' order, as event-bus-redis writes them: UTF-8
// text; time as isoformat(), sourcelib joined with dots, minorversion as decimal text.
std::vector<Field> metadata_fields(const MetadataNames& names, const EventsMetadata& metadata);

// fields (made by metadata_fields) given metadata's id and time, the two fields that
// renew_signal_metadata changes from one event to the next of a bulk send; the rest is kept.
void renew_metadata_fields(const EventsMetadata& metadata, std::vector<Field>& fields);

// The metadata fields read back from a message. A field that is absent or empty is missing
// (upstream then invents a value); one that does not parse is malformed (upstream refuses the
// message). Neither is hidden: both are listed, by wire name.
struct WireMetadata
{
  std::optional<std::string> event_type; // present and non-empty
  MetadataOverrides values;              // the fields that were present and parsed
  std::vector<std::string> missing;      // wire names, in names' order
  std::vector<std::string> malformed;    // "time: invalid isoformat string 'x'", ...
};

WireMetadata read_metadata_fields(const MetadataNames& names, const std::vector<Field>& fields);

} // namespace oex::bus

#pragma once

#include <optional>
#include <string>
#include <vector>

#include "oex/bus/transport.hpp"

namespace oex::bus::kafka {

// event-bus-kafka's metadata headers: ce_type, ce_id, ce_source, ce_time, ce_minorversion,
// sourcehost, sourcelib (in the order it writes them, after the three constant ones).
const MetadataNames& kafka_metadata_names();

// Why a message's headers cannot be read as event-bus-kafka reads them, or nullopt: a metadata
// header given more than once ("2 'ce_type' headers"), no ce_type, or no ce_id.
std::optional<std::string> header_problem(const std::vector<Field>& headers);

} // namespace oex::bus::kafka

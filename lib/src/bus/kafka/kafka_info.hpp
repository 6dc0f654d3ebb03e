#pragma once

#include <optional>
#include <string>
#include <vector>

#include "oex/bus/transport.hpp"

namespace oex::bus::kafka {

// bus info for Kafka: the topics under the prefix (or the one topic, exact), each with its
// partitions' first and next offsets, and the consumer groups with committed offsets there (or
// group_name's, committed or not): per partition the committed offset and the lag (messages
// after it), and the group's members. Throws BusError when the cluster cannot be reached.
std::vector<StreamInfo> kafka_info(const BusSettings& settings, const std::string& prefix_or_topic,
                                   bool exact, const std::optional<std::string>& group_name);

} // namespace oex::bus::kafka

#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <librdkafka/rdkafka.h>

#include "oex/bus/transport.hpp"

namespace oex::bus::kafka {

// bus info for Kafka: the topics under the prefix (or the one topic, exact), each with its
// partitions' first and next offsets, and the consumer groups with committed offsets there (or
// group_name's, committed or not): per partition the committed offset and the lag (messages
// after it), and the group's members. Throws BusError when the cluster cannot be reached.
std::vector<StreamInfo> kafka_info(const BusSettings& settings, const std::string& prefix_or_topic,
                                   bool exact, const std::optional<std::string>& group_name);

// A consumer group and its members' client ids (member ids when a client has none).
struct GroupMembers
{
  std::string name;
  std::vector<std::string> members;
};

// The consumer groups of a ListGroups answer, sorted by name: groups of the "consumer" protocol
// (or none named) that came without an error. With group_name, only that group, listed or not
// (a group with no members is not listed by every broker).
std::vector<GroupMembers> consumer_groups(const rd_kafka_group_list* listed,
                                          const std::optional<std::string>& group_name);

// group's view of stream from its committed offsets (partition -> next offset to read; a
// partition missing, or negative, has none): per partition the committed offset and the lag
// (messages from there to the end, or the whole partition when nothing is committed), and the
// sum. nullopt when the group has committed nothing there and was not asked for by name (it
// does not read this topic).
std::optional<GroupInfo> group_view(const StreamInfo& stream, const GroupMembers& group,
                                    const std::map<std::int32_t, std::int64_t>& committed,
                                    bool asked_for);

} // namespace oex::bus::kafka

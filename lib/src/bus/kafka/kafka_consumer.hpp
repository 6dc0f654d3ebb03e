#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "kafka/kafka_client.hpp"
#include "kafka/schema_registry.hpp"
#include "start_time.hpp" // from_time_ms

namespace oex::bus::kafka {

// A member of a consumer group, at least once: a message's offset is stored only after consume
// has handled it (ack; enable.auto.offset.store=false; the offsets acknowledged between two polls
// are stored in one call at the next poll), librdkafka commits the stored offsets
// in the background (auto.commit.interval.ms), and they are committed synchronously before
// partitions are given up and at close (end of --max/--idle, SIGINT, SIGTERM). A consumer
// killed mid-message has not stored that message's offset: it comes again.
// Messages come with their CloudEvent headers as fields, the value without its framing and
// its writer schema from the registry; what cannot be read that way (a tombstone, no ce_id,
// zero or several ce_type, a bad frame, an unknown schema id) comes with ReceivedMessage::problem
// set and its bytes as they were in wire_value. --from beginning/end apply to partitions the
// group has no offset for; --from TIME replays: every partition this process is given starts at
// the first message at or after TIME.
std::unique_ptr<Consumer> make_consumer(const BusSettings& settings,
                                        const ConsumerSettings& consumer,
                                        std::shared_ptr<SchemaRegistry> registry);

// --from TIME's question to the brokers (rd_kafka_offsets_for_times): the partitions of assigned
// this process has not replayed yet, each with ms in place of its offset; adds them to replayed.
KafkaPtr<rd_kafka_topic_partition_list_t>
replay_request(const rd_kafka_topic_partition_list_t& assigned, std::int64_t ms,
               std::set<std::pair<std::string, std::int32_t>>& replayed);

// Sets the start offset of each partition of assigned to the brokers' answer in found (the
// first offset at or after the time, or the end when there is none); partitions answered with
// an error keep theirs (the group's offset, else auto.offset.reset).
void apply_replay(const rd_kafka_topic_partition_list_t& found, rd_kafka_topic_partition_list_t& assigned);

} // namespace oex::bus::kafka

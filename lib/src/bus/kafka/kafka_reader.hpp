#pragma once

#include <memory>

#include "kafka/schema_registry.hpp"
#include "oex/bus/transport.hpp"

namespace oex::bus::kafka {

// consume --no-group: reads every partition the topic has at start-up, as kcat -C does, with no
// consumer group: no group.id, no join, no offsets stored or committed, so the groups services
// use see nothing of it. It uses librdkafka's queue consumer (rd_kafka_consume_start_queue):
// librdkafka 2.0 refuses rd_kafka_assign and rd_kafka_consumer_poll without a group.id
// ("Local: Unknown group"). Each partition starts at --from: beginning, end (the high watermark
// when the reader starts, so that "later" means after start-up) or TIME (offsets_for_times: the
// first message at or after it; none: the end). Partitions added to the topic later are not
// read. Messages come as kafka_message reads them; ack() does nothing. Throws BusError when the
// brokers cannot be reached within the connect timeout or the topic does not exist.
std::unique_ptr<Consumer> make_reader(const BusSettings& settings, const ConsumerSettings& consumer,
                                      std::shared_ptr<SchemaRegistry> registry);

} // namespace oex::bus::kafka

#pragma once

#include <memory>
#include <string>
#include <vector>

#include "kafka/kafka_client.hpp"
#include "kafka/schema_registry.hpp"

namespace oex::bus::kafka {

// A producer as event-bus-kafka's: value and key framed with their registered schema ids,
// CloudEvent headers in upstream's order. Unlike upstream, failures are not only logged:
// flush() waits for every delivery report and says which messages failed, and throws
// BusError when the brokers cannot be reached at all. Idempotent unless --kafka-config says
// enable.idempotence=false: a retry after a lost acknowledgement never writes a message twice
// and never reorders a partition.
std::unique_ptr<Producer> make_producer(const BusSettings& settings,
                                        std::shared_ptr<SchemaRegistry> registry);

// The three constant headers event-bus-kafka writes before the metadata ones.
const std::vector<Field>& cloud_event_headers();

} // namespace oex::bus::kafka

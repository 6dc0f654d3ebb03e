#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "kafka/kafka_client.hpp"
#include "kafka/schema_registry.hpp"

namespace oex::bus::kafka {

// A member of a consumer group with auto-commit off: a message's offset is committed only after
// consume has handled it (ack), in batches (at most ~200 ms or 1000 messages late, always before
// partitions are given up and at close), so a consumer killed mid-message gets it again.
// Messages come with their CloudEvent headers as fields, the value without its framing and
// its writer schema from the registry; what cannot be read that way (a tombstone, no ce_id,
// zero or several ce_type, a bad frame, an unknown schema id) comes with ReceivedMessage::problem
// set and its bytes as they were in wire_value. --from beginning/end apply to partitions the
// group has no offset for; --from TIME replays: every partition this process is given starts at
// the first message at or after TIME.
std::unique_ptr<Consumer> make_consumer(const BusSettings& settings,
                                        const ConsumerSettings& consumer,
                                        std::shared_ptr<SchemaRegistry> registry);

// Milliseconds since the epoch for an ISO time with a UTC offset (--from); throws BusError.
std::int64_t from_time_ms(std::string_view text);

} // namespace oex::bus::kafka

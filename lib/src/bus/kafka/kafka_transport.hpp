#pragma once

#include <memory>

#include "oex/bus/transport.hpp"

namespace oex::bus::kafka {

// Kafka as event-bus-kafka 6.1 writes and reads it, for a kafka://HOST:PORT[,...] URL. The
// schema registry (settings.registry_url) is needed to produce and consume, not for info.
std::unique_ptr<Transport> make_kafka_transport(const BusSettings& settings);

} // namespace oex::bus::kafka

#include "oex/bus/transport.hpp"

#include "kafka/kafka_transport.hpp"
#include "redis_transport.hpp"

namespace oex::bus {

std::unique_ptr<Transport> open_transport(const BusSettings& settings)
{
  if (settings.url.starts_with("kafka://")) {
    return kafka::make_kafka_transport(settings);
  }
  // parse_url says what is expected for any other scheme.
  return std::make_unique<redis::RedisTransport>(settings);
}

} // namespace oex::bus

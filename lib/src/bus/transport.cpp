#include "oex/bus/transport.hpp"

#include "redis_transport.hpp"

namespace oex::bus {

std::unique_ptr<Transport> open_transport(const BusSettings& settings)
{
  // parse_url says what is expected for any other scheme.
  return std::make_unique<redis::RedisTransport>(settings);
}

} // namespace oex::bus

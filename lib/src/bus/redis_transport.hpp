#pragma once

#include <memory>

#include "oex/bus/transport.hpp"
#include "redis_client.hpp"

namespace oex::bus::redis {

// Redis Streams as event-bus-redis 1.0 writes and reads them. One connection, made on first
// use, shared by the producer and consumer it hands out (one thread).
class RedisTransport : public Transport
{
public:
  explicit RedisTransport(const BusSettings& settings);
  ~RedisTransport() override;

  const MetadataNames& metadata_names() const override;
  std::string full_name(const std::string& topic) const override;
  std::unique_ptr<Producer> producer() override;
  std::unique_ptr<Consumer> consumer(const ConsumerSettings& settings) override;
  std::vector<StreamInfo> info(const std::optional<std::string>& topic) override;
  std::string describe() const override;

private:
  std::shared_ptr<Connection> connection();

  BusSettings m_settings;
  Endpoint m_endpoint;
  std::shared_ptr<Connection> m_connection;
};

} // namespace oex::bus::redis

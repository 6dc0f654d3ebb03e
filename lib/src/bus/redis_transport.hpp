#pragma once

#include <deque>
#include <memory>
#include <string>
#include <string_view>

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

// An entry [id, [field, value, ...]] as a message; a nil field list (an entry deleted while
// pending) gives a message with no fields.
ReceivedMessage to_message(const Reply& entry, const std::string& stream);

// The entry id just before id ("5-0" -> "4-18446744073709551615"), so that a read or a group
// set there delivers id itself next; "0-0" for the first possible one. Empty when id is not an
// entry id.
std::string previous_id(std::string_view id);

// The entries of an XREAD or XREADGROUP reply (nil: BLOCK timed out, none) appended to out.
void append_stream_reply(const redisReply* reply, const std::string& context,
                         const std::string& stream, std::deque<ReceivedMessage>& out);

// A Redis consumer that reads entries in batches (fill) and hands them out one at a time.
class BatchedConsumer : public Consumer
{
public:
  std::optional<ReceivedMessage> poll(std::chrono::milliseconds timeout) override;

protected:
  // Reads the next batch into m_buffer (empty), waiting up to timeout.
  virtual void fill(std::chrono::milliseconds timeout) = 0;
  std::deque<ReceivedMessage> m_buffer;
};

// consume --no-group (redis_reader.cpp): XREAD from settings.start, settings.batch entries a
// request, with no group: nothing is acknowledged and the groups of the stream are untouched.
std::unique_ptr<Consumer> make_reader(std::shared_ptr<Connection> connection,
                                      const ConsumerSettings& settings,
                                      std::chrono::milliseconds command_timeout);

} // namespace oex::bus::redis

#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kafka/kafka_client.hpp"
#include "kafka/schema_registry.hpp"

namespace oex::bus::kafka {

// Reads Kafka messages as consume wants them, for both ways of reading (a group member,
// kafka_consumer; a group-less reader, kafka_reader): CloudEvent headers as fields, the value
// without its framing, its writer schema from the registry; what cannot be read that way (a
// tombstone, no ce_id, zero or several ce_type, a bad frame, an unknown schema id) comes with
// ReceivedMessage::problem set and its bytes as they were in wire_value.
class MessageReader
{
public:
  explicit MessageReader(std::shared_ptr<SchemaRegistry> registry)
    : m_registry(std::move(registry))
  {
  }

  // Fills out (a message consume is done with, or a new one) from message, reusing the room of
  // out's strings: assigned, not built anew. Leaves ack_handle to the caller. Returns the index
  // of the message's topic in topic_name() (a consumer reads one topic: no allocation per
  // message).
  std::size_t read(const rd_kafka_message_t& message, ReceivedMessage& out);

  const std::string& topic_name(std::size_t index) const { return m_topic_names[index]; }

private:
  std::size_t topic_index(const char* name);

  std::shared_ptr<SchemaRegistry> m_registry;
  std::vector<std::string> m_topic_names;
};

// What librdkafka's error callback told a consumer: a fatal error, or why no broker answers and
// since when. A consumer's client has one as its opaque, with on_consumer_error as its error
// callback; owner is the consumer (for its other callbacks).
struct ConsumerState
{
  std::string fatal;
  std::string brokers_down;
  std::chrono::steady_clock::time_point down_since{};
  void* owner = nullptr;
};
void on_consumer_error(rd_kafka_t* handle, int err, const char* reason, void* opaque);

// A Kafka consumer's poll(): poll_into a new message.
class PollingConsumer : public Consumer
{
public:
  std::optional<ReceivedMessage> poll(std::chrono::milliseconds timeout) override;
};

} // namespace oex::bus::kafka

#include "kafka/kafka_message.hpp"

#include <cstring>

#include "kafka/framing.hpp"
#include "kafka/kafka_headers.hpp"

namespace oex::bus::kafka {
namespace {

// value = the bytes (reusing its room), or none when data is null.
void assign_or_reset(std::optional<std::string>& value, const char* data, std::size_t size)
{
  if (!data) {
    value.reset();
  } else if (value) {
    value->assign(data, size);
  } else {
    value.emplace(data, size);
  }
}

} // namespace

void on_consumer_error(rd_kafka_t* handle, int err, const char* reason, void* opaque)
{
  auto* state = static_cast<ConsumerState*>(opaque);
  const auto code = static_cast<rd_kafka_resp_err_t>(err);
  if (code == RD_KAFKA_RESP_ERR__FATAL) {
    char text[512] = "";
    rdkafka().rd_kafka_fatal_error(handle, text, sizeof text);
    state->fatal = text;
  } else if (code == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN
             || code == RD_KAFKA_RESP_ERR__AUTHENTICATION || code == RD_KAFKA_RESP_ERR__RESOLVE) {
    if (state->brokers_down.empty()) {
      state->down_since = std::chrono::steady_clock::now();
    }
    state->brokers_down = reason;
  }
}

std::optional<ReceivedMessage> PollingConsumer::poll(std::chrono::milliseconds timeout)
{
  ReceivedMessage message;
  if (!poll_into(timeout, message)) {
    return std::nullopt;
  }
  return message;
}

std::size_t MessageReader::topic_index(const char* name)
{
  for (std::size_t i = 0; i < m_topic_names.size(); ++i) {
    if (std::strcmp(m_topic_names[i].c_str(), name) == 0) {
      return i;
    }
  }
  m_topic_names.emplace_back(name);
  return m_topic_names.size() - 1;
}

std::size_t MessageReader::read(const rd_kafka_message_t& message, ReceivedMessage& out)
{
  const std::size_t topic = topic_index(rdkafka().rd_kafka_topic_name(message.rkt));
  out.stream = m_topic_names[topic];
  out.position = out.stream;
  append_kafka_position(out.position, message.partition, message.offset);
  out.delivery_count = 1;
  out.after_value.clear();
  out.writer_schema.reset();
  out.problem.reset();
  out.wire_value.reset();
  out.wire_prefix.clear();
  std::size_t count = 0;
  rd_kafka_headers_t* headers = nullptr;
  if (rdkafka().rd_kafka_message_headers(&message, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    const char* name = nullptr;
    const void* value = nullptr;
    std::size_t size = 0;
    for (; rdkafka().rd_kafka_header_get_all(headers, count, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR;
         ++count) {
      if (count == out.fields.size()) {
        out.fields.emplace_back();
      }
      Field& field = out.fields[count];
      field.name.assign(name);
      field.value.assign(value ? static_cast<const char*>(value) : "", value ? size : 0);
    }
  }
  out.fields.resize(count);
  assign_or_reset(out.key, static_cast<const char*>(message.key), message.key_len);
  if (!message.payload) {
    out.value.reset();
    out.problem = "no value (a tombstone)";
    return topic;
  }
  std::string_view bytes(static_cast<const char*>(message.payload), message.len);
  out.value.reset();
  if (auto problem = header_problem(out.fields)) {
    out.problem = std::move(problem);
    out.wire_value.emplace(bytes);
    return topic;
  }
  const Unframed unframed = unframe(bytes);
  if (!unframed.ok) {
    out.problem = "value: " + unframed.error;
    out.wire_value.emplace(bytes);
    return topic;
  }
  std::shared_ptr<const std::string> schema = m_registry->schema_by_id(unframed.schema_id);
  if (!schema) {
    out.problem = "value: unknown schema id " + std::to_string(unframed.schema_id)
                  + " (not in the schema registry " + m_registry->describe() + ")";
    out.wire_value.emplace(bytes);
    return topic;
  }
  out.writer_schema = std::move(schema);
  out.wire_prefix.assign(bytes.data(), bytes.size() - unframed.avro.size());
  assign_or_reset(out.value, unframed.avro.data(), unframed.avro.size());
  return topic;
}

} // namespace oex::bus::kafka

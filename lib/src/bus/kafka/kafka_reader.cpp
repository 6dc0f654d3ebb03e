#include "kafka/kafka_reader.hpp"

#include <algorithm>
#include <vector>

#include "kafka/kafka_client.hpp"
#include "kafka/kafka_message.hpp"
#include "start_time.hpp"

namespace oex::bus::kafka {
namespace {

class KafkaReader : public PollingConsumer
{
public:
  KafkaReader(const BusSettings& settings, const ConsumerSettings& consumer,
              std::shared_ptr<SchemaRegistry> registry)
    : m_where("kafka " + settings.url)
    , m_reader(std::move(registry))
    , m_callbacks(std::make_unique<ConsumerState>())
  {
    for (const auto& [key, value] : settings.kafka_config) {
      if (key == "group.id") { // with one, librdkafka would store and commit offsets
        throw BusError("kafka: --kafka-config 'group.id' cannot be used with --no-group");
      }
    }
    const RdKafkaApi& api = rdkafka();
    std::optional<std::int64_t> time_ms;
    if (consumer.start.kind == StartAt::Kind::position) {
      time_ms = from_time_ms(consumer.start.position); // before any connection
    }
    KafkaPtr<rd_kafka_conf_t> conf = make_conf(settings, {});
    api.rd_kafka_conf_set_opaque(conf.get(), m_callbacks.get());
    api.rd_kafka_conf_set_error_cb(conf.get(), &on_consumer_error);
    m_client = make_client(RD_KAFKA_CONSUMER, std::move(conf));
    m_topic.reset(api.rd_kafka_topic_new(m_client.get(), consumer.stream.c_str(), nullptr));
    if (!m_topic) {
      throw BusError(m_where + ": topic '" + consumer.stream + "': " + kafka_error(api.rd_kafka_last_error()));
    }
    const int connect_ms = static_cast<int>(settings.connect_timeout.count());
    const int command_ms = static_cast<int>(settings.command_timeout.count());
    m_partitions = partitions_of(consumer.stream, connect_ms);
    std::vector<std::int64_t> offsets(m_partitions.size(), RD_KAFKA_OFFSET_BEGINNING);
    if (consumer.start.kind != StartAt::Kind::beginning) {
      offsets = ends(consumer.stream, command_ms);
    }
    if (time_ms) {
      at_time(consumer.stream, *time_ms, command_ms, offsets);
    }
    m_queue.reset(api.rd_kafka_queue_new(m_client.get()));
    for (std::size_t i = 0; i < m_partitions.size(); ++i) {
      if (api.rd_kafka_consume_start_queue(m_topic.get(), m_partitions[i], offsets[i], m_queue.get()) != 0) {
        throw BusError(m_where + ": topic '" + consumer.stream + "' partition "
                       + std::to_string(m_partitions[i]) + ": "
                       + kafka_error(api.rd_kafka_last_error()));
      }
      m_started = i + 1;
    }
  }

  ~KafkaReader() override { stop(); }

  bool poll_into(std::chrono::milliseconds timeout, ReceivedMessage& out) override
  {
    const RdKafkaApi& api = rdkafka();
    KafkaPtr<rd_kafka_message_t> message(
      api.rd_kafka_consume_queue(m_queue.get(), static_cast<int>(timeout.count())));
    if (!message || ++m_since_served >= 1024) {
      m_since_served = 0;
      api.rd_kafka_poll(m_client.get(), 0); // the error callback
      if (!m_callbacks->fatal.empty()) {
        throw BusError(m_where + ": " + m_callbacks->fatal);
      }
    }
    if (!message) {
      return false;
    }
    if (message->err) {
      if (message->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        return false;
      }
      throw BusError(m_where + ": topic '" + std::string(api.rd_kafka_topic_name(message->rkt))
                     + "' partition " + std::to_string(message->partition) + ": "
                     + kafka_error(message->err));
    }
    m_reader.read(*message, out);
    out.ack_handle = 0;
    return true;
  }

  void ack(const ReceivedMessage&) override {} // nothing to acknowledge: no group

  void close() override { stop(); }

  bool ready() const override { return true; } // every partition started

private:
  void stop()
  {
    for (std::size_t i = 0; i < m_started; ++i) {
      rdkafka().rd_kafka_consume_stop(m_topic.get(), m_partitions[i]);
    }
    m_started = 0;
  }

  // The topic's partitions, sorted; waits up to timeout_ms for the brokers.
  std::vector<std::int32_t> partitions_of(const std::string& name, int timeout_ms)
  {
    const RdKafkaApi& api = rdkafka();
    const rd_kafka_metadata_t* raw = nullptr;
    const rd_kafka_resp_err_t err = api.rd_kafka_metadata(m_client.get(), 0, m_topic.get(), &raw, timeout_ms);
    api.rd_kafka_poll(m_client.get(), 0); // the error callback: why the brokers did not answer
    if (err) {
      throw BusError(m_where + ": cannot reach the brokers: "
                     + (m_callbacks->brokers_down.empty() ? kafka_error(err) : m_callbacks->brokers_down));
    }
    KafkaPtr<const rd_kafka_metadata_t> metadata(raw);
    std::vector<std::int32_t> out;
    for (int t = 0; t < metadata->topic_cnt; ++t) {
      const rd_kafka_metadata_topic& topic = metadata->topics[t];
      if (name != topic.topic) {
        continue;
      }
      if (topic.err) {
        throw BusError(m_where + ": topic '" + name + "': " + kafka_error(topic.err));
      }
      for (int p = 0; p < topic.partition_cnt; ++p) {
        out.push_back(topic.partitions[p].id);
      }
    }
    if (out.empty()) {
      throw BusError(m_where + ": topic '" + name + "' has no partitions");
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  // The high watermark of each partition: where a read from the end starts.
  std::vector<std::int64_t> ends(const std::string& name, int timeout_ms)
  {
    std::vector<std::int64_t> out;
    for (const std::int32_t partition : m_partitions) {
      std::int64_t low = 0;
      std::int64_t high = 0;
      if (rd_kafka_resp_err_t err = rdkafka().rd_kafka_query_watermark_offsets(
            m_client.get(), name.c_str(), partition, &low, &high, timeout_ms)) {
        throw BusError(m_where + ": topic '" + name + "' partition " + std::to_string(partition)
                       + ": " + kafka_error(err));
      }
      out.push_back(high);
    }
    return out;
  }

  // offsets (the ends) set to the first offset at or after ms where a partition has one.
  void at_time(const std::string& name, std::int64_t ms, int timeout_ms, std::vector<std::int64_t>& offsets)
  {
    const RdKafkaApi& api = rdkafka();
    KafkaPtr<rd_kafka_topic_partition_list_t> list(
      api.rd_kafka_topic_partition_list_new(static_cast<int>(m_partitions.size())));
    for (const std::int32_t partition : m_partitions) {
      api.rd_kafka_topic_partition_list_add(list.get(), name.c_str(), partition)->offset = ms;
    }
    if (rd_kafka_resp_err_t err = api.rd_kafka_offsets_for_times(m_client.get(), list.get(), timeout_ms)) {
      throw BusError(m_where + ": topic '" + name + "': offsets for --from: " + kafka_error(err));
    }
    for (std::size_t i = 0; i < m_partitions.size(); ++i) {
      const rd_kafka_topic_partition_t& answer = list->elems[i];
      if (answer.err) {
        throw BusError(m_where + ": topic '" + name + "' partition " + std::to_string(answer.partition)
                       + ": offsets for --from: " + kafka_error(answer.err));
      }
      if (answer.offset >= 0) {
        offsets[i] = answer.offset;
      }
    }
  }


  std::string m_where;
  MessageReader m_reader;
  std::unique_ptr<ConsumerState> m_callbacks;
  // Released in reverse: the queue and the topic before the client.
  KafkaPtr<rd_kafka_t> m_client;
  KafkaPtr<rd_kafka_topic_t> m_topic;
  KafkaPtr<rd_kafka_queue_t> m_queue;
  std::vector<std::int32_t> m_partitions;
  std::size_t m_started = 0; // partitions whose reading was started (stopped at close)
  unsigned m_since_served = 0; // messages since the error callback was last served
};

} // namespace

std::unique_ptr<Consumer> make_reader(const BusSettings& settings, const ConsumerSettings& consumer,
                                      std::shared_ptr<SchemaRegistry> registry)
{
  return std::make_unique<KafkaReader>(settings, consumer, std::move(registry));
}

} // namespace oex::bus::kafka

#include "kafka/kafka_consumer.hpp"

#include <chrono>
#include <deque>
#include <map>
#include <set>

#include "kafka/kafka_message.hpp"

namespace oex::bus::kafka {
namespace {

using Clock = std::chrono::steady_clock;

class KafkaConsumer : public PollingConsumer
{
public:
  KafkaConsumer(const BusSettings& settings, const ConsumerSettings& consumer,
                std::shared_ptr<SchemaRegistry> registry)
    : m_settings(settings)
    , m_topic(consumer.stream)
    , m_reader(std::move(registry))
    , m_callbacks(std::make_unique<ConsumerState>())
  {
    m_callbacks->owner = this;
    std::string reset = "latest";
    if (consumer.start.kind == StartAt::Kind::beginning) {
      reset = "earliest";
    } else if (consumer.start.kind == StartAt::Kind::position) {
      m_replay_ms = from_time_ms(consumer.start.position);
      reset = "earliest";
    }
    KafkaPtr<rd_kafka_conf_t> conf = make_conf(
      settings, {{"group.id", consumer.group},
                 // At least once: an offset is stored only when consume has handled its message
                 // (ack); librdkafka commits stored offsets in the background, and close()
                 // commits the last ones synchronously.
                 {"enable.auto.commit", "true"},
                 {"auto.commit.interval.ms", "200"}, // what a SIGKILL makes come again
                 {"enable.auto.offset.store", "false"},
                 {"auto.offset.reset", reset}});
    if (!consumer.consumer.empty()) {
      set_property(conf.get(), "client.id", consumer.consumer);
    }
    rdkafka().rd_kafka_conf_set_opaque(conf.get(), m_callbacks.get());
    rdkafka().rd_kafka_conf_set_rebalance_cb(conf.get(), &on_rebalance);
    rdkafka().rd_kafka_conf_set_error_cb(conf.get(), &on_consumer_error);
    m_client = make_client(RD_KAFKA_CONSUMER, std::move(conf));
    rdkafka().rd_kafka_poll_set_consumer(m_client.get());
    KafkaPtr<rd_kafka_topic_partition_list_t> topics(rdkafka().rd_kafka_topic_partition_list_new(1));
    rdkafka().rd_kafka_topic_partition_list_add(topics.get(), m_topic.c_str(), RD_KAFKA_PARTITION_UA);
    if (rd_kafka_resp_err_t err = rdkafka().rd_kafka_subscribe(m_client.get(), topics.get())) {
      throw BusError(where() + ": cannot subscribe to '" + m_topic + "': " + kafka_error(err));
    }
  }

  ~KafkaConsumer() override
  {
    if (m_client && !m_closed) {
      // leaves the group, committing what was stored: only messages that were handled
      m_closed = true;
      rdkafka().rd_kafka_consumer_close(m_client.get());
    }
  }

  bool poll_into(std::chrono::milliseconds timeout, ReceivedMessage& out) override
  {
    store_acked();
    KafkaPtr<rd_kafka_message_t> message(
      rdkafka().rd_kafka_consumer_poll(m_client.get(), static_cast<int>(timeout.count())));
    check_connection();
    if (!message) {
      return false;
    }
    if (message->err) {
      if (message->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        return false;
      }
      std::string text = kafka_error(message->err);
      if (message->rkt) {
        text = "topic '" + std::string(rdkafka().rd_kafka_topic_name(message->rkt)) + "': " + text;
      }
      throw BusError(where() + ": " + text);
    }
    receive(*message, out);
    return true;
  }

  void ack(const ReceivedMessage& message) override
  {
    if (message.ack_handle < m_first_in_flight
        || message.ack_handle - m_first_in_flight >= m_in_flight.size()) {
      return;
    }
    InFlight& handled = m_in_flight[message.ack_handle - m_first_in_flight];
    if (handled.acked) {
      return;
    }
    handled.acked = true;
    std::int64_t& next = m_acked[{handled.topic, handled.partition}];
    next = std::max(next, handled.offset + 1);
    while (!m_in_flight.empty() && m_in_flight.front().acked) {
      m_in_flight.pop_front();
      ++m_first_in_flight;
    }
  }

  void close() override
  {
    if (m_closed) {
      return;
    }
    store_acked();
    commit(true);
    m_closed = true;
    if (rd_kafka_resp_err_t err = rdkafka().rd_kafka_consumer_close(m_client.get())) {
      throw BusError(where() + ": leaving the group: " + kafka_error(err));
    }
  }

  bool ready() const override { return m_assigned; }

private:
  std::string where() const { return "kafka " + m_settings.url; }

  // Stores the offsets after the messages acknowledged since the last call, one per partition,
  // in one call (committed in the background). Called before each poll, before partitions are
  // given up and at close, so that what ack() took is stored before anything else happens.
  void store_acked()
  {
    if (m_acked.empty()) {
      return;
    }
    const RdKafkaApi& api = rdkafka();
    KafkaPtr<rd_kafka_topic_partition_list_t> list(
      api.rd_kafka_topic_partition_list_new(static_cast<int>(m_acked.size())));
    for (const auto& [partition, next] : m_acked) {
      api.rd_kafka_topic_partition_list_add(list.get(), m_reader.topic_name(partition.first).c_str(),
                                            partition.second)
        ->offset = next;
    }
    m_acked.clear();
    // A partition no longer assigned (revoked in a rebalance) refuses: its next owner gets the
    // message again, which is what at least once allows.
    api.rd_kafka_offsets_store(m_client.get(), list.get());
  }

  // Commits the stored offsets now and waits for the answer: at close and when partitions are
  // given up (a failure at close throws: those messages will come again).
  void commit(bool may_throw)
  {
    const rd_kafka_resp_err_t err = rdkafka().rd_kafka_commit(m_client.get(), nullptr, 0);
    if (err && err != RD_KAFKA_RESP_ERR__NO_OFFSET && may_throw) {
      throw BusError(where() + ": cannot commit offsets (the messages handled since the last "
                               "commit will be delivered again): "
                     + kafka_error(err));
    }
  }

  void check_connection()
  {
    if (!m_callbacks->fatal.empty()) {
      throw BusError(where() + ": " + m_callbacks->fatal);
    }
    // Never given partitions and no broker reachable for the connect timeout: a wrong address or
    // a cluster that is down. Once it has been a member, brokers that go away are waited for
    // (librdkafka reconnects), as upstream's consumer does.
    if (m_assigned || m_callbacks->brokers_down.empty()) {
      return;
    }
    if (Clock::now() - m_callbacks->down_since > m_settings.connect_timeout) {
      throw BusError(where() + ": cannot reach the brokers: " + m_callbacks->brokers_down);
    }
  }

  // Reads message into out and keeps it in flight until acknowledged.
  void receive(const rd_kafka_message_t& message, ReceivedMessage& out)
  {
    const std::size_t topic = m_reader.read(message, out);
    out.ack_handle = ++m_sequence;
    if (m_in_flight.empty()) {
      m_first_in_flight = out.ack_handle;
    }
    m_in_flight.push_back(InFlight{topic, message.partition, message.offset});
  }


  static void on_rebalance(rd_kafka_t* handle, rd_kafka_resp_err_t err,
                           rd_kafka_topic_partition_list_t* partitions, void* opaque)
  {
    auto* state = static_cast<ConsumerState*>(opaque);
    static_cast<KafkaConsumer*>(state->owner)->rebalance(handle, err, partitions);
  }

  void rebalance(rd_kafka_t* handle, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions)
  {
    const RdKafkaApi& api = rdkafka();
    const bool cooperative = std::string_view(api.rd_kafka_rebalance_protocol(handle)) == "COOPERATIVE";
    m_callbacks->brokers_down.clear();
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
      if (m_replay_ms) {
        replay_positions(partitions);
      }
      if (cooperative) {
        KafkaPtr<rd_kafka_error_t> error(api.rd_kafka_incremental_assign(handle, partitions));
      } else {
        api.rd_kafka_assign(handle, partitions);
      }
      m_assigned = true;
      return;
    }
    // Revoked (or lost): what was handled is committed before another member takes over (a
    // failure means redelivery to the next owner: at least once). Not when closing: close()
    // has committed, and a synchronous commit from inside rd_kafka_consumer_close never returns.
    if (!m_closed) {
      store_acked();
      commit(false);
    }
    if (cooperative) {
      KafkaPtr<rd_kafka_error_t> error(api.rd_kafka_incremental_unassign(handle, partitions));
    } else {
      api.rd_kafka_assign(handle, nullptr);
    }
  }

  // --from TIME: each partition starts at the first offset at or after TIME the first time this
  // process is given it; given it again after a rebalance, it resumes from the group's offset.
  void replay_positions(rd_kafka_topic_partition_list_t* partitions)
  {
    KafkaPtr<rd_kafka_topic_partition_list_t> fresh = replay_request(*partitions, *m_replay_ms, m_replayed);
    if (fresh->cnt == 0) {
      return;
    }
    if (rdkafka().rd_kafka_offsets_for_times(m_client.get(), fresh.get(),
                                             static_cast<int>(m_settings.command_timeout.count()))) {
      return; // the group's offset, else auto.offset.reset
    }
    apply_replay(*fresh, *partitions);
  }

  BusSettings m_settings;
  std::string m_topic;
  MessageReader m_reader;
  std::unique_ptr<ConsumerState> m_callbacks;
  KafkaPtr<rd_kafka_t> m_client;
  std::optional<std::int64_t> m_replay_ms;
  std::set<std::pair<std::string, std::int32_t>> m_replayed;
  bool m_assigned = false;
  bool m_closed = false;
  std::uint64_t m_sequence = 0;
  struct InFlight
  {
    std::size_t topic = 0; // in m_reader's topic names
    std::int32_t partition = 0;
    std::int64_t offset = 0;
    bool acked = false;
  };
  // Received and not acknowledged, in the order received (ack handles m_first_in_flight on):
  // the front is dropped once acknowledged, later ones are marked.
  std::deque<InFlight> m_in_flight;
  std::uint64_t m_first_in_flight = 1;
  std::map<std::pair<std::size_t, std::int32_t>, std::int64_t> m_acked; // next offsets to store
};

} // namespace

KafkaPtr<rd_kafka_topic_partition_list_t>
replay_request(const rd_kafka_topic_partition_list_t& assigned, std::int64_t ms,
               std::set<std::pair<std::string, std::int32_t>>& replayed)
{
  const RdKafkaApi& api = rdkafka();
  KafkaPtr<rd_kafka_topic_partition_list_t> request(api.rd_kafka_topic_partition_list_new(assigned.cnt));
  for (int i = 0; i < assigned.cnt; ++i) {
    const rd_kafka_topic_partition_t& partition = assigned.elems[i];
    if (replayed.emplace(partition.topic, partition.partition).second) {
      api.rd_kafka_topic_partition_list_add(request.get(), partition.topic, partition.partition)->offset = ms;
    }
  }
  return request;
}

void apply_replay(const rd_kafka_topic_partition_list_t& found, rd_kafka_topic_partition_list_t& assigned)
{
  const RdKafkaApi& api = rdkafka();
  for (int i = 0; i < found.cnt; ++i) {
    const rd_kafka_topic_partition_t& answer = found.elems[i];
    if (answer.err) {
      continue; // that partition starts where the group left off, else at auto.offset.reset
    }
    if (rd_kafka_topic_partition_t* partition =
          api.rd_kafka_topic_partition_list_find(&assigned, answer.topic, answer.partition)) {
      partition->offset = answer.offset;
    }
  }
}

std::unique_ptr<Consumer> make_consumer(const BusSettings& settings,
                                        const ConsumerSettings& consumer,
                                        std::shared_ptr<SchemaRegistry> registry)
{
  return std::make_unique<KafkaConsumer>(settings, consumer, std::move(registry));
}

} // namespace oex::bus::kafka

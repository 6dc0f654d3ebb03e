#include "kafka/kafka_producer.hpp"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <chrono>
#include <map>
#include <optional>
#include <thread>

#include "kafka/framing.hpp"
#include "oex/bus/kafka_schemas.hpp"

namespace oex::bus::kafka {
namespace {

using Clock = std::chrono::steady_clock;

// A delivery whose outcome is known: delivered, or failed (a failure always says why).
bool known(const Delivery& delivery)
{
  return delivery.ok || !delivery.error.empty();
}

struct State
{
  std::string url;
  // The deliveries of the messages numbered from `first` on (a message's number is its opaque),
  // of which the first `taken` were handed out by take_delivered.
  std::vector<Delivery> deliveries;
  std::uint64_t first = 0;
  std::size_t taken = 0;
  std::size_t outstanding = 0;
  std::string fatal;              // the first error that makes every message fail
  std::string brokers_down;       // set while librdkafka says no broker can be reached
  Clock::time_point down_since{};
  std::string detail;             // the last connection failure, which says why
};

void on_delivery(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque)
{
  auto* state = static_cast<State*>(opaque);
  --state->outstanding;
  const auto number = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(message->_private));
  if (number < state->first || number - state->first >= state->deliveries.size()) {
    return; // not one of ours
  }
  Delivery& delivery = state->deliveries[number - state->first];
  if (message->err) {
    delivery.ok = false;
    delivery.error = "kafka " + state->url + ": topic '" + rdkafka().rd_kafka_topic_name(message->rkt)
                     + "': not delivered: " + kafka_error(message->err);
  } else {
    delivery.ok = true;
    delivery.position = kafka_position(rdkafka().rd_kafka_topic_name(message->rkt),
                                       message->partition, message->offset);
    state->brokers_down.clear();
  }
}

void on_error(rd_kafka_t* handle, int err, const char* reason, void* opaque)
{
  auto* state = static_cast<State*>(opaque);
  const auto code = static_cast<rd_kafka_resp_err_t>(err);
  if (code == RD_KAFKA_RESP_ERR__FATAL) {
    char text[512] = "";
    rdkafka().rd_kafka_fatal_error(handle, text, sizeof text);
    if (state->fatal.empty()) {
      state->fatal = text;
    }
  } else if (code == RD_KAFKA_RESP_ERR__TRANSPORT) {
    state->detail = reason; // one broker: not yet a reason to give up
  } else if (code == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN || code == RD_KAFKA_RESP_ERR__AUTHENTICATION
             || code == RD_KAFKA_RESP_ERR__RESOLVE) {
    if (state->brokers_down.empty()) {
      state->down_since = Clock::now();
    }
    state->brokers_down = code == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN && !state->detail.empty()
                            ? state->detail
                            : reason;
  }
}

class KafkaProducer : public Producer
{
public:
  KafkaProducer(const BusSettings& settings, std::shared_ptr<SchemaRegistry> registry)
    : m_settings(settings)
    , m_registry(std::move(registry))
    , m_state(std::make_unique<State>())
  {
    m_state->url = settings.url;
    // librdkafka's default is to keep trying for 5 minutes; a command-line tool says sooner.
    KafkaPtr<rd_kafka_conf_t> conf =
      make_conf(settings, {{"enable.idempotence", "true"},
                           {"message.timeout.ms", std::to_string(settings.command_timeout.count())},
                           {"linger.ms", "5"}});
    rdkafka().rd_kafka_conf_set_opaque(conf.get(), m_state.get());
    rdkafka().rd_kafka_conf_set_dr_msg_cb(conf.get(), &on_delivery);
    rdkafka().rd_kafka_conf_set_error_cb(conf.get(), &on_error);
    m_client = make_client(RD_KAFKA_PRODUCER, std::move(conf));
  }

  ~KafkaProducer() override
  {
    // Whatever was not flushed is dropped: flush() is the only way to know what was sent.
    rdkafka().rd_kafka_flush(m_client.get(), 0);
  }

  void send(const OutgoingMessage& message) override
  {
    const std::uint64_t number = m_state->first + m_state->deliveries.size();
    m_state->deliveries.emplace_back();
    // Reused buffers: librdkafka copies the bytes (MSG_F_COPY) before produce() returns.
    std::string& value = m_value;
    std::string& key = m_key;
    value.clear();
    key.clear();
    try {
      frame(message, value, key);
    } catch (const BusError&) {
      m_state->deliveries.pop_back();
      throw;
    }
    KafkaPtr<rd_kafka_headers_t> headers(rdkafka().rd_kafka_headers_new(16));
    auto add = [&](const Field& field) {
      rdkafka().rd_kafka_header_add(headers.get(), field.name.data(),
                                    static_cast<ssize_t>(field.name.size()), field.value.data(),
                                    static_cast<ssize_t>(field.value.size()));
    };
    if (!message.wire) {
      for (const Field& field : cloud_event_headers()) {
        add(field);
      }
    }
    for (const Field& field : message.fields) {
      add(field);
    }
    for (const Field& field : message.after_value) {
      add(field);
    }
    produce(message.stream, message.value ? &value : nullptr, message.key ? &key : nullptr,
            headers, number);
  }

  // How many messages may wait for their report. A sender that then waits for the oldest
  // (take_delivered) keeps the pipeline full; one that flushes waits for the slowest partition's
  // last batch, and librdkafka batches per partition: a window of a thousand, spread over dozens
  // of partitions, makes small batches and leaves the connection idle at every flush.
  std::size_t window() const override { return 20000; }

  std::vector<Delivery> flush() override
  {
    std::vector<Delivery> out;
    flush(out);
    return out;
  }

  void flush(std::vector<Delivery>& deliveries) override
  {
    const Clock::time_point start = Clock::now();
    while (m_state->outstanding > 0) {
      wait_for_reports(start);
    }
    std::vector<Delivery>& all = m_state->deliveries;
    m_state->first += all.size();
    if (m_state->taken == 0) {
      deliveries.clear();
      deliveries.swap(all); // the two vectors take turns, keeping their memory
    } else {
      deliveries.assign(std::make_move_iterator(all.begin() + static_cast<std::ptrdiff_t>(m_state->taken)),
                        std::make_move_iterator(all.end()));
      all.clear();
      m_state->taken = 0;
    }
  }

  void take_delivered(std::vector<Delivery>& deliveries, bool wait) override
  {
    deliveries.clear();
    std::vector<Delivery>& all = m_state->deliveries;
    std::size_t& taken = m_state->taken;
    const Clock::time_point start = Clock::now();
    while (wait && m_state->outstanding > 0 && taken < all.size() && !known(all[taken])) {
      wait_for_reports(start);
    }
    while (taken < all.size() && known(all[taken])) {
      deliveries.push_back(std::move(all[taken++]));
    }
    // Forget the ones handed out: all of them at once when none is left in flight, else now and
    // then (moving the few in flight to the front).
    if (taken == all.size() || taken >= 4096) {
      all.erase(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(taken));
      m_state->first += taken;
      taken = 0;
    }
  }

private:
  // Serves the delivery reports that come within 100 ms. Throws BusError on a fatal error, or
  // when the brokers could not be reached since start for as long as a connection may take:
  // said now rather than when every message has timed out (a delivery in between clears it).
  void wait_for_reports(Clock::time_point start)
  {
    rdkafka().rd_kafka_poll(m_client.get(), 100);
    if (!m_state->fatal.empty()) {
      throw BusError("kafka " + m_settings.url + ": " + m_state->fatal);
    }
    if (!m_state->brokers_down.empty()
        && Clock::now() - std::max(start, m_state->down_since) > m_settings.connect_timeout) {
      throw BusError("kafka " + m_settings.url + ": cannot reach the brokers: " + m_state->brokers_down);
    }
  }

  void frame(const OutgoingMessage& message, std::string& value, std::string& key)
  {
    if (message.wire || !message.schemas) {
      if (!message.wire && message.value) {
        throw BusError("kafka: no schema for the message to '" + message.stream + "'");
      }
      value.assign(message.value ? *message.value : std::string());
      key.assign(message.key ? *message.key : std::string());
      return;
    }
    // The same topic and schemas as the message before (produce --jsonl): no map lookup.
    if (!m_last_ids || m_last_ids->schemas != message.schemas || m_last_stream != message.stream) {
      m_last_ids = &m_ids[{message.stream, message.schemas.get()}];
      m_last_ids->schemas = message.schemas; // keeps the address in the key from being reused
      m_last_stream = message.stream;
    }
    SchemaIds& ids = *m_last_ids;
    if (message.value) {
      if (!ids.value) {
        ids.value = m_registry->register_schema(message.stream + "-" + ids.schemas->value_name(),
                                                ids.schemas->value_schema());
      }
      append_framed(value, *ids.value, *message.value);
    }
    if (message.key) {
      if (!ids.key) {
        ids.key = m_registry->register_schema(message.stream + "-" + ids.schemas->key_name(),
                                              ids.schemas->key_schema());
      }
      append_framed(key, *ids.key, *message.key);
    }
  }

  // librdkafka's handle for topic, made on first use. Making it (rather than naming the topic in
  // each produce call) asks the brokers for the topic's partitions at once; a topic only named
  // waits for librdkafka's once-a-second scan of unknown topics before its first message can go.
  rd_kafka_topic_t* topic_handle(const std::string& topic)
  {
    if (m_last_topic && m_last_topic->first == topic) {
      return m_last_topic->second.get();
    }
    auto found = m_topics.find(topic);
    if (found == m_topics.end()) {
      KafkaPtr<rd_kafka_topic_t> handle(rdkafka().rd_kafka_topic_new(m_client.get(), topic.c_str(), nullptr));
      if (!handle) {
        throw BusError("kafka " + m_settings.url + ": topic '" + topic
                       + "': " + kafka_error(rdkafka().rd_kafka_last_error()));
      }
      found = m_topics.emplace(topic, std::move(handle)).first;
    }
    m_last_topic = &*found;
    return found->second.get();
  }

  void produce(const std::string& topic, const std::string* value, const std::string* key,
               KafkaPtr<rd_kafka_headers_t>& headers, std::uint64_t number)
  {
    while (true) {
      rd_kafka_vu_t parts[6];
      std::size_t count = 0;
      // MSG_F_COPY: librdkafka copies the bytes, so they need not outlive this call.
      parts[count].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
      parts[count++].u.i = RD_KAFKA_MSG_F_COPY;
      parts[count].vtype = RD_KAFKA_VTYPE_RKT;
      parts[count++].u.rkt = topic_handle(topic);
      if (value) {
        parts[count].vtype = RD_KAFKA_VTYPE_VALUE;
        parts[count].u.mem.ptr = const_cast<char*>(value->data());
        parts[count++].u.mem.size = value->size();
      }
      if (key) {
        parts[count].vtype = RD_KAFKA_VTYPE_KEY;
        parts[count].u.mem.ptr = const_cast<char*>(key->data());
        parts[count++].u.mem.size = key->size();
      }
      parts[count].vtype = RD_KAFKA_VTYPE_HEADERS;
      parts[count++].u.headers = headers.get();
      parts[count].vtype = RD_KAFKA_VTYPE_OPAQUE;
      parts[count++].u.ptr = reinterpret_cast<void*>(static_cast<std::uintptr_t>(number));
      KafkaPtr<rd_kafka_error_t> error(rdkafka().rd_kafka_produceva(m_client.get(), parts, count));
      if (!error) {
        headers.release(); // the message owns them now
        ++m_state->outstanding;
        // Delivery reports served as they come, as kcat does: the memory of delivered messages
        // and their headers is then reused at once rather than piling up until flush().
        rdkafka().rd_kafka_poll(m_client.get(), 0);
        return;
      }
      if (rdkafka().rd_kafka_error_code(error.get()) == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        rdkafka().rd_kafka_poll(m_client.get(), 100); // let deliveries make room
        continue;
      }
      Delivery& delivery = m_state->deliveries[number - m_state->first];
      delivery.ok = false;
      delivery.error = "kafka " + m_settings.url + ": topic '" + topic
                       + "': not sent: " + rdkafka().rd_kafka_error_string(error.get());
      return;
    }
  }

  // The registry ids of a message's schemas (by topic and schemas object), registered on first
  // use: the registry client caches them too, but keyed by schema text, which would compare
  // kilobytes of JSON for every message.
  struct SchemaIds
  {
    std::shared_ptr<const KafkaSchemas> schemas;
    std::optional<std::uint32_t> value;
    std::optional<std::uint32_t> key;
  };

  BusSettings m_settings;
  std::shared_ptr<SchemaRegistry> m_registry;
  std::unique_ptr<State> m_state;
  KafkaPtr<rd_kafka_t> m_client;
  std::map<std::pair<std::string, const KafkaSchemas*>, SchemaIds> m_ids;
  std::map<std::string, KafkaPtr<rd_kafka_topic_t>> m_topics; // destroyed before m_client
  // The last message's lookups (map nodes do not move), and the framing buffers.
  SchemaIds* m_last_ids = nullptr;
  std::string m_last_stream;
  std::pair<const std::string, KafkaPtr<rd_kafka_topic_t>>* m_last_topic = nullptr;
  std::string m_value;
  std::string m_key;
};

} // namespace

const std::vector<Field>& cloud_event_headers()
{
  static const std::vector<Field> headers = {{"ce_specversion", "1.0"},
                                             {"content-type", "application/avro"},
                                             {"ce_datacontenttype", "application/avro"}};
  return headers;
}

std::unique_ptr<Producer> make_producer(const BusSettings& settings,
                                        std::shared_ptr<SchemaRegistry> registry)
{
  return std::make_unique<KafkaProducer>(settings, std::move(registry));
}

} // namespace oex::bus::kafka

#include <catch2/catch.hpp>

#include <chrono>
#include <functional>
#include <thread>

#include "kafka/framing.hpp"
#include "kafka/kafka_client.hpp"
#include "oex/avro/binary.hpp"
#include "oex/bus/kafka_schemas.hpp"
#include "oex/bus/transport.hpp"
#include "oex/bus/wire_metadata.hpp"
#include "oex/keys/datetime.hpp"
#include "oex/metadata/metadata.hpp"
#include "support/catalog_fixture.hpp"
#include "support/kafka_support.hpp"

using namespace oex::bus;
using namespace std::chrono_literals;
using oex::test::MockCluster;
using oex::test::RegistryDouble;

namespace {

constexpr const char* k_enrollment = "org.openedx.learning.course.enrollment.created.v1";

BusSettings kafka_settings(const MockCluster& cluster, const RegistryDouble& registry)
{
  BusSettings settings;
  settings.url = cluster.url();
  settings.registry_url = registry.url();
  settings.connect_timeout = 2000ms;
  settings.command_timeout = 10000ms;
  // The mock cluster holds a departed member's partitions until its session times out: keep that
  // short so that a consumer that takes over is given them in a few seconds.
  // The mock cluster holds a group that a member left or lost for the session timeout before
  // the next member can join: keep that short (see fast_group in tests/bus).
  settings.kafka_config = {{"session.timeout.ms", "5000"}, {"heartbeat.interval.ms", "500"},
                           {"max.poll.interval.ms", "7000"}};
  return settings;
}

std::string payload(int user_id, const std::string& course_key)
{
  return R"({"enrollment": {"user": {"id": )" + std::to_string(user_id)
         + R"(, "is_active": true, "pii": {"username": "ann", "email": "a@example.com", "name": "Ann"}},
    "course": {"course_key": ")"
         + course_key + R"(", "display_name": "Demo"}, "mode": "audit", "is_active": true,
    "creation_date": "2026-01-02T03:04:05+00:00"}})";
}

// A message as `oex produce` makes it: metadata fields, encoded value and key, the schemas.
OutgoingMessage event_message(const std::string& topic, int user_id,
                              const std::shared_ptr<const KafkaSchemas>& schemas,
                              const MetadataNames& names)
{
  const oex::EventType& event = *oex::test::catalog().find(k_enrollment);
  oex::MetadataOverrides overrides;
  overrides.id = "fe260748-e8c8-11f1-97b5-02fc0000000" + std::to_string(user_id % 10);
  overrides.time = *oex::parse_isoformat("2026-11-25T10:00:00+00:00");
  overrides.sourcehost = "host";
  const oex::EventsMetadata metadata =
    oex::generate_signal_metadata(event, oex::test::catalog(), {}, overrides);
  OutgoingMessage message;
  message.stream = topic;
  message.fields = metadata_fields(names, metadata);
  std::string value;
  oex::avro::PayloadEncoder(event).encode(payload(user_id, "course-v1:edX+DemoX+2026"), value);
  std::string key;
  schemas->encode_key(value, key);
  message.value = std::move(value);
  message.key = std::move(key);
  message.schemas = schemas;
  return message;
}

// Polls until count messages came or about 30 s passed.
// A new group's consumer of stream, from its first message.
ConsumerSettings from_beginning(const std::string& stream, const std::string& group)
{
  ConsumerSettings settings;
  settings.stream = stream;
  settings.group = group;
  settings.start.kind = StartAt::Kind::beginning;
  return settings;
}

// Sends value as it is (no framing added) with fields as headers.
void send_raw(Producer& producer, const std::string& stream, std::optional<std::string> value,
              std::vector<Field> fields)
{
  OutgoingMessage message;
  message.stream = stream;
  message.wire = true;
  message.value = std::move(value);
  message.fields = std::move(fields);
  producer.send(std::move(message));
}

std::vector<ReceivedMessage> receive(Consumer& consumer, std::size_t count)
{
  std::vector<ReceivedMessage> out;
  for (int i = 0; i < 150 && out.size() < count; ++i) {
    if (auto message = consumer.poll(200ms)) {
      out.push_back(std::move(*message));
    }
  }
  return out;
}

std::string error_of(const std::function<void()>& call)
{
  try {
    call();
  } catch (const BusError& e) {
    return e.what();
  }
  return "no error";
}

// A producer of enrollment events (keyed by course) to topic "t", of one partition, of a new
// mock cluster.
struct ProducerToT
{
  MockCluster cluster{1, {"t:1"}};
  RegistryDouble registry;
  std::unique_ptr<Transport> transport = open_transport(kafka_settings(cluster, registry));
  std::shared_ptr<const KafkaSchemas> schemas = std::make_shared<const KafkaSchemas>(
    *oex::test::catalog().find(k_enrollment), "enrollment.course.course_key");
  std::unique_ptr<Producer> producer = transport->producer();

  void send(int user_id) { producer->send(event_message("t", user_id, schemas, transport->metadata_names())); }
};

} // namespace

TEST_CASE("kafka transport: produce and consume through the mock cluster, at least once")
{
  ProducerToT to_t;
  Transport* transport = to_t.transport.get();
  const std::shared_ptr<const KafkaSchemas>& schemas = to_t.schemas;
  Producer* producer = to_t.producer.get();
  for (int i = 1; i <= 3; ++i) {
    to_t.send(i);
  }
  const std::vector<Delivery> deliveries = producer->flush();
  REQUIRE(deliveries.size() == 3);
  CHECK(deliveries[0].ok);
  CHECK(deliveries[0].position == "t/0/0");
  CHECK(deliveries[2].position == "t/0/2");

  ConsumerSettings settings;
  settings.stream = "t";
  settings.group = "g";
  settings.start.kind = StartAt::Kind::beginning;
  {
    auto consumer = transport->consumer(settings);
    std::vector<ReceivedMessage> got = receive(*consumer, 2);
    REQUIRE(got.size() == 2);
    CHECK(consumer->ready());
    const ReceivedMessage& first = got[0];
    CHECK(first.position == "t/0/0");
    CHECK_FALSE(first.problem);
    std::vector<std::string> header_names;
    for (const Field& field : first.fields) {
      header_names.push_back(field.name);
    }
    CHECK(header_names
          == std::vector<std::string>{"ce_specversion", "content-type", "ce_datacontenttype", "ce_type",
                                      "ce_id", "ce_source", "ce_time", "ce_minorversion", "sourcehost",
                                      "sourcelib"});
    CHECK(first.fields[0].value == "1.0");
    CHECK(first.fields[3].value == k_enrollment);
    CHECK(first.fields[6].value == "2026-11-25T10:00:00+00:00");
    REQUIRE(first.writer_schema);
    CHECK(*first.writer_schema == schemas->value_schema());
    CHECK(first.key == std::string("\x00\x00\x00\x00\x02\x30", 6) + "course-v1:edX+DemoX+2026");
    consumer->ack(got[0]); // the second is handled but never acknowledged: it must come again
    consumer->close();
  }
  auto again = transport->consumer(settings);
  std::vector<ReceivedMessage> rest = receive(*again, 2);
  REQUIRE(rest.size() == 2);
  CHECK(rest[0].position == "t/0/1");
  CHECK(rest[1].position == "t/0/2");
  again->close();
}

TEST_CASE("kafka transport: take_delivered hands out the known deliveries in order (or waits for the oldest), flush the rest")
{
  ProducerToT to_t;
  Producer* producer = to_t.producer.get();
  std::vector<Delivery> all;
  std::vector<Delivery> some;
  int sent = 0;
  // Sending serves delivery reports: keep sending until some are known (bounded).
  for (int i = 0; i < 300 && all.empty(); ++i) {
    to_t.send(sent++);
    producer->take_delivered(some, false);
    all.insert(all.end(), some.begin(), some.end());
    std::this_thread::sleep_for(10ms);
  }
  REQUIRE_FALSE(all.empty()); // known before any flush
  for (int i = 0; i < 10; ++i) {
    to_t.send(sent++);
  }
  producer->take_delivered(some, true); // waits for the oldest of the ten at least
  CHECK_FALSE(some.empty());
  all.insert(all.end(), some.begin(), some.end());
  const std::size_t taken = all.size();
  std::vector<Delivery> rest;
  producer->flush(rest);
  CHECK(taken + rest.size() == static_cast<std::size_t>(sent)); // each message once
  all.insert(all.end(), rest.begin(), rest.end());
  for (std::size_t i = 0; i < all.size(); ++i) { // in the order sent: one partition, offsets 0, 1, ...
    CHECK(all[i].ok);
    CHECK(all[i].position == "t/0/" + std::to_string(i));
  }
  producer->take_delivered(some, true); // nothing in flight: nothing to wait for
  CHECK(some.empty());
  // After a flush, numbering goes on: the next message's delivery is found.
  to_t.send(sent);
  const std::vector<Delivery> last = producer->flush();
  REQUIRE(last.size() == 1);
  CHECK(last[0].position == "t/0/" + std::to_string(sent));
}

TEST_CASE("kafka transport: messages event-bus-kafka cannot read come with their problem")
{
  MockCluster cluster(1, {"bad:1"});
  RegistryDouble registry;
  auto transport = open_transport(kafka_settings(cluster, registry));
  auto producer = transport->producer();
  auto raw = [&](std::optional<std::string> value, std::vector<Field> fields) {
    send_raw(*producer, "bad", std::move(value), std::move(fields));
  };
  const std::vector<Field> good = {{"ce_type", k_enrollment}, {"ce_id", "x"}};
  raw(std::nullopt, good);
  raw(std::string("\x00\x00\x00\x00\x01", 5), {{"ce_type", k_enrollment}});
  raw(std::string("\x00\x00\x00\x00\x01", 5), {{"ce_id", "x"}});
  raw(std::string("\x00\x00\x00\x00\x01", 5), {{"ce_type", "a"}, {"ce_type", "b"}, {"ce_id", "x"}});
  raw(std::string("{}"), good);
  raw(std::string("\x00\x00\x00\x03\xe7\x02", 6), good);
  for (const Delivery& delivery : producer->flush()) {
    CHECK(delivery.ok);
  }
  auto consumer = transport->consumer(from_beginning("bad", "g"));
  std::vector<ReceivedMessage> got = receive(*consumer, 6);
  REQUIRE(got.size() == 6);
  CHECK(got[0].problem == std::optional<std::string>("no value (a tombstone)"));
  CHECK(got[1].problem == std::optional<std::string>("no 'ce_id' header"));
  CHECK(got[2].problem == std::optional<std::string>("no 'ce_type' header"));
  CHECK(got[3].problem == std::optional<std::string>("2 'ce_type' headers (the metadata is ambiguous)"));
  CHECK(got[4].problem == std::optional<std::string>("value: 2 bytes, too short for the schema registry framing (0x00 and a 4-byte schema id)"));
  CHECK(got[5].problem == std::optional<std::string>("value: unknown schema id 999 (not in the schema registry " + registry.url() + ")"));
  CHECK(got[5].wire_value == std::optional<std::string>(std::string("\x00\x00\x00\x03\xe7\x02", 6)));
  consumer->close();
}

TEST_CASE("kafka transport: brokers and registry that cannot be reached are errors")
{
  RegistryDouble registry;
  MockCluster cluster(1, {"t:1"});
  BusSettings settings = kafka_settings(cluster, registry);
  auto schemas = std::make_shared<const KafkaSchemas>(*oex::test::catalog().find(k_enrollment),
                                                      "enrollment.course.course_key");
  SECTION("brokers down")
  {
    REQUIRE(cluster.command("down all") == "ok");
    auto transport = open_transport(settings);
    auto producer = transport->producer();
    producer->send(event_message("t", 1, schemas, transport->metadata_names()));
    CHECK_THAT(error_of([&] { producer->flush(); }),
               Catch::StartsWith("kafka " + cluster.url() + ": cannot reach the brokers: "));
  }
  SECTION("registry down")
  {
    registry.stop();
    auto transport = open_transport(settings);
    auto producer = transport->producer();
    CHECK_THAT(error_of([&] { producer->send(event_message("t", 1, schemas, transport->metadata_names())); }),
               Catch::StartsWith("schema registry " + registry.url()
                                 + ": POST /subjects/t-org.openedx.learning.course.enrollment.created.v1.CloudEvent/versions: "));
  }
  SECTION("no registry")
  {
    settings.registry_url.clear();
    auto transport = open_transport(settings);
    CHECK(error_of([&] { transport->producer(); })
          == "kafka: no schema registry: give --registry URL or set EVENT_BUS_KAFKA_SCHEMA_REGISTRY_URL");
  }
}

namespace {

std::string property(rd_kafka_conf_t* conf, const char* name)
{
  char value[512] = "";
  std::size_t size = sizeof value;
  if (kafka::rdkafka().rd_kafka_conf_get(conf, name, value, &size) != RD_KAFKA_CONF_OK) {
    return "<unset>";
  }
  return value;
}

} // namespace

TEST_CASE("kafka::make_conf: upstream's settings, then --kafka-config")
{
  BusSettings settings;
  settings.url = "kafka://h1:9092,h2:9093/";
  settings.client_id = "lms";
  settings.kafka_api_key = "key";
  settings.kafka_api_secret = "secret";
  auto conf = kafka::make_conf(settings, {{"group.id", "g"}});
  // read back by its canonical name: librdkafka 2.0 cannot read a property by an alias
  CHECK(property(conf.get(), "metadata.broker.list") == "h1:9092,h2:9093");
  CHECK(property(conf.get(), "client.id") == "lms");
  CHECK(property(conf.get(), "security.protocol") == "sasl_ssl");
  CHECK(property(conf.get(), "sasl.mechanisms") == "PLAIN");
  CHECK(property(conf.get(), "sasl.username") == "key");
  CHECK(property(conf.get(), "group.id") == "g");

  settings.kafka_api_secret.clear(); // both are needed, as upstream
  settings.kafka_config = {{"security.protocol", "ssl"}, {"group.id", "mine"}};
  conf = kafka::make_conf(settings, {{"group.id", "g"}});
  CHECK(property(conf.get(), "security.protocol") == "ssl");
  CHECK(property(conf.get(), "sasl.username") == "<unset>");
  CHECK(property(conf.get(), "group.id") == "mine");

  settings.kafka_config = {{"sasl.password", "x"}, {"no.such", "1"}};
  CHECK(error_of([&] { kafka::make_conf(settings, {}); })
        == "kafka: property 'no.such=1': No such configuration property: \"no.such\"");
  settings.url = "kafka://";
  CHECK(error_of([&] { kafka::make_conf(settings, {}); })
        == "kafka: 'kafka://' names no broker: kafka://HOST:PORT[,HOST:PORT...]");
}

TEST_CASE("kafka transport: poll_into refills a message that held another as poll makes a new one")
{
  MockCluster cluster(1, {"r:1"});
  RegistryDouble registry;
  auto transport = open_transport(kafka_settings(cluster, registry));
  auto schemas = std::make_shared<const KafkaSchemas>(*oex::test::catalog().find(k_enrollment),
                                                      "enrollment.course.course_key");
  auto producer = transport->producer();
  auto raw = [&](std::optional<std::string> value, std::vector<Field> fields) {
    send_raw(*producer, "r", std::move(value), std::move(fields));
  };
  // Good and unreadable ones in turn: each kind of message after each other kind.
  producer->send(event_message("r", 1, schemas, transport->metadata_names()));
  raw(std::nullopt, {{"ce_type", k_enrollment}, {"ce_id", "x"}});
  producer->send(event_message("r", 2, schemas, transport->metadata_names()));
  raw(std::string("\x00\x00\x00\x03\xe7\x02", 6), {{"ce_type", "a"}, {"ce_type", "b"}, {"ce_id", "x"}});
  raw(std::string("\x00\x00\x00\x03\xe7\x02", 6), {{"ce_type", k_enrollment}, {"ce_id", "x"}});
  producer->send(event_message("r", 3, schemas, transport->metadata_names()));
  for (const Delivery& delivery : producer->flush()) {
    CHECK(delivery.ok);
  }
  auto fresh = transport->consumer(from_beginning("r", "new"));
  const std::vector<ReceivedMessage> expected = receive(*fresh, 6);
  REQUIRE(expected.size() == 6);
  fresh->close();
  CHECK(expected[0].value);
  CHECK(expected[0].wire_prefix.size() == 5); // 0x00 and the schema id
  CHECK(expected[0].wire_prefix[0] == '\0');
  CHECK_FALSE(expected[0].wire_value);

  auto consumer = transport->consumer(from_beginning("r", "reused"));
  ReceivedMessage message;
  // what a message of another transport, or a longer one, leaves behind
  message.fields.assign(12, Field{"name", std::string(100, 'v')});
  message.after_value = {{"error", "e"}};
  message.key = "old key";
  message.problem = "old problem";
  message.wire_value = "old bytes";
  message.delivery_count = 7;
  std::size_t got = 0;
  for (int i = 0; i < 150 && got < expected.size(); ++i) {
    if (!consumer->poll_into(200ms, message)) {
      continue;
    }
    const ReceivedMessage& want = expected[got++];
    INFO("message " << got);
    CHECK(message.position == want.position);
    CHECK(message.stream == want.stream);
    REQUIRE(message.fields.size() == want.fields.size());
    for (std::size_t k = 0; k < want.fields.size(); ++k) {
      CHECK(message.fields[k].name == want.fields[k].name);
      CHECK(message.fields[k].value == want.fields[k].value);
    }
    CHECK(message.value == want.value);
    CHECK(message.after_value.empty());
    CHECK(message.key == want.key);
    CHECK(message.writer_schema == want.writer_schema); // the registry's one shared text
    CHECK(message.delivery_count == 1);
    CHECK(message.problem == want.problem);
    CHECK(message.wire_value == want.wire_value);
    CHECK(message.wire_prefix == want.wire_prefix);
    consumer->ack(message);
  }
  CHECK(got == expected.size());
  consumer->close();
}

TEST_CASE("kafka::kafka_position: TOPIC/PARTITION/OFFSET, extremes and librdkafka's negative markers included")
{
  CHECK(oex::bus::kafka::kafka_position("t", 0, 0) == "t/0/0");
  CHECK(oex::bus::kafka::kafka_position("oex-1", 31, 12345) == "oex-1/31/12345");
  CHECK(oex::bus::kafka::kafka_position("t", -1, -1001) == "t/-1/-1001"); // unassigned, invalid
  CHECK(oex::bus::kafka::kafka_position("t", 2147483647, 9223372036854775807LL)
        == "t/2147483647/9223372036854775807");
  CHECK(oex::bus::kafka::kafka_position("t", -2147483647 - 1, -9223372036854775807LL - 1)
        == "t/-2147483648/-9223372036854775808");
  std::string position = "a.b";
  oex::bus::kafka::append_kafka_position(position, 7, 42);
  CHECK(position == "a.b/7/42");
}

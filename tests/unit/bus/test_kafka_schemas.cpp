#include <optional>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "oex/avro/avro_schema.hpp"
#include "oex/avro/binary.hpp"
#include "oex/bus/kafka_schemas.hpp"
#include "oex/payload/sample.hpp"
#include "oex/util/error.hpp"
#include "support/catalog_fixture.hpp"

using oex::bus::KafkaSchemas;

namespace {

const oex::EventType& event(const char* type)
{
  return *oex::test::catalog().find(type);
}

constexpr const char* k_enrollment = "org.openedx.learning.course.enrollment.created.v1";

std::string enrollment_payload(const std::string& course_key)
{
  return R"({"enrollment": {"user": {"id": 7, "is_active": true, "pii": {"username": "ann",
    "email": "a@example.com", "name": "Ann"}}, "course": {"course_key": ")"
         + course_key + R"(", "display_name": "Demo"}, "mode": "audit", "is_active": true,
    "creation_date": "2026-01-02T03:04:05+00:00"}})";
}

} // namespace

TEST_CASE("bus::KafkaSchemas: subjects and schema texts as event-bus-kafka registers them")
{
  const KafkaSchemas schemas(event(k_enrollment), "enrollment.course.course_key");
  CHECK(schemas.value_name() == "org.openedx.learning.course.enrollment.created.v1.CloudEvent");
  CHECK(schemas.value_schema().starts_with(
    R"({"doc": "Avro Event Format for CloudEvents created with openedx_events/schema", "fields": [{"name": "enrollment", "type": {"fields": [{"name": "user", "type": {"fields": [{"name": "id", "type": "long"}, )"));
  CHECK(schemas.value_schema().ends_with(
    R"(], "name": "CloudEvent", "namespace": "org.openedx.learning.course.enrollment.created.v1", "type": "record"})"));
  CHECK(schemas.key_name() == "string");
  CHECK(schemas.key_schema() == R"({"name": "course_key", "type": "string"})");

  const KafkaSchemas by_id(event(k_enrollment), "enrollment.user.id");
  CHECK(by_id.key_name() == "long");
  CHECK(by_id.key_schema() == R"({"name": "id", "type": "long"})");
}

TEST_CASE("bus::KafkaSchemas::encode_key: the key field's value from the encoded event")
{
  const oex::EventType& enrollment = event(k_enrollment);
  oex::avro::PayloadEncoder encoder(enrollment);
  std::string value;
  encoder.encode(enrollment_payload("course-v1:edX+DemoX+2026"), value);

  std::string key;
  KafkaSchemas(enrollment, "enrollment.course.course_key").encode_key(value, key);
  CHECK(key == std::string("\x30") + "course-v1:edX+DemoX+2026"); // zig-zag 24, then the bytes

  key.clear();
  KafkaSchemas(enrollment, "enrollment.user.id").encode_key(value, key);
  CHECK(key == "\x0e"); // 7

  key.clear();
  KafkaSchemas(enrollment, "enrollment.is_active").encode_key(value, key);
  CHECK(key == "\x01");
}

TEST_CASE("bus::KafkaSchemas: errors")
{
  const oex::EventType& enrollment = event(k_enrollment);
  auto message = [&](const char* path) {
    try {
      KafkaSchemas schemas(enrollment, path);
    } catch (const oex::Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(message("enrollment.nope")
        == "org.openedx.learning.course.enrollment.created.v1: key field 'enrollment.nope': no field 'nope' in 'enrollment'");
  CHECK(message("nope") == "org.openedx.learning.course.enrollment.created.v1: key field 'nope': no field 'nope'");
  CHECK(message("enrollment.mode.x")
        == "org.openedx.learning.course.enrollment.created.v1: key field 'enrollment.mode.x': 'enrollment.mode' has no fields");
  CHECK(message("enrollment.user")
        == "org.openedx.learning.course.enrollment.created.v1: key field 'enrollment.user' is a record 'UserData': a Kafka key must be of a primitive type (string, long, ...)");

  std::string key;
  CHECK_THROWS_WITH(KafkaSchemas(enrollment, "enrollment.user.id").encode_key("\x01", key),
                    Catch::StartsWith("key field 'enrollment.user.id': the event data does not decode: "));
}

TEST_CASE("bus::event_key_field")
{
  const std::string option = "enrollment.user.id";
  CHECK(oex::bus::event_key_field(event(k_enrollment), nullptr) == "enrollment.course.course_key");
  CHECK(oex::bus::event_key_field(event(k_enrollment), &option) == "enrollment.user.id");
  CHECK_THROWS_WITH(oex::bus::event_key_field(event("org.openedx.learning.course.notification.requested.v1"), nullptr),
                    "org.openedx.learning.course.notification.requested.v1: no key field in the catalog: give one with --key-field");
}

TEST_CASE("bus::KafkaSchemas::encode_key: every catalog key field, against the decoded value")
{
  // The key is cut out of the value's bytes; here it is made the long way instead: the value
  // decoded to JSON, the field looked up, its value Avro-encoded.
  int checked = 0;
  for (const oex::EventType* event : oex::test::catalog().all_events()) {
    if (!event->key_field) {
      continue;
    }
    std::optional<KafkaSchemas> schemas;
    std::optional<oex::avro::PayloadEncoder> encoder;
    try {
      schemas.emplace(*event, *event->key_field);
      encoder.emplace(*event);
    } catch (const oex::Error&) {
      continue; // a key field that does not resolve, or an event that cannot go on the bus
    }
    const oex::avro::Schema schema = oex::avro::event_schema(*event);
    for (std::uint64_t seed = 0; seed < 5; ++seed) {
      oex::SampleOptions options;
      options.seed = seed;
      std::string value;
      encoder->encode(oex::sample_payload(*event, options).dump(), value);
      const oex::avro::DecodeResult decoded = oex::avro::decode(schema, schema, value);
      REQUIRE(decoded.ok);
      nlohmann::json at = nlohmann::json::parse(decoded.json);
      for (std::size_t start = 0;;) {
        const std::size_t dot = event->key_field->find('.', start);
        at = at.at(event->key_field->substr(start, dot == std::string::npos ? dot : dot - start));
        if (dot == std::string::npos) {
          break;
        }
        start = dot + 1;
      }
      std::string expected;
      if (at.is_string()) {
        oex::avro::append_long(expected, static_cast<std::int64_t>(at.get<std::string>().size()));
        expected += at.get<std::string>();
      } else if (at.is_boolean()) {
        expected += at.get<bool>() ? '\1' : '\0';
      } else {
        oex::avro::append_long(expected, at.get<std::int64_t>());
      }
      std::string key;
      schemas->encode_key(value, key);
      INFO(event->event_type << " seed " << seed);
      CHECK(key == expected);
      ++checked;
    }
  }
  CHECK(checked >= 5 * 19); // 19 event types have a key field a Kafka key can be made of
}

#include <set>

#include <catch2/catch.hpp>

#include "oex/util/python_json.hpp"

#include "support/catalog_fixture.hpp"

#include "oex/catalog/catalog.hpp"
#include "oex/util/error.hpp"
#include "oex/metadata/metadata.hpp"

namespace {

using oex::test::catalog;

const oex::EventType& enrollment_created()
{
  return catalog().get_signal_by_type("org.openedx.learning.course.enrollment.created.v1");
}

oex::MetadataSettings settings(std::optional<std::string> events_service_name,
                               std::optional<std::string> service_variant)
{
  oex::MetadataSettings s;
  s.events_service_name = std::move(events_service_name);
  s.service_variant = std::move(service_variant);
  s.hostname = "edx.devstack.lms";
  return s;
}

} // namespace

TEST_CASE("oex::EventsMetadata::to_json")
{
  oex::MetadataOverrides overrides;
  overrides.id = "3F1C8F6E-2A39-11EE-8D3A-0242AC120002";
  overrides.time = *oex::parse_isoformat("2026-11-25T10:00:00.123456+00:00");
  const auto metadata =
    oex::generate_signal_metadata(enrollment_created(), catalog(), settings("lms", {}), overrides);
  // What upstream's EventsMetadata.to_json() prints for the same values.
  CHECK(metadata.to_json()
        == R"({"event_type": "org.openedx.learning.course.enrollment.created.v1", )"
           R"("id": "3f1c8f6e-2a39-11ee-8d3a-0242ac120002", "minorversion": 0, )"
           R"("source": "openedx/lms/web", "sourcehost": "edx.devstack.lms", )"
           R"("time": "2026-11-25T10:00:00.123456+00:00", "sourcelib": [11, 2, 0]})");
}

TEST_CASE("oex::EventsMetadata::to_json: the same text as python_json_dumps of to_json_data")
{
  oex::EventsMetadata metadata;
  metadata.event_type = "t\"y\\pe\n\x01";
  metadata.id = "3f1c8f6e-2a39-11ee-8d3a-0242ac120002";
  metadata.minorversion = -3;
  metadata.source = "openedx/caf\xc3\xa9 \xf0\x9f\x98\x80/web";
  metadata.sourcehost = "h\xff";
  metadata.time = *oex::parse_isoformat("2026-11-25T10:00:00+00:00");
  metadata.sourcelib = {9223372036854775807, 0};
  CHECK(metadata.to_json() == oex::python_json_dumps(metadata.to_json_data()));
  metadata.sourcelib = {};
  CHECK(metadata.to_json() == oex::python_json_dumps(metadata.to_json_data()));
}

TEST_CASE("oex::EventsMetadata::to_json is json.dumps of to_json_data, escapes included")
{
  oex::EventsMetadata metadata;
  metadata.event_type = "t\"\\\n\x01\x7f";
  metadata.id = "3f1c8f6e-2a39-11ee-8d3a-0242ac120002";
  metadata.minorversion = 12;
  metadata.source = "openedx/\xc3\xa9t\xc3\xa9/web";
  metadata.sourcehost = "h\xf0\x9f\x98\x80st\xff";
  metadata.time = *oex::parse_isoformat("2026-11-25T10:00:00+00:00");
  metadata.sourcelib = {1, 22, 333, 0};
  CHECK(metadata.to_json() == oex::python_json_dumps(metadata.to_json_data()));
  CHECK(metadata.to_json().find(R"("source": "openedx/\u00e9t\u00e9/web")") != std::string::npos);
}

TEST_CASE("oex::generate_signal_metadata")
{
  const auto metadata =
    oex::generate_signal_metadata(enrollment_created(), catalog(), settings({}, {}));
  CHECK(metadata.event_type == "org.openedx.learning.course.enrollment.created.v1");
  CHECK(metadata.id.size() == 36);
  CHECK(metadata.id[14] == '1');
  CHECK(metadata.minorversion == 0);
  CHECK(metadata.source == "openedx/SERVICE_NAME_UNSET/web");
  CHECK(metadata.sourcehost == "edx.devstack.lms");
  CHECK(metadata.time.is_utc());
  CHECK(metadata.sourcelib == std::vector<std::int64_t>{11, 2, 0});

  std::set<std::string> ids;
  for (int i = 0; i < 100; ++i) {
    ids.insert(oex::generate_signal_metadata(enrollment_created(), catalog(), settings({}, {})).id);
  }
  CHECK(ids.size() == 100);
}

TEST_CASE("oex::MetadataSettings::source")
{
  CHECK(settings("cms", "lms").source() == "openedx/cms/web");
  CHECK(settings({}, "lms").source() == "openedx/lms/web");
  CHECK(settings("", "lms").source() == "openedx/lms/web"); // empty counts as unset
  CHECK(settings("", "").source() == "openedx/SERVICE_NAME_UNSET/web");
  CHECK(settings({}, {}).source() == "openedx/SERVICE_NAME_UNSET/web");
}

TEST_CASE("oex::generate_signal_metadata: overrides and their errors")
{
  oex::MetadataOverrides overrides;
  overrides.time = *oex::parse_isoformat("2026-11-25T10:00:00+01:00");
  CHECK_THROWS_WITH(
    oex::generate_signal_metadata(enrollment_created(), catalog(), settings({}, {}), overrides),
    "'time' must have timezone.utc");
  overrides.time = *oex::parse_isoformat("2026-11-25T10:00:00");
  CHECK_THROWS_WITH(
    oex::generate_signal_metadata(enrollment_created(), catalog(), settings({}, {}), overrides),
    "'time' must have timezone.utc");
  overrides.time.reset();
  overrides.id = "not-a-uuid";
  CHECK_THROWS_WITH(
    oex::generate_signal_metadata(enrollment_created(), catalog(), settings({}, {}), overrides),
    "invalid UUID 'not-a-uuid'");
  overrides.id.reset();
  overrides.minorversion = 3;
  overrides.sourcelib = std::vector<std::int64_t>{1, 2, 3};
  overrides.source = "openedx/x/web";
  overrides.sourcehost = "h";
  const auto metadata =
    oex::generate_signal_metadata(enrollment_created(), catalog(), settings({}, {}), overrides);
  CHECK(metadata.minorversion == 3);
  CHECK(metadata.sourcelib == std::vector<std::int64_t>{1, 2, 3});
  CHECK(metadata.source == "openedx/x/web");
  CHECK(metadata.sourcehost == "h");
}

TEST_CASE("oex::EventsMetadata::from_json")
{
  const auto parsed = oex::EventsMetadata::from_json(
    R"({"event_type": "e", "id": "3f1c8f6e-2a39-11ee-8d3a-0242ac120002", "minorversion": 2,
        "source": "s", "sourcehost": "h", "time": "2026-11-25T10:00:00Z", "sourcelib": [1, 2, 3]})");
  REQUIRE(parsed);
  CHECK(parsed->minorversion == 2); // upstream's from_json drops it; we keep it
  CHECK(
    parsed->to_json()
    == R"({"event_type": "e", "id": "3f1c8f6e-2a39-11ee-8d3a-0242ac120002", "minorversion": 2, )"
       R"("source": "s", "sourcehost": "h", "time": "2026-11-25T10:00:00+00:00", "sourcelib": [1, 2, 3]})");

  const auto error = [](const char* text) {
    auto result = oex::EventsMetadata::from_json(text);
    return result ? std::string("(parsed)") : result.error();
  };
  CHECK(error("[") == "metadata is not valid JSON");
  CHECK(error("[]") == "metadata must be a JSON object");
  CHECK(error(R"({"id": "x"})") == "missing 'event_type'");
  CHECK(error(R"({"event_type": 1})") == "'event_type' must be a string");
  CHECK(error(R"({"event_type": "e", "id": "x", "source": "s", "sourcehost": "h",
                  "time": "2026-11-25T10:00:00Z", "sourcelib": [1, 2, 3]})")
        == "'id' is not a UUID: 'x'");
  CHECK(error(R"({"event_type": "e", "id": "3f1c8f6e-2a39-11ee-8d3a-0242ac120002", "source": "s",
                  "sourcehost": "h", "time": "2026-11-25T10:00:00+02:00", "sourcelib": [1, 2, 3]})")
        == "'time' must have timezone.utc");
  CHECK(error(R"({"event_type": "e", "id": "3f1c8f6e-2a39-11ee-8d3a-0242ac120002", "source": "s",
                  "sourcehost": "h", "time": "noon", "sourcelib": [1, 2, 3]})")
        == "'time': invalid isoformat string 'noon'");
  CHECK(error(R"({"event_type": "e", "id": "3f1c8f6e-2a39-11ee-8d3a-0242ac120002", "source": "s",
                  "sourcehost": "h", "time": "2026-11-25T10:00:00Z", "sourcelib": [1, -2]})")
        == "'sourcelib' must be a list of one or more non-negative 64-bit integers, e.g. [11, 2, 0]");
  CHECK(error(R"({"event_type": "e", "id": "3f1c8f6e-2a39-11ee-8d3a-0242ac120002", "source": "s",
                  "sourcehost": "h", "time": "2026-11-25T10:00:00Z", "minorversion": "0",
                  "sourcelib": [1, 2, 3]})")
        == "'minorversion' must be an integer");
}

TEST_CASE("oex::parse_sourcelib")
{
  CHECK(*oex::parse_sourcelib("11.2.0") == std::vector<std::int64_t>{11, 2, 0});
  CHECK(*oex::parse_sourcelib("7") == std::vector<std::int64_t>{7});
  CHECK(*oex::parse_sourcelib("1.2") == std::vector<std::int64_t>{1, 2});
  CHECK(*oex::parse_sourcelib("9223372036854775807")
        == std::vector<std::int64_t>{9223372036854775807});
  for (const char* bad : {"11.x.0", "11..0", "", ".", "1.", "-1.0", "+1", " 1", "1 ", "0x1",
                          "9223372036854775808", "99999999999999999999.0"}) {
    INFO(bad);
    const auto parsed = oex::parse_sourcelib(bad);
    REQUIRE(!parsed);
    CHECK(parsed.error()
          == "expected non-negative 64-bit integers separated by dots, e.g. 11.2.0, got '"
               + std::string(bad) + "'");
  }
}

TEST_CASE("oex::sourcelib_from_json")
{
  using json = nlohmann::ordered_json;
  CHECK(*oex::sourcelib_from_json(json::parse("[11, 2, 0]"))
        == std::vector<std::int64_t>{11, 2, 0});
  CHECK(*oex::sourcelib_from_json(json::parse("[1, 2]")) == std::vector<std::int64_t>{1, 2});
  CHECK(*oex::sourcelib_from_json(json::parse("[9223372036854775807]"))
        == std::vector<std::int64_t>{9223372036854775807});
  for (const char* bad : {"[]", "{}", "\"11.2.0\"", "[1, -1]", "[1.0]", "[\"1\"]", "[true]",
                          "[9223372036854775808]", "[18446744073709551615]", "null"}) {
    INFO(bad);
    const auto parsed = oex::sourcelib_from_json(json::parse(bad));
    REQUIRE(!parsed);
    CHECK(parsed.error()
          == "'sourcelib' must be a list of one or more non-negative 64-bit integers, e.g. "
             "[11, 2, 0]");
  }
}

TEST_CASE("oex::parse_sourcelib and sourcelib_from_json accept the same values")
{
  // What `oex metadata --sourcelib X` prints, `send --metadata` must read back.
  for (const char* dotted : {"11.2.0", "1.2", "7", "0.0.0.0", "9223372036854775807.1"}) {
    INFO(dotted);
    const auto parts = oex::parse_sourcelib(dotted);
    REQUIRE(parts);
    const auto back = oex::sourcelib_from_json(nlohmann::ordered_json(*parts));
    REQUIRE(back);
    CHECK(*back == *parts);
  }
}

TEST_CASE("oex::EventsMetadata::append_json: plain text written in one go, the same as json.dumps")
{
  oex::EventsMetadata metadata;
  metadata.event_type = "org.openedx.learning.course.enrollment.created.v1";
  metadata.id = "3f1c8f6e-2a39-11ee-8d3a-0242ac120002";
  metadata.source = "openedx/lms web~!";
  metadata.sourcehost = "";
  for (const auto& [minor, sourcelib] :
       std::vector<std::pair<std::int64_t, std::vector<std::int64_t>>>{
         {0, {11, 2, 0}}, {-9223372036854775807 - 1, {}}, {77, {9223372036854775807, -1}}}) {
    metadata.minorversion = minor;
    metadata.sourcelib = sourcelib;
    for (const char* time : {"2026-11-25T10:00:00.123456+00:00", "0001-01-01T00:00:00+00:00"}) {
      metadata.time = *oex::parse_isoformat(time);
      std::string out = "before";
      metadata.append_json(out);
      CHECK(out == "before" + oex::python_json_dumps(metadata.to_json_data()));
      CHECK(metadata.to_json() == oex::python_json_dumps(metadata.to_json_data()));
    }
  }
}

TEST_CASE("oex::EventsMetadata::append_json: each byte that needs escaping, at every place of 8")
{
  oex::EventsMetadata metadata;
  metadata.id = "3f1c8f6e-2a39-11ee-8d3a-0242ac120002";
  metadata.time = *oex::parse_isoformat("2026-11-25T10:00:00+00:00");
  metadata.sourcelib = {11, 2, 0};
  const std::vector<std::string> specials = {"\"", "\\", "\n", std::string(1, '\0'), "\x1f", "\x7f",
                                             "\xc3\xa9", " ", "~"};
  for (const std::string& special : specials) {
    for (std::size_t at = 0; at <= 17; ++at) {
      std::string text = "openedx/lms/web.x";
      text.insert(at, special);
      INFO("special at " << at);
      metadata.event_type = text;
      metadata.source = text;
      metadata.sourcehost = text;
      CHECK(metadata.to_json() == oex::python_json_dumps(metadata.to_json_data()));
    }
  }
}

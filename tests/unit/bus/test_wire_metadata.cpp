#include <catch2/catch.hpp>

#include "oex/bus/wire_metadata.hpp"

namespace {

const oex::bus::MetadataNames k_names{"type", "id", "source", "time",
                                      "minorversion", "sourcehost", "sourcelib"};

oex::EventsMetadata sample_metadata()
{
  oex::EventsMetadata metadata;
  metadata.event_type = "org.openedx.learning.auth.session.login.completed.v1";
  metadata.id = "d2b3e4a2-0000-11ef-8000-0242ac120002";
  metadata.minorversion = 3;
  metadata.source = "openedx/lms/web";
  metadata.sourcehost = "host-1";
  metadata.time = *oex::parse_isoformat("2026-11-28T10:00:00+00:00");
  metadata.sourcelib = {11, 2, 0};
  return metadata;
}

} // namespace

TEST_CASE("bus::metadata_fields")
{
  const auto fields = oex::bus::metadata_fields(k_names, sample_metadata());
  REQUIRE(fields.size() == 7);
  std::string joined;
  for (const auto& field : fields) {
    joined += field.name + "=" + field.value + " ";
  }
  CHECK(joined
        == "type=org.openedx.learning.auth.session.login.completed.v1 "
           "id=d2b3e4a2-0000-11ef-8000-0242ac120002 source=openedx/lms/web "
           "time=2026-11-28T10:00:00+00:00 minorversion=3 sourcehost=host-1 sourcelib=11.2.0 ");
}

TEST_CASE("bus::read_metadata_fields")
{
  SECTION("round trip")
  {
    const auto wire = oex::bus::read_metadata_fields(
      k_names, oex::bus::metadata_fields(k_names, sample_metadata()));
    CHECK(wire.missing.empty());
    CHECK(wire.malformed.empty());
    CHECK(wire.event_type == "org.openedx.learning.auth.session.login.completed.v1");
    CHECK(wire.values.id == "d2b3e4a2-0000-11ef-8000-0242ac120002");
    CHECK(wire.values.minorversion == 3);
    CHECK(wire.values.sourcelib == std::vector<std::int64_t>{11, 2, 0});
    CHECK(oex::isoformat(*wire.values.time) == "2026-11-28T10:00:00+00:00");
  }
  SECTION("missing and empty fields are missing, in order")
  {
    const auto wire = oex::bus::read_metadata_fields(
      k_names, {{"type", "x.v1"}, {"id", ""}, {"source", "s"}, {"minorversion", "0"}});
    CHECK(wire.missing == std::vector<std::string>{"id", "time", "sourcehost", "sourcelib"});
    CHECK(wire.malformed.empty());
  }
  SECTION("malformed fields")
  {
    const auto wire = oex::bus::read_metadata_fields(k_names, {{"type", "x.v1"},
                                                               {"id", "nope"},
                                                               {"time", "yesterday"},
                                                               {"minorversion", "-1"},
                                                               {"sourcelib", "11..0"}});
    CHECK(wire.malformed
          == std::vector<std::string>{
            "id: not a UUID: 'nope'", "time: invalid isoformat string 'yesterday'",
            "minorversion: not a non-negative integer: '-1'",
            "sourcelib: expected non-negative 64-bit integers separated by dots, e.g. 11.2.0, "
            "got '11..0'"});
  }
  SECTION("a time that is not UTC")
  {
    const auto wire =
      oex::bus::read_metadata_fields(k_names, {{"time", "2026-11-28T10:00:00+02:00"}});
    CHECK(wire.malformed
          == std::vector<std::string>{"time: '2026-11-28T10:00:00+02:00' is not in UTC (+00:00)"});
  }
}

TEST_CASE("bus::renew_metadata_fields: the next event's fields, as metadata_fields makes them")
{
  oex::EventsMetadata metadata = sample_metadata();
  std::vector<oex::bus::Field> fields = oex::bus::metadata_fields(k_names, metadata);
  for (int i = 0; i < 3; ++i) {
    const std::string id = metadata.id;
    oex::renew_signal_metadata(metadata); // a fresh uuid1 and the current time
    CHECK(metadata.id != id);
    CHECK(metadata.time.is_utc());
    CHECK(metadata.source == "openedx/lms/web");
    CHECK(metadata.sourcelib == std::vector<std::int64_t>{11, 2, 0});
    oex::bus::renew_metadata_fields(metadata, fields);
    const auto expected = oex::bus::metadata_fields(k_names, metadata);
    REQUIRE(fields.size() == expected.size());
    for (std::size_t f = 0; f < fields.size(); ++f) {
      CHECK(fields[f].name == expected[f].name);
      CHECK(fields[f].value == expected[f].value);
    }
  }
  oex::MetadataOverrides fixed;
  fixed.time = *oex::parse_isoformat("2026-11-28T10:00:00.5+00:00");
  oex::renew_signal_metadata(metadata, fixed);
  CHECK(oex::isoformat(metadata.time) == "2026-11-28T10:00:00.500000+00:00");
  fixed.time = *oex::parse_isoformat("2026-11-28T10:00:00+01:00");
  CHECK_THROWS_WITH(oex::renew_signal_metadata(metadata, fixed), "'time' must have timezone.utc");
}

#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "oex/avro/avro_schema.hpp"
#include "oex/catalog/catalog.hpp"
#include "oex/util/error.hpp"
#include "oex/util/python_json.hpp"

using json = nlohmann::ordered_json;

namespace {

oex::Catalog user_catalog(const std::string& text)
{
  std::vector<oex::DefsSource> sources = oex::Catalog::builtin_sources();
  sources.push_back({"user.json", text});
  return oex::Catalog::load(sources);
}

} // namespace

TEST_CASE("oex::avro_schema: records defined once and optional fields nullable")
{
  const oex::Catalog catalog = oex::Catalog::builtin();
  const json schema = oex::avro_schema(
    catalog.get_signal_by_type("org.openedx.learning.course.enrollment.created.v1"));
  CHECK(schema["name"] == "CloudEvent");
  CHECK(schema["namespace"] == "org.openedx.learning.course.enrollment.created.v1");
  const json& enrollment = schema["fields"][0]["type"];
  CHECK(enrollment["name"] == "CourseEnrollmentData");
  CHECK(enrollment["fields"][0]["type"]["name"] == "UserData");
  // created_by: Optional[UserData] refers to the record defined above by name.
  CHECK(oex::python_json_dumps(enrollment["fields"][5])
        == R"({"name": "created_by", "type": ["null", "UserData"], "default": null})");
  // datetimes and opaque keys travel as strings
  CHECK(enrollment["fields"][4]["type"] == "string");
}

TEST_CASE("oex::avro_schema: containers")
{
  const oex::Catalog catalog = user_catalog(R"({"subdomain": "x", "data_classes": [
      {"name": "Item", "fields": [{"name": "n", "type": "int"}]},
      {"name": "Box", "fields": [
        {"name": "items", "type": "List[Item]", "factory": "list"},
        {"name": "again", "type": "dict[str, Item]"},
        {"name": "nested", "type": "dict[str, List[float]]"},
        {"name": "flags", "type": "List[bool]", "default": null}]}],
    "events": [{"event_type": "x.box.v1", "name": "BOX", "data": {"box": "Box"}}]})");
  const json schema = oex::avro_schema(catalog.get_signal_by_type("x.box.v1"));
  CHECK(
    oex::python_json_dumps(schema["fields"][0]["type"]["fields"])
    == R"([{"name": "items", "type": {"type": "array", "items": {"name": "Item", "type": "record", )"
       R"("fields": [{"name": "n", "type": "long"}]}}}, {"name": "again", "type": {"type": "map", )"
       R"("values": "Item"}}, {"name": "nested", "type": {"type": "map", "values": {"type": "array", )"
       R"("items": "double"}}}, {"name": "flags", "type": ["null", {"type": "array", "items": "boolean"}], )"
       R"("default": null}])");
}

TEST_CASE("oex::avro_schema: types upstream cannot serialize")
{
  const oex::Catalog catalog = user_catalog(R"({"subdomain": "x", "data_classes": [
      {"name": "Times", "fields": [{"name": "when", "type": "List[datetime]"}]},
      {"name": "File", "fields": [{"name": "blob", "type": "BinaryIO"}]}],
    "events": [{"event_type": "x.times.v1", "name": "T", "data": {"t": "Times"}},
               {"event_type": "x.file.v1", "name": "F", "data": {"f": "File"}}]})");
  CHECK_THROWS_WITH(oex::avro_schema(catalog.get_signal_by_type("x.times.v1")),
                    "cannot make an Avro schema for 'x.times.v1': t.when[]: type datetime is not "
                    "supported for list items");
  CHECK_THROWS_WITH(oex::avro_schema(catalog.get_signal_by_type("x.file.v1")),
                    "cannot make an Avro schema for 'x.file.v1': f.blob: type BinaryIO is not "
                    "supported");
  const oex::Catalog builtin = oex::Catalog::builtin();
  CHECK_THROWS_WITH(
    oex::avro_schema(
      builtin.get_signal_by_type("org.openedx.learning.external_grader.score.submitted.v1")),
    "'org.openedx.learning.external_grader.score.submitted.v1' cannot go on the event bus: "
    "openedx-events marks it as not serializable for the event bus");
}

TEST_CASE("oex::avro_schema_problem")
{
  const oex::Catalog catalog = user_catalog(R"({"subdomain": "x", "data_classes": [
      {"name": "File", "fields": [{"name": "blob", "type": "BinaryIO"}]}],
    "events": [{"event_type": "x.file.v1", "name": "F", "data": {"f": "File"}},
               {"event_type": "x.off.v1", "name": "O", "data": {}, "bus": false},
               {"event_type": "x.warned.v1", "name": "W", "data": {}, "warning": "no bus"}]})");
  CHECK(oex::avro_schema_problem(catalog.get_signal_by_type("x.file.v1"))
        == "cannot make an Avro schema for 'x.file.v1': f.blob: type BinaryIO is not supported");
  CHECK(oex::avro_schema_problem(catalog.get_signal_by_type("x.off.v1"))
        == "openedx-events marks it as not serializable for the event bus");
  // A warning is upstream's word; whether a schema can be made is a separate fact.
  CHECK(oex::avro_schema_problem(catalog.get_signal_by_type("x.warned.v1")) == std::nullopt);
  int can = 0;
  for (const oex::EventType* event : catalog.all_events()) {
    can += oex::avro_schema_problem(*event) ? 0 : 1;
  }
  CHECK(can == 73); // the 72 built-in ones, and x.warned.v1
}

TEST_CASE("oex::avro_schema: identical to openedx-events 11.2.0", "[conformance]")
{
  const std::filesystem::path dir = CONFORMANCE_DIR "/openedx-events-11.2.0/current-avro-schemas";
  if (!std::filesystem::is_directory(dir)) {
    WARN("no conformance data at " << dir << ": skipped");
    return;
  }
  const oex::Catalog catalog = oex::Catalog::builtin();
  int compared = 0;
  for (const oex::EventType* event : catalog.all_events()) {
    if (!event->bus) {
      continue;
    }
    std::ifstream in(dir / oex::avro_schema_file_name(*event), std::ios::binary);
    REQUIRE(in);
    std::ostringstream expected;
    expected << in.rdbuf();
    INFO(event->event_type);
    CHECK(oex::python_json_dumps(oex::avro_schema(*event), 2) == expected.str());
    ++compared;
  }
  CHECK(compared == 72);
}

TEST_CASE("oex::avro_schema_file_name")
{
  const oex::Catalog catalog = oex::Catalog::builtin();
  CHECK(oex::avro_schema_file_name(
          catalog.get_signal_by_type("org.openedx.authz.role_assignment.created"))
        == "org+openedx+authz+role_assignment+created_schema.avsc");
}

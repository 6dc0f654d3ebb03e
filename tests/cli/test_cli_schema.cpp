// oex schema: Avro schemas byte-identical to what openedx-events writes.

#include <filesystem>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/subprocess.hpp"

using oex::test::read_file;
using oex::test::run_oex;
using oex::test::TempDir;

namespace {

const std::string k_expected_dir = CONFORMANCE_DIR "/openedx-events-11.2.0/current-avro-schemas";

} // namespace

TEST_CASE("oex schema TYPE")
{
  const auto result = run_oex({"schema", "org.openedx.learning.course.enrollment.created.v1"});
  CHECK(result.exit_code == 0);
  CHECK(result.err.empty());
  const auto schema = nlohmann::ordered_json::parse(result.out);
  CHECK(schema.begin().key() == "name");
  CHECK(schema["namespace"] == "org.openedx.learning.course.enrollment.created.v1");
  CHECK(result.out.starts_with("{\n  \"name\": \"CloudEvent\",\n  \"type\": \"record\",\n"));
  CHECK(result.out.ends_with("\n}\n"));
  CHECK(
    run_oex({"schema", "--format", "avro", "org.openedx.learning.course.enrollment.created.v1"}).out
    == result.out);

  const std::string expected =
    k_expected_dir + "/org+openedx+learning+course+enrollment+created+v1_schema.avsc";
  if (std::filesystem::exists(expected)) {
    CHECK(result.out == read_file(expected) + "\n");
  } else {
    WARN("no conformance data at " << k_expected_dir << ": byte comparison skipped");
  }
}

TEST_CASE("oex schema --all --out")
{
  TempDir dir;
  const std::string out = dir.path() + "/schemas";
  const auto result = run_oex({"schema", "--all", "--format", "avro", "--out", out});
  CHECK(result.exit_code == 0);
  CHECK(result.out.empty());
  CHECK(result.err
        == "oex: skipped org.openedx.content_authoring.course.certificate_config.changed.v1: "
           "openedx-events marks it as not serializable for the event bus\n"
           "oex: skipped org.openedx.content_authoring.course.certificate_config.deleted.v1: "
           "openedx-events marks it as not serializable for the event bus\n"
           "oex: skipped org.openedx.learning.external_grader.score.submitted.v1: "
           "openedx-events marks it as not serializable for the event bus\n"
           "oex: wrote 72 Avro schemas to "
             + out + "\n");
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(out)) {
    ++files;
    const std::string expected = k_expected_dir + "/" + entry.path().filename().string();
    if (std::filesystem::exists(k_expected_dir)) {
      INFO(entry.path().filename());
      CHECK(read_file(entry.path().string()) == read_file(expected));
    }
  }
  CHECK(files == 72);
}

TEST_CASE("oex schema: errors")
{
  auto result = run_oex({"schema", "org.openedx.learning.external_grader.score.submitted.v1"});
  CHECK(result.exit_code == 2);
  CHECK(result.err
        == "oex: error: 'org.openedx.learning.external_grader.score.submitted.v1' "
           "cannot go on the event bus: openedx-events marks it as not serializable "
           "for the event bus\n");
  result = run_oex({"schema", "--all"});
  CHECK(result.exit_code == 2);
  CHECK(result.err == "oex: error: --all writes one file per event type: give --out DIR\n");
  result = run_oex({"schema"});
  CHECK(result.exit_code == 2);
  CHECK(result.err == "oex: error: give either an event type or --all\n");
  result = run_oex({"schema", "--all", "org.openedx.learning.course.enrollment.created.v1"});
  CHECK(result.exit_code == 2);
  CHECK(result.err == "oex: error: give either an event type or --all\n");
  result = run_oex(
    {"schema", "--format", "protobuf", "org.openedx.learning.course.enrollment.created.v1"});
  CHECK(result.exit_code == 2);
  CHECK(result.err.starts_with("oex: error: --format: protobuf not in {avro,json-schema}"));
  TempDir dir;
  const std::string file = dir.write("file", "x");
  result = run_oex({"schema", "--all", "--out", file});
  CHECK(result.exit_code == 2);
  CHECK(result.err.starts_with("oex: error: cannot create directory '" + file + "': "));
  result = run_oex({"schema", "org.openedx.learning.course.enrolment.created.v1"});
  CHECK(result.exit_code == 2);
  CHECK(result.err
        == "oex: error: unknown event type 'org.openedx.learning.course.enrolment.created.v1'\n"
           "did you mean 'org.openedx.learning.course.enrollment.created.v1'?\n");
}

// oex metadata: upstream's names and formats on every field.

#include <regex>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/subprocess.hpp"

using oex::test::run_oex;
using oex::test::RunOptions;

namespace {

const std::string k_type = "org.openedx.learning.course.enrollment.created.v1";

RunOptions clean_env()
{
  RunOptions options;
  options.unset_env = {"EVENTS_SERVICE_NAME", "SERVICE_VARIANT"};
  return options;
}

} // namespace

TEST_CASE("oex metadata")
{
  const auto result = run_oex({"metadata", k_type}, clean_env());
  CHECK(result.exit_code == 0);
  CHECK(result.err.empty());
  // Upstream's to_json(): attrs order, json.dumps separators, uuid1, isoformat time in UTC.
  const std::regex line(
    R"(\{"event_type": "org\.openedx\.learning\.course\.enrollment\.created\.v1", )"
    R"("id": "[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", )"
    R"("minorversion": 0, "source": "openedx/SERVICE_NAME_UNSET/web", "sourcehost": "[^"]+", )"
    R"("time": "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00", "sourcelib": \[11, 2, 0\]\}\n)");
  CHECK(std::regex_match(result.out, line));
}

TEST_CASE("oex metadata --time")
{
  auto at = run_oex({"metadata", k_type, "--time", "2026-11-25T10:00:00Z"});
  CHECK(at.exit_code == 0);
  CHECK(nlohmann::json::parse(at.out)["time"] == "2026-11-25T10:00:00+00:00");
  at = run_oex({"metadata", k_type, "--time", "2026-11-25T10:00:00.5+00:00"});
  CHECK(nlohmann::json::parse(at.out)["time"] == "2026-11-25T10:00:00.500000+00:00");

  for (const char* refused : {"2026-11-25T10:00:00", "2026-11-25T10:00:00+01:00"}) {
    const auto result = run_oex({"metadata", k_type, "--time", refused});
    CHECK(result.exit_code == 2);
    CHECK(result.out.empty());
    CHECK(result.err == "oex: error: 'time' must have timezone.utc\n");
  }
  const auto bad = run_oex({"metadata", k_type, "--time", "yesterday"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err == "oex: error: --time: invalid isoformat string 'yesterday'\n");
}

TEST_CASE("oex metadata: source from the environment")
{
  RunOptions options = clean_env();
  options.set_env = {{"SERVICE_VARIANT", "lms"}};
  CHECK(nlohmann::json::parse(run_oex({"metadata", k_type}, options).out)["source"]
        == "openedx/lms/web");
  options.set_env["EVENTS_SERVICE_NAME"] = "discovery";
  CHECK(nlohmann::json::parse(run_oex({"metadata", k_type}, options).out)["source"]
        == "openedx/discovery/web");
  options.set_env["EVENTS_SERVICE_NAME"] = "";
  CHECK(nlohmann::json::parse(run_oex({"metadata", k_type}, options).out)["source"]
        == "openedx/lms/web");
}

TEST_CASE("oex metadata: overrides")
{
  const auto result = run_oex({"metadata", k_type, "--id", "{3F1C8F6E-2A39-11EE-8D3A-0242AC120002}",
                               "--source", "openedx/x/web", "--sourcehost", "h", "--sourcelib",
                               "1.2.3", "--minorversion", "4", "--time", "2026-01-01T00:00:00Z"});
  CHECK(result.exit_code == 0);
  CHECK(result.out
        == R"({"event_type": "org.openedx.learning.course.enrollment.created.v1", )"
           R"("id": "3f1c8f6e-2a39-11ee-8d3a-0242ac120002", "minorversion": 4, )"
           R"("source": "openedx/x/web", "sourcehost": "h", )"
           R"("time": "2026-01-01T00:00:00+00:00", "sourcelib": [1, 2, 3]})"
           "\n");
  auto bad = run_oex({"metadata", k_type, "--id", "xyz"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err == "oex: error: invalid UUID 'xyz'\n");
  bad = run_oex({"metadata", k_type, "--sourcelib", "eleven"});
  CHECK(bad.exit_code == 2);
  CHECK(
    bad.err
    == "oex: error: --sourcelib: expected non-negative 64-bit integers separated by dots, e.g. "
       "11.2.0, got 'eleven'\n");
  bad =
    run_oex({"metadata", k_type, "--id", "3f1c8f6e-2a39-11ee-8d3a-0242ac120002", "--count", "2"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err
        == "oex: error: --id cannot be used with --count above 1: each event needs its own id\n");
}

TEST_CASE("oex metadata --count")
{
  const auto result = run_oex({"metadata", k_type, "--count", "500"});
  CHECK(result.exit_code == 0);
  std::istringstream in(result.out);
  std::set<std::string> ids;
  int count = 0;
  for (std::string line; std::getline(in, line); ++count) {
    ids.insert(nlohmann::json::parse(line)["id"].get<std::string>());
  }
  CHECK(count == 500);
  CHECK(ids.size() == 500);
  CHECK(run_oex({"metadata", k_type, "--count", "0"}).exit_code == 2);
}

TEST_CASE("oex metadata: unknown event type")
{
  const auto result = run_oex({"metadata", "org.openedx.learning.course.enrolment.created.v1"});
  CHECK(result.exit_code == 2);
  CHECK(result.err
        == "oex: error: unknown event type 'org.openedx.learning.course.enrolment.created.v1'\n"
           "did you mean 'org.openedx.learning.course.enrollment.created.v1'?\n");
}

TEST_CASE("oex metadata --sourcelib: send --metadata takes what it prints")
{
  oex::test::TempDir dir;
  const std::string payload = TEST_DATA_DIR "/payloads/valid/enrollment_full.json";
  for (const auto& [dotted, array] :
       std::vector<std::pair<std::string, nlohmann::json>>{{"1.2", {1, 2}},
                                                           {"11.2.0", {11, 2, 0}},
                                                           {"7", {7}},
                                                           {"0.0.0.1", {0, 0, 0, 1}}}) {
    INFO(dotted);
    const auto printed = run_oex({"metadata", k_type, "--sourcelib", dotted});
    REQUIRE(printed.exit_code == 0);
    CHECK(nlohmann::json::parse(printed.out)["sourcelib"] == array);
    const std::string file = dir.write("metadata.json", printed.out);
    const auto sent = run_oex({"send", k_type, payload, "--metadata", file, "--json"});
    CHECK(sent.err.find("error") == std::string::npos);
    CHECK(sent.exit_code == 0);
    CHECK(nlohmann::json::parse(sent.out)["metadata"]["sourcelib"] == array);
  }
  // And what one refuses, the other refuses too.
  const auto refused = run_oex({"metadata", k_type, "--sourcelib", "1.-2"});
  CHECK(refused.exit_code == 2);
  const std::string bad = dir.write(
    "bad.json", R"({"event_type": ")" + k_type
                  + R"(", "id": "3f1c8f6e-2a39-11ee-8d3a-0242ac120002", "source": "s", )"
                    R"("sourcehost": "h", "time": "2026-01-05T10:00:00Z", "sourcelib": [1, -2]})");
  const auto sent = run_oex({"send", k_type, payload, "--metadata", bad});
  CHECK(sent.exit_code == 2);
  CHECK(sent.err
        == "oex: error: --metadata " + bad
             + ": 'sourcelib' must be a list of one or more non-negative 64-bit integers, e.g. "
               "[11, 2, 0]\n");
}

TEST_CASE("oex metadata: ids stay unique across concurrent processes")
{
  // Eight processes started together, each making 5,000 ids as fast as it can: every id is a
  // version 1 UUID and none repeats, within a process or across them.
  // Each writes its own file: their writes to one pipe would interleave mid-line.
  const oex::test::TempDir dir;
  const auto result = oex::test::run_oex_in_shell(
    "for i in 1 2 3 4 5 6 7 8; do \"$0\" metadata \"$1\" --count 5000 >\"$2/$i\" & done; "
    "wait; cat \"$2\"/*",
    {k_type, dir.path()});
  REQUIRE(result.exit_code == 0);
  CHECK(result.err.empty());
  std::istringstream lines(result.out);
  std::set<std::string> ids;
  std::set<std::string> nodes;
  int count = 0;
  const std::regex version1("[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  for (std::string line; std::getline(lines, line); ++count) {
    const std::string id = nlohmann::json::parse(line)["id"];
    REQUIRE(std::regex_match(id, version1));
    ids.insert(id);
    nodes.insert(id.substr(19));
  }
  CHECK(count == 40000);
  CHECK(ids.size() == 40000);
  CHECK(nodes.size() == 8); // one clock sequence and node per process
}

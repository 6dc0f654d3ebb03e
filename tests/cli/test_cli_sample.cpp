// oex sample, and its output checked by oex validate.

#include <filesystem>
#include <sstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/subprocess.hpp"

using oex::test::run_oex;
using oex::test::RunOptions;

namespace {

const std::string k_type = "org.openedx.learning.course.enrollment.created.v1";

} // namespace

TEST_CASE("oex sample")
{
  const auto first = run_oex({"sample", k_type, "--seed", "42"});
  CHECK(first.exit_code == 0);
  CHECK(first.err.empty());
  CHECK(first.out == run_oex({"sample", k_type, "--seed", "42"}).out);
  CHECK(first.out != run_oex({"sample", k_type, "--seed", "43"}).out);
  const auto payload = nlohmann::json::parse(first.out);
  CHECK(payload.contains("enrollment"));

  RunOptions options;
  options.input = first.out;
  CHECK(run_oex({"validate", k_type, "-"}, options).exit_code == 0);
}

TEST_CASE("oex sample --count --envelope --minimal")
{
  const auto result = run_oex({"sample", k_type, "--count", "50", "--envelope", "--minimal"});
  CHECK(result.exit_code == 0);
  std::istringstream in(result.out);
  int count = 0;
  for (std::string line; std::getline(in, line); ++count) {
    const auto document = nlohmann::json::parse(line);
    CHECK(document["metadata"]["event_type"] == k_type);
    CHECK(!document["data"]["enrollment"].contains("created_by"));
  }
  CHECK(count == 50);
  RunOptions options;
  options.input = result.out;
  const auto check = run_oex({"validate", "--jsonl", "--envelope", k_type, "-"}, options);
  CHECK(check.exit_code == 0);
  CHECK(check.err == "oex: 50 documents valid\n");
}

TEST_CASE("oex sample --set")
{
  auto result = run_oex(
    {"sample", k_type, "--set", "enrollment.mode=verified", "--set", "enrollment.user.id=7"});
  CHECK(result.exit_code == 0);
  const auto payload = nlohmann::json::parse(result.out);
  CHECK(payload["enrollment"]["mode"] == "verified");
  CHECK(payload["enrollment"]["user"]["id"] == 7);

  result = run_oex({"sample", k_type, "--set", "enrollment.moode=verified"});
  CHECK(result.exit_code == 2);
  CHECK(result.out.empty());
  CHECK(result.err
        == "oex: error: --set enrollment.moode=verified: unknown field 'moode' in "
           "CourseEnrollmentData, did you mean 'mode'?\n");
  result = run_oex({"sample", k_type, "--set", "enrollment.user.id=abc"});
  CHECK(result.exit_code == 2);
  CHECK(result.err
        == "oex: error: --set enrollment.user.id=abc: 'abc' is not an integer (64-bit)\n");
  result = run_oex({"sample", k_type, "--set", "enrollment.mode"});
  CHECK(result.exit_code == 2);
  CHECK(result.err == "oex: error: --set enrollment.mode: expected PATH=VALUE\n");
  result = run_oex({"sample", k_type, "--set", "enrollment.user={\"id\": 1}"});
  CHECK(result.exit_code == 2);
  CHECK(result.err
        == "oex: error: the payload is not valid after --set:\n"
           "  enrollment.user: missing required field 'is_active' of UserData\n"
           "  enrollment.user: missing required field 'pii' of UserData\n");
}

TEST_CASE("oex sample: what the README says about --count and --envelope")
{
  // --count N: the seeds S, S+1, ... from --seed S.
  const auto three = run_oex({"sample", k_type, "--seed", "5", "--count", "3"});
  REQUIRE(three.exit_code == 0);
  std::istringstream in(three.out);
  std::vector<nlohmann::json> lines;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(nlohmann::json::parse(line));
  }
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == nlohmann::json::parse(run_oex({"sample", k_type, "--seed", "5"}).out));
  CHECK(lines[1] == nlohmann::json::parse(run_oex({"sample", k_type, "--seed", "6"}).out));
  CHECK(lines[2] == nlohmann::json::parse(run_oex({"sample", k_type, "--seed", "7"}).out));
  CHECK(run_oex({"sample", "--help"}).out.find("with the seeds S, S+1, ... from --seed S")
        != std::string::npos);

  // --envelope: id and time from the seed, source from the environment (as oex metadata).
  oex::test::RunOptions lms;
  lms.set_env["EVENTS_SERVICE_NAME"] = "lms";
  oex::test::RunOptions cms;
  cms.set_env["EVENTS_SERVICE_NAME"] = "cms";
  const auto a = nlohmann::json::parse(run_oex({"sample", k_type, "--envelope"}, lms).out);
  const auto b = nlohmann::json::parse(run_oex({"sample", k_type, "--envelope"}, cms).out);
  CHECK(a["metadata"]["id"] == b["metadata"]["id"]);
  CHECK(a["metadata"]["time"] == b["metadata"]["time"]);
  CHECK(a["data"] == b["data"]);
  CHECK(a["metadata"]["source"] == "openedx/lms/web");
  CHECK(b["metadata"]["source"] == "openedx/cms/web");
}

TEST_CASE("oex schema --all --format json-schema writes every event type")
{
  oex::test::TempDir dir;
  const auto result =
    run_oex({"schema", "--all", "--format", "json-schema", "--out", dir.path()});
  CHECK(result.exit_code == 0);
  CHECK(result.err == "oex: wrote 75 JSON Schemas to " + dir.path() + "\n");
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    files += entry.path().string().ends_with(".schema.json") ? 1U : 0U;
  }
  CHECK(files == 75);
}

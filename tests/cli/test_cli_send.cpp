// oex send and oex plugins, run as a user would.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/plugin_files.hpp"
#include "support/subprocess.hpp"

using oex::test::read_file;
using oex::test::run_oex;
using oex::test::RunOptions;
using oex::test::TempDir;

using oex::test::plugin;

namespace {

const std::string k_type = "org.openedx.learning.course.enrollment.created.v1";
const std::string k_payload = TEST_DATA_DIR "/payloads/valid/enrollment_full.json";

} // namespace

TEST_CASE("oex send: every receiver's response or error")
{
  TempDir dir;
  RunOptions options;
  options.set_env = {{"OEX_RECORD_FILE", dir.path() + "/received.jsonl"}};
  auto result = run_oex({"send", k_type, k_payload, "--plugin", plugin("recorder"), "--plugin",
                         plugin("failing"), "--plugin", plugin("crashing"), "--receiver",
                         "exec:python3 " PLUGIN_DIR "/exec_receiver.py", "--json"},
                        options);
  CHECK(result.exit_code == 1);
  const auto report = nlohmann::json::parse(result.out);
  CHECK(report["event_type"] == k_type);
  CHECK(report["sent"] == true);
  CHECK(report["metadata"]["event_type"] == k_type);
  const auto& responses = report["responses"];
  REQUIRE(responses.size() == 4);
  CHECK(responses[0]["receiver"] == "recorder:record");
  CHECK(responses[0]["ok"] == true);
  CHECK(responses[0]["response"] == "recorded");
  CHECK(responses[1]["receiver"] == "failing:always_fails");
  CHECK(responses[1]["error"] == "ValueError: this receiver always fails");
  CHECK(responses[2]["error"] == "crashed: signal 11 (SIGSEGV)");
  CHECK(responses[3]["response"]["data_keys"] == nlohmann::json::array({"enrollment"}));
  CHECK(responses[3]["duration_ms"].is_number());

  // The recorder saw what a Django receiver sees.
  const auto recorded = nlohmann::json::parse(read_file(dir.path() + "/received.jsonl"));
  CHECK(recorded["event_type"] == k_type);
  CHECK(recorded["metadata"]["id"] == report["metadata"]["id"]);
  CHECK(recorded["data"] == nlohmann::json::parse(read_file(k_payload)));
  CHECK(recorded["from_event_bus"] == false);
}

TEST_CASE("oex send: text report and exit status")
{
  auto result = run_oex(
    {"send", k_type, k_payload, "--plugin", plugin("noop"), "--time", "2026-01-05T10:00:00Z"});
  CHECK(result.exit_code == 0);
  CHECK(result.out.starts_with("ok     noop:noop  "));
  CHECK(result.out.ends_with(" ms  null\n"));
  CHECK(result.err.starts_with("oex: sent " + k_type + " (id "));
  CHECK(result.err.ends_with(") to 1 receiver: 1 ok, 0 failed\n"));

  result = run_oex({"send", k_type, k_payload, "--plugin", plugin("hanging"), "--plugin",
                    plugin("noop"), "--timeout", "0.5"});
  CHECK(result.exit_code == 1);
  CHECK(result.out.find("error  hanging:hang") != std::string::npos);
  CHECK(result.out.find("timed out after 500 ms") != std::string::npos);
  CHECK(result.out.find("ok     noop:noop") != std::string::npos);
}

TEST_CASE("oex send --strict --disabled --dry-run --metadata")
{
  auto result = run_oex({"send", k_type, k_payload, "--plugin", plugin("failing"), "--plugin",
                         plugin("noop"), "--strict"});
  CHECK(result.exit_code == 1);
  CHECK(result.out.find("failing:always_fails") != std::string::npos);
  CHECK(result.out.find("noop:noop") == std::string::npos);
  CHECK(result.err == "oex: --strict: stopped at the first error\n");

  result = run_oex({"send", k_type, k_payload, "--plugin", plugin("failing"), "--disabled"});
  CHECK(result.exit_code == 0);
  CHECK(result.out.empty());
  CHECK(result.err == "oex: the event is disabled: no receiver was called\n");

  result = run_oex({"send", k_type, k_payload, "--plugin", plugin("recorder"), "--plugin",
                    plugin("failing"), "--dry-run"});
  CHECK(result.exit_code == 0);
  CHECK(result.out == "would call recorder:record\nwould call failing:always_fails\n");

  TempDir dir;
  const std::string metadata = dir.write(
    "metadata.json",
    R"({"event_type": ")" + k_type
      + R"(", "id": "3f1c8f6e-2a39-11ee-8d3a-0242ac120002", "minorversion": 0, )"
        R"("source": "openedx/lms/web", "sourcehost": "h", "time": "2026-01-05T10:00:00+00:00", "sourcelib": [11, 2, 0]})");
  result = run_oex({"send", k_type, k_payload, "--metadata", metadata, "--json", "--receiver",
                    "exec:python3 " PLUGIN_DIR "/exec_receiver.py"});
  CHECK(result.exit_code == 0);
  const auto report = nlohmann::json::parse(result.out);
  CHECK(report["metadata"]["id"] == "3f1c8f6e-2a39-11ee-8d3a-0242ac120002");
  CHECK(report["responses"][0]["response"]["from_event_bus"] == true);

  const std::string other =
    dir.write("other.json", R"({"event_type": "x", "id": "3f1c8f6e-2a39-11ee-8d3a-0242ac120002",
      "source": "s", "sourcehost": "h", "time": "2026-01-05T10:00:00Z", "sourcelib": [1, 2, 3]})");
  result = run_oex({"send", k_type, k_payload, "--metadata", other});
  CHECK(result.exit_code == 2);
  CHECK(result.err
        == "oex: error: --metadata " + other + ": event_type 'x' is not '" + k_type + "'\n");
}

TEST_CASE("oex send: invalid payloads and load errors")
{
  auto result =
    run_oex({"send", k_type, TEST_DATA_DIR "/payloads/invalid/enrollment_structure.json",
             "--plugin", plugin("recorder")});
  CHECK(result.exit_code == 1);
  CHECK(result.out.empty());
  CHECK(result.err.find(":9:3: unexpected argument 'student'\n") != std::string::npos);
  CHECK(result.err.ends_with("oex: SenderValidationError " + k_type
                             + ": enrollment: missing required field "
                               "'creation_date' of CourseEnrollmentData (and 3 more findings)\n"
                               "oex: nothing was sent\n"));

  result = run_oex({"send", k_type, k_payload, "--plugin", plugin("abi_mismatch")});
  CHECK(result.exit_code == 2);
  CHECK(result.err
        == "oex: error: cannot load plugin '" + plugin("abi_mismatch")
             + "': built for receiver ABI version 999, but this oex supports version 1\n");
  result = run_oex({"send", k_type, k_payload, "--plugin", "/nonexistent.so"});
  CHECK(result.exit_code == 2);
  CHECK(result.err == "oex: error: cannot load plugin '/nonexistent.so': no such file\n");
  result = run_oex({"send", k_type, k_payload, "--receiver", "python3 x.py"});
  CHECK(result.exit_code == 2);
  CHECK(result.err == "oex: error: --receiver 'python3 x.py': expected exec:COMMAND\n");

  result = run_oex({"send", k_type, k_payload});
  CHECK(result.exit_code == 0);
  CHECK(result.err.starts_with("oex: warning: no receiver listens to " + k_type + "\n"));
}

TEST_CASE("oex plugins")
{
  RunOptions options;
  options.set_env = {{"OEX_PLUGIN_PATH", PLUGIN_DIR}};
  auto result = run_oex({"plugins", "--json"}, options);
  CHECK(result.exit_code == 0);
  const auto listing = nlohmann::json::parse(result.out);
  CHECK(listing["plugins"].size() == 11);
  CHECK(listing["failures"].size() == 4);
  CHECK(listing["failures"][0]["path"] == plugin("abi_mismatch"));
  result = run_oex({"plugins", "--plugin", plugin("json_response")});
  CHECK(result.out
        == "json_response (" + plugin("json_response")
             + ")\n"
               "  json_response:summary  listens to org.openedx.learning.*\n"
               "  json_response:throws  listens to "
               "org.openedx.learning.course.unenrollment.completed.v1\n");
}

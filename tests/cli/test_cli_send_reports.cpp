// oex send as a hostile user drives it: one JSON document in every outcome, receivers that
// flood, print, fork or hang, plugins named in odd ways, and the options that do not go together.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/plugin_files.hpp"
#include "support/processes.hpp"
#include "support/subprocess.hpp"

using oex::test::read_file;
using oex::test::run;
using oex::test::run_oex;
using oex::test::RunOptions;
using oex::test::TempDir;

using oex::test::plugin;

namespace {

using json = nlohmann::json;

const std::string k_type = "org.openedx.learning.course.enrollment.created.v1";
const std::string k_payload = TEST_DATA_DIR "/payloads/valid/enrollment_full.json";
const std::string k_invalid = TEST_DATA_DIR "/payloads/invalid/enrollment_structure.json";

// stdout as one JSON document; fails the test when it is not.
json document(const oex::test::RunResult& result)
{
  INFO(result.out);
  INFO(result.err);
  json parsed = json::parse(result.out, nullptr, false);
  REQUIRE(!parsed.is_discarded());
  return parsed;
}

} // namespace

TEST_CASE("oex send --json: one document in every outcome")
{
  // Dry run: the receivers that would be called, nothing sent.
  auto result = run_oex({"send", k_type, k_payload, "--plugin", plugin("recorder"), "--plugin",
                         plugin("failing"), "--dry-run", "--json"});
  CHECK(result.exit_code == 0);
  auto report = document(result);
  CHECK(report["status"] == "dry_run");
  CHECK(report["sent"] == false);
  CHECK(report["valid"] == true);
  CHECK(report["metadata"].is_null());
  CHECK(report["receivers"] == json::array({"recorder:record", "failing:always_fails"}));
  CHECK(report["responses"] == json::array());

  // Dry run of an invalid payload: the findings, exit 1, as a real send.
  result =
    run_oex({"send", k_type, k_invalid, "--plugin", plugin("recorder"), "--dry-run", "--json"});
  CHECK(result.exit_code == 1);
  report = document(result);
  CHECK(report["status"] == "invalid");
  CHECK(report["valid"] == false);
  CHECK(report["findings"].size() == 4);
  CHECK(
    report["findings"][3]
    == json(
      {{"path", ""}, {"line", 9}, {"column", 3}, {"message", "unexpected argument 'student'"}}));
  result = run_oex({"send", k_type, k_invalid, "--dry-run"});
  CHECK(result.exit_code == 1);
  CHECK(result.out.empty());
  CHECK(result.err.find(":9:3: unexpected argument 'student'\n") != std::string::npos);
  CHECK(result.err.ends_with("oex: nothing was sent\n"));

  // A real send of an invalid payload.
  result = run_oex({"send", k_type, k_invalid, "--plugin", plugin("recorder"), "--json"});
  CHECK(result.exit_code == 1);
  report = document(result);
  CHECK(report["status"] == "invalid");
  CHECK(report["metadata"].is_null());
  CHECK(report["responses"] == json::array());

  // Malformed JSON: still a document, exit 2.
  TempDir dir;
  const std::string malformed = dir.write("bad.json", "{\"enrollment\": ");
  result = run_oex({"send", k_type, malformed, "--json"});
  CHECK(result.exit_code == 2);
  report = document(result);
  CHECK(report["valid"] == false);
  CHECK(report["findings"].size() == 1);

  // Disabled: no invented metadata.
  result =
    run_oex({"send", k_type, k_payload, "--plugin", plugin("failing"), "--disabled", "--json"});
  CHECK(result.exit_code == 0);
  report = document(result);
  CHECK(report["status"] == "disabled");
  CHECK(report["metadata"].is_null());
  CHECK(report["valid"].is_null());

  // No receivers.
  result = run_oex({"send", k_type, k_payload, "--json"});
  CHECK(result.exit_code == 0);
  report = document(result);
  CHECK(report["status"] == "sent");
  CHECK(report["receivers"] == json::array());
  CHECK(report["metadata"]["event_type"] == k_type);

  // --strict stopped: the metadata that was sent is there.
  result = run_oex({"send", k_type, k_payload, "--plugin", plugin("failing"), "--plugin",
                    plugin("noop"), "--strict", "--json"});
  CHECK(result.exit_code == 1);
  report = document(result);
  CHECK(report["status"] == "stopped");
  CHECK(report["metadata"]["id"].get<std::string>().size() == 36);
  CHECK(report["responses"].size() == 1);
  CHECK(report["failed"] == 1);
}

TEST_CASE("oex send: what a plugin prints is its output and text output is escaped")
{
  for (const char* isolation : {"--timeout=30", "--no-isolate"}) {
    auto result =
      run_oex({"send", k_type, k_payload, "--plugin", plugin("noisy"), isolation, "--json"});
    CHECK(result.exit_code == 0);
    const auto report = document(result);
    const auto& response = report["responses"][0];
    CHECK(response["response"]
          == "\x1b]0;title\x07"
             "answer");
    CHECK(response["output"] == "to stdout \x1b[31mred\x1b[0m\nto stderr\nleft in the buffer");

    result = run_oex({"send", k_type, k_payload, "--plugin", plugin("noisy"), isolation});
    CHECK(result.exit_code == 0);
    CHECK(result.out.find('\x1b') == std::string::npos);
    CHECK(result.err.find('\x1b') == std::string::npos);
    CHECK(result.out.find("  \\e]0;title\\x07answer\n") != std::string::npos);
    CHECK(result.out.find("       > to stdout \\e[31mred\\e[0m\n"
                          "       > to stderr\n"
                          "       > left in the buffer\n")
          != std::string::npos);
  }
  // An exec receiver's stdout is its response, escaped too.
  auto result = run_oex({"send", k_type, k_payload, "--receiver", "exec:printf '\\033[2Jcleared'"});
  CHECK(result.out.find("\\e[2Jcleared\n") != std::string::npos);
  CHECK(result.out.find('\x1b') == std::string::npos);
}

TEST_CASE("oex send --max-response: a flood is cut and memory stays bounded")
{
  auto result =
    run_oex({"send", k_type, k_payload, "--receiver", "exec:head -c 3000000 /dev/zero | tr '\\0' x",
             "--max-response", "100", "--json"});
  CHECK(result.exit_code == 0);
  auto report = document(result);
  CHECK(report["responses"][0]["response"] == std::string(100, 'x'));
  CHECK(report["responses"][0]["truncated"] == true);
  CHECK(report["responses"][0]["response_bytes"] == 3000000);
  result = run_oex({"send", k_type, k_payload, "--receiver",
                    "exec:head -c 3000000 /dev/zero | tr '\\0' x", "--max-response", "100"});
  CHECK(
    result.out.ends_with(std::string(100, 'x') + " [response cut: 100 of 3000000 bytes kept]\n"));

  for (const char* bad : {"0", "-1", "1k", "99999999999999", ""}) {
    result = run_oex({"send", k_type, k_payload, "--max-response", bad});
    CHECK(result.exit_code == 2);
    CHECK(result.err
          == "oex: error: --max-response: '" + std::string(bad)
               + "' is not an integer from 1 to 1099511627776\nRun 'oex send --help' for more "
                 "information.\n");
  }

#if defined(__SANITIZE_ADDRESS__)
  WARN("skipped under AddressSanitizer: it cannot run with an address-space limit");
#else
  // Under a 256 MiB address-space limit, answers of 400 MB (exec) and 96 MB (a plugin, which
  // must hold its answer itself) leave oex with 1 MiB of each.
  RunOptions options;
  options.set_env = {
    {"NO_COLOR", "1"}, {"OEX_FLOOD", "response"}, {"OEX_FLOOD_BYTES", "100663296"}};
  for (const std::vector<std::string>& receiver :
       {std::vector<std::string>{"--receiver", "exec:head -c 400000000 /dev/zero | tr '\\0' x"},
        std::vector<std::string>{"--plugin", plugin("flooding")},
        std::vector<std::string>{"--plugin", plugin("flooding"), "--no-isolate"}}) {
    std::vector<std::string> args{"--as=268435456", OEX_BINARY, "send",
                                  k_type,           k_payload,  "--json"};
    args.insert(args.end(), receiver.begin(), receiver.end());
    result = run("prlimit", args, options);
    CHECK(result.exit_code == 0);
    report = document(result);
    CHECK(report["responses"][0]["truncated"] == true);
    CHECK(report["responses"][0]["response"].get<std::string>().size() == 1048576);
  }
#endif
}

TEST_CASE("oex send: a receiver's exit ends the call and what it left running is stopped")
{
  // Before, the background child held stdout open until the timeout, and the answer was lost.
  auto result = run_oex({"send", k_type, k_payload, "--timeout", "20", "--json", "--receiver",
                         "exec:sleep 300 & echo answer", "--plugin", plugin("forking")});
  CHECK(result.exit_code == 0);
  const auto report = document(result);
  CHECK(report["responses"][0]["response"] == "forked");
  CHECK(report["responses"][1]["response"] == "answer");
}

TEST_CASE("oex send: no plugin worker process outlives oex")
{
  // The lifecycle plugin answers with its worker's process id; a background process it leaves
  // behind writes its id to a file.
  TempDir dir;
  for (const char* action : {"fine", "fork"}) {
    INFO(action);
    const std::string file = dir.write("action", std::string(action) + "\n");
    RunOptions options;
    options.set_env["OEX_LIFE_FILE"] = file;
    const auto result = run_oex(
      {"send", k_type, k_payload, "--plugin", plugin("isolation/lifecycle"), "--json"}, options);
    CHECK(result.exit_code == 0);
    const auto report = document(result);
    REQUIRE(report["responses"].size() == 2);
    const long worker = report["responses"][0]["response"]["pid"].get<long>();
    CHECK(worker != 0);
    CHECK(oex::test::process_ended(worker));
    CHECK(oex::test::process_ended(report["responses"][1]["response"]["pid"].get<long>()));
    if (std::string(action) == "fork") {
      CHECK(oex::test::process_ended(oex::test::read_pid(file + ".pid")));
    }
  }
}

TEST_CASE("oex send: a plugin worker goes when oex is killed in the middle of a call")
{
  // The receiver hangs; oex gets SIGKILL (no exit handler runs); its worker must not live on.
  TempDir dir;
  const std::string life = dir.write("action", "hang\n");
  const auto result = oex::test::run_oex_in_shell(
    "OEX_LIFE_FILE='" + life
      + "' \"$0\" \"$@\" >/dev/null 2>&1 & oex=$!; i=0; "
        "while [ ! -s '"
      + life
      + ".worker' ] && [ $i -lt 3000 ]; do sleep 0.01; i=$((i+1)); done; "
        "kill -9 $oex; wait $oex; cat '"
      + life + ".worker'",
    {"send", k_type, k_payload, "--plugin", plugin("isolation/lifecycle"), "--timeout", "120"});
  const long worker = std::atol(result.out.c_str());
  REQUIRE(worker > 0);
  CHECK(oex::test::process_ended(worker));
}

TEST_CASE("oex send --timeout --no-isolate is refused")
{
  auto result = run_oex(
    {"send", k_type, k_payload, "--plugin", plugin("hanging"), "--no-isolate", "--timeout", "1"});
  CHECK(result.exit_code == 2);
  CHECK(result.err
        == "oex: error: --timeout cannot be used with --no-isolate: a receiver called in-process "
           "cannot be stopped (leave out --no-isolate to have a timeout)\n");
  result = run_oex({"send", "--help"});
  CHECK(result.out.find("not with --no-isolate") != std::string::npos);
}

TEST_CASE("oex send --plugin: found by a bare name and loaded once or refused with the reason")
{
  RunOptions in_plugins;
  in_plugins.cwd = PLUGIN_DIR;
  auto result = run_oex({"send", k_type, k_payload, "--plugin", "noop.so"}, in_plugins);
  CHECK(result.exit_code == 0);
  CHECK(result.out.starts_with("ok     noop:noop  "));

  // Given by --plugin and found again in OEX_PLUGIN_PATH: one plugin, each receiver called once.
  RunOptions with_path;
  with_path.set_env = {{"OEX_PLUGIN_PATH", PLUGIN_DIR}, {"OEX_RECORD_FILE", "/dev/null"}};
  result = run_oex(
    {"send", k_type, k_payload, "--plugin", plugin("recorder"), "--json", "--dry-run"}, with_path);
  const auto report = document(result);
  int recorders = 0;
  for (const auto& name : report["receivers"]) {
    recorders += name == "recorder:record";
  }
  CHECK(recorders == 1);
  CHECK(report["receivers"][0] == "recorder:record");

  TempDir dir;
  const std::string text = dir.write("text.so", "not a shared object\n");
  result = run_oex({"send", k_type, k_payload, "--plugin", text});
  CHECK(result.exit_code == 2);
  CHECK(result.err
        == "oex: error: cannot load plugin '" + text + "': not a shared object (no ELF header)\n");
  result = run_oex({"send", k_type, k_payload, "--plugin", "missing.so"});
  CHECK(result.err == "oex: error: cannot load plugin 'missing.so': no such file\n");
  result = run_oex({"send", k_type, k_payload, "--plugin", plugin("no_entry")});
  CHECK(result.err
        == "oex: error: cannot load plugin '" + plugin("no_entry")
             + "': not an oex plugin: it exports no oex_plugin_abi_version and "
               "oex_plugin_register\n");
}

TEST_CASE("oex send --envelope: what sample --envelope writes")
{
  auto sample = run_oex({"sample", k_type, "--envelope", "--seed", "3"});
  REQUIRE(sample.exit_code == 0);
  const auto envelope = json::parse(sample.out);
  RunOptions options;
  options.input = sample.out;
  auto result = run_oex({"send", k_type, "-", "--envelope", "--json", "--receiver",
                         "exec:python3 " PLUGIN_DIR "/exec_receiver.py"},
                        options);
  CHECK(result.exit_code == 0);
  const auto report = document(result);
  CHECK(report["metadata"] == envelope["metadata"]);
  CHECK(report["responses"][0]["response"]["from_event_bus"] == true);
  CHECK(report["responses"][0]["response"]["data_keys"] == json::array({"enrollment"}));

  // An envelope whose metadata is wrong is an invalid payload.
  auto broken = envelope;
  broken["metadata"]["time"] = "2026-01-05T10:00:00";
  options.input = broken.dump();
  result = run_oex({"send", k_type, "-", "--envelope"}, options);
  CHECK(result.exit_code == 1);
  CHECK(result.err.find("'time' must have timezone.utc") != std::string::npos);

  result = run_oex({"send", k_type, k_payload, "--envelope", "--time", "2026-01-05T10:00:00Z"});
  CHECK(result.exit_code == 2);
  CHECK(result.err
        == "oex: error: --envelope cannot be used with --time: the envelope holds the metadata\n");
}

TEST_CASE("oex send - --metadata - is refused")
{
  RunOptions options;
  options.input = read_file(k_payload);
  auto result = run_oex({"send", k_type, "-", "--metadata", "-"}, options);
  CHECK(result.exit_code == 2);
  CHECK(result.err
        == "oex: error: the payload and --metadata cannot both be '-': standard input can be "
           "read only once\n");
  // More input than a pipe holds: oex exits without reading it, and the test runner must get
  // EPIPE rather than die of SIGPIPE (tests/support/subprocess.cpp).
  options.input = std::string(4 << 20, ' ');
  result = run_oex({"send", k_type, "-", "--metadata", "-"}, options);
  CHECK(result.exit_code == 2);
}

TEST_CASE("oex plugins --help: only what applies to listing plugins")
{
  auto result = run_oex({"plugins", "--help"});
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("--plugin") != std::string::npos);
  CHECK(result.out.find("--json") != std::string::npos);
  for (const char* option : {"--timeout", "--no-isolate", "--max-response"}) {
    CHECK(result.out.find(option) == std::string::npos);
  }
  // A plugin that prints while it registers does not corrupt the listing.
  result = run_oex({"plugins", "--plugin", plugin("noisy"), "--json"});
  CHECK(result.exit_code == 0);
  CHECK(document(result)["plugins"][0]["output"] == "registering noisy\n");
}

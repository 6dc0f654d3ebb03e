// oex send --jsonl: a file of events through the receivers, run as a user would; what receivers
// print is reported with the event it was called for, in-process (fds 1 and 2 held on the
// capture pipe for the whole file) and isolated alike.

#include <regex>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/plugin_files.hpp"
#include "support/subprocess.hpp"

using oex::test::one_line;
using oex::test::read_file;
using oex::test::run_oex;
using oex::test::run_oex_in_shell;
using oex::test::RunOptions;
using oex::test::TempDir;

using oex::test::plugin;

namespace {

const std::string k_type = "org.openedx.learning.course.enrollment.created.v1";
const std::string k_payload = TEST_DATA_DIR "/payloads/valid/enrollment_full.json";

// An exec receiver that fails on an enrollment in the "honor" mode and answers nothing otherwise.
const std::string k_picky = "exec:if grep -q '\"honor\"'; then echo 'honor refused' >&2; exit 3; fi";

// Four events around a blank line: valid, invalid (user.id a string), valid but refused by the
// picky receiver, not JSON; CRLF on one line, no line break after the last.
std::string events_file(const TempDir& dir)
{
  const std::string valid = one_line(read_file(k_payload));
  std::string honor = valid;
  honor.replace(honor.find("\"audit\""), 7, "\"honor\"");
  std::string invalid = valid;
  invalid.replace(invalid.find("\"id\": 42"), 8, "\"id\": \"42\"");
  return dir.write("events.jsonl",
                   valid + "\n\n" + invalid + "\r\n" + honor + "\n{\"enrollment\": ");
}

// The report with what changes from run to run replaced: ids, and durations with the spaces
// that align them.
std::string stable(const std::string& text)
{
  static const std::regex id("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  static const std::regex ms(" +[0-9]+\\.[0-9] ms");
  return std::regex_replace(std::regex_replace(text, id, "ID"), ms, " T ms");
}

// A send --json object without what changes from run to run.
nlohmann::json without_run_facts(nlohmann::json report)
{
  if (report["metadata"].is_object()) {
    report["metadata"].erase("id");
    report["metadata"].erase("time");
  }
  for (auto& response : report["responses"]) {
    response.erase("duration_ms");
  }
  return report;
}

// What noisy.so prints for an event (a line flushed, one on stderr, one left in the buffer).
const std::string k_noise = "to stdout \x1b[31mred\x1b[0m\nto stderr\nleft in the buffer";

// `count` enrollment events, the one at `marked` (from 1) in the "honor" mode, the others "audit".
std::string marked_file(const TempDir& dir, int count, int marked)
{
  const std::string valid = one_line(read_file(k_payload));
  std::string honor = valid;
  honor.replace(honor.find("\"audit\""), 7, "\"honor\"");
  std::string text;
  for (int i = 1; i <= count; ++i) {
    text += (i == marked ? honor : valid) + "\n";
  }
  return dir.write("marked.jsonl", text);
}

std::vector<nlohmann::json> json_lines(const std::string& out)
{
  std::vector<nlohmann::json> lines;
  std::size_t start = 0;
  while (start < out.size()) {
    const std::size_t end = out.find('\n', start);
    REQUIRE(end != std::string::npos);
    lines.push_back(nlohmann::json::parse(out.substr(start, end - start)));
    start = end + 1;
  }
  return lines;
}

// noisy.so prints only for the "honor" event, adding `bytes` in one write(2) when not empty.
RunOptions noisy_on_honor(const std::string& bytes = "")
{
  RunOptions run;
  run.set_env["OEX_NOISY_ONLY"] = "\"honor\"";
  if (!bytes.empty()) {
    run.set_env["OEX_NOISY_BYTES"] = bytes;
  }
  return run;
}

} // namespace

TEST_CASE("oex send --jsonl: a report per event, the counts on stderr")
{
  TempDir dir;
  const std::string file = events_file(dir);
  auto result =
    run_oex({"send", k_type, file, "--jsonl", "--plugin", plugin("noop"), "--receiver", k_picky});
  CHECK(result.exit_code == 1);
  const std::string& picky = k_picky; // an exec receiver is named after its command
  CHECK(stable(result.out)
        == file + ":1: sent (id ID): 2 ok, 0 failed\n"
                  "ok     noop:noop T ms  null\n"
                  "ok     " + picky + " T ms  null\n"
          + file + ":3:40: enrollment.user.id: expected integer, got string \"42\"\n"
          + file + ":3: invalid: nothing was sent\n"
          + file + ":4: sent (id ID): 1 ok, 1 failed\n"
                  "ok     noop:noop T ms  null\n"
                  "error  " + picky + " T ms  honor refused\n"
          + file + ":5:16: invalid JSON: unexpected end of input; expected a JSON value\n"
          + file + ":5: invalid: nothing was sent\n");
  CHECK(result.err == "oex: " + file + ": 4 events: 2 sent (1 with a failed receiver), 2 invalid\n");

  // Every event sent had its own id.
  static const std::regex id("id ([0-9a-f-]{36})");
  std::vector<std::string> ids;
  for (auto it = std::sregex_iterator(result.out.begin(), result.out.end(), id);
       it != std::sregex_iterator(); ++it) {
    ids.push_back((*it)[1]);
  }
  REQUIRE(ids.size() == 2);
  CHECK(ids[0] != ids[1]);
}

TEST_CASE("oex send --jsonl --json: each line is the object send --json prints")
{
  TempDir dir;
  const std::string file = events_file(dir);
  const std::vector<std::string> receivers = {"--plugin", plugin("noop"), "--receiver", k_picky,
                                              "--time", "2026-01-05T10:00:00Z"};
  auto args = std::vector<std::string>{"send", k_type, file, "--jsonl", "--json"};
  args.insert(args.end(), receivers.begin(), receivers.end());
  auto result = run_oex(args);
  CHECK(result.exit_code == 1);
  CHECK(result.err == "oex: " + file + ": 4 events: 2 sent (1 with a failed receiver), 2 invalid\n");
  const auto lines = json_lines(result.out);
  REQUIRE(lines.size() == 4);

  // The same payloads sent one by one with send --json give the same objects.
  const std::string valid = one_line(read_file(k_payload));
  std::string honor = valid;
  honor.replace(honor.find("\"audit\""), 7, "\"honor\"");
  const std::vector<std::pair<std::size_t, std::string>> singles = {{0, valid}, {2, honor}};
  for (const auto& [index, payload] : singles) {
    auto single_args = std::vector<std::string>{"send", k_type, dir.write("one.json", payload),
                                                "--json"};
    single_args.insert(single_args.end(), receivers.begin(), receivers.end());
    const auto single = run_oex(single_args);
    CHECK(without_run_facts(lines[index]) == without_run_facts(nlohmann::json::parse(single.out)));
    CHECK(lines[index]["metadata"]["time"] == "2026-01-05T10:00:00+00:00");
  }
  CHECK(lines[0]["metadata"]["id"] != lines[2]["metadata"]["id"]);
  CHECK(lines[2]["responses"][1]["error"] == "honor refused");

  // An invalid line: the same keys, its findings placed on the file's line.
  const auto single = run_oex({"send", k_type, TEST_DATA_DIR "/payloads/invalid/enrollment_structure.json",
                               "--json", "--plugin", plugin("noop")});
  auto expected_keys = nlohmann::json::array();
  const nlohmann::json single_doc = nlohmann::json::parse(single.out); // outlives the loop
  for (const auto& item : single_doc.items()) {
    expected_keys.push_back(item.key());
  }
  auto keys = nlohmann::json::array();
  for (const auto& item : lines[1].items()) {
    keys.push_back(item.key());
  }
  CHECK(keys == expected_keys);
  CHECK(lines[1]["status"] == "invalid");
  CHECK(lines[1]["sent"] == false);
  CHECK(lines[1]["metadata"] == nullptr);
  CHECK(lines[1]["responses"] == nlohmann::json::array());
  CHECK(lines[1]["findings"]
        == nlohmann::json::parse(R"([{"path": "enrollment.user.id", "line": 3, "column": 40,
          "message": "expected integer, got string \"42\""}])"));
  CHECK(lines[3]["findings"][0]["line"] == 5);
}

TEST_CASE("oex send --jsonl: exit status")
{
  TempDir dir;
  const std::string valid = one_line(read_file(k_payload));
  const std::string good = dir.write("good.jsonl", valid + "\n" + valid + "\n");
  auto result = run_oex({"send", k_type, good, "--jsonl", "--plugin", plugin("noop")});
  CHECK(result.exit_code == 0);
  CHECK(result.err == "oex: " + good + ": 2 events: 2 sent, 0 invalid\n");

  // Standard input, and an isolated plugin that crashes on every event: reported, the run goes on.
  RunOptions input;
  input.input = valid + "\n" + valid;
  result = run_oex({"send", k_type, "-", "--jsonl", "--plugin", plugin("crashing"), "--plugin",
                    plugin("noop")},
                   input);
  CHECK(result.exit_code == 1);
  CHECK(result.err == "oex: <stdin>: 2 events: 2 sent (2 with a failed receiver), 0 invalid\n");
  CHECK(stable(result.out).find("<stdin>:2: sent (id ID): 1 ok, 1 failed\n") != std::string::npos);

  result = run_oex({"send", k_type, dir.path() + "/missing.jsonl", "--jsonl"});
  CHECK(result.exit_code == 2);
  CHECK(result.err == "oex: warning: no receiver listens to " + k_type + "\noex: " + dir.path()
                        + "/missing.jsonl: 0 events: 0 sent, 0 invalid\noex: error: cannot read '"
                        + dir.path() + "/missing.jsonl': No such file or directory\n");

  result = run_oex_in_shell("exec \"$0\" \"$@\" >/dev/full",
                            {"send", k_type, good, "--jsonl", "--plugin", plugin("noop")});
  CHECK(result.exit_code == 2);
  CHECK(result.err == "oex: error: cannot write to standard output: No space left on device\n");
}

TEST_CASE("oex send --jsonl with --metadata, --envelope, --dry-run, --strict, --max-bytes")
{
  TempDir dir;
  const std::string valid = one_line(read_file(k_payload));
  const std::string good = dir.write("good.jsonl", valid + "\n" + valid + "\n");

  auto result = run_oex({"send", k_type, good, "--jsonl", "--metadata", good});
  CHECK(result.exit_code == 2);
  CHECK(result.err == "oex: error: --metadata cannot be used with --jsonl: every event of the file "
                      "would be sent with the same id (give each line its own metadata with "
                      "--envelope)\n");

  result = run_oex({"send", k_type, good, "--jsonl", "--dry-run", "--plugin", plugin("noop")});
  CHECK(result.exit_code == 0);
  CHECK(result.out == "would call noop:noop\n" + good + ":1: valid: nothing was sent (dry run)\n"
                        + good + ":2: valid: nothing was sent (dry run)\n");
  CHECK(result.err == "oex: " + good + ": 2 events: 0 sent, 0 invalid, 2 valid (dry run)\n");

  // Envelopes: each event keeps its own metadata and reaches receivers from the event bus.
  const auto envelopes = run_oex({"sample", k_type, "--envelope", "--count", "2"});
  REQUIRE(envelopes.exit_code == 0);
  const std::string file = dir.write("envelopes.jsonl", envelopes.out);
  result = run_oex({"send", k_type, file, "--jsonl", "--envelope", "--json", "--receiver",
                    "exec:python3 " PLUGIN_DIR "/exec_receiver.py"});
  CHECK(result.exit_code == 0);
  const auto first = nlohmann::json::parse(result.out.substr(0, result.out.find('\n')));
  const auto sampled = nlohmann::json::parse(envelopes.out.substr(0, envelopes.out.find('\n')));
  CHECK(first["metadata"]["id"] == sampled["metadata"]["id"]);
  CHECK(first["responses"][0]["response"]["from_event_bus"] == true);

  // --strict stops the run at the first receiver error.
  result = run_oex({"send", k_type, good, "--jsonl", "--strict", "--plugin", plugin("failing"),
                    "--plugin", plugin("noop")});
  CHECK(result.exit_code == 1);
  CHECK(stable(result.out) == good + ":1: stopped (--strict) (id ID): 0 ok, 1 failed\n"
                                     "error  failing:always_fails T ms  ValueError: this receiver "
                                     "always fails\n");
  CHECK(result.err == "oex: --strict: stopped at the first error (" + good
                        + ":1)\noex: " + good + ": 1 event: 1 sent (1 with a failed receiver), 0 invalid\n");

  result = run_oex({"send", k_type, good, "--jsonl", "--max-bytes", "100", "--plugin",
                    plugin("noop")});
  CHECK(result.exit_code == 1);
  CHECK(result.out.starts_with(good + ":1:0: line of " + std::to_string(valid.size())
                               + " bytes is longer than 100 (--max-bytes); not sent\n" + good
                               + ":1: invalid: nothing was sent\n"));

  result = run_oex({"send", k_type, good, "--jsonl", "--disabled", "--plugin", plugin("noop")});
  CHECK(result.exit_code == 0);
  CHECK(result.out == good + ":1: disabled: no receiver was called\n" + good
                        + ":2: disabled: no receiver was called\n");
}

TEST_CASE("oex send --jsonl --no-isolate: a receiver that crashes oex leaves the report before it")
{
  TempDir dir;
  const std::string valid = one_line(read_file(k_payload));
  const std::string file = dir.write("three.jsonl", valid + "\n" + valid + "\n" + valid + "\n");
  // Through a pipe, so that the report is gathered in blocks and not written per event.
  const auto result = run_oex_in_shell("\"$0\" \"$@\" | cat",
                                       {"send", k_type, file, "--jsonl", "--no-isolate",
                                        "--plugin", plugin("crash_second")});
  CHECK(stable(result.out) == file + ":1: sent (id ID): 1 ok, 0 failed\n"
                                     "ok     crash_second:crash_second T ms  null\n");
  CHECK(result.err.find("events:") == std::string::npos); // oex died before its counts
}

TEST_CASE("oex send --jsonl: a receiver's output is reported with the event it printed for")
{
  TempDir dir;
  const std::string file = marked_file(dir, 5, 3);
  for (const char* isolation : {"--no-isolate", "--timeout=30"}) {
    CAPTURE(isolation);
    const auto result = run_oex({"send", k_type, file, "--jsonl", "--json", "--plugin",
                                 plugin("noisy"), isolation},
                                noisy_on_honor());
    CHECK(result.exit_code == 0);
    CHECK(result.err == "oex: " + file + ": 5 events: 5 sent, 0 invalid\n");
    const auto lines = json_lines(result.out);
    REQUIRE(lines.size() == 5);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      CAPTURE(i);
      const auto& response = lines[i]["responses"][0];
      if (i == 2) {
        CHECK(response["response"] == "\x1b]0;title\x07"
                                      "answer");
        CHECK(response["output"] == k_noise);
        CHECK(response["output_bytes"] == k_noise.size());
      } else {
        CHECK(response["response"] == "quiet");
        CHECK(response["output"] == "");
        CHECK(response["output_bytes"] == 0);
      }
    }
  }

  // In text, the receiver's lines come under event 3 only, escaped; oex's own stdout and
  // stderr are back in place for the counts.
  const auto result = run_oex({"send", k_type, file, "--jsonl", "--plugin", plugin("noisy"),
                               "--no-isolate"},
                              noisy_on_honor());
  CHECK(result.exit_code == 0);
  CHECK(result.err == "oex: " + file + ": 5 events: 5 sent, 0 invalid\n");
  const std::string marked = file + ":3: sent";
  const std::size_t at = result.out.find(marked);
  REQUIRE(at != std::string::npos);
  const std::size_t next = result.out.find(file + ":4: sent");
  REQUIRE(next != std::string::npos);
  CHECK(result.out.substr(result.out.find('\n', at) + 1, next - result.out.find('\n', at) - 1)
          .ends_with("  \\e]0;title\\x07answer\n"
                     "       > to stdout \\e[31mred\\e[0m\n"
                     "       > to stderr\n"
                     "       > left in the buffer\n"));
  // "> " lines nowhere else.
  CHECK(result.out.find("       > ") > at);
  CHECK(result.out.find("       > ", next) == std::string::npos);
}

TEST_CASE("oex send --jsonl --no-isolate: what a receiver leaves in a stdio stream of its own is its call's output")
{
  // Not only stdout and stderr: a stream the receiver opened on fd 1 itself (fdopen(1)) and
  // left unflushed is flushed at the end of the call, into that call's output (oex flushes
  // every stdio stream then, not only its own two).
  TempDir dir;
  const std::string file = marked_file(dir, 5, 3);
  RunOptions run = noisy_on_honor();
  run.set_env["OEX_NOISY_OWN_STREAM"] = "1";
  const auto result =
    run_oex({"send", k_type, file, "--jsonl", "--json", "--plugin", plugin("noisy"), "--no-isolate"}, run);
  CHECK(result.exit_code == 0);
  const auto lines = json_lines(result.out);
  REQUIRE(lines.size() == 5);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    CAPTURE(i);
    const std::string output = lines[i]["responses"][0]["output"];
    CHECK((output.find("in a stream of its own\n") != std::string::npos) == (i == 2));
    CHECK((output.find("left in the buffer") != std::string::npos) == (i == 2));
  }
  CHECK(result.out.find("in a stream of its own\n") == std::string::npos); // only escaped in JSON
  CHECK(result.err == "oex: " + file + ": 5 events: 5 sent, 0 invalid\n");
}

TEST_CASE("oex send --jsonl: a receiver writing 1 MiB to fd 1 in one write(2)")
{
  TempDir dir;
  const std::string file = marked_file(dir, 3, 2);
  const std::size_t mib = std::size_t{1} << 20;
  const std::size_t total = k_noise.size() + mib;
  for (const char* isolation : {"--no-isolate", "--timeout=30"}) {
    CAPTURE(isolation);
    // Kept up to the default limit (1 MiB), the rest read and dropped.
    auto result = run_oex({"send", k_type, file, "--jsonl", "--json", "--plugin",
                           plugin("noisy"), isolation},
                          noisy_on_honor(std::to_string(mib)));
    CHECK(result.exit_code == 0);
    auto lines = json_lines(result.out);
    REQUIRE(lines.size() == 3);
    auto response = lines[1]["responses"][0];
    CHECK(response["output_bytes"] == total);
    CHECK(response["output_truncated"] == true);
    const std::string output = response["output"];
    CHECK(output.size() == mib);
    CHECK(output.starts_with("to stdout"));
    CHECK(output.find_first_not_of('n', output.find("to stderr\n") + 10) == std::string::npos);
    for (const std::size_t i : {std::size_t{0}, std::size_t{2}}) {
      CHECK(lines[i]["responses"][0]["output"] == "");
      CHECK(lines[i]["responses"][0]["output_bytes"] == 0);
    }

    // With room for it, all of it, in order.
    result = run_oex({"send", k_type, file, "--jsonl", "--json", "--plugin", plugin("noisy"),
                      isolation, "--max-response", std::to_string(2 * mib)},
                     noisy_on_honor(std::to_string(mib)));
    CHECK(result.exit_code == 0);
    lines = json_lines(result.out);
    REQUIRE(lines.size() == 3);
    response = lines[1]["responses"][0];
    CHECK(response["output_truncated"] == false);
    CHECK(response["output"] == "to stdout \x1b[31mred\x1b[0m\nto stderr\n" + std::string(mib, 'n')
                                  + "left in the buffer");
    CHECK(lines[2]["responses"][0]["output"] == "");
  }
}

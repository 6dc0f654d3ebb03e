// oex validate on large and long runs, and reports that name every input: --max-bytes,
// --max-findings, --fail-fast, the progress line, inputs that cannot be read.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/payload_fixtures.hpp"
#include "support/subprocess.hpp"

using oex::test::read_file;
using oex::test::run;
using oex::test::one_line;
using oex::test::run_oex;
using oex::test::run_oex_in_shell;
using oex::test::RunOptions;
using oex::test::RunResult;
using oex::test::TempDir;

namespace {

const std::string& k_type = oex::test::k_enrollment_type;
const std::string& k_valid = oex::test::k_valid_enrollment;
const std::string& k_invalid = oex::test::k_invalid_enrollment;

// The sanitizers reserve terabytes of address space: no address-space limit can be tested.
#ifdef OEX_SANITIZED
constexpr bool k_can_limit_memory = false;
#else
constexpr bool k_can_limit_memory = true;
#endif

} // namespace

TEST_CASE("oex validate: every input is in every report")
{
  TempDir dir;
  const std::string malformed = dir.write("malformed.json", "{\"enrollment\": [1,}");
  const std::string missing = dir.path() + "/missing.json";
  const std::string folder = dir.path(); // open() works, read() says EISDIR
  const std::vector<std::string> inputs{k_valid, missing, malformed, folder};
  const std::string errors =
    "oex: error: cannot read '" + missing + "': No such file or directory\n"
    + "oex: error: " + malformed + ":1:19: invalid JSON: unexpected '}'; expected a JSON value\n"
    + "oex: error: cannot read '" + folder + "': Is a directory\n";

  std::vector<std::string> args{"validate", k_type, "--json"};
  args.insert(args.end(), inputs.begin(), inputs.end());
  RunResult result = run_oex(args);
  CHECK(result.exit_code == 2);
  CHECK(result.err == errors);
  const auto report = nlohmann::json::parse(result.out);
  REQUIRE(report.size() == 4);
  CHECK(report[0]["valid"] == true);
  CHECK(report[1]
        == nlohmann::json{{"file", missing},
                          {"line", nullptr},
                          {"valid", false},
                          {"error", "cannot read '" + missing + "': No such file or directory"},
                          {"findings", nlohmann::json::array()}});
  CHECK(report[2]["error"]
        == malformed + ":1:19: invalid JSON: unexpected '}'; expected a JSON value");
  CHECK(report[3]["file"] == folder);
  CHECK(report[3]["valid"] == false);

  args[2] = "--format=junit";
  result = run_oex(args);
  CHECK(result.exit_code == 2);
  CHECK(result.err == errors);
  CHECK(result.out.find("<testsuites tests=\"4\" failures=\"0\" errors=\"3\">") != std::string::npos);
  CHECK(result.out.find("tests=\"4\" failures=\"0\" errors=\"3\">\n") != std::string::npos);
  CHECK(result.out.find("    <testcase classname=\"" + k_type + "\" name=\"" + missing
                        + "\">\n      <error message=\"cannot read '" + missing
                        + "': No such file or directory\"/>\n    </testcase>\n")
        != std::string::npos);

  // Text: the errors on stderr, and counted in the summary.
  args[2] = "--format=text";
  result = run_oex(args);
  CHECK(result.exit_code == 2);
  CHECK(result.out.empty());
  CHECK(result.err == errors + "oex: 1 document valid, 3 inputs not checked\n");

  // --jsonl too, and standard input.
  RunOptions options;
  options.input = "{}\n";
  result = run_oex({"validate", "--jsonl", "--json", k_type, missing, "-"}, options);
  CHECK(result.exit_code == 2);
  const auto lines = nlohmann::json::parse(result.out);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0]["file"] == missing);
  CHECK(lines[0]["valid"] == false);
  CHECK(lines[1]["file"] == "<stdin>");
  CHECK(lines[1]["line"] == 1);

  // Only errors: still one JSON document, and a report a CI system shows as failed.
  result = run_oex({"validate", k_type, missing, "--format", "junit"});
  CHECK(result.exit_code == 2);
  CHECK(result.out.find("tests=\"1\" failures=\"0\" errors=\"1\"") != std::string::npos);
  result = run_oex({"validate", k_type, missing, "--json"});
  CHECK(nlohmann::json::parse(result.out).size() == 1);
}

TEST_CASE("oex validate --jsonl --max-bytes: an over-long line is a finding")
{
  TempDir dir;
  const std::string valid = one_line(read_file(k_valid));
  const std::string path = dir.write(
    "long.jsonl", valid + "\n" + std::string(5000, ' ') + "{}\r\n" + valid + "\n" + "[" + "\n");
  RunResult result = run_oex({"validate", "--jsonl", "--max-line-bytes", "4096", k_type, path});
  CHECK(result.exit_code == 1);
  CHECK(result.out
        == path + ":2:0: line of 5002 bytes is longer than 4096 (--max-bytes); not checked\n"
             + path + ":4:2: invalid JSON: unexpected end of input; expected a JSON value\n");
  CHECK(result.err == "oex: 2 of 4 documents invalid, 2 findings\n");
  // At the end of the input too, without a line break, and exactly at the limit.
  const std::string last = dir.write("last.jsonl", valid + "\n" + std::string(6000, 'x'));
  result = run_oex({"validate", "--jsonl", "--max-bytes", "4096", k_type, last});
  CHECK(result.out == last + ":2:0: line of 6000 bytes is longer than 4096 (--max-bytes); not checked\n");
  result = run_oex({"validate", "--jsonl", "--max-bytes", std::to_string(valid.size()), k_type, last});
  CHECK(result.out.starts_with(last + ":2:0: line of 6000 bytes"));
  result = run_oex({"validate", "--jsonl", "--max-bytes", std::to_string(valid.size() - 1), k_type, last});
  CHECK(result.out.starts_with(last + ":1:0: line of " + std::to_string(valid.size()) + " bytes"));

  result = run_oex({"validate", "--jsonl", "--max-bytes", "0", k_type, last});
  CHECK(result.exit_code == 2);
  CHECK(result.err.starts_with("oex: error: --max-bytes"));

  // A whole document larger than the limit is an input error, in every report.
  result = run_oex({"validate", "--max-bytes", "100", k_type, k_valid, "--json"});
  CHECK(result.exit_code == 2);
  CHECK(result.err == "oex: error: " + k_valid + ": document longer than 100 bytes (--max-bytes)\n");
  CHECK(nlohmann::json::parse(result.out)[0]["error"]
        == k_valid + ": document longer than 100 bytes (--max-bytes)");
}

TEST_CASE("oex validate --jsonl: lines across the reading blocks and one longer than a block")
{
  // Input is read in blocks of 128 KiB: lines cut by a block's end, and a line of 300,000 bytes
  // (the buffer grows), keep their numbers and their text.
  TempDir dir;
  const std::string valid = one_line(read_file(k_valid));
  std::string text;
  for (int i = 0; i < 500; ++i) {
    text += valid + "\n";
  }
  text += std::string(300000, ' ') + "{}\n";
  for (int i = 0; i < 500; ++i) {
    text += valid + "\n";
  }
  text += "{}";
  const std::string path = dir.write("blocks.jsonl", text);
  RunResult result = run_oex({"validate", "--jsonl", k_type, path});
  CHECK(result.exit_code == 1);
  CHECK(result.out
        == path + ":501:300001: missing required argument 'enrollment'\n" + path
             + ":1002:1: missing required argument 'enrollment'\n");
}

TEST_CASE("oex validate: memory stays bounded however large the input")
{
  if (!k_can_limit_memory) {
    WARN("built with sanitizers: address-space limits not tested");
    return;
  }
  // 200 MB with no line break, under a 100 MB address space: one finding, and on it goes.
  RunResult result = run_oex_in_shell(
    "head -c 200000000 /dev/zero | { printf '{}\\n'; cat; printf '\\n{}\\n'; } | "
    "{ ulimit -v 100000; exec \"$0\" \"$@\"; }",
    {"validate", "--jsonl", k_type, "-"});
  CHECK(result.exit_code == 1);
  CHECK(result.out
        == "<stdin>:1:1: missing required argument 'enrollment'\n"
           "<stdin>:2:0: line of 200000000 bytes is longer than 1048576 (--max-bytes); not "
           "checked\n"
           "<stdin>:3:1: missing required argument 'enrollment'\n");
  // One document: refused once it passes --max-bytes, without reading the rest.
  result = run_oex_in_shell("head -c 200000000 /dev/zero | { ulimit -v 100000; exec \"$0\" \"$@\"; }",
                     {"validate", k_type, "-"});
  CHECK(result.exit_code == 2);
  CHECK(result.err == "oex: error: <stdin>: document longer than 1048576 bytes (--max-bytes)\n");

  // The worst shapes just under the default limit fit in 200 MB (README: about 100 times the
  // document): an array of zeros (a parsed value each), and an object of 130,000 unknown fields
  // (a finding each), which must not take quadratic time either (half a second of CPU time;
  // quadratic was 30 seconds).
  TempDir dir;
  std::string zeros = "{\"enrollment\": [0";
  while (zeros.size() < (1 << 20) - 10) {
    zeros += ",0";
  }
  // Keys of three characters out of 62: about 130,000 of them.
  const std::string alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  std::string fields = "{\"enrollment\": {\"000\":0";
  for (std::size_t i = 1; fields.size() < (1 << 20) - 20; ++i) {
    fields += ",\"" + std::string{alphabet[i / 3844], alphabet[i / 62 % 62], alphabet[i % 62]}
              + "\":0";
  }
  for (const std::string& document : {zeros + "]}", fields + "}}"}) {
    REQUIRE(document.size() <= 1 << 20);
    const std::string path = dir.write("big.json", document);
    result = run_oex_in_shell("ulimit -v 200000; ulimit -t 10; exec \"$0\" \"$@\"",
                       {"validate", "--quiet", k_type, path});
    CHECK(result.exit_code == 1);
    CHECK(result.err.empty());
  }
}

TEST_CASE("oex validate --max-findings and --fail-fast")
{
  TempDir dir;
  const std::string valid = one_line(read_file(k_valid));
  std::string lines = valid + "\n";
  for (int i = 0; i < 5; ++i) {
    lines += "{\"enrollment\": " + std::to_string(i) + "}\n";
  }
  const std::string path = dir.write("five.jsonl", lines);
  RunResult result = run_oex({"validate", "--jsonl", "--max-findings", "3", k_type, path});
  CHECK(result.exit_code == 1);
  CHECK(result.out
        == path + ":2:16: enrollment: expected object, got integer 0\n" + path
             + ":3:16: enrollment: expected object, got integer 1\n" + path
             + ":4:16: enrollment: expected object, got integer 2\n");
  CHECK(result.err
        == "oex: 3 of 4 documents invalid, 3 findings\noex: stopped after 3 findings "
           "(--max-findings)\n");
  // Within one document too; the JSON report stays one document.
  result = run_oex({"validate", "--max-findings", "1", "--json", k_type, k_invalid, k_valid});
  CHECK(result.exit_code == 1);
  auto report = nlohmann::json::parse(result.out);
  REQUIRE(report.size() == 1);
  CHECK(report[0]["findings"].size() == 1);
  CHECK(result.err == "oex: stopped after 1 finding (--max-findings)\n");
  // --quiet says nothing, the exit status tells.
  result = run_oex({"validate", "--jsonl", "--max-findings", "1", "--fail-fast", "-q", k_type, path});
  CHECK(result.exit_code == 1);
  CHECK(result.out.empty());
  CHECK(result.err.empty());
  // Fewer findings than the limit: nothing to say.
  result = run_oex({"validate", "--jsonl", "--max-findings", "6", k_type, path});
  CHECK(result.err == "oex: 5 of 6 documents invalid, 5 findings\n");

  result = run_oex({"validate", "--jsonl", "--fail-fast", k_type, path});
  CHECK(result.exit_code == 1);
  CHECK(result.out == path + ":2:16: enrollment: expected object, got integer 0\n");
  CHECK(result.err
        == "oex: 1 of 2 documents invalid, 1 finding\noex: stopped at the first invalid document "
           "(--fail-fast)\n");
  result = run_oex(
    {"validate", "--fail-fast", "--format", "junit", k_type, k_valid, k_invalid, k_valid});
  CHECK(result.exit_code == 1);
  CHECK(result.out.find("tests=\"2\" failures=\"1\"") != std::string::npos);
  result = run_oex({"validate", "--fail-fast", k_type, dir.path() + "/missing.json", k_invalid});
  CHECK(result.exit_code == 2);
  CHECK(result.out.empty());
  CHECK(result.err.ends_with(
    "oex: stopped at the first input that could not be checked (--fail-fast)\n"));

  result = run_oex({"validate", "--max-findings", "-1", k_type, k_valid});
  CHECK(result.exit_code == 2);
  result = run_oex({"validate", "--max-findings", "0", k_type, k_valid});
  CHECK(result.exit_code == 2);
}

TEST_CASE("oex validate --jsonl: a progress line when stderr is a terminal")
{
  TempDir dir;
  const std::string valid = one_line(read_file(k_valid));
  const std::string path =
    dir.write("run.jsonl", valid + "\n" + valid + "\n{\"enrollment\": 5}\n" + valid + "\n");
  const std::string out = dir.path() + "/out.txt";
  RunOptions options;
  options.set_env.emplace("NO_COLOR", "1");
  const RunResult result = run(
    "python3", {TERMINAL_HELPER, out, OEX_BINARY, "validate", "--jsonl", k_type, path}, options);
  CHECK(result.exit_code == 1);
  // Drawn at the first line, erased before a finding is printed and at the end.
  CHECK(result.out.starts_with("\r\x1b[Koex: 1 line, "));
  CHECK(result.out.find(" lines/s, 0 findings") != std::string::npos);
  CHECK(result.out.ends_with("\r\x1b[Koex: 1 of 4 documents invalid, 1 finding\r\n"));
  CHECK(read_file(out) == path + ":3:16: enrollment: expected object, got integer 5\n");

  // Never when stderr is not a terminal, nor with --quiet.
  const RunResult plain = run_oex({"validate", "--jsonl", k_type, path});
  CHECK(plain.err == "oex: 1 of 4 documents invalid, 1 finding\n");
  const RunResult quiet = run(
    "python3", {TERMINAL_HELPER, out, OEX_BINARY, "validate", "--jsonl", "-q", k_type, path},
    options);
  CHECK(quiet.exit_code == 1);
  CHECK(quiet.out.empty());
}

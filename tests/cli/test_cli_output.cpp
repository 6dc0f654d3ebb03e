// Writing output: a full disk, a closed standard output, a closed pipe, files written whole.

#include <filesystem>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>

#include "support/payload_fixtures.hpp"
#include "support/subprocess.hpp"

using oex::test::read_file;
using oex::test::run_oex;
using oex::test::run_oex_in_shell;
using oex::test::RunResult;
using oex::test::TempDir;

namespace {

const std::string& k_type = oex::test::k_enrollment_type;
const std::string& k_valid = oex::test::k_valid_enrollment;
const std::string& k_invalid = oex::test::k_invalid_enrollment;
const std::string k_plugin = PLUGIN_DIR "/json_response.so";
const std::string k_full = "oex: error: cannot write to standard output: No space left on device\n";

RunResult run_to_full(const std::vector<std::string>& args)
{
  return run_oex_in_shell("exec \"$0\" \"$@\" >/dev/full", args);
}

// The commands of `oex --help`.
std::set<std::string> commands_in_help()
{
  std::istringstream help(run_oex({"--help"}).out);
  std::set<std::string> names;
  bool in_list = false;
  for (std::string line; std::getline(help, line);) {
    if (line.starts_with("SUBCOMMANDS:") || line.starts_with("Subcommands:")) {
      in_list = true;
    } else if (in_list && line.starts_with("  ")) {
      std::istringstream words(line);
      std::string name;
      words >> name;
      names.insert(name);
    } else if (in_list && !line.empty()) {
      break;
    }
  }
  return names;
}

} // namespace

TEST_CASE("oex: every command on a full standard output")
{
  TempDir dir;
  const std::string avro_hex =
    dir.write("payload.hex", run_oex({"encode", k_type, k_valid, "--hex"}).out);
  const std::string avsc = dir.write("schema.avsc", run_oex({"schema", k_type}).out);
  const std::vector<std::vector<std::string>> runs = {
    {"--help"},
    {"--version"},
    {"list", "--help"},
    {"list"},
    {"list", "--json"},
    {"list", "--names"},
    {"show", k_type},
    {"show", k_type, "--json"},
    {"metadata", k_type},
    {"schema", k_type},
    {"schema", k_type, "--format", "json-schema"},
    {"validate", k_type, k_invalid},
    {"validate", k_type, k_valid, "--json"},
    {"validate", k_type, k_valid, "--format", "junit"},
    {"sample", k_type},
    {"sample", k_type, "--count", "3"},
    {"send", k_type, k_valid, "--plugin", k_plugin},
    {"send", k_type, k_valid, "--plugin", k_plugin, "--json"},
    {"send", k_type, k_valid, "--plugin", k_plugin, "--dry-run"},
    {"plugins", "--plugin", k_plugin},
    {"encode", k_type, k_valid, "--hex"},
    {"encode", k_type, k_valid},
    {"decode", k_type, avro_hex, "--hex"},
    {"compat", "--old", avsc, "--new", avsc, "--json"},
    {"completion", "bash"},
    // the bus commands need a redis-server: tests/bus covers them on a full output
    {"produce", "--help"},
    {"consume", "--help"},
    {"bus", "--help"},
    {"docs", "--out", dir.path() + "/site"},
    {"lint"},
    {"check-config", std::string(TEST_DATA_DIR) + "/check_config/valid.json", "--json"},
  };
  std::set<std::string> covered;
  for (const auto& args : runs) {
    INFO("oex " << args.front() << (args.size() > 1 ? " " + args[1] : ""));
    covered.insert(args.front());
    const RunResult result = run_to_full(args);
    CHECK(result.exit_code == 2);
    CHECK(result.err.ends_with(k_full));
    CHECK(result.err.find("unexpected") == std::string::npos);
  }
  for (const std::string& command : commands_in_help()) {
    INFO("command " << command << " has no case here");
    CHECK(covered.count(command) == 1);
  }
  CHECK(commands_in_help().size() >= 8);

  // Exact messages where nothing else is said.
  CHECK(run_to_full({"--help"}).err == k_full);
  CHECK(run_to_full({"list"}).err == k_full);
  const RunResult schema = run_to_full({"schema", k_type});
  CHECK(schema.err == k_full);

  // An error that writes nothing to standard output is still that error.
  RunResult result = run_to_full({"lsit"});
  CHECK(result.exit_code == 2);
  CHECK(result.err.starts_with("oex: error: unknown command 'lsit', did you mean 'list'?\n"));
  result = run_to_full({"validate", k_type, "/nonexistent.json", "--json"});
  CHECK(result.exit_code == 2);
  CHECK(result.err
        == "oex: error: cannot read '/nonexistent.json': No such file or directory\n" + k_full);
  // Nothing for standard output: a full one does not matter.
  result = run_to_full({"validate", k_type, k_valid});
  CHECK(result.exit_code == 0);
  CHECK(result.err == "oex: 1 document valid\n");
}

TEST_CASE("oex: a full standard error")
{
  // Nothing can be said, but oex must not abort (it did: exit 134): exit status 2.
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"validate", k_type, k_valid}, {"lsit"}, {"show", "nope"}}) {
    const RunResult result = run_oex_in_shell("exec \"$0\" \"$@\" 2>/dev/full", args);
    CHECK(result.exit_code == 2);
  }
}

TEST_CASE("oex: closed standard output")
{
  RunResult result = run_oex_in_shell("exec \"$0\" \"$@\" >&-", {"list"});
  CHECK(result.exit_code == 2);
  CHECK(result.err == "oex: error: cannot write to standard output: Bad file descriptor\n");
  result = run_oex_in_shell("exec \"$0\" \"$@\" >&-", {"--version"});
  CHECK(result.exit_code == 2);
  CHECK(result.err == "oex: error: cannot write to standard output: Bad file descriptor\n");

  // A file oex opens never takes the place of standard output.
  TempDir dir;
  result = run_oex_in_shell("exec \"$0\" \"$@\" >&-", {"schema", k_type, "--out", dir.path()});
  CHECK(result.exit_code == 0);
  const std::string file = dir.path() + "/org+openedx+learning+course+enrollment+created+v1_schema.avsc";
  CHECK(read_file(file) + "\n" == run_oex({"schema", k_type}).out);
  result = run_oex_in_shell("exec \"$0\" \"$@\" >&-", {"validate", k_type, k_invalid, "--json"});
  CHECK(result.exit_code == 2);
  CHECK(result.err == "oex: error: cannot write to standard output: Bad file descriptor\n");
}

TEST_CASE("oex: a closed pipe ends oex quietly")
{
  // 5,000 payloads are far more than a pipe holds, so oex writes after head has gone.
  for (const std::string trap : {"", "trap '' PIPE; "}) {
    INFO("with " << (trap.empty() ? "SIGPIPE" : "SIGPIPE ignored"));
    const RunResult result = run_oex_in_shell(
      trap + "(\"$0\" \"$@\"; echo \"oex exit $?\" >&2) | head -c 1", {"sample", k_type, "--count", "5000"});
    CHECK(result.out == "{");
    CHECK(result.err == "oex exit 141\n");
  }
}

TEST_CASE("oex schema --out: files are written whole or not at all")
{
  TempDir dir;
  const std::string name = "org+openedx+learning+course+enrollment+created+v1_schema.avsc";
  const std::string file = dir.write(name, "old");
  // A file size limit of 1 KiB makes the disk "full" part way through the schema (about 5 KiB).
  const std::string full = "trap '' XFSZ; ulimit -f 2; exec \"$0\" \"$@\"";
  RunResult result = run_oex_in_shell(full, {"schema", k_type, "--out", dir.path()});
  CHECK(result.exit_code == 2);
  CHECK(result.err == "oex: error: cannot write '" + file + "': File too large\n");
  CHECK(read_file(file) == "old");
  result = run_oex_in_shell(full, {"schema", "--all", "--out", dir.path()});
  CHECK(result.exit_code == 2);
  CHECK(result.err.ends_with("': File too large\n"));
  // The small schemas that fit were written whole; no temporary file is left behind.
  int whole = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    const std::string left = entry.path().filename().string();
    INFO(left);
    CHECK_FALSE(left.starts_with("."));
    if (left != name) {
      const std::string type = left.substr(0, left.size() - std::string("_schema.avsc").size());
      std::string dotted = type;
      std::replace(dotted.begin(), dotted.end(), '+', '.');
      CHECK(read_file(entry.path().string()) + "\n" == run_oex({"schema", dotted}).out);
      ++whole;
    }
  }
  CHECK(whole < 72);
  CHECK(read_file(file) == "old");

  // Written whole: the same bytes as standard output, with the usual permissions.
  result = run_oex({"schema", k_type, "--out", dir.path()});
  CHECK(result.exit_code == 0);
  CHECK(read_file(file) + "\n" == run_oex({"schema", k_type}).out);
  // mkstemp makes 0600 files; a written schema has the mode any new file gets (umask).
  CHECK(std::filesystem::status(file).permissions()
        == std::filesystem::status(dir.write("plain", "")).permissions());

  // A folder that cannot be made.
  result = run_oex({"schema", k_type, "--out", file + "/sub"});
  CHECK(result.exit_code == 2);
  CHECK(result.err.starts_with("oex: error: cannot create directory '" + file + "/sub': "));
}

TEST_CASE("oex: a full standard output is the first write's error, however much is written")
{
  // A failed write empties stdio's buffer, so the flush at the end succeeds: only the first
  // error says why (it was "Input/output error" when the last report crossed the 4096 bytes).
  TempDir dir;
  const std::string bad = dir.write("bad.json", "{\"a\": 1}\n");
  // The same invalid file given count times: the same report for each.
  const auto validate = [&](std::size_t count) {
    std::vector<std::string> args = {"validate", k_type};
    args.insert(args.end(), count, bad);
    return args;
  };
  const std::size_t per_file = run_oex(validate(1)).out.size();
  REQUIRE(per_file > 0);
  REQUIRE(per_file < 4096);
  // The report of the last file is the one that meets the end of stdio's 4096-byte buffer.
  const std::size_t crossing = 4096 / per_file + 1;
  for (const std::size_t count : {crossing, crossing * 2, std::size_t{2000}}) {
    INFO(count << " invalid files");
    CHECK(run_oex(validate(count)).out.size() == count * per_file);
    const RunResult result = run_to_full(validate(count));
    CHECK(result.exit_code == 2);
    CHECK(result.err
          == "oex: " + std::to_string(count) + " of " + std::to_string(count)
               + " documents invalid, " + std::to_string(2 * count) + " findings\n" + k_full);
  }
  CHECK(2000 * per_file > 64 * 1024);

  std::string lines;
  for (int i = 0; i < 2000; ++i) {
    lines += "{\"a\": 1}\n";
  }
  const std::string bad_lines = dir.write("bad.jsonl", lines);
  const std::vector<std::vector<std::string>> runs = {
    {"sample", k_type, "--count", "1000"},
    {"sample", k_type, "--count", "9"},
    {"list", "--json"},
    {"lint", "--json"},
    {"completion", "bash"},
    {"validate", k_type, "--jsonl", bad_lines, "--json"},
  };
  for (const auto& args : runs) {
    INFO("oex " << args.front() << " " << args.back());
    CHECK(run_oex(args).out.size() > 4096);
    const RunResult result = run_to_full(args);
    CHECK(result.exit_code == 2);
    CHECK(result.err == k_full);
  }
  CHECK(run_oex({"sample", k_type, "--count", "1000"}).out.size() > 64 * 1024);
}

// Options of every command, found in the command tree (`oex completion json`): numbers out of
// range, unknown options.

#include <cstdint>
#include <limits>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/subprocess.hpp"

using oex::test::run_oex;

namespace {

using json = nlohmann::json;

json command_tree()
{
  const auto result = run_oex({"completion", "json"});
  REQUIRE(result.exit_code == 0);
  return json::parse(result.out);
}

std::string hint(const std::string& command)
{
  return "Run 'oex " + command + (command.empty() ? "" : " ") + "--help' for more information.\n";
}

// Values just outside the range, far outside it, and not numbers at all.
std::vector<std::string> bad_values(const json& range)
{
  std::vector<std::string> values{
    "abc", "",    "1x",   "0x10", "99999999999999999999", "-99999999999999999999",
    "nan", "inf", "1e999"};
  if (range["integer"] == true) {
    values.push_back("1.5");
    const auto min = range["min"].get<std::int64_t>();
    if (min > std::numeric_limits<std::int64_t>::min()) {
      values.push_back(std::to_string(min - 1));
    }
    const auto max = range["max"].get<std::uint64_t>();
    values.push_back(max < std::numeric_limits<std::uint64_t>::max() ? std::to_string(max + 1)
                                                                     : "18446744073709551616");
  } else {
    values.push_back(std::to_string(range["min"].get<double>() / 2));
    values.push_back(std::to_string(range["max"].get<double>() * 2));
    values.push_back("-1");
  }
  return values;
}

} // namespace

TEST_CASE("every numeric option refuses values out of its range, saying the range")
{
  const json tree = command_tree();
  int numeric = 0;
  for (const json& command : tree["commands"]) {
    const std::string name = command["name"];
    for (const json& option : command["options"]) {
      const std::string flag = option["names"].front();
      INFO(name << " " << flag);
      // A numeric option that does not go through number_range() would be converted by CLI11,
      // which clamps or wraps: every option whose placeholder or default looks numeric must.
      const std::string placeholder = option["placeholder"];
      const bool looks_numeric =
        placeholder == "N" || placeholder == "BYTES" || placeholder == "SECONDS"
        || placeholder == "INT" || placeholder == "UINT" || placeholder == "FLOAT"
        || placeholder == "NUMBER"
        || (!std::string(option["default"]).empty()
            && std::string(option["default"]).find_first_not_of("0123456789.-")
                 == std::string::npos);
      if (looks_numeric) {
        CHECK(option["value"] == "number");
      }
      if (option["value"] != "number") {
        continue;
      }
      ++numeric;
      const json& range = option["range"];
      const std::string describe = range["describe"];
      for (const std::string& value : bad_values(range)) {
        INFO("value '" << value << "'");
        const auto result = run_oex({name, flag, value});
        CHECK(result.exit_code == 2);
        CHECK(result.out.empty());
        CHECK(result.err
              == "oex: error: " + flag + ": '" + value + "' is not " + describe + "\n"
                   + hint(name));
      }
    }
  }
  CHECK(numeric >= 5); // metadata --minorversion --count, sample --seed --count, send --timeout
}

TEST_CASE("numeric options: the ranges and the values at their ends")
{
  const std::string type = "org.openedx.learning.course.enrollment.created.v1";
  auto result = run_oex({"sample", type, "--seed", "-1"});
  CHECK(result.err
        == "oex: error: --seed: '-1' is not an integer from 0 to 18446744073709551615\n"
             + hint("sample"));
  result = run_oex({"metadata", type, "--minorversion", "99999999999999999999"});
  CHECK(result.err
        == "oex: error: --minorversion: '99999999999999999999' is not an integer from 0 to "
           "9223372036854775807\n"
             + hint("metadata"));
  result = run_oex({"send", type, "-", "--timeout", "0"});
  CHECK(result.err
        == "oex: error: --timeout: '0' is not a number from 0.001 to 86400\n" + hint("send"));

  // The ends of a range are accepted, and decimal is decimal (CLI11 alone reads 010 as octal).
  result = run_oex({"metadata", type, "--minorversion", "9223372036854775807", "--count", "1"});
  CHECK(result.exit_code == 0);
  CHECK(json::parse(result.out)["minorversion"] == 9223372036854775807);
  result = run_oex({"metadata", type, "--minorversion", "010"});
  CHECK(json::parse(result.out)["minorversion"] == 10);
  CHECK(run_oex({"sample", type, "--seed", "18446744073709551615"}).exit_code == 0);
  CHECK(run_oex({"sample", type, "--seed", "0018"}).out
        == run_oex({"sample", type, "--seed", "18"}).out);

  // Seeds run N, N+1, ...: they must not wrap past the largest.
  result = run_oex({"sample", type, "--seed", "18446744073709551614", "--count", "3"});
  CHECK(result.exit_code == 2);
  CHECK(result.out.empty());
  CHECK(result.err
        == "oex: error: --count 3 from --seed 18446744073709551614 goes past the largest seed "
           "18446744073709551615\n");
  CHECK(run_oex({"sample", type, "--seed", "18446744073709551614", "--count", "2"}).exit_code == 0);
}

TEST_CASE("unknown options, before and after the command")
{
  auto result = run_oex({"-x"});
  CHECK(result.exit_code == 2);
  CHECK(result.err == "oex: error: unknown option '-x'\n" + hint(""));
  result = run_oex({"-x", "list"});
  CHECK(result.err == "oex: error: unknown option '-x'\n" + hint(""));
  result = run_oex({"--verison"});
  CHECK(result.err
        == "oex: error: unknown option '--verison', did you mean '--version'?\n" + hint(""));
  result = run_oex({"--json", "list"}); // a command's option before the command
  CHECK(result.err == "oex: error: unknown option '--json'\n" + hint(""));

  result = run_oex({"list", "-x"});
  CHECK(result.exit_code == 2);
  CHECK(result.out.empty());
  CHECK(result.err == "oex: error: unknown option '-x'\n" + hint("list"));
  result = run_oex({"list", "--bogus"});
  CHECK(result.err == "oex: error: unknown option '--bogus'\n" + hint("list"));
  result = run_oex({"list", "--nmaes"});
  CHECK(result.err
        == "oex: error: unknown option '--nmaes', did you mean '--names'?\n" + hint("list"));
  result = run_oex({"list", "--nmaes=1"});
  CHECK(result.err
        == "oex: error: unknown option '--nmaes', did you mean '--names'?\n" + hint("list"));
  result = run_oex({"--defs", "/tmp", "schema", "--al"});
  CHECK(result.err
        == "oex: error: unknown option '--al', did you mean '--all'?\n" + hint("schema"));
  result = run_oex({"show", "org.openedx.learning.course.enrollment.created.v1", "extra"});
  CHECK(result.err == "oex: error: unexpected argument 'extra'\n" + hint("show"));

  // Every command says it the same way, with its own --help.
  const json tree = command_tree(); // kept: a range-for over a temporary's member dangles
  for (const json& command : tree["commands"]) {
    const std::string name = command["name"];
    INFO(name);
    result = run_oex({name, "--no-such-option"});
    CHECK(result.exit_code == 2);
    CHECK(result.err == "oex: error: unknown option '--no-such-option'\n" + hint(name));
  }
}

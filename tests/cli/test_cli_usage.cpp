// Global behaviour: help, version, unknown commands, user definitions (completions and options:
// test_cli_completion.cpp, test_cli_options.cpp).

#include <catch2/catch.hpp>

#include "support/subprocess.hpp"

using oex::test::run_oex;
using oex::test::RunOptions;
using oex::test::TempDir;

namespace {

const std::vector<std::string> k_commands{"list",     "show",   "metadata", "schema",
                                          "validate", "sample", "send",     "plugins"};

const char* k_plugin_defs = R"({
  "subdomain": "myplugin",
  "data_classes": [{"name": "ThingData", "fields": [{"name": "user", "type": "learning.UserData"}]}],
  "events": [{"event_type": "org.myplugin.thing.happened.v1", "name": "THING_HAPPENED",
              "description": "A thing happened", "data": {"thing": "ThingData"}}]
})";

} // namespace

TEST_CASE("oex --help and --version")
{
  const auto help = run_oex({"--help"});
  CHECK(help.exit_code == 0);
  for (const auto& command : k_commands) {
    CHECK(help.out.find("\n  " + command + " ") != std::string::npos);
  }
  CHECK(help.out.find("Exit status:\n  0  success\n") != std::string::npos);
  CHECK(help.out.find("OEX_DEFS_PATH") != std::string::npos);
  for (const auto& command : k_commands) {
    const auto sub = run_oex({command, "--help"});
    CHECK(sub.exit_code == 0);
    CHECK(sub.out.find("Usage: oex " + command) != std::string::npos);
    CHECK(sub.out.find("Exit status:") != std::string::npos);
  }
  const auto version = run_oex({"--version"});
  CHECK(version.exit_code == 0);
  CHECK(version.out.starts_with("oex "));
  CHECK(version.out.find("(catalog: openedx-events 11.2.0)") != std::string::npos);
}

TEST_CASE("oex: usage errors")
{
  auto result = run_oex({});
  CHECK(result.exit_code == 2);
  CHECK(result.err == "oex: error: no command given\nRun 'oex --help' for more information.\n");
  result = run_oex({"lsit"});
  CHECK(result.exit_code == 2);
  CHECK(result.err
        == "oex: error: unknown command 'lsit', did you mean 'list'?\n"
           "Run 'oex --help' for the list of commands.\n");
  result = run_oex({"frobnicate"});
  CHECK(result.exit_code == 2);
  CHECK(result.err
        == "oex: error: unknown command 'frobnicate'\n"
           "Run 'oex --help' for the list of commands.\n");
  result = run_oex({"list", "--bogus"});
  CHECK(result.exit_code == 2);
  CHECK(result.err
        == "oex: error: unknown option '--bogus'\n"
           "Run 'oex list --help' for more information.\n");
  result = run_oex({"show"});
  CHECK(result.exit_code == 2);
  CHECK(result.err
        == "oex: error: TYPE is required\nRun 'oex show --help' for more information.\n");
}

TEST_CASE("oex --defs and OEX_DEFS_PATH add event types")
{
  TempDir dir;
  dir.write("plugin.json", k_plugin_defs);
  auto result = run_oex({"--defs", dir.path(), "list", "--names", "org.myplugin.*"});
  CHECK(result.exit_code == 0);
  CHECK(result.out == "org.myplugin.thing.happened.v1\n");
  result = run_oex({"list", "--names", "--defs", dir.path(), "org.myplugin.*"});
  CHECK(result.out == "org.myplugin.thing.happened.v1\n");

  RunOptions options;
  options.set_env = {{"OEX_DEFS_PATH", "/nonexistent-but-unused-first::" + dir.path()}};
  options.set_env["OEX_DEFS_PATH"] = dir.path();
  result = oex::test::run(OEX_BINARY, {"show", "org.myplugin.thing.happened.v1"}, options);
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("defined in          " + dir.path() + "/plugin.json\n")
        != std::string::npos);
  CHECK(result.out.find("    user: UserData           required\n") != std::string::npos);

  result = run_oex({"--defs", dir.path(), "schema", "org.myplugin.thing.happened.v1"});
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("\"name\": \"ThingData\"") != std::string::npos);
}

TEST_CASE("oex --defs: broken definitions")
{
  TempDir dir;
  const std::string path =
    dir.write("broken.json", "{\n  \"subdomain\": \"x\",\n  \"events\": [,]\n}\n");
  auto result = run_oex({"--defs", dir.path(), "list"});
  CHECK(result.exit_code == 2);
  CHECK(result.out.empty());
  CHECK(result.err
        == "oex: error: " + path
             + ":3:14: invalid JSON: "
               "unexpected ','; expected '[', '{', or a literal\n");

  TempDir dup;
  const std::string dup_path =
    dup.write("dup.json", R"({"subdomain": "learning", "events": [{"event_type":
      "org.openedx.learning.course.enrollment.created.v1", "name": "X", "data": {}}]})");
  result = run_oex({"--defs", dup.path(), "list"});
  CHECK(result.exit_code == 2);
  CHECK(result.err
        == "oex: error: " + dup_path
             + ":2:7: events[0].event_type: event type "
               "'org.openedx.learning.course.enrollment.created.v1' is already defined in "
               "<builtin>/learning.json\n");

  result = run_oex({"--defs", "/nonexistent/oex-defs", "list"});
  CHECK(result.exit_code == 2);
  CHECK(result.err
        == "oex: error: cannot read definitions directory '/nonexistent/oex-defs': "
           "No such file or directory\n");
}

// oex check-config: every finding on a small configuration (tests/data/check_config/NAME.json,
// its findings in NAME.expected, exact), and the formats, inputs and exit statuses.

#include <filesystem>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "oex/bus/producer_config.hpp"
#include "support/data_files.hpp"
#include "support/subprocess.hpp"

using oex::test::read_text;
using oex::test::run_oex;
using oex::test::RunOptions;
using oex::test::RunResult;
using oex::test::TempDir;

namespace {

const std::string k_config_dir = std::string(TEST_DATA_DIR) + "/check_config";

RunResult check_case(const std::string& name, std::vector<std::string> extra = {})
{
  std::vector<std::string> args = {"check-config", name + ".json"};
  args.insert(args.end(), extra.begin(), extra.end());
  RunOptions options;
  options.cwd = k_config_dir;
  return run_oex(args, options);
}

std::vector<std::string> case_names()
{
  return oex::test::json_case_names(k_config_dir);
}

} // namespace

TEST_CASE("oex check-config: each case of tests/data/check_config gives exactly its findings")
{
  const std::vector<std::string> names = case_names();
  REQUIRE(names.size() >= 14);
  for (const std::string& name : names) {
    INFO(name);
    const std::string expected = read_text(k_config_dir + "/" + name + ".expected");
    const RunResult r = check_case(name);
    CHECK(r.out == expected);
    CHECK(r.exit_code == (expected.find(": error: ") != std::string::npos ? 1 : 0));
  }
  CHECK(check_case("valid").out.empty());
  CHECK(check_case("valid").err
        == "oex: check-config: 0 errors, 0 warnings; 4 of 4 topic configurations usable\n");
}

TEST_CASE("oex check-config: every rule is tested by a case")
{
  std::string all;
  for (const std::string& name : case_names()) {
    all += read_text(k_config_dir + "/" + name + ".expected");
  }
  for (const oex::ConfigRule& rule : oex::producer_config_rules()) {
    INFO(rule.id);
    CHECK(all.find("[" + std::string(rule.id) + "]") != std::string::npos);
  }
}

TEST_CASE("oex check-config: formats, strictness, standard input, definitions and input errors")
{
  const auto json = nlohmann::ordered_json::parse(check_case("shared_topic", {"--json"}).out);
  REQUIRE(json.size() == 1);
  CHECK(
    json[0].dump()
    == R"({"rule":"shared-topic","severity":"warning","file":"shared_topic.json","line":6,)"
       R"("column":55,"event_type":"org.openedx.learning.course.enrollment.changed.v1",)"
       R"("path":"org.openedx.learning.course.enrollment.changed.v1.learning-course-enrollment.event_key_field",)"
       R"("message":"topic 'learning-course-enrollment' is keyed by 'enrollment.user.id' for )"
       R"('org.openedx.learning.course.enrollment.changed.v1' but by 'enrollment.course.course_key' )"
       R"(for 'org.openedx.learning.course.enrollment.created.v1'"})");
  CHECK(check_case("shared_topic").exit_code == 0);
  CHECK(check_case("shared_topic", {"--strict"}).exit_code == 1);
  CHECK(check_case("no_topics", {"--strict"}).exit_code == 0); // a note is not a warning

  CHECK(check_case("shape", {"--format", "github"}).out
        == "::error file=shape.json,line=1,col=1,title=config-shape::expected an object of event "
           "types, got array\n");
  const RunResult junit = check_case("value_type", {"--format", "junit"});
  CHECK(
    junit.out.find("<testsuite name=\"oex check-config\" tests=\"5\" failures=\"5\" errors=\"0\">")
    != std::string::npos);

  RunOptions stdin_options;
  stdin_options.input = R"({"org.openedx.learning.course.enrollment.created.v1": 3})";
  const RunResult piped = run_oex({"check-config", "-"}, stdin_options);
  CHECK(piped.exit_code == 1);
  CHECK(piped.out
        == "<stdin>:1:55: error: the configuration of "
           "'org.openedx.learning.course.enrollment.created.v1' must be an object of topics, got "
           "number [config-shape]\n");

  TempDir dir;
  const std::string defs = dir.write(
    "mine.json", R"({"subdomain": "myplugin", "data_classes": [{"name": "ThingData", "fields": [
      {"name": "id", "type": "int"}]}], "events": [{"event_type": "org.openedx.myplugin.thing.happened.v1",
      "name": "THING", "data": {"thing": "ThingData"}}]})");
  const std::string config = dir.write(
    "config.json",
    R"({"org.openedx.myplugin.thing.happened.v1": {"things": {"event_key_field": "thing.id", "enabled": true}}})");
  CHECK(run_oex({"check-config", config}).exit_code == 1);
  const RunResult with_defs = run_oex({"--defs", defs, "check-config", config});
  CHECK(with_defs.exit_code == 0);
  CHECK(with_defs.out.empty());

  // What the file holds cannot drive the terminal or break an annotation.
  const std::string control = dir.write(
    "ctl.json",
    R"({"org.openedx.\u001b[31mred": {"a\nb": {"event_key_field": "x", "enabled": true}}})");
  CHECK(run_oex({"check-config", control}).out
        == control
             + ":1:2: error: unknown event type 'org.openedx.\\e[31mred' [unknown-event-type]\n"
             + control
             + ":1:32: error: topic name 'a\\nb' has '\\n'; Kafka allows only letters, digits, "
               "'.', '_' and '-' [topic-name]\n");
  CHECK(
    run_oex({"check-config", control, "--format", "github"})
      .out.find("::error file=" + control + ",line=1,col=32,title=topic-name::topic name 'a\\nb'")
    != std::string::npos);

  const RunResult missing = run_oex({"check-config", dir.path() + "/nope.json"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err
        == "oex: error: cannot read '" + dir.path() + "/nope.json': No such file or directory\n");
  CHECK(missing.out.empty());
  CHECK(run_oex({"check-config"}).exit_code == 2);
  CHECK(run_oex({"check-config", config, "--format", "xml"}).exit_code == 2);
}

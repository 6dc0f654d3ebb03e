// oex lint: every rule on a small bad catalog (tests/data/lint/NAME.json, its findings in
// NAME.expected, exact), the built-in catalog's real defects, and the options and formats.

#include <filesystem>
#include <set>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "oex/lint/lint.hpp"
#include "support/data_files.hpp"
#include "support/subprocess.hpp"

using oex::test::read_text;
using oex::test::run_oex;
using oex::test::RunOptions;
using oex::test::RunResult;

namespace {

const std::string k_lint_dir = std::string(TEST_DATA_DIR) + "/lint";

RunResult lint_case(const std::string& name, std::vector<std::string> extra = {})
{
  std::vector<std::string> args = {"--defs", name + ".json", "lint"};
  args.insert(args.end(), extra.begin(), extra.end());
  RunOptions options;
  options.cwd = k_lint_dir;
  return run_oex(args, options);
}

std::vector<std::string> case_names()
{
  return oex::test::json_case_names(k_lint_dir);
}

} // namespace

TEST_CASE("oex lint: each case of tests/data/lint gives exactly its expected findings")
{
  const std::vector<std::string> names = case_names();
  REQUIRE(names.size() >= 15);
  for (const std::string& name : names) {
    INFO(name);
    const std::string expected = read_text(k_lint_dir + "/" + name + ".expected");
    const RunResult r = lint_case(name);
    CHECK(r.out == expected);
    CHECK(r.exit_code == (expected.find(": error: ") != std::string::npos ? 1 : 0));
  }
}

TEST_CASE("oex lint: every rule is tested by a case and documented in --help")
{
  std::string all;
  for (const std::string& name : case_names()) {
    all += read_text(k_lint_dir + "/" + name + ".expected");
  }
  const RunResult help = run_oex({"lint", "--help"});
  for (const oex::LintRule& rule : oex::lint_rules()) {
    INFO(rule.id);
    const std::string severity =
      rule.severity == oex::Severity::error ? ": error: " : ": warning: ";
    const auto at = all.find("[" + std::string(rule.id) + "]");
    REQUIRE(at != std::string::npos);
    const std::string line = all.substr(all.rfind('\n', at) + 1, at - all.rfind('\n', at));
    CHECK(line.find(severity) != std::string::npos);
    CHECK(help.out.find(std::string(rule.id)) != std::string::npos);
  }
}

TEST_CASE("oex lint: on the built-in catalog the errors are exactly upstream's defects")
{
  const RunResult r = run_oex({"lint"});
  CHECK(r.exit_code == 1);
  std::string errors;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.find(": error: ") != std::string::npos) {
      errors += line + "\n";
    }
  }
  CHECK(
    errors
    == "<builtin>/authz.json:33:21: error: event type 'org.openedx.authz.role_assignment.created' "
       "does not end in a major version ('.v1', '.v2', ...) [event-type-name]\n"
       "<builtin>/authz.json:40:20: error: 'org.openedx.authz.role_assignment.created': key "
       "field 'user.pii.username': no data key 'user' (the data keys are: role_assignment) "
       "[key-field]\n"
       "<builtin>/authz.json:44:21: error: event type 'org.openedx.authz.role_assignment.deleted' "
       "does not end in a major version ('.v1', '.v2', ...) [event-type-name]\n"
       "<builtin>/authz.json:51:20: error: 'org.openedx.authz.role_assignment.deleted': key "
       "field 'user.pii.username': no data key 'user' (the data keys are: role_assignment) "
       "[key-field]\n"
       "<builtin>/content_authoring.json:491:20: error: "
       "'org.openedx.content_authoring.course.import.completed.v1': key field "
       "'catalog_info.course_key': no data key 'catalog_info' (the data keys are: course) "
       "[key-field]\n"
       "<builtin>/content_authoring.json:502:20: error: "
       "'org.openedx.content_authoring.course.rerun.completed.v1': key field "
       "'catalog_info.course_key': no data key 'catalog_info' (the data keys are: course) "
       "[key-field]\n"
       "<builtin>/enterprise.json:269:21: error: event type "
       "'org.openedx.enterprise.subsidy.redemption-reversed.v1': 'redemption-reversed' is not a "
       "valid Avro name (letters, digits and '_', not starting with a digit) [avro-name]\n");
  // The places are those of event-defs/ (the built-in files are embedded as written).
  const std::string authz = read_text(std::string(TEST_DATA_DIR) + "/../../event-defs/authz.json");
  std::istringstream authz_lines(authz);
  std::string line;
  for (int i = 0; i < 33; ++i) {
    std::getline(authz_lines, line);
  }
  CHECK(line.substr(20, 42) == "\"org.openedx.authz.role_assignment.created");
  CHECK(r.err.find("oex: lint: 7 errors, ") == 0);
}

TEST_CASE("oex lint: --only keeps the rules named; --strict fails on warnings")
{
  const RunResult only = run_oex({"lint", "--only", "avro-name", "--only", "subdomain"});
  CHECK(only.exit_code == 1);
  CHECK(
    only.out
    == "<builtin>/enterprise.json:269:21: error: event type "
       "'org.openedx.enterprise.subsidy.redemption-reversed.v1': 'redemption-reversed' is not a "
       "valid Avro name (letters, digits and '_', not starting with a digit) [avro-name]\n");
  const RunResult warnings = lint_case("trigger_repository");
  CHECK(warnings.exit_code == 0);
  CHECK(lint_case("trigger_repository", {"--strict"}).exit_code == 1);
  CHECK(lint_case("clean", {"--strict"}).exit_code == 0);
  CHECK(lint_case("key_field", {"--only", "description"}).exit_code == 0);

  const RunResult unknown = run_oex({"lint", "--only", "key_field"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("unknown rule 'key_field', did you mean 'key-field'?")
        != std::string::npos);
  CHECK(unknown.out.empty());
}

TEST_CASE("oex lint: --defs alone lints only those files; --builtin adds the built-in catalog")
{
  const RunResult mine = lint_case("clean");
  CHECK(mine.out.empty());
  CHECK(mine.err == "oex: lint: 0 errors, 0 warnings in 1 file\n");
  const RunResult both = lint_case("clean", {"--builtin"});
  CHECK(both.exit_code == 1);
  CHECK(both.out.find("<builtin>/authz.json:33:21: error:") != std::string::npos);
  CHECK(both.err.find(" in 7 files\n") != std::string::npos);

  RunOptions env;
  env.cwd = k_lint_dir;
  env.set_env["OEX_DEFS_PATH"] = "minor_version.json";
  const RunResult from_path = run_oex({"lint"}, env);
  CHECK(from_path.exit_code == 1);
  CHECK(from_path.out == read_text(k_lint_dir + "/minor_version.expected"));
}

TEST_CASE("oex lint --json: one array of findings with their fields")
{
  const RunResult r = lint_case("unused_class", {"--json"});
  CHECK(r.exit_code == 0);
  const auto findings = nlohmann::ordered_json::parse(r.out);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].dump()
        == R"({"rule":"unused-class","severity":"warning","file":"unused_class.json","line":9,)"
           R"("column":5,"data_class":"myplugin.LeftoverData","path":"data_classes[3]",)"
           R"("message":"data class 'myplugin.LeftoverData' is not used by any event"})");
  const auto events = nlohmann::json::parse(lint_case("key_field", {"--format", "json"}).out);
  REQUIRE(events.size() == 7);
  CHECK(events[0]["event_type"] == "org.openedx.myplugin.thing.a.v1");
  CHECK(events[0]["path"] == "events[0].key_field");
  CHECK(events[0]["severity"] == "error");
  CHECK(nlohmann::json::parse(lint_case("clean", {"--json"}).out) == nlohmann::json::array());
  CHECK(lint_case("clean", {"--json"}).err.empty());
}

TEST_CASE("oex lint --format github: workflow annotations")
{
  const RunResult r = lint_case("bus_warning", {"--format", "github"});
  CHECK(r.out
        == "::warning file=bus_warning.json,line=9,col=17,title=bus-warning::"
           "'org.openedx.myplugin.thing.happened.v1' warns that it cannot go on the event bus, but "
           "its types can be serialized\n");
  const RunResult err = lint_case("minor_version", {"--format", "github"});
  CHECK(err.exit_code == 1);
  CHECK(err.out
        == "::error file=minor_version.json,line=7,col=92,title=minor-version::"
           "events[0].minor_version: minor version -1 is not between 0 and 1000000\n");
}

TEST_CASE("oex lint --format junit: errors are failures, warnings pass")
{
  const RunResult r = lint_case("unknown_class", {"--format", "junit"});
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("<testsuites tests=\"3\" failures=\"3\" errors=\"0\">") != std::string::npos);
  CHECK(r.out.find("<failure message=\"events[0].data.thing: unknown data class 'ThingDta'\" "
                   "type=\"unknown-class\">")
        != std::string::npos);
  const RunResult warn = lint_case("description", {"--format", "junit"});
  CHECK(warn.exit_code == 0);
  CHECK(warn.out.find("<testsuites tests=\"3\" failures=\"0\" errors=\"0\">") != std::string::npos);
  CHECK(warn.out.find("<system-out>description.json:4:5: warning: data class "
                      "'myplugin.ThingData' has no description [description]</system-out>")
        != std::string::npos);
  const RunResult clean = lint_case("clean", {"--format", "junit"});
  CHECK(clean.out.find("<testcase classname=\"oex lint\" name=\"oex lint\"/>")
        != std::string::npos);
}

TEST_CASE("oex lint: a required cycle beside a deep chain of classes is reported, never walked")
{
  // 50,000 classes, each requiring the next, and a cycle: the loader refuses the depth only
  // after the cycle, so lint must not walk the chain (a recursive walk would overflow).
  std::string classes = R"({"name": "Loop", "fields": [{"name": "me", "type": "Loop"}]})";
  for (int i = 0; i < 50000; ++i) {
    classes += R"(, {"name": "C)" + std::to_string(i) + R"(", "fields": [{"name": "next", "type": ")"
               + (i + 1 < 50000 ? "C" + std::to_string(i + 1) : std::string("int")) + "\"}]}";
  }
  oex::test::TempDir dir;
  const std::string file = dir.write(
    "deep.json", R"({"subdomain": "deep", "data_classes": [)" + classes
                   + R"(], "events": [{"event_type": "org.openedx.deep.chain.made.v1", "name": "D",
                   "description": "d", "trigger_repository": "r", "data": {"c": "C0"}}]})");
  const RunResult r = run_oex({"--defs", file, "lint"});
  CHECK(r.exit_code == 1);
  CHECK(r.out.find(": error: data_classes[0]: data class 'deep.Loop' requires itself: "
                   "deep.Loop.me -> deep.Loop [required-cycle]\n")
        != std::string::npos);
  CHECK(r.out.find("[unused-class]") == std::string::npos);
}

// User definitions from the command line: recursive and deep catalogs in every command, files
// given twice, empty files, classes of other subdomains, and event types by name.

#include <filesystem>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/subprocess.hpp"

using oex::test::run;
using oex::test::run_oex;
using oex::test::RunOptions;
using oex::test::RunResult;
using oex::test::TempDir;

namespace {

const char* k_tree = R"({"subdomain": "myplugin", "data_classes": [
  {"name": "Node", "fields": [
    {"name": "name", "type": "str"},
    {"name": "children", "type": "List[Node]", "factory": "list"},
    {"name": "parent", "type": "Node", "default": null},
    {"name": "owner", "type": "learning.UserData"}]}],
  "events": [{"event_type": "org.myplugin.tree.v1", "name": "TREE", "data": {"root": "Node"}}]})";

const char* k_self = R"({"subdomain": "myplugin", "data_classes": [
  {"name": "Node", "fields": [{"name": "next", "type": "Node"}]}],
  "events": [{"event_type": "org.myplugin.self.v1", "name": "SELF", "data": {"n": "Node"}}]})";

// Every command that takes an event type, on `type` (the payload file is valid for it).
std::vector<std::vector<std::string>> every_command(const std::string& type,
                                                    const std::string& payload)
{
  return {{"list"},
          {"list", "--json"},
          {"show", type},
          {"show", type, "--json"},
          {"schema", type},
          {"schema", type, "--format", "json-schema"},
          {"sample", type},
          {"sample", type, "--count", "5"},
          {"validate", type, payload},
          {"send", type, payload, "--dry-run"},
          {"metadata", type}};
}

std::vector<std::string> with_defs(const std::string& dir, std::vector<std::string> args)
{
  args.insert(args.begin(), {"--defs", dir});
  return args;
}

// oex under an address-space limit (prlimit), so that runaway memory fails instead of
// swapping; the limit is generous for what oex needs (a few MB). AddressSanitizer reserves
// terabytes of address space, so a sanitizer build runs without the limit.
RunResult run_limited(const std::vector<std::string>& args)
{
#ifdef OEX_SANITIZED
  std::vector<std::string> all{"--", OEX_BINARY};
#else
  std::vector<std::string> all{"--as=1073741824", "--", OEX_BINARY};
#endif
  all.insert(all.end(), args.begin(), args.end());
  RunOptions options;
  options.set_env["NO_COLOR"] = "1";
  options.unset_env = {"OEX_DEFS_PATH"};
  return run("prlimit", all, options);
}

std::string chain(std::size_t n, const char* kind)
{
  std::string classes;
  for (std::size_t i = 0; i < n; ++i) {
    classes += (i ? "," : "") + std::string(R"({"name": "C)") + std::to_string(i) + "\"";
    if (std::string(kind) == "bases" && i > 0) {
      classes += R"(, "bases": ["C)" + std::to_string(i - 1) + "\"]";
    }
    classes += R"(, "fields": [{"name": "v)" + std::to_string(i) + R"(", "type": "int"})";
    const std::string next = "C" + std::to_string(i + 1);
    if (std::string(kind) == "list" && i + 1 < n) {
      classes += R"(, {"name": "next", "type": "List[)" + next + R"(]", "factory": "list"})";
    } else if (std::string(kind) != "bases" && i + 1 < n) {
      classes += R"(, {"name": "next", "type": ")" + next + "\"" + kind + "}";
    }
    classes += "]}";
  }
  return R"({"subdomain": "deep", "data_classes": [)" + classes
         + R"(], "events": [{"event_type": "org.deep.v1", "name": "DEEP", "data": {"c": "C)"
         + (std::string(kind) == "bases" ? std::to_string(n - 1) : "0") + "\"}}]}";
}

} // namespace

TEST_CASE("oex --defs: a recursive data class works in every command")
{
  TempDir dir;
  dir.write("tree.json", k_tree);
  const auto sample = run_oex({"--defs", dir.path(), "sample", "org.myplugin.tree.v1"});
  REQUIRE(sample.exit_code == 0);
  const auto payload = nlohmann::json::parse(sample.out);
  // Recursion is cut: optional fields that lead back are left out.
  CHECK(!payload["root"].contains("children"));
  CHECK(!payload["root"].contains("parent"));
  TempDir data;
  const std::string file = data.write("p.json", sample.out);
  for (const auto& args : every_command("org.myplugin.tree.v1", file)) {
    const auto result = run_oex(with_defs(dir.path(), args));
    INFO(args[0] << " " << result.err);
    CHECK(result.exit_code == 0);
  }
  const auto show = run_oex({"--defs", dir.path(), "show", "TREE"});
  CHECK(show.out.find("    (Node, recursive)\n") != std::string::npos);
  const auto deep_payload =
    data.write("deep.json", R"({"root": {"name": "a", "owner": {"id": 1, "is_active": true, "pii":
      {"username": "u", "email": "e"}}, "children": [{"name": "b", "owner": {"id": 2,
      "is_active": false, "pii": {"username": "v", "email": "f"}}, "children": []}]}})");
  CHECK(run_oex({"--defs", dir.path(), "validate", "TREE", deep_payload}).exit_code == 0);
}

TEST_CASE("oex --defs: a class that requires itself is refused by every command")
{
  TempDir dir;
  const std::string path = dir.write("self.json", k_self);
  TempDir data;
  const std::string file = data.write("p.json", "{}");
  for (const auto& args : every_command("org.myplugin.self.v1", file)) {
    const auto result = run_oex(with_defs(dir.path(), args));
    INFO(args[0]);
    CHECK(result.exit_code == 2);
    CHECK(result.out.empty());
    CHECK(result.err
          == "oex: error: " + path
               + ":2:3: data_classes[0]: data class 'myplugin.Node' requires itself: "
                 "myplugin.Node.next -> myplugin.Node\n");
  }
  // A built-in event with the broken file loaded beside it: still refused.
  CHECK(run_oex({"--defs", dir.path(), "show", "COURSE_ENROLLMENT_CREATED"}).exit_code == 2);
}

TEST_CASE("oex --defs: 5,000-deep definitions are refused quickly and in little memory")
{
  TempDir data;
  const std::string payload = data.write("p.json", "{}");
  for (const char* kind : {"", R"(, "default": null)", "list", "bases"}) {
    TempDir dir;
    const std::string path = dir.write("deep.json", chain(5000, kind));
    for (const auto& args : every_command("org.deep.v1", payload)) {
      const auto result = run_limited(with_defs(dir.path(), args));
      INFO(kind << " " << args[0] << ": " << result.err);
      CHECK(result.exit_code == 2);
      CHECK(result.err.starts_with("oex: error: " + path + ":1:"));
      CHECK(result.err.find(": data class 'deep.C") != std::string::npos);
    }
  }
}

TEST_CASE("oex sample: nested generics stay bounded")
{
  std::string type = "int";
  for (int i = 0; i < 22; ++i) {
    type = "List[" + type + "]";
  }
  TempDir dir;
  dir.write("lists.json", R"({"subdomain": "g", "data_classes": [{"name": "G", "fields": [
    {"name": "v", "type": ")"
                            + type + R"("}, {"name": "d", "type": "dict[str, )" + type + R"(]"}]}],
    "events": [{"event_type": "org.g.v1", "name": "G", "data": {"g": "G"}}]})");
  const auto sample = run_limited({"--defs", dir.path(), "sample", "org.g.v1", "--count", "3"});
  REQUIRE(sample.exit_code == 0);
  CHECK(sample.out.size() < 3 * 200'000);
  TempDir data;
  const std::string file = data.write("p.jsonl", sample.out);
  CHECK(run_oex({"--defs", dir.path(), "validate", "org.g.v1", "--jsonl", file}).exit_code == 0);

  // A payload whose required fields alone double at each of 30 levels cannot be sampled.
  std::string classes;
  for (int i = 0; i < 30; ++i) {
    classes += (i ? "," : "") + std::string(R"({"name": "D)") + std::to_string(i)
               + R"(", "fields": [{"name": "a", "type": "D)" + std::to_string(i + 1)
               + R"("}, {"name": "b", "type": "D)" + std::to_string(i + 1) + R"("}]})";
  }
  classes += R"(,{"name": "D30", "fields": [{"name": "v", "type": "int"}]})";
  TempDir diamond;
  diamond.write("d.json", R"({"subdomain": "d", "data_classes": [)" + classes
                            + R"(], "events": [{"event_type": "org.d.v1", "name": "D",
                            "data": {"d": "D0"}}]})");
  const auto refused = run_limited({"--defs", diamond.path(), "sample", "org.d.v1"});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err
        == "oex: error: cannot sample 'org.d.v1': its required fields alone need more than "
           "100000 values\n");
  const auto show = run_limited({"--defs", diamond.path(), "show", "org.d.v1"});
  CHECK(show.exit_code == 0);
  CHECK(show.out.size() < 2'000'000);
  CHECK(show.out.find(", as above)\n") != std::string::npos);
  CHECK(run_limited({"--defs", diamond.path(), "show", "org.d.v1", "--json"}).exit_code == 0);
  CHECK(run_limited({"--defs", diamond.path(), "schema", "org.d.v1"}).exit_code == 0);
}

TEST_CASE("oex --defs: classes of other subdomains in show and validate")
{
  TempDir dir;
  dir.write("tree.json", k_tree);
  const auto show = run_oex({"--defs", dir.path(), "show", "org.myplugin.tree.v1"});
  CHECK(show.exit_code == 0);
  CHECK(show.out.find("      pii: UserPersonalData") != std::string::npos);
  TempDir data;
  const std::string file = data.write("p.json", R"({"root": {"name": "a", "owner": {"id": "x",
    "is_active": true, "pii": {"username": "u", "email": "e"}}}})");
  const auto validate = run_oex({"--defs", dir.path(), "validate", "org.myplugin.tree.v1", file});
  CHECK(validate.exit_code == 1);
  CHECK(validate.out == file + ":1:40: root.owner.id: expected integer, got string \"x\"\n");
  // Through OEX_DEFS_PATH as well.
  RunOptions env;
  env.set_env["OEX_DEFS_PATH"] = dir.path();
  CHECK(run_oex({"show", "TREE"}, env).exit_code == 0);
}

TEST_CASE("oex --defs: an empty file, and the same file or folder twice")
{
  TempDir dir;
  const std::string empty = dir.write("empty.json", "");
  auto result = run_oex({"--defs", dir.path(), "list"});
  CHECK(result.exit_code == 2);
  CHECK(result.err
        == "oex: error: " + empty
             + ":1:1: empty file (expected a JSON object with 'subdomain', 'data_classes' and "
               "'events')\n");

  // A folder whose name ends in .json is not a definitions file.
  TempDir folder;
  std::filesystem::create_directory(folder.path() + "/sub.json");
  result = run_oex({"--defs", folder.path(), "list", "--names"});
  CHECK(result.exit_code == 0);
  CHECK(result.err.empty());

  TempDir defs;
  defs.write("tree.json", k_tree);
  RunOptions env;
  env.set_env["OEX_DEFS_PATH"] = defs.path();
  const std::string parent = std::filesystem::path(defs.path()).parent_path().string();
  const std::string name = std::filesystem::path(defs.path()).filename().string();
  TempDir links;
  std::filesystem::create_directory_symlink(defs.path(), links.path() + "/alias");
  std::filesystem::create_symlink(defs.path() + "/tree.json", links.path() + "/tree-link.json");
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--defs", defs.path()},
        {"--defs", defs.path() + "/", "--defs", defs.path() + "/./"},
        {"--defs", links.path() + "/alias"},
        {"--defs", defs.path() + "/tree.json"},
        {"--defs", links.path()}}) {
    std::vector<std::string> all = args;
    all.insert(all.end(), {"list", "--names", "tree"});
    RunOptions options = env;
    options.cwd = parent;
    result = run_oex(all, options);
    INFO(args.back());
    CHECK(result.err.empty());
    CHECK(result.out == "org.myplugin.tree.v1\n");
  }
  RunOptions relative;
  relative.cwd = parent;
  result = run_oex({"--defs", name, "--defs", "./" + name, "show", "TREE"}, relative);
  CHECK(result.exit_code == 0);
}

TEST_CASE("oex: an event type by its upstream name in every command")
{
  TempDir data;
  const std::string payload = data.write(
    "p.json", run_oex({"sample", "org.openedx.learning.course.enrollment.created.v1"}).out);
  for (auto args : every_command("COURSE_ENROLLMENT_CREATED", payload)) {
    if (args[0] == "list") {
      continue;
    }
    const auto by_name = run_oex(args);
    args[1] = "org.openedx.learning.course.enrollment.created.v1";
    const auto by_type = run_oex(args);
    INFO(args[0] << " " << by_name.err);
    CHECK(by_name.exit_code == 0);
    if (args[0] != "metadata") { // new ids and times
      CHECK(by_name.out == by_type.out);
    }
  }
  CHECK(run_oex({"show", "course_enrollment_created"}).exit_code == 0);
  const auto typo = run_oex({"show", "ORG.OPENEDX.LEARNING.COURSE.ENROLLMENT.CREATED.V1"});
  CHECK(typo.exit_code == 2);
  CHECK(typo.err
        == "oex: error: unknown event type 'ORG.OPENEDX.LEARNING.COURSE.ENROLLMENT.CREATED.V1'\n"
           "did you mean 'org.openedx.learning.course.enrollment.created.v1'?\n");
  CHECK(run_oex({"validate", "COURSE_ENROLMENT_CREATED", payload}).err
        == "oex: error: unknown event type 'COURSE_ENROLMENT_CREATED'\n"
           "did you mean 'COURSE_ENROLLMENT_CREATED'?\n");
}

TEST_CASE("oex list WORD and --subdomain")
{
  CHECK(run_oex({"list", "--names", "enrollment"}).out
        == "org.openedx.enterprise.learner_credit_course_enrollment.revoked.v1\n"
           "org.openedx.learning.course.enrollment.created.v1\n"
           "org.openedx.learning.course.enrollment.changed.v1\n"
           "org.openedx.learning.course.unenrollment.completed.v1\n");
  CHECK(run_oex({"list", "--names", "ENROLLMENT_CREATED"}).out
        == "org.openedx.learning.course.enrollment.created.v1\n");
  CHECK(run_oex({"list", "--names", "*.enrollment.c[h]*"}).out
        == "org.openedx.learning.course.enrollment.changed.v1\n");
  const auto bad = run_oex({"list", "--subdomain", "lerning"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err
        == "oex: error: unknown subdomain 'lerning' (known: analytics, authz, content_authoring, "
           "enterprise, learning)\n");
}

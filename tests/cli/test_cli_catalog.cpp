// oex list and oex show, run as a user would.

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <sstream>

#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/subprocess.hpp"

using oex::test::run_oex;

namespace {

std::vector<std::string> lines(const std::string& text)
{
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    out.push_back(line);
  }
  return out;
}

// Runs oex with its standard streams on a pseudo-terminal `columns` wide (COLUMNS set to
// columns_env, or unset) and returns what it wrote, "\r\n" read back as "\n".
std::string run_on_terminal(const std::vector<std::string>& args, unsigned short columns,
                            const char* columns_env)
{
  winsize size{};
  size.ws_col = columns;
  size.ws_row = 40;
  int terminal = -1;
  const pid_t pid = forkpty(&terminal, nullptr, nullptr, &size);
  REQUIRE(pid >= 0);
  if (pid == 0) {
    setenv("NO_COLOR", "1", 1);
    unsetenv("OEX_DEFS_PATH");
    if (columns_env != nullptr) {
      setenv("COLUMNS", columns_env, 1);
    } else {
      unsetenv("COLUMNS");
    }
    std::vector<char*> argv{const_cast<char*>(OEX_BINARY)};
    for (const std::string& arg : args) {
      argv.push_back(const_cast<char*>(arg.c_str()));
    }
    argv.push_back(nullptr);
    execv(OEX_BINARY, argv.data());
    _exit(127);
  }
  std::string out;
  char buffer[4096];
  while (true) { // ends with EIO once the child has exited and closed the terminal
    const ssize_t n = read(terminal, buffer, sizeof buffer);
    if (n > 0) {
      out.append(buffer, static_cast<std::size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;
    }
  }
  int status = 0;
  waitpid(pid, &status, 0);
  close(terminal);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  std::string text;
  for (char c : out) {
    if (c != '\r') {
      text += c;
    }
  }
  return text;
}

} // namespace

TEST_CASE("oex list fits the terminal's width")
{
  const auto names = lines(run_oex({"list", "--names"}).out);
  const auto is_event_type = [&](const std::string& line) {
    return std::find(names.begin(), names.end(), line) != names.end();
  };
  for (const std::size_t columns : {200U, 130U, 100U, 90U, 60U, 40U}) {
    INFO(columns << " columns");
    const std::string table =
      run_on_terminal({"list"}, static_cast<unsigned short>(columns), nullptr);
    const auto rows = lines(table);
    CHECK(rows.size() >= 78);
    for (const std::string& row : rows) {
      INFO(row);
      // Event types are never cut: on a terminal narrower than one, only that line is longer.
      CHECK((row.size() <= columns || is_event_type(row)));
    }
    // Nothing is lost: every data class is still there, on a line of its own if need be.
    for (const char* word : {"LibraryBlockData", "library_block:", "CourseEnrollmentData",
                             "enrollment:", "75 event types"}) {
      CHECK(table.find(word) != std::string::npos);
    }
  }
  // COLUMNS comes first, as for ls.
  for (const std::string& row : lines(run_on_terminal({"list"}, 200, "100"))) {
    CHECK(row.size() <= 100);
  }
  // Not a terminal: the whole table, one line per event, whatever COLUMNS says.
  oex::test::RunOptions options;
  options.set_env["COLUMNS"] = "40";
  const auto piped = run_oex({"list"}, options);
  CHECK(lines(piped.out).size() == 78);
  CHECK(piped.out.find("library_block: LibraryBlockData\n") != std::string::npos);
}

TEST_CASE("oex list")
{
  const auto table = run_oex({"list"});
  CHECK(table.exit_code == 0);
  CHECK(table.err.empty());
  const auto rows = lines(table.out);
  REQUIRE(rows.size() == 78); // header, 75 rows, blank, count
  CHECK(rows.front().starts_with("EVENT TYPE "));
  CHECK(rows.back() == "75 event types");
  CHECK(table.out.find("org.openedx.learning.course.enrollment.created.v1  ") != std::string::npos);
}

TEST_CASE("oex list --names")
{
  const auto result = run_oex({"list", "--names"});
  CHECK(result.exit_code == 0);
  const auto names = lines(result.out);
  CHECK(names.size() == 75);
  CHECK(names[0] == "org.openedx.analytics.tracking.event.emitted.v1");

  const auto glob = run_oex({"list", "--names", "*.enrollment.*"});
  CHECK(glob.out
        == "org.openedx.learning.course.enrollment.created.v1\n"
           "org.openedx.learning.course.enrollment.changed.v1\n");

  CHECK(lines(run_oex({"list", "--names", "--avro-only"}).out).size() == 72);
  CHECK(run_oex({"list", "--names", "--bus-only"}).out
        == run_oex({"list", "--names", "--avro-only"}).out); // the former name still works
  CHECK(lines(run_oex({"list", "--names", "--subdomain", "enterprise"}).out).size() == 8);
  CHECK(lines(run_oex({"list", "--names", "--subdomain", "authz", "*.created"}).out)
        == std::vector<std::string>{"org.openedx.authz.role_assignment.created"});

  const auto none = run_oex({"list", "--names", "nothing.*"});
  CHECK(none.exit_code == 0);
  CHECK(none.out.empty());
  CHECK(none.err == "oex: no event type matches\n");
}

TEST_CASE("oex list --json")
{
  const auto result = run_oex({"list", "--json", "*.certificate_config.changed.v1"});
  CHECK(result.exit_code == 0);
  const auto events = nlohmann::json::parse(result.out);
  REQUIRE(events.size() == 1);
  const auto& event = events[0];
  CHECK(event["event_type"]
        == "org.openedx.content_authoring.course.certificate_config.changed.v1");
  CHECK(event["name"] == "COURSE_CERTIFICATE_CONFIG_CHANGED");
  CHECK(event["subdomain"] == "content_authoring");
  CHECK(event["minor_version"] == 0);
  CHECK(event["data"]
        == nlohmann::json{{"certificate_config", "content_authoring.CertificateConfigData"}});
  CHECK(event["key_field"].is_null());
  CHECK(event["trigger_repository"].is_null());
  CHECK(event["warning"].is_string());
  CHECK(event["avro_schema"] == false);
  CHECK(event["avro_schema_error"]
        == "openedx-events marks it as not serializable for the event bus");
  CHECK(!event.contains("bus"));
  CHECK(nlohmann::json::parse(run_oex({"list", "--json"}).out).size() == 75);

  const auto both = run_oex({"list", "--json", "--names"});
  CHECK(both.exit_code == 2);
}

TEST_CASE("oex list: the table made at build time says what the loaded catalog says")
{
  // With user definitions, list loads the whole catalog; without, it reads the built-in table
  // generated from event-defs/. The built-in events must come out the same either way.
  const oex::test::TempDir dir;
  const std::string defs = dir.write(
    "zz.json", R"({"subdomain": "zz", "data_classes": [
      {"name": "Z", "fields": [{"name": "n", "type": "str"}]}],
      "events": [{"event_type": "org.zz.v1", "name": "ZZ", "data": {"z": "Z"}}]})");

  const auto table_json = run_oex({"list", "--json"});
  const auto loaded_json = run_oex({"--defs", defs, "list", "--json"});
  REQUIRE(table_json.exit_code == 0);
  REQUIRE(loaded_json.exit_code == 0);
  auto loaded = nlohmann::ordered_json::parse(loaded_json.out);
  REQUIRE(loaded.back()["event_type"] == "org.zz.v1");
  loaded.erase(loaded.size() - 1);
  CHECK(nlohmann::ordered_json::parse(table_json.out) == loaded);
  CHECK(loaded.dump(2) + "\n" == table_json.out);

  // The text table: the same rows, plus the user's event and its count.
  auto table_rows = lines(run_oex({"list"}).out);
  auto loaded_rows = lines(run_oex({"--defs", defs, "list"}).out);
  REQUIRE(table_rows.size() + 1 == loaded_rows.size());
  CHECK(table_rows.back() == "75 event types");
  CHECK(loaded_rows.back() == "76 event types");
  CHECK(loaded_rows[loaded_rows.size() - 3].starts_with("org.zz.v1 "));
  table_rows.pop_back();
  loaded_rows.erase(loaded_rows.end() - 3);
  loaded_rows.pop_back();
  CHECK(table_rows == loaded_rows);

  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"list", "--names", "--avro-only", "org.openedx.*"},
        {"list", "--names", "--subdomain", "enterprise"},
        {"list", "--names", "enrollment"}}) {
    std::vector<std::string> with_defs = args;
    with_defs.insert(with_defs.begin(), {"--defs", defs});
    CHECK(run_oex(args).out == run_oex(with_defs).out);
  }
  // An OEX_DEFS_PATH of empty folders adds nothing: the table again.
  oex::test::RunOptions options;
  options.set_env["OEX_DEFS_PATH"] = dir.path() + "/none:";
  std::filesystem::create_directory(dir.path() + "/none");
  CHECK(run_oex({"list", "--json"}, options).out == table_json.out);
}

TEST_CASE("oex show")
{
  const auto result = run_oex({"show", "org.openedx.learning.course.enrollment.created.v1"});
  CHECK(result.exit_code == 0);
  CHECK(result.err.empty());
  CHECK(result.out.starts_with("org.openedx.learning.course.enrollment.created.v1\n"));
  CHECK(result.out.find("  name                COURSE_ENROLLMENT_CREATED\n") != std::string::npos);
  CHECK(result.out.find("  key field           enrollment.course.course_key\n")
        != std::string::npos);
  CHECK(result.out.find("\ndata:\n  enrollment: CourseEnrollmentData  required\n")
        != std::string::npos);
  CHECK(result.out.find("\n        name: str                   default \"\"\n")
        != std::string::npos);
  CHECK(result.out.find("\n    created_by: UserData            optional (null)\n")
        != std::string::npos);
}

TEST_CASE("oex show --json")
{
  const auto result =
    run_oex({"show", "--json", "org.openedx.learning.course.enrollment.created.v1"});
  CHECK(result.exit_code == 0);
  const auto event = nlohmann::json::parse(result.out);
  const auto& enrollment = event["schema"][0];
  CHECK(enrollment["name"] == "enrollment");
  CHECK(enrollment["class"] == "learning.CourseEnrollmentData");
  const auto& user = enrollment["fields"][0];
  CHECK(user["name"] == "user");
  CHECK(user["required"] == true);
  CHECK(user["fields"][2]["fields"][2]
        == nlohmann::json{{"name", "name"}, {"type", "str"}, {"required", false}, {"default", ""}});
  CHECK(enrollment["fields"][5]["default"].is_null());
  CHECK(enrollment["fields"][5]["required"] == false);
}

TEST_CASE("oex show: unknown event type")
{
  const auto result = run_oex({"show", "org.openedx.learning.course.enrolment.created.v1"});
  CHECK(result.exit_code == 2);
  CHECK(result.out.empty());
  CHECK(result.err
        == "oex: error: unknown event type 'org.openedx.learning.course.enrolment.created.v1'\n"
           "did you mean 'org.openedx.learning.course.enrollment.created.v1'?\n");
  const auto far = run_oex({"show", "nope"});
  CHECK(far.exit_code == 2);
  CHECK(far.err == "oex: error: unknown event type 'nope'\n");
}

TEST_CASE("oex show and list: upstream's warning and what oex can do, without contradiction")
{
  // Upstream warns that this one cannot go on the bus, yet its Avro schema can be made (upstream
  // makes it too): both facts are shown, each said for what it is.
  const std::string warned = "org.openedx.learning.discussions.configuration.changed.v1";
  auto result = run_oex({"show", warned});
  CHECK(result.out.find("\n  event bus ") == std::string::npos); // the old "event bus yes"
  CHECK(result.out.find("\n  warning             Cannot go on the event bus: complex-typed lists "
                        "like List[DiscussionTopicContext] are not serializable yet "
                        "(openedx-events)\n")
        != std::string::npos);
  CHECK(result.out.find("\n  avro schema         yes (oex schema)\n") != std::string::npos);
  CHECK(run_oex({"schema", warned}).exit_code == 0);
  auto json = nlohmann::json::parse(run_oex({"show", "--json", warned}).out);
  CHECK(json["warning"].get<std::string>().starts_with("Cannot go on the event bus"));
  CHECK(json["avro_schema"] == true);
  CHECK(json["avro_schema_error"].is_null());

  const std::string unserializable = "org.openedx.learning.external_grader.score.submitted.v1";
  result = run_oex({"show", unserializable});
  CHECK(result.out.find("\n  avro schema         no: openedx-events marks it as not serializable "
                        "for the event bus\n")
        != std::string::npos);
  CHECK(run_oex({"schema", unserializable}).exit_code == 2);
  json = nlohmann::json::parse(run_oex({"show", "--json", unserializable}).out);
  CHECK(json["avro_schema"] == false);

  // list says the same, for every event: AVRO is yes exactly when `oex schema` works.
  const auto events = nlohmann::json::parse(run_oex({"list", "--json"}).out);
  int warned_count = 0;
  for (const auto& event : events) {
    warned_count += event["warning"].is_string() ? 1 : 0;
    CHECK(event["avro_schema"] == event["avro_schema_error"].is_null());
  }
  CHECK(warned_count == 12);
  const auto table = run_oex({"list", "*.discussions.configuration.changed.v1"});
  CHECK(table.out.find(warned + "  yes   yes      configuration: ") != std::string::npos);
  const auto table2 = run_oex({"list", "*.external_grader.*"});
  CHECK(table2.out.find(unserializable + "  no    -        score: ") != std::string::npos);
}

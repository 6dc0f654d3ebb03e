// oex list and oex show, run as a user would.

#include <sstream>

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

} // namespace

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

  CHECK(lines(run_oex({"list", "--names", "--bus-only"}).out).size() == 72);
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
  CHECK(event["bus"] == false);
  CHECK(nlohmann::json::parse(run_oex({"list", "--json"}).out).size() == 75);

  const auto both = run_oex({"list", "--json", "--names"});
  CHECK(both.exit_code == 2);
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

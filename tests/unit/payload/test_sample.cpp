#include <catch2/catch.hpp>

#include "support/catalog_fixture.hpp"

#include "oex/catalog/catalog.hpp"
#include "oex/util/error.hpp"
#include "oex/payload/sample.hpp"
#include "oex/payload/validate.hpp"

using json = nlohmann::ordered_json;

namespace {

using oex::test::catalog;

const oex::EventType& enrollment()
{
  return catalog().get_signal_by_type("org.openedx.learning.course.enrollment.created.v1");
}

std::string set_error(const std::string& path, const std::string& value)
{
  json payload = oex::sample_payload(enrollment(), {});
  try {
    oex::set_payload_value(payload, enrollment(), path, value);
  } catch (const oex::Error& e) {
    return e.what();
  }
  return "(no error)";
}

} // namespace

TEST_CASE("oex::sample_payload: valid for every event type and many seeds")
{
  int checked = 0;
  for (const oex::EventType* event : catalog().all_events()) {
    oex::PayloadValidator validator(*event);
    for (std::uint64_t seed = 0; seed < 200; ++seed) {
      for (bool minimal : {false, true}) {
        const std::string text = oex::sample_payload(*event, {seed, minimal}).dump();
        const auto result = validator.check(text);
        INFO(event->event_type << " seed " << seed << ": " << text);
        if (!result.valid()) {
          FAIL_CHECK(result.findings.front().path + ": " + result.findings.front().message);
        }
        ++checked;
      }
    }
  }
  CHECK(checked == 75 * 200 * 2);
}

TEST_CASE("oex::sample_payload: reproducible and varied")
{
  CHECK(oex::sample_payload(enrollment(), {7, false})
        == oex::sample_payload(enrollment(), {7, false}));
  CHECK(oex::sample_payload(enrollment(), {7, false})
        != oex::sample_payload(enrollment(), {8, false}));
  const json sample = oex::sample_payload(enrollment(), {3, false});
  const std::string email = sample["enrollment"]["user"]["pii"]["email"];
  CHECK(email.ends_with("@example.com"));
  CHECK(sample["enrollment"]["course"]["course_key"].get<std::string>().starts_with("course-v1:"));
  CHECK(sample["enrollment"]["creation_date"].get<std::string>().ends_with("+00:00"));
  const json minimal = oex::sample_payload(enrollment(), {3, true});
  CHECK(!minimal["enrollment"].contains("created_by"));
  CHECK(!minimal["enrollment"]["course"].contains("display_name"));
  CHECK(oex::sample_uuid1(5) == oex::sample_uuid1(5));
  CHECK(oex::sample_uuid1(5)[14] == '1');
}

TEST_CASE("oex::set_payload_value")
{
  json payload = oex::sample_payload(enrollment(), {1, true});
  oex::set_payload_value(payload, enrollment(), "enrollment.mode", "verified");
  oex::set_payload_value(payload, enrollment(), "enrollment.user.id", "77");
  oex::set_payload_value(payload, enrollment(), "enrollment.is_active", "false");
  oex::set_payload_value(payload, enrollment(), "enrollment.course.end", "null");
  oex::set_payload_value(payload, enrollment(), "enrollment.course.course_key", "edX/DemoX/2024");
  CHECK(payload["enrollment"]["mode"] == "verified");
  CHECK(payload["enrollment"]["user"]["id"] == 77);
  CHECK(payload["enrollment"]["is_active"] == false);
  CHECK(payload["enrollment"]["course"]["end"].is_null());
  CHECK(payload["enrollment"]["course"]["course_key"] == "edX/DemoX/2024");

  CHECK(set_error("enrollment.moode", "x")
        == "unknown field 'moode' in CourseEnrollmentData, did you mean 'mode'?");
  CHECK(set_error("enrolment.mode", "x")
        == "unknown argument 'enrolment', did you mean 'enrollment'?");
  CHECK(set_error("enrollment.user.id", "abc") == "'abc' is not an integer (64-bit)");
  CHECK(set_error("enrollment.is_active", "yes") == "'yes' is not a boolean (true or false)");
  CHECK(set_error("enrollment.creation_date", "today")
        == "'today' is not a datetime (ISO 8601, e.g. 2026-01-05T10:00:00+00:00)");
  CHECK(set_error("enrollment.mode", "null")
        == "null is only allowed for optional fields; expected str");
  CHECK(set_error("enrollment.user", "[1]") == "'[1]' is not JSON for UserData");
  CHECK(set_error("enrollment.mode.x", "1") == "'enrollment.mode.x': str has no part 'x'");
  CHECK(set_error("enrollment[0]", "1") == "unknown field '[0]' in CourseEnrollmentData");
  CHECK(set_error("", "1") == "empty path");
}

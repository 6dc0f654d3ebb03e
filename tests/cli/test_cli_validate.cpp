// oex validate, run as a user would: files, stdin, JSON Lines, envelopes, output formats.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/payload_fixtures.hpp"
#include "support/subprocess.hpp"

using oex::test::one_line;
using oex::test::read_file;
using oex::test::run_oex;
using oex::test::RunOptions;
using oex::test::TempDir;

namespace {

const std::string& k_type = oex::test::k_enrollment_type;
const std::string& k_valid = oex::test::k_valid_enrollment;
const std::string& k_invalid = oex::test::k_invalid_enrollment;

} // namespace

TEST_CASE("oex validate: files")
{
  auto result = run_oex({"validate", k_type, k_valid});
  CHECK(result.exit_code == 0);
  CHECK(result.out.empty());
  CHECK(result.err == "oex: 1 document valid\n");

  result = run_oex({"validate", k_type, k_valid, k_invalid});
  CHECK(result.exit_code == 1);
  CHECK(result.out
        == k_invalid
             + ":2:17: enrollment: missing required field 'creation_date' of CourseEnrollmentData\n"
             + k_invalid
             + ":3:85: enrollment.user.pii: unknown field 'nmae' in UserPersonalData, did you mean "
               "'name'?\n"
             + k_invalid + ":6:5: enrollment: duplicate field 'mode'\n" + k_invalid
             + ":9:3: unexpected argument 'student'\n");
  CHECK(result.err == "oex: 1 of 2 documents invalid, 4 findings\n");

  result = run_oex({"validate", "--quiet", k_type, k_invalid});
  CHECK(result.exit_code == 1);
  CHECK(result.out.empty());
  CHECK(result.err.empty());
}

TEST_CASE("oex validate: standard input and input errors")
{
  RunOptions options;
  options.input = read_file(k_valid);
  auto result = run_oex({"validate", k_type, "-"}, options);
  CHECK(result.exit_code == 0);

  options.input = "{\"enrollment\": [1,}";
  result = run_oex({"validate", k_type, "-"}, options);
  CHECK(result.exit_code == 2);
  CHECK(result.err
        == "oex: error: <stdin>:1:19: invalid JSON: unexpected '}'; expected a JSON value\n");

  result = run_oex({"validate", k_type, "/nonexistent.json"});
  CHECK(result.exit_code == 2);
  CHECK(result.err == "oex: error: cannot read '/nonexistent.json': No such file or directory\n");

  result = run_oex({"validate", "org.openedx.learning.course.enrolment.created.v1", k_valid});
  CHECK(result.exit_code == 2);
  CHECK(result.err.starts_with("oex: error: unknown event type"));

  TempDir dir;
  result = run_oex({"validate", k_type, dir.write("empty.json", "")});
  CHECK(result.exit_code == 2);
  CHECK(result.err == "oex: error: " + dir.path() + "/empty.json:1:1: invalid JSON: empty input\n");
}

TEST_CASE("oex validate --jsonl")
{
  TempDir dir;
  const std::string lines = one_line(read_file(k_valid)) + "\n\n{\"enrollment\": 5}\nnot json\n"
                            + one_line(read_file(k_valid)) + "\r\n";
  const std::string path = dir.write("events.jsonl", lines);
  auto result = run_oex({"validate", "--jsonl", k_type, path});
  CHECK(result.exit_code == 1);
  CHECK(result.out
        == path + ":3:16: enrollment: expected object, got integer 5\n" + path
             + ":4:1: invalid JSON: unexpected 'n'; expected a JSON value\n");
  CHECK(result.err == "oex: 2 of 4 documents invalid, 2 findings\n");

  result = run_oex({"validate", "--jsonl", "--json", k_type, path});
  CHECK(result.exit_code == 1);
  const auto report = nlohmann::json::parse(result.out);
  REQUIRE(report.size() == 4);
  CHECK(report[0]
        == nlohmann::json{
          {"file", path}, {"line", 1}, {"valid", true}, {"findings", nlohmann::json::array()}});
  CHECK(report[1]["line"] == 3);
  CHECK(report[1]["findings"][0]
        == nlohmann::json{{"path", "enrollment"},
                          {"line", 3},
                          {"column", 16},
                          {"message", "expected object, got integer 5"}});
  CHECK(report[3]["valid"] == true);
}

TEST_CASE("oex validate --format junit")
{
  auto result = run_oex({"validate", "--format", "junit", k_type, k_valid, k_invalid});
  CHECK(result.exit_code == 1);
  CHECK(result.out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                               "<testsuites tests=\"2\" failures=\"1\" errors=\"0\">\n"
                               "  <testsuite name=\"oex validate "
                               + k_type
                               + "\" tests=\"2\" failures=\"1\" errors=\"0\">\n"
                                 "    <testcase classname=\""
                               + k_type + "\" name=\"" + k_valid + "\"/>\n"));
  CHECK(result.out.find("<failure message=\"4 findings\">") != std::string::npos);
  CHECK(result.out.find("did you mean &apos;") == std::string::npos);
  CHECK(result.out.ends_with("  </testsuite>\n</testsuites>\n"));
  CHECK(run_oex({"validate", "--format", "junit", "--json", k_type, k_valid}).exit_code == 2);
}

TEST_CASE("oex validate --envelope")
{
  TempDir dir;
  const std::string envelope =
    R"({"metadata": {"event_type": ")" + k_type
    + R"(", "id": "3f1c8f6e-2a39-11ee-8d3a-0242ac120002", )"
      R"("minorversion": 0, "source": "openedx/lms/web", "sourcehost": "h", "time": "2026-01-05T10:00:00Z", )"
      R"("sourcelib": [11, 2, 0]}, "data": )"
    + read_file(k_valid) + "}";
  auto result = run_oex({"validate", "--envelope", k_type, dir.write("e.json", envelope)});
  CHECK(result.exit_code == 0);
  result = run_oex({"validate", "--envelope", k_type, k_valid});
  CHECK(result.exit_code == 1);
  CHECK(result.out
        == k_valid + ":1:1: missing 'metadata'\n" + k_valid + ":1:1: missing 'data'\n" + k_valid
             + ":2:3: unexpected key 'enrollment' in the envelope (expected metadata and data)\n");
}

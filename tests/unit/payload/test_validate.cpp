#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "support/catalog_fixture.hpp"

#include "oex/catalog/catalog.hpp"
#include "oex/metadata/metadata.hpp"
#include "oex/util/json_value.hpp"
#include "oex/util/text.hpp"
#include "oex/payload/validate.hpp"
#include "support/data_files.hpp"

namespace {

using oex::test::catalog;

const std::string k_enrollment = "org.openedx.learning.course.enrollment.created.v1";

std::string read(const std::filesystem::path& path)
{
  return oex::test::read_text(path.string());
}

// "LINE:COL: PATH: MESSAGE" lines, as `oex validate` prints them after the file name.
std::string render(const std::string& text, const oex::DocumentCheck& check)
{
  std::string out;
  for (const auto& finding : check.findings) {
    const auto at = oex::position_of(text, finding.offset);
    out += std::to_string(at.line) + ":" + std::to_string(at.column) + ": "
           + (finding.path.empty() ? "" : finding.path + ": ") + finding.message + "\n";
  }
  return out;
}

std::string check(const std::string& event_type, const std::string& text,
                  oex::PayloadForm form = oex::PayloadForm::data)
{
  oex::PayloadValidator validator(catalog().get_signal_by_type(event_type), form);
  const auto result = validator.check(text);
  return (result.malformed ? "malformed: " : "") + render(text, result);
}

} // namespace

TEST_CASE("oex::PayloadValidator: payload cases in tests/data/payloads")
{
  // Each NAME.json has a NAME.expected: "# type: EVENT_TYPE" then the findings, one a line.
  int cases = 0;
  for (const char* kind : {"valid", "invalid"}) {
    for (const auto& entry :
         std::filesystem::directory_iterator(std::string(TEST_DATA_DIR "/payloads/") + kind)) {
      if (entry.path().extension() != ".json") {
        continue;
      }
      std::filesystem::path expected_path = entry.path();
      expected_path.replace_extension(".expected");
      const std::string expected = read(expected_path);
      REQUIRE(expected.starts_with("# type: "));
      const std::size_t newline = expected.find('\n');
      const std::string event_type = expected.substr(8, newline - 8);
      INFO(entry.path().filename());
      const std::string findings = check(event_type, read(entry.path()));
      CHECK(findings == expected.substr(newline + 1));
      CHECK(findings.empty() == (std::string(kind) == "valid"));
      ++cases;
    }
  }
  CHECK(cases >= 9);
}

TEST_CASE("oex::PayloadValidator: malformed documents")
{
  CHECK(check(k_enrollment, "") == "malformed: 1:1: invalid JSON: empty input\n");
  CHECK(check(k_enrollment, "{\"enrollment\": }")
        == "malformed: 1:16: invalid JSON: unexpected '}'; expected a JSON value\n");
  CHECK(check(k_enrollment, "{\"a\": 1} x")
        == "malformed: 1:10: invalid JSON: extra data after the JSON value\n");
  CHECK(check(k_enrollment, "{\"a\": \"\xff\"}")
        == "malformed: 1:8: invalid JSON: invalid UTF-8\n");
  CHECK(check(k_enrollment, "{\"a\": \"\\ud800\"}")
        == "malformed: 1:8: invalid JSON: lone surrogate in a \\u escape\n");
  CHECK(check(k_enrollment, "{\"a\": NaN}")
        == "malformed: 1:7: invalid JSON: unexpected 'N'; expected a JSON value\n");
  CHECK(check(k_enrollment, "{\"a\": 01}")
        == "malformed: 1:7: invalid JSON: invalid number: leading zero\n");
  CHECK(check(k_enrollment, "[1,]")
        == "malformed: 1:4: invalid JSON: unexpected ']'; expected a JSON value\n");
  CHECK(check(k_enrollment, "{\"a\": \"x\ty\"}")
        == "malformed: 1:9: invalid JSON: unescaped control character in a string\n");
  const std::string deep = std::string(10000, '[') + std::string(10000, ']');
  CHECK(check(k_enrollment, deep)
        == "malformed: 1:1025: invalid JSON: nesting deeper than 1024 levels\n");
  const std::string deep_in_field =
    "{\"enrollment\": " + std::string(2000, '[') + std::string(2000, ']') + "}";
  CHECK(check(k_enrollment, deep_in_field).starts_with("malformed: 1:"));
}

TEST_CASE("oex::PayloadValidator: envelope")
{
  const std::string payload = read(TEST_DATA_DIR "/payloads/valid/enrollment_full.json");
  const std::string good_metadata =
    R"({"event_type": "org.openedx.learning.course.enrollment.created.v1", "id": "3f1c8f6e-2a39-11ee-8d3a-0242ac120002", )"
    R"("minorversion": 0, "source": "openedx/lms/web", "sourcehost": "h", "time": "2026-01-05T10:00:00+00:00", "sourcelib": [11, 2, 0]})";
  CHECK(check(k_enrollment, "{\"metadata\": " + good_metadata + ", \"data\": " + payload + "}",
              oex::PayloadForm::envelope)
        == "");
  const std::string bad_metadata =
    R"({"event_type": "org.openedx.learning.course.enrollment.changed.v1", "id": "nope", "minorversion": "0", )"
    R"("source": 1, "time": "2026-01-05T10:00:00+01:00", "sourcelib": [11, -2], "extra": true})";
  CHECK(check(k_enrollment, "{\"metadata\": " + bad_metadata + ", \"data\": {}, \"x\": 1}",
              oex::PayloadForm::envelope)
        == "1:14: metadata: missing required field 'sourcehost' of EventsMetadata\n"
           "1:29: metadata.event_type: event type "
           "\"org.openedx.learning.course.enrollment.changed.v1\" "
           "does not match \"org.openedx.learning.course.enrollment.created.v1\"\n"
           "1:88: metadata.id: invalid UUID \"nope\"\n"
           "1:112: metadata.minorversion: expected integer, got string \"0\"\n"
           "1:127: metadata.source: expected string, got integer 1\n"
           "1:138: metadata.time: 'time' must have timezone.utc\n"
           "1:180: metadata.sourcelib: expected an array of one or more non-negative 64-bit "
           "integers, got array\n"
           "1:190: metadata: unknown field 'extra' in EventsMetadata\n"
           "1:214: data: missing required argument 'enrollment'\n"
           "1:218: unexpected key 'x' in the envelope (expected metadata and data)\n");
  CHECK(check(k_enrollment, "{}", oex::PayloadForm::envelope)
        == "1:1: missing 'metadata'\n1:1: missing 'data'\n");
}

TEST_CASE("oex::PayloadValidator: envelope sourcelib agrees with oex::sourcelib_from_json")
{
  const std::string payload = read(TEST_DATA_DIR "/payloads/valid/enrollment_full.json");
  for (const char* sourcelib :
       {"[11, 2, 0]", "[1, 2]", "[7]", "[-0]", "[0, -0, 1]", "[0, 0, 0, 0]", "[9223372036854775807]", "[]", "[1, -1]",
        "[1.0]", "[\"1\"]", "\"11.2.0\"", "[9223372036854775808]", "[18446744073709551615]",
        "null", "{}"}) {
    INFO(sourcelib);
    const std::string metadata =
      R"({"event_type": "org.openedx.learning.course.enrollment.created.v1", )"
      R"("id": "3f1c8f6e-2a39-11ee-8d3a-0242ac120002", "source": "s", "sourcehost": "h", )"
      R"("time": "2026-01-05T10:00:00+00:00", "sourcelib": )"
      + std::string(sourcelib) + "}";
    const bool valid =
      check(k_enrollment, "{\"metadata\": " + metadata + ", \"data\": " + payload + "}",
            oex::PayloadForm::envelope)
        .empty();
    CHECK(valid == static_cast<bool>(oex::EventsMetadata::from_json(metadata)));
    CHECK(valid == static_cast<bool>(
                     oex::sourcelib_from_json(nlohmann::ordered_json::parse(sourcelib))));
  }
}

TEST_CASE("oex::PayloadValidator::check: a document inside a larger buffer")
{
  oex::PayloadValidator validator(catalog().get_signal_by_type(k_enrollment));
  std::string lines = read(TEST_DATA_DIR "/payloads/valid/enrollment_minimal.json");
  std::replace(lines.begin(), lines.end(), '\n', ' ');
  const std::size_t size = lines.size();
  lines += "\n{\"enrollment\": 1}\n";
  CHECK(validator.check(std::string_view(lines).substr(0, size)).valid());
  const auto second = validator.check(std::string_view(lines).substr(size + 1, 17));
  REQUIRE(second.findings.size() == 1);
  CHECK(second.findings[0].offset == 15);
  CHECK(second.findings[0].message == "expected object, got integer 1");
}

TEST_CASE("oex::parse_json_with_positions")
{
  auto parsed =
    oex::parse_json_with_positions(R"( {"a": [1, 2.5e3, "x\u00e9\ud83d\ude00"], "b": null} )");
  REQUIRE(parsed.value);
  const auto& root = *parsed.value;
  CHECK(root.offset == 1);
  REQUIRE(root.members.size() == 2);
  CHECK(root.members[0].key_offset == 2);
  CHECK(root.members[0].value.elements[1].text == "2.5e3");
  CHECK(root.members[0].value.elements[2].text == "x\xc3\xa9\xf0\x9f\x98\x80");
  CHECK(root.members[1].value.kind == oex::JsonKind::null);
  parsed = oex::parse_json_with_positions("123456789012345678901234567890");
  REQUIRE(parsed.value);
  CHECK(parsed.value->text == "123456789012345678901234567890");
}

TEST_CASE("oex::minify_json")
{
  CHECK(oex::minify_json("") == "");
  CHECK(oex::minify_json(" {\r\n\t\"a b\" : [1 , \"x\\\" y\" ,\"\\\\\" ] }\n")
        == "{\"a b\":[1,\"x\\\" y\",\"\\\\\"]}");
  // Spaces inside strings stay, escapes are copied whole, a dangling backslash is kept.
  CHECK(oex::minify_json("{\"k\": \"a \\n\\t b\"}") == "{\"k\":\"a \\n\\t b\"}");
  CHECK(oex::minify_json("\"ab\\") == "\"ab\\");
  CHECK(oex::minify_json("\"open string  ") == "\"open string  ");
}

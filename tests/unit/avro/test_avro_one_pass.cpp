// PayloadEncoder::check_and_encode (avro/one_pass_encoder.cpp) against the long way it stands
// in for, PayloadValidator::check then PayloadEncoder::encode: when it answers, the payload must
// be valid and the bytes encode()'s, byte for byte; when it does not, it must leave the output as
// it was. On every bus event's samples (full and minimal), their members in another order, many
// broken copies, and the edges of numbers, defaults and maps.

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "avro_test_support.hpp"
#include "support/catalog_fixture.hpp"
#include "support/payload_mutations.hpp"

#include "oex/avro/binary.hpp"
#include "oex/payload/sample.hpp"
#include "oex/payload/validate.hpp"
#include "oex/util/error.hpp"

namespace {

using oex::test::hex;

// The long way: "invalid", "error: ..." (encode() threw), or the bytes in hex.
std::string long_way(oex::PayloadValidator& validator, oex::avro::PayloadEncoder& encoder,
                     const std::string& document)
{
  if (!validator.check(document).valid()) {
    return "invalid";
  }
  std::string out;
  try {
    encoder.encode(document, out);
  } catch (const oex::Error& e) {
    return std::string("error: ") + e.what();
  }
  return hex(out);
}

// The one pass: its bytes in hex, or "not sure" (and then the output must be untouched).
std::string one_pass(oex::avro::PayloadEncoder& encoder, const std::string& document)
{
  std::string out = "before";
  if (!encoder.check_and_encode(document, out)) {
    CHECK(out == "before");
    return "not sure";
  }
  REQUIRE(out.starts_with("before"));
  return hex(out.substr(6));
}

// The same JSON with every object's members in reverse order.
nlohmann::ordered_json reversed(const nlohmann::ordered_json& value)
{
  if (value.is_array()) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& item : value) {
      out.push_back(reversed(item));
    }
    return out;
  }
  if (!value.is_object()) {
    return value;
  }
  std::vector<std::pair<std::string, nlohmann::ordered_json>> members;
  for (const auto& [key, item] : value.items()) {
    members.emplace_back(key, reversed(item));
  }
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (auto it = members.rbegin(); it != members.rend(); ++it) {
    out[it->first] = it->second;
  }
  return out;
}

const char* k_defaults_defs = R"({"subdomain": "t", "data_classes": [
  {"name": "Inner", "fields": [{"name": "n", "type": "int"}, {"name": "x", "type": "float", "default": 2}]},
  {"name": "Thing", "fields": [
    {"name": "i", "type": "int"},
    {"name": "f", "type": "float", "default": 0.1},
    {"name": "b", "type": "bool", "default": true},
    {"name": "when", "type": "datetime", "default": null},
    {"name": "id", "type": "UUID", "default": null},
    {"name": "course", "type": "CourseKey", "default": null},
    {"name": "tags", "type": "List[str]", "factory": "list"},
    {"name": "counts", "type": "dict[str, int]", "factory": "dict"},
    {"name": "nested", "type": "dict[str, List[Inner]]", "factory": "dict"},
    {"name": "inner", "type": "Inner", "default": null},
    {"name": "s", "type": "str", "factory": "str"},
    {"name": "note", "type": "str", "default": "h\u00e9"}]}],
  "events": [{"event_type": "t.thing.v1", "name": "THING", "data": {"thing": "Thing", "other": "Inner"}}]})";

} // namespace

TEST_CASE("avro::PayloadEncoder::check_and_encode: encode()'s bytes for every bus event's samples")
{
  int checked = 0;
  for (const oex::EventType* event : oex::test::catalog().all_events()) {
    if (!event->bus) {
      continue;
    }
    oex::avro::PayloadEncoder encoder(*event);
    oex::PayloadValidator validator(*event);
    for (std::uint64_t seed = 0; seed < 6; ++seed) {
      const auto payload = oex::sample_payload(*event, {seed, seed % 2 == 1});
      for (const std::string& document : {payload.dump(), reversed(payload).dump(2),
                                          "\xEF\xBB\xBF " + payload.dump() + "\n"}) {
        INFO(event->event_type << " seed " << seed << ": " << document);
        const std::string expected = long_way(validator, encoder, document);
        REQUIRE(expected.size() > 10);
        CHECK(one_pass(encoder, document) == expected);
        ++checked;
      }
    }
  }
  CHECK(checked == 72 * 6 * 3);
}

TEST_CASE("avro::PayloadEncoder::check_and_encode: broken copies are refused or agree")
{
  oex::test::Random random{34};
  std::size_t documents = 0;
  std::size_t answered = 0;
  std::size_t invalid = 0;
  for (const oex::EventType* event : oex::test::catalog().all_events()) {
    if (!event->bus) {
      continue;
    }
    oex::avro::PayloadEncoder encoder(*event);
    oex::PayloadValidator validator(*event);
    const nlohmann::ordered_json parsed = oex::sample_payload(*event, {.seed = 3});
    const std::string sample = parsed.dump();
    for (int round = 0; round < 60; ++round) {
      std::string document = round % 3 == 0 ? oex::test::mutate_members(parsed, random)
                                             : oex::test::mutate(sample, random);
      if (random.below(3) == 0) {
        document = oex::test::mutate(document, random);
      }
      INFO(event->event_type << ": " << document);
      const std::string expected = long_way(validator, encoder, document);
      const std::string got = one_pass(encoder, document);
      if (got != "not sure") {
        REQUIRE(got == expected);
        ++answered;
      }
      invalid += expected == "invalid";
      ++documents;
    }
  }
  CHECK(invalid > documents / 2); // the copies mostly break something
  CHECK(answered > 100);          // and the one pass still answers for many that stay valid
}

TEST_CASE("avro::PayloadEncoder::check_and_encode: defaults, order, numbers and maps")
{
  const oex::Catalog catalog = oex::test::catalog_with(k_defaults_defs);
  const oex::EventType& event = catalog.get_signal_by_type("t.thing.v1");
  oex::avro::PayloadEncoder encoder(event);
  oex::PayloadValidator validator(event);
  const auto both = [&](const std::string& thing) {
    const std::string document = R"({"other": {"n": 1}, "thing": )" + thing + "}";
    INFO(document);
    const std::string expected = long_way(validator, encoder, document);
    const std::string got = one_pass(encoder, document);
    if (got != "not sure") {
      CHECK(got == expected);
    }
    return got == "not sure" ? got : expected;
  };
  // every absent field takes its default (null, a value, an empty factory value), in any order
  CHECK(both(R"({"i": 5})") != "not sure");
  CHECK(both(R"({"note": "n", "i": 5, "counts": {"b": 1, "a": 2}})") != "not sure");
  CHECK(both(R"({"inner": {"n": 3}, "i": 1, "when": "2026-01-02 03:04:05Z", "id": "{12345678-1234-5678-1234-56781234567A}", "course": "slashes:a+b+c"})")
        != "not sure");
  CHECK(both(R"({"i": 1, "inner": null, "when": null, "tags": ["\u0000", "\ud83d\ude00"]})") != "not sure");
  CHECK(both(R"({"i": 1, "nested": {"z": [{"x": 1.5, "n": 2}], "": [], "\u00e9": [{"n": -1}, {"n": 0}]}})")
        != "not sure");
  // numbers: floats as RapidJSON reads them
  for (const char* f : {"0", "-0", "-0.0", "1", "-1", "0.1", "1e-320", "2.2250738585072014e-308",
                        "1.7976931348623157e308", "9007199254740993", "9223372036854775807",
                        "9223372036854775808", "18446744073709551615", "18446744073709551616",
                        "-9223372036854775809", "123456789012345678901234567890", "1e400",
                        "0.30000000000000004", "5e-324", "4.9406564584124654e-324",
                        "1.00000000000000011102230246251565404236316680908203125",
                        "1.00000000000000011102230246251565404236316680908203124"}) {
    both(std::string(R"({"i": 1, "f": )") + f + "}");
  }
  for (const char* i : {"9223372036854775807", "-9223372036854775808", "-0", "0"}) {
    CHECK(both(std::string(R"({"i": )") + i + "}") != "not sure");
  }
  // a repeated map key is left to the long way; null where it may not be is invalid
  CHECK(both(R"({"i": 1, "counts": {"a": 1, "a": 2}})") == "not sure");
  CHECK(both(R"({"i": 1, "counts": null})") == "not sure");
  CHECK(both(R"({"i": null})") == "not sure");
  CHECK(both(R"({"i": 1.5})") == "not sure");
  CHECK(both(R"({"i": 1, "j": 2})") == "not sure");
}

TEST_CASE("avro::PayloadEncoder::check_and_encode: keys and times written as they came, or made canonical")
{
  const oex::Catalog catalog = oex::test::catalog_with(k_defaults_defs);
  const oex::EventType& event = catalog.get_signal_by_type("t.thing.v1");
  oex::avro::PayloadEncoder encoder(event);
  oex::PayloadValidator validator(event);
  const auto both = [&](const std::string& course, const std::string& when) {
    const std::string document = R"({"other": {"n": 1}, "thing": {"i": 1, "course": ")" + course
                                 + R"(", "when": ")" + when + R"("}})";
    INFO(document);
    const std::string expected = long_way(validator, encoder, document);
    const std::string got = one_pass(encoder, document);
    CHECK((got == expected || (got == "not sure" && expected == "invalid")));
    return got;
  };
  const std::string usual = both("course-v1:edX+DemoX+2014", "2026-01-02T03:04:05.000001+00:00");
  REQUIRE((usual != "invalid" && usual != "not sure"));
  // the same text in other spellings is made canonical (the bytes differ from the text's)
  for (const char* course : {"slashes:edX+DemoX+2014", "edX/DemoX/2014", "course-v1:edX+DemoX+2014+branch@b",
                             "course-v1:\u00e9dX+DemoX+2014", "course-v1:edX+DemoX+2014\\n"}) {
    both(course, "2026-01-02T03:04:05+00:00");
  }
  for (const char* when : {"2026-01-02T03:04:05.000000+00:00", "2026-01-02T03:04:05Z", "2026-01-02 03:04:05+00:00",
                           "2026-01-02T03:04:05-00:00", "2026-01-02T03:04:05.1+00:00", "2026-01-02T03:04:05",
                           "2026-01-02T03:04:05+05:30", "2026-02-29T03:04:05+00:00", "2026-01-02T24:00:00+00:00",
                           "20260102T030405+00:00", "2026-01-02T03:04:05\\u002b00:00"}) {
    both("course-v1:edX+DemoX+2014", when);
  }
  CHECK(both("Course-v1:edX+DemoX+2014", "2026-01-02T03:04:05+00:00") == "not sure");
}

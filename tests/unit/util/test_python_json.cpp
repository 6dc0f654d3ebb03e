#include <catch2/catch.hpp>

#include "oex/util/python_json.hpp"

using json = nlohmann::ordered_json;

TEST_CASE("oex::python_json_dumps")
{
  // Expected strings are what Python 3.11's json.dumps prints for the same values.
  const json value = json::parse(R"({"b": [1, 2.5, true, null], "a": {"x": "\u00e9\ud83d\ude00\n"},
                                     "e": [], "o": {}})");
  CHECK(oex::python_json_dumps(value)
        == R"({"b": [1, 2.5, true, null], "a": {"x": "\u00e9\ud83d\ude00\n"}, "e": [], "o": {}})");
  CHECK(oex::python_json_dumps(value, 2)
        == "{\n  \"b\": [\n    1,\n    2.5,\n    true,\n    null\n  ],\n  \"a\": {\n    \"x\": "
           "\"\\u00e9\\ud83d\\ude00\\n\"\n  },\n  \"e\": [],\n  \"o\": {}\n}");
  CHECK(oex::python_json_dumps(json("tab\tquote\"back\\ctl\x01"))
        == R"("tab\tquote\"back\\ctl\u0001")");
  CHECK(oex::python_json_dumps(json(1e16)) == "1e+16");
  CHECK(oex::python_json_dumps(json(0.0001)) == "0.0001");
  CHECK(oex::python_json_dumps(json(1e-05)) == "1e-05");
  CHECK(oex::python_json_dumps(json(1.0)) == "1.0");
  CHECK(oex::python_json_dumps(json(-9223372036854775807LL)) == "-9223372036854775807");
}

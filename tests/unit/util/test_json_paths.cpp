#include <catch2/catch.hpp>

#include "oex/util/json_value.hpp"

TEST_CASE("json_path_offset: the value or key a finding's path names")
{
  const std::string text = R"({"events": [{"data": {"a.b": 1, "a": {"b": 2}}}], "x": "y"})";
  const auto parsed = oex::parse_json_with_positions(text);
  REQUIRE(parsed.value);
  const auto at = [&](std::string_view path, bool key = false) {
    return text.substr(oex::json_path_offset(*parsed.value, path, key), 5);
  };
  CHECK(at("") == R"({"eve)");
  CHECK(at("events") == R"([{"da)");
  CHECK(at("events[0].data.a.b") == "1, \"a"); // the longest key first: "a.b"
  CHECK(at("events[0].data.a") == R"({"b":)");
  CHECK(at("x", true) == R"("x": )");
  CHECK(at("x") == R"("y"})");
  // Where the path leaves the document: the deepest value reached.
  CHECK(at("events[3].data") == R"([{"da)");
  CHECK(at("events[0].nothing") == R"({"dat)");
  CHECK(at("events[zero]") == R"([{"da)");
}

TEST_CASE("duplicate_keys: every repeated key with its object's path and place")
{
  const std::string text = R"({"a": 1, "b": [{"k": 1, "k": 2}], "a": 3})";
  const auto parsed = oex::parse_json_with_positions(text);
  REQUIRE(parsed.value);
  const auto duplicates = oex::duplicate_keys(*parsed.value);
  REQUIRE(duplicates.size() == 2);
  CHECK(duplicates[0].path == "b[0]");
  CHECK(duplicates[0].key == "k");
  CHECK(text.substr(duplicates[0].offset, 4) == R"("k":)");
  CHECK(duplicates[1].path.empty());
  CHECK(duplicates[1].key == "a");
  CHECK(duplicates[1].offset == text.rfind("\"a\""));
}

TEST_CASE("JsonPlaces: the places json_path_offset gives, for many paths into one document")
{
  const std::string text = R"({"d": {"a.b": 1, "a": {"b": 2}, "k": 3, "k": 4}, "l": [{"x": 5}]})";
  const auto parsed = oex::parse_json_with_positions(text);
  REQUIRE(parsed.value);
  oex::JsonPlaces places(*parsed.value);
  for (const char* path : {"", "d", "d.a.b", "d.a", "d.a.c", "d.k", "l[0].x", "l[1]", "nope"}) {
    for (bool key : {false, true}) {
      INFO(path << " " << key);
      CHECK(places.offset(path, key) == oex::json_path_offset(*parsed.value, path, key));
    }
  }
  CHECK(text.substr(places.offset("d.k", true), 4) == R"("k":)");
  CHECK(places.offset("d.k") == text.find("3")); // the first of a repeated key
}

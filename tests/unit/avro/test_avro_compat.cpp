#include <filesystem>
#include <map>

#include <catch2/catch.hpp>

#include "oex/avro/avro_schema.hpp"
#include "oex/avro/binary.hpp"
#include "oex/avro/compat.hpp"
#include "oex/catalog/catalog.hpp"
#include "support/data_files.hpp"

using oex::avro::Direction;

namespace {

// A record R with the given fields (JSON text of the fields array).
std::string record(const std::string& fields, const std::string& extra = "")
{
  return R"({"type": "record", "name": "R", )" + extra + R"("fields": [)" + fields + "]}";
}

std::vector<std::string> problems(const std::string& old_text, const std::string& new_text, Direction d)
{
  const auto old_schema = oex::avro::parse_schema("old.avsc", old_text);
  const auto new_schema = oex::avro::parse_schema("new.avsc", new_text);
  std::vector<std::string> out;
  for (const auto& i : oex::avro::compatibility(old_schema, new_schema, d)) {
    out.push_back(std::string(i.direction == Direction::backward ? "backward" : "forward") + ": " + i.path
                  + ": " + i.reason);
  }
  return out;
}

struct Case
{
  const char* name;
  std::string old_schema;
  std::string new_schema;
  std::vector<std::string> expected; // full direction
};

} // namespace

TEST_CASE("avro::compatibility: the resolution rules, pair by pair")
{
  const std::string a_long = R"({"name": "a", "type": "long"})";
  const Case cases[] = {
    {"identical", record(a_long), record(a_long), {}},
    {"field added with a default", record(a_long), record(a_long + R"(, {"name": "b", "type": "string", "default": ""})"),
     {}},
    {"field added without a default", record(a_long), record(a_long + R"(, {"name": "b", "type": "string"})"),
     {"backward: b: field added without a default"}},
    {"field removed without a default", record(a_long + R"(, {"name": "b", "type": "string"})"), record(a_long),
     {"forward: b: field removed, and the old schema has no default for it"}},
    {"field removed that had a default", record(a_long + R"(, {"name": "b", "type": ["null", "string"], "default": null})"),
     record(a_long), {}},
    {"type change", record(a_long), record(R"({"name": "a", "type": "string"})"),
     {"backward: a: long cannot be read as string", "forward: a: string cannot be read as long"}},
    {"promotion int -> long is one way", record(R"({"name": "a", "type": "int"})"), record(a_long),
     {"forward: a: long cannot be read as int"}},
    {"promotion float -> double", record(R"({"name": "a", "type": "float"})"), record(R"({"name": "a", "type": "double"})"),
     {"forward: a: double cannot be read as float"}},
    {"string <-> bytes both ways", record(R"({"name": "a", "type": "string"})"), record(R"({"name": "a", "type": "bytes"})"),
     {}},
    {"union widened", record(R"({"name": "a", "type": ["null", "long"], "default": null})"),
     record(R"({"name": "a", "type": ["null", "long", "string"], "default": null})"),
     {"forward: a: string (in union [null, long, string]) cannot be read as union [null, long]"}},
    {"union narrowed", record(R"({"name": "a", "type": ["null", "long", "string"], "default": null})"),
     record(R"({"name": "a", "type": ["null", "long"], "default": null})"),
     {"backward: a: string (in union [null, long, string]) cannot be read as union [null, long]"}},
    {"made optional", record(a_long), record(R"({"name": "a", "type": ["null", "long"], "default": null})"),
     {"forward: a: null cannot be read as long"}},
    {"nested record field type", record(R"({"name": "u", "type": {"type": "record", "name": "U", "fields": [{"name": "id", "type": "long"}]}})"),
     record(R"({"name": "u", "type": {"type": "record", "name": "U", "fields": [{"name": "id", "type": "string"}]}})"),
     {"backward: u.id: long cannot be read as string", "forward: u.id: string cannot be read as long"}},
    {"map values", record(R"({"name": "m", "type": {"type": "map", "values": "int"}})"),
     record(R"({"name": "m", "type": {"type": "map", "values": "long"}})"), {"forward: m{}: long cannot be read as int"}},
    {"array items", record(R"({"name": "l", "type": {"type": "array", "items": "string"}})"),
     record(R"({"name": "l", "type": {"type": "array", "items": "boolean"}})"),
     {"backward: l[]: string cannot be read as boolean", "forward: l[]: boolean cannot be read as string"}},
    {"array to map", record(R"({"name": "l", "type": {"type": "array", "items": "string"}})"),
     record(R"({"name": "l", "type": {"type": "map", "values": "string"}})"),
     {"backward: l: array cannot be read as map", "forward: l: map cannot be read as array"}},
    {"enum symbol added", record(R"({"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A"]}})"),
     record(R"({"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A", "B"]}})"),
     {"forward: e: symbol 'B' of the new enum is missing from the other, which has no default"}},
    {"enum symbol added, old enum has a default",
     record(R"({"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A"], "default": "A"}})"),
     record(R"({"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A", "B"]}})"), {}},
    {"record renamed", record(a_long), R"({"type": "record", "name": "S", "fields": [)" + a_long + "]}",
     {"backward: : record 'R' cannot be read as record 'S'", "forward: : record 'S' cannot be read as record 'R'"}},
    {"record renamed with an alias both ways", R"({"type": "record", "name": "R", "aliases": ["S"], "fields": [)" + a_long + "]}",
     R"({"type": "record", "name": "S", "aliases": ["R"], "fields": [)" + a_long + "]}", {}},
    {"field renamed with an alias", record(a_long),
     record(R"({"name": "b", "type": "long", "aliases": ["a"]})"),
     {"forward: a: field removed, and the old schema has no default for it"}},
    {"fixed size", R"({"type": "fixed", "name": "F", "size": 4})", R"({"type": "fixed", "name": "F", "size": 8})",
     {"backward: : fixed 'F' cannot be read as fixed 'F' (size 4 vs 8)",
      "forward: : fixed 'F' cannot be read as fixed 'F' (size 8 vs 4)"}},
    {"every problem, not only the first",
     record(R"({"name": "a", "type": "long"}, {"name": "b", "type": "long"})"),
     record(R"({"name": "a", "type": "string"}, {"name": "b", "type": "boolean"}, {"name": "c", "type": "int"})"),
     {"backward: c: field added without a default", "backward: a: long cannot be read as string",
      "backward: b: long cannot be read as boolean", "forward: a: string cannot be read as long",
      "forward: b: boolean cannot be read as long"}},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    CHECK(problems(c.old_schema, c.new_schema, Direction::full) == c.expected);
  }
  // directions pick their half
  CHECK(problems(record(R"({"name": "a", "type": "int"})"), record(a_long), Direction::backward).empty());
  CHECK(problems(record(R"({"name": "a", "type": "int"})"), record(a_long), Direction::forward)
        == std::vector<std::string>{"forward: a: long cannot be read as int"});
  // recursive records terminate
  const std::string list = R"({"type": "record", "name": "L", "fields": [{"name": "next", "type": ["null", "L"]}]})";
  CHECK(problems(list, list, Direction::full).empty());
}

TEST_CASE("avro::decode with a writer schema: the same rules applied to bytes")
{
  const auto writer = oex::avro::parse_schema("w.avsc", record(R"({"name": "a", "type": "int"},
    {"name": "gone", "type": "string"}, {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A", "B"]}},
    {"name": "u", "type": "long"})"));
  const auto reader = oex::avro::parse_schema("r.avsc", record(R"({"name": "u", "type": ["null", "double"], "default": null},
    {"name": "a", "type": "long"}, {"name": "added", "type": "string", "default": "x"},
    {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A"], "default": "A"}})"));
  // a=150 (int), gone="hi", e=B (1), u=3
  const std::string bytes = std::string("\xac\x02\x04hi\x02\x06", 7);
  const auto result = oex::avro::decode(writer, reader, bytes);
  REQUIRE(result.ok);
  CHECK(result.json == R"({"u": 3.0, "a": 150, "added": "x", "e": "A"})");

  const auto strict = oex::avro::parse_schema("r.avsc", record(R"({"name": "a", "type": "long"}, {"name": "z", "type": "long"})"));
  const auto failed = oex::avro::decode(writer, strict, bytes);
  CHECK(!failed.ok);
  CHECK(failed.error.message == "field 'z' is not in the writer's schema and has no default");
  const auto narrowing = oex::avro::parse_schema("r.avsc", record(R"({"name": "a", "type": "string"})"));
  CHECK(oex::avro::decode(writer, narrowing, bytes).error.message == "int cannot be read as string");
}

TEST_CASE("avro::compatibility: upstream's stored baselines against the current catalog")
{
  const std::string dir = CONFORMANCE_DIR "/openedx-events-11.2.0/avro-schemas";
  if (!std::filesystem::exists(dir)) {
    WARN("no conformance data at " << dir << ": skipped");
    return;
  }
  const oex::Catalog catalog = oex::Catalog::builtin();
  std::map<std::string, std::vector<std::string>> found;
  for (const oex::EventType* event : catalog.all_events()) {
    if (!event->bus) {
      continue;
    }
    const std::string text = oex::test::read_text(dir + "/" + oex::avro_schema_file_name(*event));
    for (const auto& i : oex::avro::compatibility(oex::avro::parse_schema("stored", text),
                                                  oex::avro::event_schema(*event), Direction::full)) {
      found[event->event_type].push_back(i.path + ": " + i.reason);
    }
  }
  // upstream keeps these baselines compatible on purpose: its own test checks both directions
  for (const auto& [event, list] : found) {
    INFO(event);
    for (const auto& p : list) {
      INFO(p);
    }
  }
  CHECK(found.empty());
}

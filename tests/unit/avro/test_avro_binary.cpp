#include <catch2/catch.hpp>

#include <map>
#include <memory>

#include "avro_test_support.hpp"
#include "oex/avro/binary.hpp"
#include "oex/avro/record.hpp"
#include "oex/payload/sample.hpp"
#include "oex/payload/validate.hpp"
#include "oex/util/error.hpp"

using oex::test::hex;
using oex::test::unhex;

namespace {

const char* k_thing_defs = R"({"subdomain": "t", "data_classes": [
  {"name": "Inner", "fields": [{"name": "n", "type": "int"}]},
  {"name": "Thing", "fields": [
    {"name": "i", "type": "int"},
    {"name": "s", "type": "str"},
    {"name": "f", "type": "float"},
    {"name": "b", "type": "bool", "default": true},
    {"name": "when", "type": "datetime"},
    {"name": "id", "type": "UUID"},
    {"name": "tags", "type": "List[str]", "factory": "list"},
    {"name": "counts", "type": "dict[str, int]", "factory": "dict"},
    {"name": "inner", "type": "Inner", "default": null},
    {"name": "note", "type": "str", "default": "hi"}]}],
  "events": [{"event_type": "t.thing.v1", "name": "THING", "data": {"thing": "Thing"}}]})";

std::string encode(const oex::EventType& event, const std::string& payload)
{
  oex::avro::PayloadEncoder encoder(event);
  std::string out;
  encoder.encode(payload, out);
  return out;
}

std::string decode_error(const char* schema, const std::string& bytes)
{
  const auto s = oex::avro::parse_schema("s.avsc", schema);
  const auto result = oex::avro::decode(s, s, bytes);
  const auto describe = [](const oex::avro::DecodeError& e) {
    return "byte " + std::to_string(e.offset) + ": " + e.path + ": " + e.message;
  };
  // the decoder into a Record refuses the same bytes with the same error
  oex::avro::Record record;
  oex::avro::DecodeError error;
  CHECK(oex::avro::decode_record(s, bytes, record, error) == result.ok);
  if (result.ok) {
    return "ok: " + result.json;
  }
  CHECK(describe(error) == describe(result.error));
  return describe(result.error);
}

const char* k_string_field = R"({"type": "record", "name": "R", "fields": [{"name": "s", "type": "string"}]})";

} // namespace

TEST_CASE("avro::PayloadEncoder: the facts of fastavro's encoding, one field each")
{
  const oex::Catalog catalog = oex::test::catalog_with(k_thing_defs);
  const oex::EventType& event = catalog.get_signal_by_type("t.thing.v1");
  const std::string bytes = encode(event, R"({"thing": {"i": -1, "s": "\u00e9", "f": 0.5, "b": false,
    "when": "2026-01-02T03:04:05.12Z", "id": "{12345678-1234-5678-1234-56781234567A}",
    "tags": ["a", "b"], "counts": {"z": 1, "a": 2, "\u00e9": 3, "B": 4}}})");
  const std::string expected =
    "01"                                                     // i: zig-zag -1
    "04c3a9"                                                 // s: length 2, UTF-8
    "000000000000e03f"                                       // f: double, little-endian
    "00"                                                     // b: false as given (default true)
    "40" + hex("2026-01-02T03:04:05.120000+00:00")           // when: isoformat of the parsed value
    + "48" + hex("12345678-1234-5678-1234-56781234567a")     // id: canonical UUID
    + "04" "0261" "0262" "00"                                // tags: one block of 2, then 0
    + "08" "0242" "08" "0261" "04" "027a" "02" "04c3a9" "06" "00" // counts: keys in code-point order
    + "00"                                                   // inner: absent optional -> null
    + "04" + hex("hi");                                      // note: absent -> its default
  CHECK(hex(bytes) == expected);
}

TEST_CASE("avro::PayloadEncoder: empty containers, a present optional record, big varints")
{
  const oex::Catalog catalog = oex::test::catalog_with(k_thing_defs);
  const oex::EventType& event = catalog.get_signal_by_type("t.thing.v1");
  const std::string bytes = encode(event, R"({"thing": {"i": 9223372036854775807, "s": "", "f": 1,
    "when": "2026-01-02T03:04:05.000000+01:00", "id": "12345678123456781234567812345678",
    "tags": [], "counts": {}, "inner": {"n": -64}, "note": "x"}})");
  CHECK(hex(bytes)
        == "feffffffffffffffff01" "00" "000000000000f03f" "01" "32" + hex("2026-01-02T03:04:05+01:00")
             + "48" + hex("12345678-1234-5678-1234-567812345678") + "00" "00" "02" "7f" "0278");
}

TEST_CASE("avro::append_long: zig-zag varints")
{
  const std::pair<std::int64_t, const char*> cases[] = {
    {0, "00"}, {-1, "01"}, {1, "02"}, {-64, "7f"}, {64, "8001"}, {300, "d804"},
    {INT64_MIN, "ffffffffffffffffff01"}};
  for (const auto& [value, expected] : cases) {
    std::string out;
    oex::avro::append_long(out, value);
    CHECK(hex(out) == expected);
  }
}

// Calls check(event, encoder, payload, bytes) for seeds 0..seeds-1 of every event type
// that goes on the bus (odd seeds with the optional fields filled); returns how many calls.
template <typename Check>
int for_each_bus_sample(std::uint64_t seeds, Check check)
{
  const oex::Catalog catalog = oex::Catalog::builtin();
  int checked = 0;
  for (const oex::EventType* event : catalog.all_events()) {
    if (!event->bus) {
      continue;
    }
    oex::avro::PayloadEncoder encoder(*event);
    for (std::uint64_t seed = 0; seed < seeds; ++seed) {
      const auto payload = oex::sample_payload(*event, {seed, seed % 2 == 1});
      INFO(event->event_type << " seed " << seed);
      std::string bytes;
      encoder.encode(payload.dump(), bytes);
      check(*event, encoder, payload, bytes);
      ++checked;
    }
  }
  return checked;
}

TEST_CASE("avro::decode: decode(encode(p)) is p normalised, for every bus event")
{
  const int checked = for_each_bus_sample(6, [](const oex::EventType& event, oex::avro::PayloadEncoder& encoder,
                                                const auto& payload, const std::string& bytes) {
      oex::PayloadValidator validator(event);
      const auto result = oex::avro::decode(encoder.schema(), encoder.schema(), bytes);
      REQUIRE(result.ok);
      const auto decoded = nlohmann::ordered_json::parse(result.json);
      CHECK(nlohmann::json::parse(result.json)
            == oex::test::normalised(encoder.schema().root(), nlohmann::json::parse(payload.dump())));
      CHECK(validator.check(result.json).valid());
      // keys in schema order
      std::size_t i = 0;
      for (const auto& [key, value] : decoded.begin().value().items()) {
        CHECK(key == encoder.schema().root().fields[0].type->fields[i++].name);
      }
      // and encoding the decoded payload gives the same bytes
      std::string again;
      encoder.encode(result.json, again);
      CHECK(again == bytes);
  });
  CHECK(checked == 72 * 6);
}

TEST_CASE("avro::decode: doubles read back as the same double")
{
  const auto s = oex::avro::parse_schema("s.avsc", R"({"type": "record", "name": "R", "fields": [
    {"name": "d", "type": {"type": "array", "items": "double"}}, {"name": "f", "type": "float"}]})");
  std::string bytes = unhex("0a");
  for (const double d : {0.1, 1e16, 1.0, -0.0, 5e-324}) {
    bytes.append(reinterpret_cast<const char*>(&d), 8);
  }
  bytes += unhex("00") + unhex("cdcccc3d"); // float 0.1
  const auto result = oex::avro::decode(s, s, bytes);
  REQUIRE(result.ok);
  CHECK(result.json == R"({"d": [0.1, 1e+16, 1.0, -0.0, 5e-324], "f": 0.10000000149011612})");
}

TEST_CASE("avro::decode: hostile bytes are one error naming the byte and the field")
{
  CHECK(decode_error(k_string_field, "") == "byte 0: s: unexpected end of input in a varint");
  CHECK(decode_error(k_string_field, unhex("02")) == "byte 0: s: length 1 exceeds the 0 bytes left");
  CHECK(decode_error(k_string_field, unhex("feffffffffffffffff01"))
        == "byte 0: s: length 9223372036854775807 exceeds the 0 bytes left");
  CHECK(decode_error(k_string_field, unhex("03")) == "byte 0: s: negative length -2");
  CHECK(decode_error(k_string_field, unhex("ffffffffffffffffff7f"))
        == "byte 0: s: varint overflows 64 bits");
  CHECK(decode_error(k_string_field, unhex("8080808080808080808080"))
        == "byte 0: s: varint longer than 10 bytes");
  CHECK(decode_error(k_string_field, unhex("02ff")) == "byte 0: s: string not valid UTF-8");
  CHECK(decode_error(k_string_field, unhex("04eda080")) == "byte 0: s: string not valid UTF-8"); // surrogate
  CHECK(decode_error(k_string_field, unhex("0061")) == "byte 1: : 1 trailing byte after the record");
  CHECK(decode_error(R"({"type": "record", "name": "R", "fields": [{"name": "u", "type": ["null", "int"]}]})",
                     unhex("04"))
        == "byte 0: u: union index 2 out of range (2 branches)");
  CHECK(decode_error(R"({"type": "record", "name": "R", "fields": [{"name": "i", "type": "int"}]})",
                     unhex("8080808010"))
        == "byte 0: i: int 2147483648 out of range");
  CHECK(decode_error(R"({"type": "record", "name": "R", "fields": [{"name": "a", "type": {"type": "array", "items": "long"}}]})",
                     unhex("feffffff0f"))
        == "byte 0: a: block of 2147483647 items cannot fit the 0 bytes left");
  CHECK(decode_error(R"({"type": "record", "name": "R", "fields": [{"name": "a", "type": {"type": "array", "items": "null"}}]})",
                     unhex("feffffffffffffffff01"))
        == "byte 0: a: block of 9223372036854775807 items cannot fit the 0 bytes left");
  CHECK(decode_error(R"({"type": "record", "name": "R", "fields": [{"name": "m", "type": {"type": "map", "values": "long"}}]})",
                     unhex("04026102026104"))
        == "byte 4: m: duplicate map key \"a\"");
  CHECK(decode_error(R"({"type": "record", "name": "R", "fields": [{"name": "l", "type": {"type": "array", "items": {"type": "map", "values": "boolean"}}}]})",
                     unhex("02020261020000"))
        == "byte 4: l[0][\"a\"]: invalid boolean byte 2");
  // a record that holds itself takes no bytes per level: stopped by depth, not by the stack
  CHECK(decode_error(R"({"type": "record", "name": "R", "fields": [{"name": "r", "type": "R"}]})", "")
          .ends_with("nesting deeper than 256"));
  CHECK(decode_error(R"({"type": "record", "name": "R", "fields": [{"name": "d", "type": "double"}]})",
                     unhex("000000000000f87f"))
        == "byte 0: d: double NaN has no JSON form");
  CHECK(decode_error(R"({"type": "record", "name": "R", "fields": [{"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A"]}}]})",
                     unhex("02"))
        == "byte 0: e: enum index 1 out of range (1 symbols)");
}

TEST_CASE("avro::ResolvingDecoder: one decoder for many values gives what decode() gives")
{
  // per event type, reused for all its values
  struct Decoders
  {
    oex::avro::Schema reader;
    oex::avro::Schema writer;
    oex::avro::ResolvingDecoder same{reader, reader};
    oex::avro::ResolvingDecoder registry{writer, reader};
  };
  std::map<std::string, std::unique_ptr<Decoders>> decoders;
  const int checked = for_each_bus_sample(4, [&](const oex::EventType& event, oex::avro::PayloadEncoder& encoder,
                                                 const auto&, const std::string& bytes) {
      auto& made = decoders[event.event_type];
      if (!made) {
        // the writer schema as consume gets it from a registry: the same text, parsed apart, so
        // its records are other objects than the reader's (read field by field, in order)
        const std::string text = oex::avro::to_json(encoder.schema()).dump();
        made.reset(new Decoders{oex::avro::event_schema(event), oex::avro::parse_schema("writer", text)});
      }
      const oex::avro::Schema& reader = made->reader;
      const oex::avro::Schema& writer = made->writer;
      oex::avro::ResolvingDecoder& same = made->same;
      oex::avro::ResolvingDecoder& registry = made->registry;
      const auto expected = oex::avro::decode(reader, reader, bytes);
      REQUIRE(expected.ok);
      CHECK(same.decode(bytes).json == expected.json);
      CHECK(registry.decode(bytes).json == expected.json);
      // a value cut short fails the same way with the reused decoder, and the next one reads
      const auto cut = oex::avro::decode(writer, reader, bytes.substr(0, bytes.size() / 2));
      const auto cut_again = registry.decode(bytes.substr(0, bytes.size() / 2));
      REQUIRE_FALSE(cut.ok);
      CHECK_FALSE(cut_again.ok);
      CHECK(cut_again.error.offset == cut.error.offset);
      CHECK(cut_again.error.path == cut.error.path);
      CHECK(cut_again.error.message == cut.error.message);
      CHECK(registry.decode(bytes).json == expected.json);
  });
  CHECK(checked == 72 * 4);
}

TEST_CASE("avro::ResolvingDecoder: fields in another order, skipped and defaulted, value after value")
{
  const auto writer = oex::avro::parse_schema("w.avsc", R"({"type": "record", "name": "R", "fields": [
    {"name": "b", "type": "string"}, {"name": "gone", "type": "long"}, {"name": "a", "type": "int"}]})");
  const auto reader = oex::avro::parse_schema("r.avsc", R"({"type": "record", "name": "R", "fields": [
    {"name": "a", "type": "long"}, {"name": "b", "type": "string"}, {"name": "c", "type": "int", "default": 7}]})");
  oex::avro::ResolvingDecoder decoder(writer, reader);
  for (int i = 0; i < 3; ++i) {
    const auto result = decoder.decode(unhex("027802") + std::string(1, static_cast<char>(2 * i)));
    REQUIRE(result.ok);
    CHECK(result.json == R"({"a": )" + std::to_string(i) + R"(, "b": "x", "c": 7})");
  }
  // the same fields in the same order, with a promotion: read in order, as decode() reads them
  const auto promoted = oex::avro::parse_schema("p.avsc", R"({"type": "record", "name": "R", "fields": [
    {"name": "b", "type": "string"}, {"name": "gone", "type": "double"}, {"name": "a", "type": "long"}]})");
  oex::avro::ResolvingDecoder in_order(writer, promoted);
  CHECK(in_order.decode(unhex("02780204")).json == R"({"b": "x", "gone": 1.0, "a": 2})");
  CHECK(oex::avro::decode(writer, promoted, unhex("02780204")).json == R"({"b": "x", "gone": 1.0, "a": 2})");
}

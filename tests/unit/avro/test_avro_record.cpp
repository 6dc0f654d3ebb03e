// avro::Record: a payload prepared once and written many times, and the decoder that fills one.

#include <filesystem>

#include <catch2/catch.hpp>

#include "avro_test_support.hpp"
#include "oex/avro/binary.hpp"
#include "oex/avro/record.hpp"
#include "oex/payload/sample.hpp"
#include "support/data_files.hpp"

using oex::test::hex;
using oex::test::unhex;

namespace {

const std::string k_cases = TEST_DATA_DIR "/avro/cases.jsonl";

const char* k_map_defs = R"({"subdomain": "t", "data_classes": [
  {"name": "Thing", "fields": [{"name": "counts", "type": "dict[str, int]"}, {"name": "n", "type": "int"}]}],
  "events": [{"event_type": "t.thing.v1", "name": "THING", "data": {"thing": "Thing"}}]})";

std::string describe(const oex::avro::DecodeError& e)
{
  return "byte " + std::to_string(e.offset) + ": " + e.path + ": " + e.message;
}

} // namespace

TEST_CASE("avro::Record: upstream's bytes decoded into a Record and written again are the same bytes")
{
  REQUIRE(std::filesystem::exists(k_cases));
  const oex::Catalog catalog = oex::Catalog::builtin();
  oex::avro::Record record; // reused across cases and events
  std::size_t cases = 0;
  for (const auto& c : oex::test::read_json_lines(k_cases)) {
    const oex::EventType& event = catalog.get_signal_by_type(c["event_type"].get<std::string>());
    oex::avro::PayloadEncoder encoder(event);
    INFO(event.event_type << ": " << c["payload"].dump());
    const std::string upstream = unhex(c["hex"].get<std::string>());
    oex::avro::DecodeError error;
    REQUIRE(oex::avro::decode_record(encoder.schema(), upstream, record, error));
    std::string again;
    encoder.encode(record, again);
    CHECK(hex(again) == c["hex"].get<std::string>());
    // prepare + encode(record) is encode(document)
    encoder.prepare(c["payload"].dump(), record);
    std::string prepared;
    encoder.encode(record, prepared);
    encoder.encode(record, prepared); // a record is written as often as wanted
    CHECK(hex(prepared) == c["hex"].get<std::string>() + c["hex"].get<std::string>());
    ++cases;
  }
  CHECK(cases >= 72);
}

TEST_CASE("avro::decode_record: every cut and every changed byte is refused or accepted as decode does")
{
  const oex::Catalog catalog = oex::Catalog::builtin();
  for (const char* type : {"org.openedx.learning.course.enrollment.created.v1",
                           "org.openedx.content_authoring.xblock.published.v1",
                           "org.openedx.learning.discussions.configuration.changed.v1"}) {
    const oex::EventType& event = catalog.get_signal_by_type(type);
    oex::avro::PayloadEncoder encoder(event);
    std::string bytes;
    encoder.encode(oex::sample_payload(event, {3, true}).dump(), bytes);
    oex::avro::Record record;
    std::size_t refused = 0;
    const auto agree = [&](const std::string& data) {
      const auto expected = oex::avro::decode(encoder.schema(), encoder.schema(), data);
      oex::avro::DecodeError error;
      const bool ok = oex::avro::decode_record(encoder.schema(), data, record, error);
      CHECK(ok == expected.ok);
      if (!ok) {
        CHECK(describe(error) == describe(expected.error));
        ++refused;
      }
    };
    INFO(type << ": " << hex(bytes));
    for (std::size_t n = 0; n < bytes.size(); ++n) {
      agree(bytes.substr(0, n));
    }
    CHECK(refused == bytes.size()); // every cut is short
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      for (const int x : {0x01, 0x80, 0xff}) {
        std::string changed = bytes;
        changed[i] = static_cast<char>(static_cast<unsigned char>(changed[i]) ^ x);
        agree(changed);
      }
    }
    agree(bytes + '\0');
  }
}

TEST_CASE("avro::decode_record: map keys in any order are written back in code-point order; a key twice is refused")
{
  const oex::Catalog catalog = oex::test::catalog_with(k_map_defs);
  oex::avro::PayloadEncoder encoder(catalog.get_signal_by_type("t.thing.v1"));
  std::string sorted;
  encoder.encode(R"({"thing": {"counts": {"b": 2, "a": 1}, "n": 5}})", sorted);
  CHECK(hex(sorted) == "04" "0261" "02" "0262" "04" "00" "0a");
  oex::avro::Record record;
  oex::avro::DecodeError error;
  REQUIRE(oex::avro::decode_record(encoder.schema(), unhex("04" "0262" "04" "0261" "02" "00" "0a"), record, error));
  std::string again;
  encoder.encode(record, again);
  CHECK(again == sorted);
  CHECK_FALSE(oex::avro::decode_record(encoder.schema(), unhex("04" "0262" "04" "0262" "02" "00" "0a"), record, error));
  CHECK(describe(error) == "byte 4: thing.counts: duplicate map key \"b\"");
}

TEST_CASE("avro::PayloadEncoder::encode(Record): a record of another schema, or none, is refused")
{
  const oex::Catalog catalog = oex::test::catalog_with(k_map_defs);
  oex::avro::PayloadEncoder encoder(catalog.get_signal_by_type("t.thing.v1"));
  oex::avro::PayloadEncoder other(catalog.get_signal_by_type("t.thing.v1")); // same type, own schema
  oex::avro::Record record;
  std::string out;
  CHECK_THROWS_WITH(encoder.encode(record, out), "record was not made for this encoder's schema");
  encoder.prepare(R"({"thing": {"counts": {}, "n": 1}})", record);
  CHECK_THROWS_WITH(other.encode(record, out), "record was not made for this encoder's schema");
  CHECK(out.empty());
  oex::avro::DecodeError error;
  REQUIRE(oex::avro::decode_record(other.schema(), unhex("00" "02"), record, error));
  other.encode(record, out);
  CHECK(hex(out) == "0002");
  // a refused input leaves the record empty
  CHECK_FALSE(oex::avro::decode_record(other.schema(), unhex("00"), record, error));
  CHECK_THROWS_WITH(other.encode(record, out), "record was not made for this encoder's schema");
}

// Bytes written by the real openedx-events 11.2.0 serializer (fastavro), made by
// tests/data/avro/generate_cases.py: oex must write the same bytes, and read them (and bytes
// written with upstream's older stored schemas) back as fastavro does.

#include <filesystem>
#include <set>

#include <catch2/catch.hpp>

#include "avro_test_support.hpp"
#include "oex/avro/binary.hpp"
#include "support/data_files.hpp"

namespace {

const std::string k_cases = TEST_DATA_DIR "/avro/cases.jsonl";
const std::string k_resolution_cases = TEST_DATA_DIR "/avro/resolution_cases.jsonl";

} // namespace

TEST_CASE("avro::PayloadEncoder: the same bytes as openedx-events for every bus event")
{
  INFO("the byte-test data " << k_cases << " is made with the upstream serializer");
  REQUIRE(std::filesystem::exists(k_cases));
  const oex::Catalog catalog = oex::Catalog::builtin();
  std::set<std::string> events;
  std::size_t cases = 0;
  for (const auto& c : oex::test::read_json_lines(k_cases)) {
    const oex::EventType& event = catalog.get_signal_by_type(c["event_type"].get<std::string>());
    oex::avro::PayloadEncoder encoder(event);
    INFO(event.event_type << ": " << c["payload"].dump());
    std::string bytes;
    encoder.encode(c["payload"].dump(), bytes);
    CHECK(oex::test::hex(bytes) == c["hex"].get<std::string>());
    // and the upstream bytes decode to the payload, normalised
    const auto decoded = oex::avro::decode(encoder.schema(), encoder.schema(),
                                           oex::test::unhex(c["hex"].get<std::string>()));
    REQUIRE(decoded.ok);
    CHECK(nlohmann::json::parse(decoded.json) == oex::test::normalised(encoder.schema().root(), c["payload"]));
    events.insert(event.event_type);
    ++cases;
  }
  CHECK(events.size() == 72);
  CHECK(cases >= 72);
}

TEST_CASE("avro::decode: bytes written with upstream's stored schemas, resolved as fastavro does")
{
  INFO("the resolution data " << k_resolution_cases << " is made with the upstream serializer");
  REQUIRE(std::filesystem::exists(k_resolution_cases));
  const std::string dir = CONFORMANCE_DIR "/openedx-events-11.2.0/avro-schemas";
  if (!std::filesystem::exists(dir)) {
    WARN("no conformance data at " << dir << ": skipped");
    return;
  }
  const oex::Catalog catalog = oex::Catalog::builtin();
  std::size_t cases = 0;
  for (const auto& c : oex::test::read_json_lines(k_resolution_cases)) {
    const oex::EventType& event = catalog.get_signal_by_type(c["event_type"].get<std::string>());
    const std::string file = c["writer_schema"].get<std::string>();
    INFO(event.event_type << " written with " << file);
    // upstream's stored baselines, or hand-made writer schemas beside the cases
    const std::string path =
      file.starts_with("synthetic/") ? TEST_DATA_DIR "/avro/" + file : dir + "/" + file;
    const auto writer = oex::avro::parse_schema(file, oex::test::read_text(path));
    const auto reader = oex::avro::event_schema(event);
    const auto decoded = oex::avro::decode(writer, reader, oex::test::unhex(c["hex"].get<std::string>()));
    REQUIRE(decoded.ok);
    CHECK(nlohmann::json::parse(decoded.json) == c["expected"]);
    ++cases;
  }
  CHECK(cases > 0);
}

// libFuzzer target: Avro decoding of untrusted bytes (with the event's own schema, and with a
// writer schema from the input), the .avsc parser and compatibility checks. Decoding into a
// Record (decode_record) must accept and refuse exactly what decode() does with one schema.
// The first byte picks the event type and the mode:
//   even: the rest is Avro bytes, decoded with the event's schema;
//   odd:  the rest is "SCHEMA\0BYTES": SCHEMA is parsed as .avsc; when it parses, it is printed
//         and parsed again (same JSON), BYTES are decoded with it as the writer's schema into the
//         event's, and into itself, and the two schemas are checked for compatibility.
//   cmake -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DOEX_BUILD_FUZZ=ON
//   build-fuzz/tests/fuzz/fuzz_avro CORPUS (a copy of tests/fuzz/corpus/avro)

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "oex/avro/binary.hpp"
#include "oex/avro/compat.hpp"
#include "oex/avro/record.hpp"
#include "oex/avro/schema.hpp"
#include "oex/catalog/catalog.hpp"
#include "oex/util/error.hpp"

namespace {

struct Schemas
{
  oex::Catalog catalog = oex::Catalog::builtin();
  std::vector<oex::avro::Schema> all;

  Schemas()
  {
    for (const oex::EventType* event : catalog.all_events()) {
      if (event->bus) {
        all.push_back(oex::avro::event_schema(*event));
      }
    }
  }
};

void require(bool condition)
{
  if (!condition) {
    std::abort();
  }
}

void check(const oex::avro::DecodeResult& result, std::size_t size)
{
  if (result.ok) {
    require(nlohmann::json::accept(result.json));
  } else {
    require(result.error.offset <= size);
    require(!result.error.message.empty());
  }
}

// decode(schema, schema, bytes), checked, and decode_record agreeing with it.
void check_same_schema(const oex::avro::Schema& schema, std::string_view bytes)
{
  const auto result = oex::avro::decode(schema, schema, bytes);
  check(result, bytes.size());
  static oex::avro::Record record;
  oex::avro::DecodeError error;
  require(oex::avro::decode_record(schema, bytes, record, error) == result.ok);
  require(result.ok || (error.offset == result.error.offset && error.message == result.error.message));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  static Schemas schemas;
  if (size == 0) {
    return 0;
  }
  const oex::avro::Schema& reader = schemas.all[(data[0] >> 1) % schemas.all.size()];
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  if ((data[0] & 1) == 0) {
    check_same_schema(reader, rest);
    return 0;
  }
  const auto zero = rest.find('\0');
  const std::string_view schema_text = rest.substr(0, zero);
  const std::string_view bytes = zero == std::string_view::npos ? std::string_view() : rest.substr(zero + 1);
  std::optional<oex::avro::Schema> writer;
  try {
    writer = oex::avro::parse_schema("fuzz.avsc", schema_text);
  } catch (const oex::Error&) {
    return 0;
  }
  const std::string printed = oex::avro::to_json(*writer).dump();
  try {
    const auto again = oex::avro::parse_schema("printed.avsc", printed);
    require(oex::avro::to_json(again).dump() == printed);
  } catch (const oex::Error&) {
    std::abort(); // what we print must parse
  }
  check(oex::avro::decode(*writer, reader, bytes), bytes.size());
  check_same_schema(*writer, bytes);
  (void)oex::avro::compatibility(*writer, reader, oex::avro::Direction::full);
  return 0;
}

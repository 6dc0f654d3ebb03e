// Avro encode and decode rates: oex against Apache avro-c (Debian libavro-dev) on the same
// records, in the same run. Records: sampled payloads of one event type, encoded by oex; avro-c
// reads each into a generic value (and must write back the same bytes), then both sides loop.
//   bench_avro [TYPE] [RECORDS] [ROUNDS]

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <avro.h>

#include "oex/avro/avro_schema.hpp"
#include "oex/avro/binary.hpp"
#include "oex/catalog/catalog.hpp"
#include "oex/payload/sample.hpp"
#include "oex/util/python_json.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start)
{
  return std::chrono::duration<double>(Clock::now() - start).count();
}

[[noreturn]] void die(const std::string& message)
{
  std::fprintf(stderr, "bench_avro: %s\n", message.c_str());
  std::exit(1);
}

void report(const char* what, std::size_t n, double s, std::size_t bytes)
{
  std::printf("%-44s %10.0f records/s  %7.1f MB/s  (%zu in %.3f s)\n", what, static_cast<double>(n) / s,
              static_cast<double>(bytes) / s / 1e6, n, s);
}

} // namespace

int main(int argc, char** argv)
{
  const std::string type = argc > 1 ? argv[1] : "org.openedx.learning.course.enrollment.created.v1";
  const std::size_t records = argc > 2 ? std::stoul(argv[2]) : 1000;
  const std::size_t rounds = argc > 3 ? std::stoul(argv[3]) : 200;
  const oex::Catalog catalog = oex::Catalog::builtin();
  const oex::EventType& event = catalog.get_signal_by_type(type);

  oex::avro::PayloadEncoder encoder(event);
  std::vector<std::string> payloads;
  std::vector<std::string> encoded;
  std::size_t total_bytes = 0;
  for (std::size_t i = 0; i < records; ++i) {
    payloads.push_back(oex::sample_payload(event, {i, false}).dump());
    std::string bytes;
    encoder.encode(payloads.back(), bytes);
    total_bytes += bytes.size();
    encoded.push_back(std::move(bytes));
  }

  // avro-c: the same schema text, each record read into a generic value
  const std::string schema_text = oex::python_json_dumps(oex::avro_schema(event));
  avro_schema_t schema;
  if (avro_schema_from_json_length(schema_text.data(), schema_text.size(), &schema) != 0) {
    die(std::string("avro-c refuses the schema: ") + avro_strerror());
  }
  avro_value_iface_t* iface = avro_generic_class_from_schema(schema);
  std::vector<avro_value_t> values(records);
  std::vector<char> out(1 << 20);
  avro_reader_t reader = avro_reader_memory(encoded[0].data(), static_cast<int64_t>(encoded[0].size()));
  avro_writer_t writer = avro_writer_memory(out.data(), static_cast<int64_t>(out.size()));
  for (std::size_t i = 0; i < records; ++i) {
    avro_generic_value_new(iface, &values[i]);
    avro_reader_memory_set_source(reader, encoded[i].data(), static_cast<int64_t>(encoded[i].size()));
    if (avro_value_read(reader, &values[i]) != 0) {
      die(std::string("avro-c cannot read record ") + std::to_string(i) + ": " + avro_strerror());
    }
    avro_writer_memory_set_dest(writer, out.data(), static_cast<int64_t>(out.size()));
    avro_value_write(writer, &values[i]);
    if (std::string(out.data(), static_cast<std::size_t>(avro_writer_tell(writer))) != encoded[i]) {
      die("avro-c writes other bytes than oex for record " + std::to_string(i));
    }
  }
  std::printf("%s: %zu records, %zu bytes of Avro (%.1f per record), %zu rounds\n", type.c_str(), records,
              total_bytes, static_cast<double>(total_bytes) / static_cast<double>(records), rounds);

  const std::size_t n = records * rounds;
  std::size_t sink = 0;
  // oex encode: payload JSON text -> bytes (parsing included: that is oex's input)
  auto start = Clock::now();
  std::string buffer;
  for (std::size_t r = 0; r < rounds; ++r) {
    for (const std::string& p : payloads) {
      buffer.clear();
      encoder.encode(p, buffer);
      sink += buffer.size();
    }
  }
  report("oex encode (payload JSON -> Avro)", n, seconds_since(start), total_bytes * rounds);

  // avro-c encode: a generic value already built -> bytes
  start = Clock::now();
  for (std::size_t r = 0; r < rounds; ++r) {
    for (std::size_t i = 0; i < records; ++i) {
      avro_writer_memory_set_dest(writer, out.data(), static_cast<int64_t>(out.size()));
      avro_value_write(writer, &values[i]);
      sink += static_cast<std::size_t>(avro_writer_tell(writer));
    }
  }
  report("avro-c encode (generic value -> Avro)", n, seconds_since(start), total_bytes * rounds);

  // oex decode: bytes -> payload JSON text
  const oex::avro::Schema& s = encoder.schema();
  start = Clock::now();
  for (std::size_t r = 0; r < rounds; ++r) {
    for (const std::string& bytes : encoded) {
      const auto result = oex::avro::decode(s, s, bytes);
      sink += result.json.size();
    }
  }
  report("oex decode (Avro -> payload JSON)", n, seconds_since(start), total_bytes * rounds);

  // avro-c decode: bytes -> generic value, then the same with JSON text out
  avro_value_t scratch;
  avro_generic_value_new(iface, &scratch);
  start = Clock::now();
  for (std::size_t r = 0; r < rounds; ++r) {
    for (const std::string& bytes : encoded) {
      avro_reader_memory_set_source(reader, bytes.data(), static_cast<int64_t>(bytes.size()));
      avro_value_reset(&scratch);
      sink += static_cast<std::size_t>(avro_value_read(reader, &scratch) == 0);
    }
  }
  report("avro-c decode (Avro -> generic value)", n, seconds_since(start), total_bytes * rounds);
  start = Clock::now();
  for (std::size_t r = 0; r < rounds; ++r) {
    for (const std::string& bytes : encoded) {
      avro_reader_memory_set_source(reader, bytes.data(), static_cast<int64_t>(bytes.size()));
      avro_value_reset(&scratch);
      avro_value_read(reader, &scratch);
      char* json = nullptr;
      avro_value_to_json(&scratch, 1, &json);
      sink += std::strlen(json);
      std::free(json);
    }
  }
  report("avro-c decode + avro_value_to_json", n, seconds_since(start), total_bytes * rounds);
  std::fprintf(stderr, "(checksum %zu)\n", sink);
  return 0;
}

// Avro encode and decode rates: oex against Apache avro-c (Debian libavro-dev) on the same
// records, in the same run, for several event types. Records: sampled payloads of each type,
// encoded by oex; avro-c reads each into a generic value and must write back the same bytes.
// Like for like: (a) encode from values already in memory (an oex::avro::Record made by
// PayloadEncoder::prepare / an avro-c generic value), (b) decode into values (decode_record /
// avro_value_read into a reused value); (c) the end-to-end JSON text figures, for information.
// Time is the thread's CPU time (CLOCK_THREAD_CPUTIME_ID), so that time spent descheduled on a
// shared machine is not counted. Each measure repeats its pass over the records for about
// --ms milliseconds (rounds fixed per measure by a warm-up pass); each figure is the median of
// RUNS runs, and within a run the measures go in a rotated order so that what other processes do
// to caches falls on all of them alike.
//   bench_avro [--records N] [--ms MS] [--runs K] [TYPE...]

#include <algorithm>
#include <ctime>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include <avro.h>

#include "oex/avro/avro_schema.hpp"
#include "oex/avro/binary.hpp"
#include "oex/avro/record.hpp"
#include "oex/catalog/catalog.hpp"
#include "oex/payload/sample.hpp"
#include "oex/util/python_json.hpp"

namespace {

double cpu_seconds()
{
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

const char* const k_default_types[] = {
  "org.openedx.learning.course.enrollment.created.v1",
  "org.openedx.content_authoring.xblock.published.v1",
  "org.openedx.learning.discussions.configuration.changed.v1",
  "org.openedx.content_authoring.content_library.created.v1",
  "org.openedx.enterprise.subsidy_ledger_transaction.created.v1",
  "org.openedx.learning.course.passing.status.updated.v1",
  "org.openedx.content_authoring.course.catalog_info.changed.v1",
  "org.openedx.learning.certificate.created.v1",
};

[[noreturn]] void die(const std::string& message)
{
  std::fprintf(stderr, "bench_avro: %s\n", message.c_str());
  std::exit(1);
}

double median(std::vector<double> v)
{
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

// One event type's records on both sides.
struct Subject
{
  std::string type;
  std::vector<std::string> payloads;
  std::vector<std::string> encoded;
  std::vector<oex::avro::Record> records;
  std::size_t bytes = 0;
  avro_schema_t schema = nullptr;
  avro_value_iface_t* iface = nullptr;
  std::vector<avro_value_t> values;
};

// The measures, in the order printed. Each returns a checksum so that nothing is optimised away.
enum Measure { enc_oex, enc_avro_c, dec_oex, dec_avro_c, json_enc_oex, json_dec_oex, json_dec_avro_c, k_measures };
const char* const k_names[k_measures] = {
  "(a) encode: oex Record -> Avro",     "(a) encode: avro-c value -> Avro",
  "(b) decode: oex Avro -> Record",     "(b) decode: avro-c Avro -> value",
  "(c) oex encode: JSON text -> Avro",  "(c) oex decode: Avro -> JSON text",
  "(c) avro-c: Avro -> value -> JSON",
};

} // namespace

int main(int argc, char** argv)
{
  std::size_t records = 1000;
  std::size_t ms = 50;
  std::size_t runs = 5;
  std::vector<std::string> types;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if ((arg == "--records" || arg == "--ms" || arg == "--runs") && i + 1 < argc) {
      const std::size_t n = std::stoul(argv[++i]);
      (arg == "--records" ? records : arg == "--ms" ? ms : runs) = std::max<std::size_t>(n, 1);
    } else if (arg.starts_with("-")) {
      die("usage: bench_avro [--records N] [--ms MS] [--runs K] [TYPE...]");
    } else {
      types.push_back(arg);
    }
  }
  if (types.empty()) {
    types.assign(std::begin(k_default_types), std::end(k_default_types));
  }
  const oex::Catalog catalog = oex::Catalog::builtin();
  std::vector<char> out(1 << 20);
  avro_writer_t writer = avro_writer_memory(out.data(), static_cast<int64_t>(out.size()));
  avro_reader_t reader = avro_reader_memory(out.data(), 0);
  std::size_t sink = 0;

  std::printf("%zu records per type, ~%zu ms of thread CPU time per measure, median of %zu interleaved runs; "
              "records/s\n\n",
              records, ms, runs);
  std::vector<double> ratio_enc, ratio_dec;
  std::string worst_enc, worst_dec;
  for (const std::string& type : types) {
    const oex::EventType& event = catalog.get_signal_by_type(type);
    oex::avro::PayloadEncoder encoder(event);
    const oex::avro::Schema& schema = encoder.schema();
    Subject s;
    s.type = type;
    for (std::size_t i = 0; i < records; ++i) {
      s.payloads.push_back(oex::sample_payload(event, {i, i % 2 == 1}).dump());
      std::string bytes;
      encoder.encode(s.payloads.back(), bytes);
      s.bytes += bytes.size();
      s.encoded.push_back(std::move(bytes));
      s.records.emplace_back();
      encoder.prepare(s.payloads.back(), s.records.back());
    }
    const std::string schema_text = oex::python_json_dumps(oex::avro_schema(event));
    if (avro_schema_from_json_length(schema_text.data(), schema_text.size(), &s.schema) != 0) {
      die(type + ": avro-c refuses the schema: " + avro_strerror());
    }
    s.iface = avro_generic_class_from_schema(s.schema);
    s.values.resize(records);
    for (std::size_t i = 0; i < records; ++i) {
      avro_generic_value_new(s.iface, &s.values[i]);
      avro_reader_memory_set_source(reader, s.encoded[i].data(), static_cast<int64_t>(s.encoded[i].size()));
      if (avro_value_read(reader, &s.values[i]) != 0) {
        die(type + ": avro-c cannot read record " + std::to_string(i) + ": " + avro_strerror());
      }
      avro_writer_memory_set_dest(writer, out.data(), static_cast<int64_t>(out.size()));
      avro_value_write(writer, &s.values[i]);
      if (std::string(out.data(), static_cast<std::size_t>(avro_writer_tell(writer))) != s.encoded[i]) {
        die(type + ": avro-c writes other bytes than oex for record " + std::to_string(i));
      }
      // and oex's own paths through a Record agree
      std::string again;
      encoder.encode(s.records[i], again);
      oex::avro::Record decoded;
      oex::avro::DecodeError error;
      std::string again2;
      if (!oex::avro::decode_record(schema, s.encoded[i], decoded, error)
          || (encoder.encode(decoded, again2), again2 != s.encoded[i]) || again != s.encoded[i]) {
        die(type + ": oex's Record paths disagree on record " + std::to_string(i));
      }
    }
    avro_value_t scratch;
    avro_generic_value_new(s.iface, &scratch);
    oex::avro::Record record;
    std::string buffer;

    // a pass of oex's encoder over records or payload texts
    const auto oex_encode_all = [&](const auto& inputs) {
      std::size_t n = 0;
      for (const auto& input : inputs) {
        buffer.clear();
        encoder.encode(input, buffer);
        n += buffer.size();
      }
      return n;
    };
    // avro-c: one record's bytes into the reused value
    const auto avro_c_read = [&](const std::string& bytes) {
      avro_reader_memory_set_source(reader, bytes.data(), static_cast<int64_t>(bytes.size()));
      avro_value_reset(&scratch);
      return static_cast<std::size_t>(avro_value_read(reader, &scratch) == 0);
    };
    const std::function<std::size_t()> bodies[k_measures] = {
      [&] { return oex_encode_all(s.records); },
      [&] {
        std::size_t n = 0;
        for (auto& v : s.values) {
          avro_writer_memory_set_dest(writer, out.data(), static_cast<int64_t>(out.size()));
          avro_value_write(writer, &v);
          n += static_cast<std::size_t>(avro_writer_tell(writer));
        }
        return n;
      },
      [&] {
        std::size_t n = 0;
        oex::avro::DecodeError error;
        for (const auto& bytes : s.encoded) {
          n += oex::avro::decode_record(schema, bytes, record, error);
        }
        return n;
      },
      [&] {
        std::size_t n = 0;
        for (const auto& bytes : s.encoded) {
          n += avro_c_read(bytes);
        }
        return n;
      },
      [&] { return oex_encode_all(s.payloads); },
      [&] {
        std::size_t n = 0;
        for (const auto& bytes : s.encoded) {
          n += oex::avro::decode(schema, schema, bytes).json.size();
        }
        return n;
      },
      [&] {
        std::size_t n = 0;
        for (const auto& bytes : s.encoded) {
          avro_c_read(bytes);
          char* json = nullptr;
          avro_value_to_json(&scratch, 1, &json);
          n += std::strlen(json);
          std::free(json);
        }
        return n;
      },
    };
    std::size_t rounds[k_measures];
    for (int m = 0; m < k_measures; ++m) { // warm-up pass, which also sets the rounds
      const double start = cpu_seconds();
      sink += bodies[m]();
      const double seconds = std::max(cpu_seconds() - start, 1e-6);
      rounds[m] = std::max<std::size_t>(1, static_cast<std::size_t>(static_cast<double>(ms) / 1000 / seconds));
    }
    std::vector<double> rates[k_measures];
    for (std::size_t run = 0; run < runs; ++run) {
      for (int k = 0; k < k_measures; ++k) {
        const int m = static_cast<int>((static_cast<std::size_t>(k) + run) % k_measures);
        const double start = cpu_seconds();
        for (std::size_t r = 0; r < rounds[m]; ++r) {
          sink += bodies[m]();
        }
        const double seconds = cpu_seconds() - start;
        rates[m].push_back(static_cast<double>(records * rounds[m]) / seconds);
      }
    }
    double med[k_measures];
    for (int m = 0; m < k_measures; ++m) {
      med[m] = median(rates[m]);
    }
    std::printf("%s (%.1f bytes of Avro per record)\n", type.c_str(),
                static_cast<double>(s.bytes) / static_cast<double>(records));
    for (int m = 0; m < k_measures; ++m) {
      std::printf("  %-38s %10.0f\n", k_names[m], med[m]);
    }
    const double re = med[enc_oex] / med[enc_avro_c];
    const double rd = med[dec_oex] / med[dec_avro_c];
    std::printf("  oex / avro-c: (a) encode %.2fx, (b) decode %.2fx; (c) JSON: decode %.2fx avro-c's read + to_json\n\n",
                re, rd, med[json_dec_oex] / med[json_dec_avro_c]);
    if (ratio_enc.empty() || re < *std::min_element(ratio_enc.begin(), ratio_enc.end())) {
      worst_enc = type;
    }
    if (ratio_dec.empty() || rd < *std::min_element(ratio_dec.begin(), ratio_dec.end())) {
      worst_dec = type;
    }
    ratio_enc.push_back(re);
    ratio_dec.push_back(rd);
    avro_value_decref(&scratch);
    for (auto& v : s.values) {
      avro_value_decref(&v);
    }
    avro_value_iface_decref(s.iface);
    avro_schema_decref(s.schema);
  }
  const auto geomean = [](const std::vector<double>& v) {
    double log_sum = 0;
    for (const double x : v) {
      log_sum += std::log(x);
    }
    return std::exp(log_sum / static_cast<double>(v.size()));
  };
  std::printf("summary over %zu types, oex / avro-c (above 1 = oex faster):\n", types.size());
  std::printf("  (a) encode from values: min %.2fx (%s), geometric mean %.2fx\n",
              *std::min_element(ratio_enc.begin(), ratio_enc.end()), worst_enc.c_str(), geomean(ratio_enc));
  std::printf("  (b) decode to values:   min %.2fx (%s), geometric mean %.2fx\n",
              *std::min_element(ratio_dec.begin(), ratio_dec.end()), worst_dec.c_str(), geomean(ratio_dec));
  std::fprintf(stderr, "(checksum %zu)\n", sink);
  return 0;
}

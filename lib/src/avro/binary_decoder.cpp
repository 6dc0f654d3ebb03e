// Schemaless Avro binary -> payload JSON, resolving the writer's schema into the reader's.
// Input is untrusted: every length and count is checked against the bytes left before anything
// is allocated, nesting is bounded, and each failure names its byte offset and field path.

#include <cmath>
#include <cstring>
#include <map>
#include <algorithm>
#include <set>
#include <unordered_map>

#include "avro/byte_reader.hpp"
#include "avro/resolution.hpp"
#include "oex/avro/binary.hpp"
#include "oex/util/python_json.hpp"

namespace oex::avro {

namespace {

constexpr int k_max_depth = 256;
// Items that take no bytes (null, empty records) could be counted in the billions by a few
// bytes of input; this many per array or map is the most a decoder accepts.
constexpr std::int64_t k_max_empty_items = 1 << 20;

// One step of the path to the value being read.
struct Step
{
  enum class Kind { field, index, key } kind;
  std::string_view text; // field name or map key
  std::int64_t index = 0;
};

void append_json_string(std::string& out, std::string_view s)
{
  append_python_json_string(out, s, EnsureAscii::no); // valid UTF-8 here: checked first
}

// What a decoder works out about a writer/reader schema pair, kept for the next value.
struct DecodeCache
{
  std::map<std::pair<const Node*, const Node*>, RecordPlan> plans;
  std::unordered_map<const Node*, std::size_t> sizes;
};

class Decoder : public ByteReader
{
public:
  Decoder(std::string_view data, DecodeCache& cache)
    : ByteReader(data)
    , m_plans(cache.plans)
    , m_sizes(cache.sizes)
  {
  }

  std::string out;
  std::vector<Step> path;

  void read(const Node& w, const Node& r)
  {
    if (++m_depth > k_max_depth) {
      fail(offset(), "nesting deeper than " + std::to_string(k_max_depth));
    }
    read_value(w, r);
    --m_depth;
  }

private:
  void read_value(const Node& w, const Node& r)
  {
    if (w.kind == Kind::union_) {
      const std::size_t at = offset();
      const std::int64_t index = read_long();
      if (index < 0 || static_cast<std::uint64_t>(index) >= w.branches.size()) {
        fail(at, "union index " + std::to_string(index) + " out of range (" + std::to_string(w.branches.size())
                   + " branches)");
      }
      read(*w.branches[static_cast<std::size_t>(index)], r);
      return;
    }
    if (r.kind == Kind::union_) {
      const int branch = union_branch(r, w);
      if (branch < 0) {
        fail(offset(), describe(w) + " cannot be read as " + describe(r));
      }
      read(w, *r.branches[static_cast<std::size_t>(branch)]);
      return;
    }
    if (match(w, r) == Match::none) {
      fail(offset(), describe(w) + " cannot be read as " + describe(r));
    }
    switch (w.kind) {
    case Kind::null:
      emit("null");
      return;
    case Kind::boolean: {
      const std::size_t at = offset();
      need(1);
      const auto b = static_cast<unsigned char>(*take(1));
      if (b > 1) {
        fail(at, "invalid boolean byte " + std::to_string(b));
      }
      emit(b ? "true" : "false");
      return;
    }
    case Kind::int_:
    case Kind::long_: {
      const std::size_t at = offset();
      const std::int64_t v = read_long();
      if (w.kind == Kind::int_ && (v < INT32_MIN || v > INT32_MAX)) {
        fail(at, "int " + std::to_string(v) + " out of range");
      }
      if (r.kind == Kind::float_ || r.kind == Kind::double_) {
        emit_double(r.kind == Kind::float_ ? static_cast<float>(v) : static_cast<double>(v), at);
      } else {
        emit(std::to_string(v));
      }
      return;
    }
    case Kind::float_: {
      const std::size_t at = offset();
      need(4);
      float f;
      std::memcpy(&f, take(4), 4);
      emit_double(f, at);
      return;
    }
    case Kind::double_: {
      const std::size_t at = offset();
      need(8);
      double d;
      std::memcpy(&d, take(8), 8);
      emit_double(d, at);
      return;
    }
    case Kind::bytes:
    case Kind::string: {
      const std::size_t at = offset();
      const std::string_view s = read_bytes();
      if (!m_skipping) {
        if (!valid_utf8(s)) {
          fail(at, std::string(w.kind == Kind::string ? "string" : "bytes") + " not valid UTF-8");
        }
        append_json_string(out, s);
      }
      return;
    }
    case Kind::fixed: {
      const std::size_t at = offset();
      need(w.size);
      const std::string_view s(take(w.size), w.size);
      if (!m_skipping) {
        if (!valid_utf8(s)) {
          fail(at, "fixed not valid UTF-8 (no JSON form)");
        }
        append_json_string(out, s);
      }
      return;
    }
    case Kind::enum_:
      read_enum(w, r);
      return;
    case Kind::array:
    case Kind::map:
      read_blocks(w, r);
      return;
    case Kind::record:
      read_record(w, r);
      return;
    case Kind::union_:
      return; // handled above
    }
  }

  void emit(std::string_view text)
  {
    if (!m_skipping) {
      out.append(text);
    }
  }

  void emit_double(double d, std::size_t at)
  {
    if (m_skipping) {
      return;
    }
    if (!std::isfinite(d)) {
      fail(at, std::string("double ") + (std::isnan(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity")
                 + " has no JSON form");
    }
    // nlohmann writes the shortest form that reads back as the same double, as Python's repr
    std::string text = nlohmann::json(d).dump();
    if (text.find_first_of(".eE") == std::string::npos) {
      text += ".0";
    }
    out += text;
  }

  void read_enum(const Node& w, const Node& r)
  {
    const std::size_t at = offset();
    const std::int64_t index = read_long();
    if (index < 0 || static_cast<std::uint64_t>(index) >= w.symbols.size()) {
      fail(at, "enum index " + std::to_string(index) + " out of range (" + std::to_string(w.symbols.size())
                 + " symbols)");
    }
    const std::string& symbol = w.symbols[static_cast<std::size_t>(index)];
    if (&w != &r && std::find(r.symbols.begin(), r.symbols.end(), symbol) == r.symbols.end()) {
      if (!r.enum_default) {
        fail(at, "symbol '" + symbol + "' is not in the reader's enum, which has no default");
      }
      append_json_string_checked(*r.enum_default);
      return;
    }
    append_json_string_checked(symbol);
  }

  void append_json_string_checked(std::string_view s)
  {
    if (!m_skipping) {
      append_json_string(out, s);
    }
  }

  void read_blocks(const Node& w, const Node& r)
  {
    const bool map = w.kind == Kind::map;
    const std::size_t item_size = min_size(*w.items);
    emit(map ? "{" : "[");
    std::int64_t total = 0;
    std::set<std::string_view> keys;
    while (true) {
      const std::size_t at = offset();
      std::int64_t count = read_long();
      if (count == 0) {
        break;
      }
      if (count < 0) {
        if (count == INT64_MIN) {
          fail(at, "block count out of range");
        }
        count = -count;
        const std::size_t size_at = offset();
        const std::int64_t size = read_long();
        if (size < 0 || static_cast<std::uint64_t>(size) > left()) {
          fail(size_at, "block size " + std::to_string(size) + " does not fit the " + std::to_string(left())
                          + " bytes left");
        }
      }
      const std::size_t per_item = item_size + (map ? 1 : 0);
      if (per_item > 0 ? static_cast<std::uint64_t>(count) > left() / per_item
                       : count > k_max_empty_items - total) {
        fail(at, "block of " + std::to_string(count) + " items cannot fit the " + std::to_string(left())
                   + " bytes left");
      }
      for (std::int64_t i = 0; i < count; ++i, ++total) {
        if (total > 0) {
          emit(", ");
        }
        if (map) {
          const std::size_t key_at = offset();
          const std::string_view key = read_bytes();
          if (!m_skipping) {
            if (!valid_utf8(key)) {
              fail(key_at, "map key not valid UTF-8");
            }
            if (!keys.insert(key).second) {
              fail(key_at, "duplicate map key \"" + std::string(key) + "\"");
            }
            append_json_string(out, key);
            out += ": ";
          }
          path.push_back({Step::Kind::key, key});
        } else {
          path.push_back({Step::Kind::index, {}, total});
        }
        read(*w.items, *r.items);
        path.pop_back();
      }
    }
    emit(map ? "}" : "]");
  }

  void read_record(const Node& w, const Node& r)
  {
    emit("{");
    const RecordPlan* plan = &w == &r ? nullptr : &plan_for(w, r);
    if (!plan || plan->in_order) {
      // the same fields in the same order: each value goes out as it is read
      for (std::size_t i = 0; i < w.fields.size(); ++i) {
        const Field& f = w.fields[i];
        if (!m_skipping) {
          if (i > 0) {
            out += ", ";
          }
          append_json_string(out, r.fields[i].name);
          out += ": ";
        }
        path.push_back({Step::Kind::field, f.name});
        read(*f.type, *r.fields[i].type);
        path.pop_back();
      }
      emit("}");
      return;
    }
    read_fields_reordered(w, r, *plan);
  }

  // Read in the writer's order, print in the reader's.
  void read_fields_reordered(const Node& w, const Node& r, const RecordPlan& plan)
  {
    if (!plan.without_default.empty()) {
      fail(offset(), "field '" + plan.without_default.front()->name
                       + "' is not in the writer's schema and has no default");
    }
    std::vector<std::string> pieces(r.fields.size());
    for (std::size_t i = 0; i < w.fields.size(); ++i) {
      const Field& f = w.fields[i];
      const int target = plan.reader_index[i];
      path.push_back({Step::Kind::field, f.name});
      if (target < 0) {
        ++m_skipping;
        read(*f.type, *f.type);
        --m_skipping;
      } else {
        std::swap(out, pieces[static_cast<std::size_t>(target)]);
        read(*f.type, *r.fields[static_cast<std::size_t>(target)].type);
        std::swap(out, pieces[static_cast<std::size_t>(target)]);
      }
      path.pop_back();
    }
    if (m_skipping) {
      return;
    }
    for (std::size_t i = 0; i < r.fields.size(); ++i) {
      const Field& f = r.fields[i];
      if (i > 0) {
        out += ", ";
      }
      append_json_string(out, f.name);
      out += ": ";
      if (plan.writer_index[i] >= 0) {
        out += pieces[i];
      } else {
        out += python_json_dumps(*f.default_value);
      }
    }
    out += "}";
  }

  const RecordPlan& plan_for(const Node& w, const Node& r)
  {
    const auto key = std::make_pair(&w, &r);
    auto it = m_plans.find(key);
    if (it == m_plans.end()) {
      it = m_plans.emplace(key, plan_record(w, r)).first;
    }
    return it->second;
  }

  std::size_t min_size(const Node& type)
  {
    auto it = m_sizes.find(&type);
    if (it == m_sizes.end()) {
      it = m_sizes.emplace(&type, min_encoded_size(type)).first;
    }
    return it->second;
  }

  int m_depth = 0;
  int m_skipping = 0;
  std::map<std::pair<const Node*, const Node*>, RecordPlan>& m_plans;
  std::unordered_map<const Node*, std::size_t>& m_sizes;
};

std::string format_path(const std::vector<Step>& path)
{
  std::string out;
  for (const Step& step : path) {
    switch (step.kind) {
    case Step::Kind::field:
      if (!out.empty()) {
        out += '.';
      }
      out += step.text;
      break;
    case Step::Kind::index:
      out += "[" + std::to_string(step.index) + "]";
      break;
    case Step::Kind::key:
      out += "[";
      append_json_string(out, step.text);
      out += "]";
      break;
    }
  }
  return out;
}

} // namespace

struct ResolvingDecoder::Impl
{
  DecodeCache cache;
};

ResolvingDecoder::ResolvingDecoder(const Schema& writer, const Schema& reader)
  : m_writer(writer)
  , m_reader(reader)
  , m_impl(std::make_unique<Impl>())
{
}

ResolvingDecoder::~ResolvingDecoder() = default;

DecodeResult ResolvingDecoder::decode(std::string_view data)
{
  DecodeResult result;
  Decoder decoder(data, m_impl->cache);
  decoder.out.reserve(m_last_size);
  const Schema& writer = m_writer;
  const Schema& reader = m_reader;
  try {
    decoder.read(writer.root(), reader.root());
    if (decoder.left() > 0) {
      const std::size_t n = decoder.left();
      throw Failure{decoder.offset(), std::to_string(n) + (n == 1 ? " trailing byte" : " trailing bytes") + " after the record"};
    }
  } catch (const Failure& failure) {
    result.error = {failure.offset, format_path(decoder.path), failure.message};
    return result;
  }
  result.ok = true;
  result.json = std::move(decoder.out);
  m_last_size = result.json.size() + result.json.size() / 8;
  return result;
}

DecodeResult decode(const Schema& writer, const Schema& reader, std::string_view data)
{
  return ResolvingDecoder(writer, reader).decode(data);
}

} // namespace oex::avro

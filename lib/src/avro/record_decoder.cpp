// Schemaless Avro binary -> Record, for one schema on both sides. The same checks as the JSON
// decoder (binary_decoder.cpp) on the same primitives; on failure that decoder runs again to
// give the error with its field path, so this one keeps no path while it reads.

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "avro/byte_reader.hpp"
#include "avro/record_impl.hpp"
#include "avro/resolution.hpp"
#include "oex/avro/record.hpp"

namespace oex::avro {

Record::Record()
  : m_impl(std::make_unique<Impl>())
{
}
Record::~Record() = default;
Record::Record(Record&&) noexcept = default;
Record& Record::operator=(Record&&) noexcept = default;

namespace {

constexpr int k_max_depth = 256;               // as binary_decoder.cpp
constexpr std::int64_t k_max_empty_items = 1 << 20; // as binary_decoder.cpp

using Pool = rapidjson::MemoryPoolAllocator<>;

// Any failure: the JSON decoder says which and where.
struct Refused
{
};

class RecordReader : public ByteReader
{
public:
  RecordReader(std::string_view data, Pool& pool)
    : ByteReader(data)
    , m_pool(pool)
  {
  }

  void read(const Node& type, RecordValue& out)
  {
    if (++m_depth > k_max_depth) [[unlikely]] {
      throw Refused{};
    }
    read_value(type, out);
    --m_depth;
  }

private:
  void check(bool ok)
  {
    if (!ok) [[unlikely]] {
      throw Refused{};
    }
  }

  void read_value(const Node& type, RecordValue& out)
  {
    switch (type.kind) {
    case Kind::null:
      out.SetNull();
      return;
    case Kind::boolean: {
      need(1);
      const auto b = static_cast<unsigned char>(*take(1));
      check(b <= 1);
      out.SetBool(b != 0);
      return;
    }
    case Kind::int_: {
      const std::int64_t v = read_long();
      check(v >= INT32_MIN && v <= INT32_MAX);
      out.SetInt64(v);
      return;
    }
    case Kind::long_:
      out.SetInt64(read_long());
      return;
    case Kind::float_: {
      need(4);
      float f;
      std::memcpy(&f, take(4), 4);
      check(std::isfinite(f));
      out.SetDouble(f);
      return;
    }
    case Kind::double_: {
      need(8);
      double d;
      std::memcpy(&d, take(8), 8);
      check(std::isfinite(d));
      out.SetDouble(d);
      return;
    }
    case Kind::bytes:
    case Kind::string:
      read_text(read_bytes(), out);
      return;
    case Kind::fixed:
      need(type.size);
      read_text({take(type.size), type.size}, out);
      return;
    case Kind::enum_: {
      const std::int64_t index = read_long();
      check(index >= 0 && static_cast<std::uint64_t>(index) < type.symbols.size());
      const std::string& symbol = type.symbols[static_cast<std::size_t>(index)];
      out.SetString(rapidjson::StringRef(symbol.data(), symbol.size())); // the schema outlives the record
      return;
    }
    case Kind::array:
    case Kind::map:
      read_blocks(type, out);
      return;
    case Kind::record: {
      out.SetObject();
      for (const Field& field : type.fields) {
        RecordValue value;
        read(*field.type, value);
        out.AddMember(rapidjson::StringRef(field.name.data(), field.name.size()), value, m_pool);
      }
      return;
    }
    case Kind::union_: {
      const std::int64_t index = read_long();
      check(index >= 0 && static_cast<std::uint64_t>(index) < type.branches.size());
      read(*type.branches[static_cast<std::size_t>(index)], out);
      return;
    }
    }
  }

  void read_text(std::string_view s, RecordValue& out)
  {
    check(valid_utf8(s));
    out.SetString(s.data(), static_cast<rapidjson::SizeType>(s.size()), m_pool);
  }

  void read_blocks(const Node& type, RecordValue& out)
  {
    const bool map = type.kind == Kind::map;
    if (map) {
      out.SetObject();
    } else {
      out.SetArray();
    }
    std::size_t per_item = SIZE_MAX; // computed at the first block
    std::int64_t total = 0;
    while (true) {
      std::int64_t count = read_long();
      if (count == 0) {
        break;
      }
      if (count < 0) {
        check(count != INT64_MIN);
        count = -count;
        const std::int64_t size = read_long();
        check(size >= 0 && static_cast<std::uint64_t>(size) <= left());
      }
      if (per_item == SIZE_MAX) {
        per_item = min_encoded_size(*type.items) + (map ? 1 : 0);
      }
      check(per_item > 0 ? static_cast<std::uint64_t>(count) <= left() / per_item
                         : count <= k_max_empty_items - total);
      if (!map) {
        out.Reserve(static_cast<rapidjson::SizeType>(out.Size() + static_cast<std::uint64_t>(count)), m_pool);
      }
      for (std::int64_t i = 0; i < count; ++i, ++total) {
        RecordValue value;
        if (map) {
          RecordValue key;
          read_text(read_bytes(), key);
          read(*type.items, value);
          out.AddMember(key, value, m_pool);
        } else {
          read(*type.items, value);
          out.PushBack(value, m_pool);
        }
      }
    }
    if (map) {
      order_keys(out);
    }
  }

  // Keys in code-point order, as the encoder writes them; a key twice is refused.
  void order_keys(RecordValue& map)
  {
    const auto key = [](const RecordValue& name) {
      return std::string_view(name.GetString(), name.GetStringLength());
    };
    bool ordered = true;
    for (auto it = map.MemberBegin(); it != map.MemberEnd(); ++it) {
      if (it != map.MemberBegin() && key((it - 1)->name) >= key(it->name)) {
        ordered = false;
        break;
      }
    }
    if (ordered) {
      return;
    }
    std::vector<std::pair<RecordValue, RecordValue>> entries;
    for (auto it = map.MemberBegin(); it != map.MemberEnd(); ++it) {
      entries.emplace_back(std::move(it->name), std::move(it->value));
    }
    std::sort(entries.begin(), entries.end(), [&](const auto& a, const auto& b) { return key(a.first) < key(b.first); });
    for (std::size_t i = 1; i < entries.size(); ++i) {
      check(key(entries[i - 1].first) != key(entries[i].first));
    }
    map.SetObject();
    for (auto& [name, value] : entries) {
      map.AddMember(name, value, m_pool);
    }
  }

  Pool& m_pool;
  int m_depth = 0;
};

} // namespace

bool decode_record(const Schema& schema, std::string_view data, Record& out, DecodeError& error)
{
  Record::Impl& record = out.impl();
  record.clear();
  try {
    RecordReader reader(data, record.allocator);
    reader.read(schema.root(), record.root);
    if (reader.left() == 0) {
      record.schema = &schema.root();
      return true;
    }
  } catch (const Refused&) {
  } catch (const Failure&) {
  }
  record.clear();
  DecodeResult result = decode(schema, schema, data);
  error = result.ok ? DecodeError{0, "", "refused by the record decoder"} : std::move(result.error);
  return false;
}

} // namespace oex::avro

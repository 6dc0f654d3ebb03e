// Payload JSON -> schemaless Avro binary, as fastavro's schemaless_writer writes upstream's
// to_dict() of the same data.

#include <algorithm>
#include <cstring>
#include <unordered_map>
#include <vector>

#include <rapidjson/document.h>

#include "oex/avro/binary.hpp"
#include "oex/catalog/catalog.hpp"
#include "oex/keys/datetime.hpp"
#include "oex/keys/opaque_keys.hpp"
#include "oex/keys/uuid.hpp"
#include "oex/util/error.hpp"

namespace oex::avro {

namespace {

using RapidValue = rapidjson::Value;

void append_bytes(std::string& out, std::string_view bytes)
{
  append_long(out, static_cast<std::int64_t>(bytes.size()));
  out.append(bytes);
}

template <typename T>
void append_little_endian(std::string& out, T value)
{
  char raw[sizeof(T)];
  std::memcpy(raw, &value, sizeof(T)); // x86-64 and arm64 are little-endian, as Avro
  out.append(raw, sizeof(T));
}

std::string_view text_of(const RapidValue& v)
{
  return {v.GetString(), v.GetStringLength()};
}

// The field path of a value, built on the stack as the writer descends and spelled out only
// for an error message.
struct Path
{
  const Path* parent;
  std::string_view name;
};

std::string to_string(const Path* path)
{
  std::vector<std::string_view> names;
  for (; path; path = path->parent) {
    names.push_back(path->name);
  }
  std::string out;
  for (auto it = names.rbegin(); it != names.rend(); ++it) {
    out += (out.empty() ? "" : ".") + std::string(*it);
  }
  return out;
}

bool accepts(const Node& type, const RapidValue& v)
{
  switch (type.kind) {
  case Kind::null:
    return v.IsNull();
  case Kind::boolean:
    return v.IsBool();
  case Kind::int_:
  case Kind::long_:
    return v.IsInt64();
  case Kind::float_:
  case Kind::double_:
    return v.IsNumber();
  case Kind::bytes:
  case Kind::string:
  case Kind::enum_:
  case Kind::fixed:
    return v.IsString();
  case Kind::array:
    return v.IsArray();
  case Kind::map:
  case Kind::record:
    return v.IsObject();
  case Kind::union_:
    return false;
  }
  return false;
}

} // namespace

struct PayloadEncoder::Impl
{
  // Absent fields with a data-class default take it; kept parsed, so that it is written by the
  // same code as a value from the payload.
  rapidjson::Document fills;
  std::unordered_map<const Field*, const RapidValue*> fill_of;
  rapidjson::MemoryPoolAllocator<> value_allocator{64 * 1024};
  rapidjson::MemoryPoolAllocator<> parse_allocator{16 * 1024};

  [[noreturn]] static void mismatch(const Node& type, const Path* path)
  {
    throw Error((path ? to_string(path) : std::string("payload")) + ": value does not fit Avro type "
                + std::string(kind_name(type.kind)));
  }

  void write(const Node& type, const RapidValue& v, std::string& out, const Path* path)
  {
    switch (type.kind) {
    case Kind::null:
      return;
    case Kind::boolean:
      out.push_back(v.GetBool() ? 1 : 0);
      return;
    case Kind::int_:
    case Kind::long_:
      append_long(out, v.GetInt64());
      return;
    case Kind::float_:
      append_little_endian(out, static_cast<float>(number(v)));
      return;
    case Kind::double_:
      append_little_endian(out, number(v));
      return;
    case Kind::bytes:
    case Kind::string:
      write_string(type, v, out, path);
      return;
    case Kind::enum_: {
      const auto it = std::find(type.symbols.begin(), type.symbols.end(), text_of(v));
      if (it == type.symbols.end()) {
        mismatch(type, path);
      }
      append_long(out, it - type.symbols.begin());
      return;
    }
    case Kind::fixed:
      if (v.GetStringLength() != type.size) {
        mismatch(type, path);
      }
      out.append(text_of(v));
      return;
    case Kind::array:
      // fastavro: one block with every item, then the 0 that ends the array
      if (v.Size() > 0) {
        append_long(out, v.Size());
        for (const RapidValue& item : v.GetArray()) {
          write_checked(*type.items, item, out, path);
        }
      }
      out.push_back(0);
      return;
    case Kind::map:
      write_map(type, v, out, path);
      return;
    case Kind::record:
      write_record(type, v, out, path);
      return;
    case Kind::union_:
      write_union(type, v, out, path);
      return;
    }
  }

  void write_checked(const Node& type, const RapidValue& v, std::string& out, const Path* path)
  {
    if (type.kind != Kind::union_ && !accepts(type, v)) {
      mismatch(type, path);
    }
    write(type, v, out, path);
  }

  static double number(const RapidValue& v)
  {
    // Python keeps an integer as int and struct.pack converts it, correctly rounded; so does
    // the conversion from int64.
    if (v.IsInt64()) {
      return static_cast<double>(v.GetInt64());
    }
    if (v.IsUint64()) {
      return static_cast<double>(v.GetUint64());
    }
    return v.GetDouble();
  }

  static void write_string(const Node& type, const RapidValue& v, std::string& out,
                           const Path* path)
  {
    const std::string_view text = text_of(v);
    switch (type.form) {
    case StringForm::datetime: {
      const auto parsed = parse_isoformat(text);
      if (!parsed) {
        throw Error(to_string(path) + ": " + parsed.error());
      }
      append_bytes(out, isoformat(*parsed));
      return;
    }
    case StringForm::uuid: {
      const auto canonical = canonical_uuid(text);
      if (!canonical) {
        throw Error(to_string(path) + ": invalid UUID '" + std::string(text) + "'");
      }
      append_bytes(out, *canonical);
      return;
    }
    case StringForm::key: {
      const auto canonical = canonical_key(type.key, text);
      if (!canonical) {
        throw Error(to_string(path) + ": invalid key '" + std::string(text) + "'");
      }
      append_bytes(out, *canonical);
      return;
    }
    default:
      append_bytes(out, text);
    }
  }

  void write_map(const Node& type, const RapidValue& v, std::string& out, const Path* path)
  {
    if (v.MemberCount() > 0) {
      // upstream's to_dict goes through json.dumps(sort_keys=True): keys in code-point order,
      // which is the byte order of their UTF-8
      std::vector<const RapidValue::Member*> members; // not shared: maps nest
      members.reserve(v.MemberCount());
      for (const auto& m : v.GetObject()) {
        members.push_back(&m);
      }
      std::sort(members.begin(), members.end(), [](const RapidValue::Member* a, const RapidValue::Member* b) {
        return text_of(a->name) < text_of(b->name);
      });
      append_long(out, static_cast<std::int64_t>(members.size()));
      for (const RapidValue::Member* member : members) {
        append_bytes(out, text_of(member->name));
        write_checked(*type.items, member->value, out, path);
      }
    }
    out.push_back(0);
  }

  void write_record(const Node& type, const RapidValue& v, std::string& out, const Path* path)
  {
    for (const Field& field : type.fields) {
      const Path here{path, field.name};
      const Path* field_path = &here;
      const auto member = v.FindMember(rapidjson::StringRef(field.name.data(), field.name.size()));
      if (member != v.MemberEnd()) {
        write_checked(*field.type, member->value, out, field_path);
      } else if (const auto fill = fill_of.find(&field); fill != fill_of.end()) {
        write_checked(*field.type, *fill->second, out, field_path);
      } else if (field.default_value && field.default_value->is_null()) {
        write_checked(*field.type, RapidValue(), out, field_path);
      } else {
        throw Error(to_string(field_path) + ": missing field with no default");
      }
    }
  }

  void write_union(const Node& type, const RapidValue& v, std::string& out, const Path* path)
  {
    // fastavro picks the first branch the value fits; for ["null", T] that is 0 for None
    for (std::size_t i = 0; i < type.branches.size(); ++i) {
      if (accepts(*type.branches[i], v)) {
        append_long(out, static_cast<std::int64_t>(i));
        write(*type.branches[i], v, out, path);
        return;
      }
    }
    mismatch(type, path);
  }
};

PayloadEncoder::PayloadEncoder(const EventType& event)
  : m_schema(event_schema(event))
  , m_impl(std::make_unique<Impl>())
{
  // Every data-class default, parsed once into one array.
  std::vector<const Field*> fields;
  nlohmann::ordered_json all = nlohmann::ordered_json::array();
  std::vector<const Node*> pending{&m_schema.root()};
  std::vector<const Node*> seen;
  while (!pending.empty()) {
    const Node* node = pending.back();
    pending.pop_back();
    if (!node || std::find(seen.begin(), seen.end(), node) != seen.end()) {
      continue;
    }
    seen.push_back(node);
    pending.push_back(node->items);
    pending.insert(pending.end(), node->branches.begin(), node->branches.end());
    for (const Field& field : node->fields) {
      pending.push_back(field.type);
      if (field.fill) {
        fields.push_back(&field);
        all.push_back(*field.fill);
      }
    }
  }
  const std::string text = all.dump();
  m_impl->fills.Parse<rapidjson::kParseFullPrecisionFlag>(text.data(), text.size());
  for (std::size_t i = 0; i < fields.size(); ++i) {
    m_impl->fill_of[fields[i]] = &m_impl->fills[static_cast<rapidjson::SizeType>(i)];
  }
}

PayloadEncoder::~PayloadEncoder() = default;

void PayloadEncoder::encode(std::string_view document, std::string& out)
{
  m_impl->value_allocator.Clear();
  m_impl->parse_allocator.Clear();
  rapidjson::GenericDocument<rapidjson::UTF8<>, rapidjson::MemoryPoolAllocator<>,
                             rapidjson::MemoryPoolAllocator<>>
    parsed(&m_impl->value_allocator, 1024, &m_impl->parse_allocator);
  // A leading byte order mark is allowed, as oex validate allows it.
  if (document.starts_with("\xEF\xBB\xBF")) {
    document.remove_prefix(3);
  }
  parsed.Parse<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseIterativeFlag
               | rapidjson::kParseFullPrecisionFlag>(document.data(), document.size());
  if (parsed.HasParseError() || !parsed.IsObject()) {
    throw Error("payload is not a JSON object");
  }
  m_impl->write_record(m_schema.root(), parsed, out, nullptr);
}

void append_long(std::string& out, std::int64_t value)
{
  auto n = (static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63);
  char buf[10];
  std::size_t len = 0;
  while (n >= 0x80) {
    buf[len++] = static_cast<char>((n & 0x7f) | 0x80);
    n >>= 7;
  }
  buf[len++] = static_cast<char>(n);
  out.append(buf, len);
}

} // namespace oex::avro

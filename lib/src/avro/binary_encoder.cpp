// Payload JSON -> schemaless Avro binary, as fastavro's schemaless_writer writes upstream's
// to_dict() of the same data.

#include <algorithm>
#include <optional>
#include <cstring>
#include <unordered_map>
#include <vector>

#include <rapidjson/document.h>

#include "avro/one_pass_encoder.hpp"
#include "avro/record_writer.hpp"
#include "oex/avro/binary.hpp"
#include "oex/catalog/catalog.hpp"
#include "oex/keys/datetime.hpp"
#include "oex/keys/opaque_keys.hpp"
#include "oex/keys/uuid.hpp"
#include "oex/util/error.hpp"

namespace oex::avro {

namespace {

using RapidValue = rapidjson::Value;

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

} // namespace

struct PayloadEncoder::Impl
{
  // Absent fields with a data-class default take it; kept parsed, so that it is prepared by the
  // same code as a value from the payload.
  rapidjson::Document fills;
  std::unordered_map<const Field*, const RapidValue*> fill_of;
  rapidjson::MemoryPoolAllocator<> value_allocator{64 * 1024};
  rapidjson::MemoryPoolAllocator<> parse_allocator{16 * 1024};
  Record scratch; // encode(document): the document prepared
  const RecordValue null_value;
  std::unique_ptr<RecordWriter> writer; // the schema's write plan
  std::unique_ptr<OnePassEncoder> one_pass; // check_and_encode

  [[noreturn]] static void mismatch(const Node& type, const Path* path)
  {
    throw Error((path ? to_string(path) : std::string("payload")) + ": value does not fit Avro type "
                + std::string(kind_name(type.kind)));
  }

  // Checking a payload value against its type and copying it into a record's pool, in the form
  // write() takes.
  using Pool = rapidjson::MemoryPoolAllocator<>;

  void prepare(const Node& type, const RapidValue& v, RecordValue& out, Pool& pool, const Path* path)
  {
    if (type.kind == Kind::union_) {
      // fastavro picks the first branch the value fits; for ["null", T] that is 0 for None. The
      // prepared value keeps its JSON type, so write() picks the same branch again.
      for (const Node* branch : type.branches) {
        if (accepts(branch->kind, v)) {
          prepare(*branch, v, out, pool, path);
          return;
        }
      }
      mismatch(type, path);
    }
    if (!accepts(type.kind, v)) {
      mismatch(type, path);
    }
    switch (type.kind) {
    case Kind::null:
    case Kind::boolean:
    case Kind::int_:
    case Kind::long_:
    case Kind::float_:
    case Kind::double_:
      out.CopyFrom(v, pool);
      return;
    case Kind::bytes:
    case Kind::string:
      prepare_string(type, v, out, pool, path);
      return;
    case Kind::enum_:
      if (std::find(type.symbols.begin(), type.symbols.end(), text_of(v)) == type.symbols.end()) {
        mismatch(type, path);
      }
      out.SetString(v.GetString(), v.GetStringLength(), pool);
      return;
    case Kind::fixed:
      if (v.GetStringLength() != type.size) {
        mismatch(type, path);
      }
      out.SetString(v.GetString(), v.GetStringLength(), pool);
      return;
    case Kind::array:
      out.SetArray();
      out.Reserve(v.Size(), pool);
      for (const RapidValue& item : v.GetArray()) {
        RecordValue prepared;
        prepare(*type.items, item, prepared, pool, path);
        out.PushBack(prepared, pool);
      }
      return;
    case Kind::map:
      prepare_map(type, v, out, pool, path);
      return;
    case Kind::record:
      prepare_record(type, v, out, pool, path);
      return;
    case Kind::union_:
      return; // above
    }
  }

  static void prepare_string(const Node& type, const RapidValue& v, RecordValue& out, Pool& pool,
                             const Path* path)
  {
    const std::string_view text = text_of(v);
    std::optional<std::string> canonical;
    switch (type.form) {
    case StringForm::datetime: {
      const auto parsed = parse_isoformat(text);
      if (!parsed) {
        throw Error(to_string(path) + ": " + parsed.error());
      }
      canonical = isoformat(*parsed);
      break;
    }
    case StringForm::uuid: {
      auto c = canonical_uuid(text);
      if (!c) {
        throw Error(to_string(path) + ": invalid UUID '" + std::string(text) + "'");
      }
      canonical = std::move(*c);
      break;
    }
    case StringForm::key: {
      auto c = canonical_key(type.key, text);
      if (!c) {
        throw Error(to_string(path) + ": invalid key '" + std::string(text) + "'");
      }
      canonical = std::move(*c);
      break;
    }
    default:
      out.SetString(text.data(), static_cast<rapidjson::SizeType>(text.size()), pool);
      return;
    }
    out.SetString(canonical->data(), static_cast<rapidjson::SizeType>(canonical->size()), pool);
  }

  void prepare_map(const Node& type, const RapidValue& v, RecordValue& out, Pool& pool, const Path* path)
  {
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
    out.SetObject();
    for (const RapidValue::Member* member : members) {
      RecordValue name(member->name.GetString(), member->name.GetStringLength(), pool);
      RecordValue prepared;
      prepare(*type.items, member->value, prepared, pool, path);
      out.AddMember(name, prepared, pool);
    }
  }

  void prepare_record(const Node& type, const RapidValue& v, RecordValue& out, Pool& pool, const Path* path)
  {
    out.SetObject();
    for (const Field& field : type.fields) {
      const Path here{path, field.name};
      const Path* field_path = &here;
      RecordValue prepared;
      const auto member = v.FindMember(rapidjson::StringRef(field.name.data(), field.name.size()));
      if (member != v.MemberEnd()) {
        prepare(*field.type, member->value, prepared, pool, field_path);
      } else if (const auto fill = fill_of.find(&field); fill != fill_of.end()) {
        prepare(*field.type, *fill->second, prepared, pool, field_path);
      } else if (field.default_value && field.default_value->is_null()) {
        prepare(*field.type, null_value, prepared, pool, field_path);
      } else {
        throw Error(to_string(field_path) + ": missing field with no default");
      }
      out.AddMember(rapidjson::StringRef(field.name.data(), field.name.size()), prepared, pool);
    }
  }
};

PayloadEncoder::PayloadEncoder(const EventType& event)
  : m_schema(event_schema(event))
  , m_impl(std::make_unique<Impl>())
{
  m_impl->writer = std::make_unique<RecordWriter>(m_schema.root());
  m_impl->one_pass = std::make_unique<OnePassEncoder>(event, m_schema);
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

void PayloadEncoder::prepare(std::string_view document, Record& out)
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
  Record::Impl& record = out.impl();
  record.clear();
  m_impl->prepare_record(m_schema.root(), parsed, record.root, record.allocator, nullptr);
  record.schema = &m_schema.root();
}

void PayloadEncoder::encode(const Record& record, std::string& out) const
{
  if (record.impl().schema != &m_schema.root()) {
    throw Error("record was not made for this encoder's schema");
  }
  m_impl->writer->write(record.impl().root, out);
}

void PayloadEncoder::encode(std::string_view document, std::string& out)
{
  prepare(document, m_impl->scratch);
  encode(m_impl->scratch, out);
}

bool PayloadEncoder::check_and_encode(std::string_view document, std::string& out)
{
  return m_impl->one_pass->encode(document, out);
}

void append_long(std::string& out, std::int64_t value)
{
  char buf[10];
  out.append(buf, put_long(buf, value));
}

} // namespace oex::avro

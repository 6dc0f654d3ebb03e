#include "avro/one_pass_encoder.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <set>

#include "avro/record_writer.hpp"
#include "oex/avro/schema.hpp"
#include "oex/catalog/catalog.hpp"
#include "oex/keys/datetime.hpp"
#include "oex/keys/opaque_keys.hpp"
#include "oex/keys/uuid.hpp"

namespace oex::avro {
namespace {

// Whether the Avro node is what event_schema makes of the catalog type.
class ShapeCheck
{
public:
  bool type(const Type& t, const Node& node)
  {
    switch (t.kind) {
    case TypeKind::bool_: return node.kind == Kind::boolean;
    case TypeKind::int_: return node.kind == Kind::long_;
    case TypeKind::float_: return node.kind == Kind::double_;
    case TypeKind::bytes: return node.kind == Kind::bytes;
    case TypeKind::str: return node.kind == Kind::string && node.form == StringForm::plain;
    case TypeKind::datetime: return node.kind == Kind::string && node.form == StringForm::datetime;
    case TypeKind::uuid: return node.kind == Kind::string && node.form == StringForm::uuid;
    case TypeKind::opaque_key:
      return node.kind == Kind::string && node.form == StringForm::key && node.key == t.key;
    case TypeKind::list: return node.kind == Kind::array && node.items && type(*t.element, *node.items);
    case TypeKind::dict: return node.kind == Kind::map && node.items && type(*t.element, *node.items);
    case TypeKind::record: return record(*t.record, node);
    case TypeKind::binary_io: return false;
    }
    return false;
  }

  bool record(const DataClass& cls, const Node& node)
  {
    if (node.kind != Kind::record || node.fields.size() != cls.fields.size()) {
      return false;
    }
    if (!seen.insert({&cls, &node}).second) {
      return true; // a recursive class: checked where it was first met
    }
    for (std::size_t i = 0; i < cls.fields.size(); ++i) {
      const oex::Field& field = cls.fields[i];
      const avro::Field& avro = node.fields[i];
      const Node* inner = avro.type;
      if (field.default_value.kind == DefaultKind::none) {
        if (inner->kind != Kind::union_ || inner->branches.size() != 2
            || inner->branches[0]->kind != Kind::null) {
          return false;
        }
        inner = inner->branches[1];
      }
      if (avro.name != field.name || !type(field.type, *inner)) {
        return false;
      }
      fills.emplace_back(&field, avro.fill ? &*avro.fill : nullptr);
      classes.push_back(&cls);
    }
    return true;
  }

  std::set<std::pair<const DataClass*, const Node*>> seen;
  std::vector<std::pair<const oex::Field*, const nlohmann::ordered_json*>> fills;
  std::vector<const DataClass*> classes; // the class of each fills entry
};

} // namespace

OnePassEncoder::OnePassEncoder(const EventType& event, const Schema& schema)
  : FastCheck(event)
{
  const Node& root = schema.root();
  if (root.kind != Kind::record || root.fields.size() != event.data.size()) {
    return;
  }
  ShapeCheck shape;
  for (std::size_t i = 0; i < event.data.size(); ++i) {
    if (root.fields[i].name != event.data[i].name
        || !shape.record(*event.data[i].data_class, *root.fields[i].type)) {
      return;
    }
  }
  for (const auto& [cls, node] : shape.seen) {
    if (m_classes.contains(cls)) {
      return; // one class as two records: not what the reading below assumes
    }
    ClassPlan& plan = m_classes[cls];
    for (const oex::Field& field : cls->fields) {
      plan.fields.push_back(&field);
    }
    plan.absent.resize(cls->fields.size());
  }
  m_usable = true;
  // What an absent field takes: null (the union's first branch), or its data-class default,
  // encoded by this same reading from the default's JSON text, as the long way parses it.
  for (std::size_t i = 0; i < shape.fills.size(); ++i) {
    const auto [field, fill] = shape.fills[i];
    ClassPlan& plan = m_classes[shape.classes[i]];
    const std::size_t index = static_cast<std::size_t>(field - plan.fields.front());
    std::string& bytes = plan.absent[index];
    if (field->default_value.kind == DefaultKind::none) {
      bytes.assign(1, '\0');
    } else if (fill) {
      const std::string text = fill->dump();
      m_at = text.data();
      m_end = m_at + text.size();
      m_depth = 0;
      m_out = &bytes;
      if (!value(field->type) || m_at != m_end) {
        bytes.clear(); // unknown: a payload without the field goes the long way
      }
    }
  }
  m_out = nullptr;
}

bool OnePassEncoder::encode(std::string_view document, std::string& out)
{
  if (!m_usable) {
    return false;
  }
  if (document.starts_with("\xEF\xBB\xBF")) {
    document.remove_prefix(3);
  }
  const std::size_t size = out.size();
  m_out = &out;
  m_at = document.data();
  m_end = m_at + document.size();
  m_depth = 0;
  skip_space();
  bool ok = top();
  if (ok) {
    skip_space();
    ok = m_at == m_end;
  }
  if (!ok) {
    out.resize(size);
    m_entries.clear();
  }
  m_out = nullptr;
  return ok;
}

void OnePassEncoder::put_long(std::int64_t value)
{
  char buf[10];
  m_out->append(buf, avro::put_long(buf, value));
}

void OnePassEncoder::put_text(std::string_view text)
{
  put_long(static_cast<std::int64_t>(text.size()));
  m_out->append(text);
}

bool OnePassEncoder::put_in_order(std::size_t start, std::size_t count, const Span* spans,
                                  std::uint64_t seen, bool in_order, const ClassPlan* plan)
{
  const std::uint64_t all = count == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << count) - 1;
  if (in_order && seen == all) {
    return true;
  }
  m_tmp.assign(*m_out, start);
  m_out->resize(start);
  for (std::size_t i = 0; i < count; ++i) {
    if ((seen & (std::uint64_t{1} << i)) != 0) {
      m_out->append(m_tmp, spans[i].first - start, spans[i].second - spans[i].first);
    } else if (plan && !plan->absent[i].empty()) {
      m_out->append(plan->absent[i]);
    } else {
      return false;
    }
  }
  return true;
}

// The members of an object whose keys name count slots (name(i)), each value written by
// value(i), then put in the slots' order, an absent one as plan says (none: all are required).
template <typename Name, typename Value>
bool OnePassEncoder::ordered_members(std::size_t count, Name name, Value value,
                                     const ClassPlan* plan)
{
  Span spans[64];
  const std::size_t start = m_out->size();
  std::uint64_t seen = 0;
  std::size_t next = 0;
  bool in_order = true;
  const bool read = members(
    count, name,
    [&](std::size_t i) {
      in_order = in_order && i == next++;
      const auto begin = static_cast<std::uint32_t>(m_out->size());
      const bool ok = value(i);
      spans[i] = {begin, static_cast<std::uint32_t>(m_out->size())};
      return ok;
    },
    &seen);
  return read && put_in_order(start, count, spans, seen, in_order, plan);
}

// The event's data keys, each a data class (never null), all of them.
bool OnePassEncoder::top()
{
  const auto& keys = m_event.data;
  return ordered_members(
    keys.size(), [&](std::size_t i) -> const std::string& { return keys[i].name; },
    [&](std::size_t i) { return m_at != m_end && *m_at != 'n' && record(*keys[i].data_class); },
    nullptr);
}

// A data class: a required field that is absent has no bytes in the plan, so it is refused.
bool OnePassEncoder::record(const DataClass& cls)
{
  const auto found = m_classes.find(&cls);
  if (found == m_classes.end()) {
    return false;
  }
  const auto& fields = cls.fields;
  return ordered_members(
    fields.size(), [&](std::size_t i) -> const std::string& { return fields[i].name; },
    [&](std::size_t i) {
      if (fields[i].default_value.kind != DefaultKind::none) {
        return value(fields[i].type);
      }
      if (m_at != m_end && *m_at == 'n') {
        m_out->push_back('\0'); // the union's branch 0, null
        return literal("null");
      }
      m_out->push_back('\2'); // branch 1
      return value(fields[i].type);
    },
    &found->second);
}

// A value that may not be null, at m_at.
bool OnePassEncoder::value(const Type& type)
{
  if (m_at == m_end || *m_at == 'n') {
    return false;
  }
  std::string_view text;
  switch (type.kind) {
  case TypeKind::str:
  case TypeKind::bytes:
    if (!string(&text)) {
      return false;
    }
    put_text(text);
    return true;
  case TypeKind::int_:
  case TypeKind::float_:
    return number_value(type);
  case TypeKind::bool_: {
    const bool yes = *m_at == 't';
    if (!literal(yes ? "true" : "false")) {
      return false;
    }
    m_out->push_back(yes ? '\1' : '\0');
    return true;
  }
  case TypeKind::datetime: {
    if (!string(&text)) {
      return false;
    }
    if (is_canonical_utc_isoformat(text)) { // the usual case: written as it came
      put_text(text);
      return true;
    }
    const auto parsed = parse_isoformat(text);
    if (!parsed) {
      return false;
    }
    put_text(isoformat(*parsed));
    return true;
  }
  case TypeKind::uuid:
  case TypeKind::opaque_key: {
    if (!string(&text)) {
      return false;
    }
    if (type.kind == TypeKind::opaque_key && is_usual_canonical_key(type.key, text)) {
      put_text(text); // the usual case: already in its canonical spelling
      return true;
    }
    const std::optional<std::string> canonical =
      type.kind == TypeKind::uuid ? canonical_uuid(text) : canonical_key(type.key, text);
    if (!canonical) {
      return false;
    }
    put_text(*canonical);
    return true;
  }
  case TypeKind::list:
    return list(*type.element);
  case TypeKind::dict:
    return dict(*type.element);
  case TypeKind::record:
    return record(*type.record);
  case TypeKind::binary_io:
    return false;
  }
  return false;
}

// An int as a long; a float as a double, converted as RapidJSON (full precision) converts the
// same text: an integer within 64 bits through that integer, anything else correctly rounded.
bool OnePassEncoder::number_value(const Type& type)
{
  const char* start = m_at;
  bool integer = false;
  if (!number(&integer)) {
    return false;
  }
  const char* stop = m_at;
  if (integer) {
    std::int64_t v = 0;
    if (std::from_chars(start, stop, v).ec != std::errc()) {
      return false;
    }
    if (type.kind == TypeKind::int_) {
      put_long(v);
      return true;
    }
    const auto d = static_cast<double>(v); // "-0" too: RapidJSON reads it as the integer 0
    m_out->append(reinterpret_cast<const char*>(&d), sizeof d); // little-endian, as Avro
    return true;
  }
  if (type.kind == TypeKind::int_) {
    return false;
  }
  double d = 0;
  if (std::find_if(start, stop, [](char c) { return c == '.' || c == 'e' || c == 'E'; }) == stop) {
    // a whole number past the signed 64-bit range: RapidJSON takes it as unsigned when it can
    std::uint64_t u = 0;
    if (*start == '-' || std::from_chars(start, stop, u).ec != std::errc()) {
      return false;
    }
    d = static_cast<double>(u);
  } else if (stop - start > 40 || std::from_chars(start, stop, d).ec != std::errc()) {
    return false;
  }
  m_out->append(reinterpret_cast<const char*>(&d), sizeof d);
  return true;
}

// fastavro writes an array as one block of all its items, then 0.
bool OnePassEncoder::list(const Type& element)
{
  const std::size_t start = m_out->size();
  std::int64_t count = 0;
  if (!items('[', ']', [&] {
        ++count;
        return value(element);
      })) {
    return false;
  }
  if (count > 0) {
    char buf[10];
    m_out->insert(start, buf, avro::put_long(buf, count));
  }
  m_out->push_back('\0');
  return true;
}

// A map likewise, its entries in the byte order of their keys (upstream sorts them); a key
// given twice is left to the long way.
bool OnePassEncoder::dict(const Type& element)
{
  const std::size_t base = m_entries.size();
  const std::size_t start = m_out->size();
  const bool read = items('{', '}', [&] {
    std::string_view key;
    if (!string(&key)) {
      return false;
    }
    Entry entry{};
    entry.begin = static_cast<std::uint32_t>(m_out->size());
    put_long(static_cast<std::int64_t>(key.size()));
    entry.key = static_cast<std::uint32_t>(m_out->size());
    entry.key_size = static_cast<std::uint32_t>(key.size());
    m_out->append(key);
    if (!colon() || !value(element)) {
      return false;
    }
    entry.end = static_cast<std::uint32_t>(m_out->size());
    m_entries.push_back(entry);
    return true;
  });
  const auto first = m_entries.begin() + static_cast<std::ptrdiff_t>(base);
  const auto key = [&](const Entry& e) {
    return std::string_view(m_out->data() + e.key, e.key_size);
  };
  bool ok = read;
  if (ok && m_entries.size() > base) {
    std::sort(first, m_entries.end(), [&](const Entry& a, const Entry& b) { return key(a) < key(b); });
    ok = std::adjacent_find(first, m_entries.end(), [&](const Entry& a, const Entry& b) {
           return key(a) == key(b);
         }) == m_entries.end();
  }
  if (ok && m_entries.size() > base) {
    m_tmp.assign(*m_out, start);
    m_out->resize(start);
    put_long(static_cast<std::int64_t>(m_entries.size() - base));
    for (auto it = first; it != m_entries.end(); ++it) {
      m_out->append(m_tmp, it->begin - start, it->end - it->begin);
    }
  }
  m_entries.resize(base);
  if (ok) {
    m_out->push_back('\0');
  }
  return ok;
}

} // namespace oex::avro

#include "avro/resolution.hpp"

#include <set>

namespace oex::avro {

namespace {

bool same_name(const Node& writer, const Node& reader)
{
  if (writer.short_name() == reader.short_name()) {
    return true;
  }
  for (const std::string& alias : reader.aliases) {
    const auto dot = alias.rfind('.');
    const std::string_view short_alias =
      dot == std::string::npos ? std::string_view(alias) : std::string_view(alias).substr(dot + 1);
    if (alias == writer.name || short_alias == writer.short_name()) {
      return true;
    }
  }
  return false;
}

bool promotes(Kind writer, Kind reader)
{
  switch (writer) {
  case Kind::int_:
    return reader == Kind::long_ || reader == Kind::float_ || reader == Kind::double_;
  case Kind::long_:
    return reader == Kind::float_ || reader == Kind::double_;
  case Kind::float_:
    return reader == Kind::double_;
  case Kind::string:
    return reader == Kind::bytes;
  case Kind::bytes:
    return reader == Kind::string;
  default:
    return false;
  }
}

} // namespace

Match match(const Node& writer, const Node& reader)
{
  if (writer.kind != reader.kind) {
    return promotes(writer.kind, reader.kind) ? Match::promoted : Match::none;
  }
  switch (writer.kind) {
  case Kind::record:
  case Kind::enum_:
    return same_name(writer, reader) ? Match::exact : Match::none;
  case Kind::fixed:
    return same_name(writer, reader) && writer.size == reader.size ? Match::exact : Match::none;
  default:
    return Match::exact;
  }
}

int union_branch(const Node& reader_union, const Node& writer)
{
  int promoted = -1;
  for (std::size_t i = 0; i < reader_union.branches.size(); ++i) {
    const Match m = match(writer, *reader_union.branches[i]);
    if (m == Match::exact) {
      return static_cast<int>(i);
    }
    if (m == Match::promoted && promoted < 0) {
      promoted = static_cast<int>(i);
    }
  }
  return promoted;
}

RecordPlan plan_record(const Node& writer, const Node& reader)
{
  RecordPlan plan;
  plan.reader_index.assign(writer.fields.size(), -1);
  plan.writer_index.assign(reader.fields.size(), -1);
  for (std::size_t r = 0; r < reader.fields.size(); ++r) {
    const Field& field = reader.fields[r];
    for (std::size_t w = 0; w < writer.fields.size(); ++w) {
      bool hit = writer.fields[w].name == field.name;
      for (const std::string& alias : field.aliases) {
        hit = hit || writer.fields[w].name == alias;
      }
      if (hit && plan.reader_index[w] < 0) {
        plan.reader_index[w] = static_cast<int>(r);
        plan.writer_index[r] = static_cast<int>(w);
        break;
      }
    }
    if (plan.writer_index[r] < 0 && !field.default_value) {
      plan.without_default.push_back(&field);
    }
  }
  plan.in_order = writer.fields.size() == reader.fields.size();
  for (std::size_t w = 0; plan.in_order && w < writer.fields.size(); ++w) {
    plan.in_order = plan.reader_index[w] == static_cast<int>(w);
  }
  return plan;
}

std::string describe(const Node& type)
{
  if (type.is_named()) {
    return std::string(kind_name(type.kind)) + " '" + std::string(type.short_name()) + "'";
  }
  if (type.kind == Kind::union_) {
    std::string out = "union [";
    for (std::size_t i = 0; i < type.branches.size(); ++i) {
      const Node& b = *type.branches[i];
      out += (i ? ", " : "") + (b.is_named() ? std::string(b.short_name()) : std::string(kind_name(b.kind)));
    }
    return out + "]";
  }
  return std::string(kind_name(type.kind));
}

namespace {

std::size_t min_size(const Node& type, std::set<const Node*>& open)
{
  switch (type.kind) {
  case Kind::null:
    return 0;
  case Kind::float_:
    return 4;
  case Kind::double_:
    return 8;
  case Kind::fixed:
    return type.size;
  case Kind::record: {
    if (!open.insert(&type).second) {
      return 0; // a cycle: count nothing for the inner use
    }
    std::size_t sum = 0;
    for (const Field& f : type.fields) {
      sum += min_size(*f.type, open);
    }
    open.erase(&type);
    return sum;
  }
  case Kind::union_:
    return type.branches.empty() ? 0 : 1;
  default:
    return 1; // boolean, varints, lengths, block counts
  }
}

} // namespace

std::size_t min_encoded_size(const Node& type)
{
  std::set<const Node*> open;
  return min_size(type, open);
}

} // namespace oex::avro

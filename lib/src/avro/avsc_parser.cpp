// Parsing .avsc documents into the schema model (Avro specification 1.11, "Schema Declaration").

#include <cmath>
#include <limits>
#include <set>

#include "oex/avro/schema.hpp"
#include "oex/util/error.hpp"
#include "util/json_reader.hpp"

namespace oex::avro {

using json = nlohmann::ordered_json;

namespace {

// Deeper schemas are refused rather than recursed into without bound.
constexpr int k_max_depth = 200;

std::optional<Kind> primitive_kind(std::string_view name)
{
  static constexpr std::pair<std::string_view, Kind> k_primitives[] = {
    {"null", Kind::null},     {"boolean", Kind::boolean}, {"int", Kind::int_},
    {"long", Kind::long_},    {"float", Kind::float_},    {"double", Kind::double_},
    {"bytes", Kind::bytes},   {"string", Kind::string},
  };
  for (const auto& [n, k] : k_primitives) {
    if (n == name) {
      return k;
    }
  }
  return std::nullopt;
}

// [A-Za-z_][A-Za-z0-9_]*, and in namespaces also '-' after the first character: upstream's
// org.openedx.enterprise.subsidy.redemption-reversed.v1 has one, and fastavro accepts it.
bool valid_name_part(std::string_view part, bool in_namespace)
{
  if (part.empty()) {
    return false;
  }
  for (std::size_t i = 0; i < part.size(); ++i) {
    const char c = part[i];
    const bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    if (!(letter || (i > 0 && (digit || (in_namespace && c == '-'))))) {
      return false;
    }
  }
  return true;
}

bool valid_dotted(std::string_view name, bool in_namespace)
{
  std::size_t start = 0;
  while (true) {
    const auto dot = name.find('.', start);
    if (!valid_name_part(name.substr(start, dot - start), in_namespace)) {
      return false;
    }
    if (dot == std::string_view::npos) {
      return true;
    }
    start = dot + 1;
  }
}

std::string quoted(const json& value)
{
  std::string text = value.dump();
  if (text.size() > 60) {
    text = text.substr(0, 57) + "...";
  }
  return text;
}

class AvscParser
{
public:
  AvscParser(std::string_view name, Schema& schema)
    : m_name(name)
    , m_schema(schema)
  {
  }

  const Node& parse(const json& value, const std::string& path, const std::string& ns, int depth)
  {
    if (depth > k_max_depth) {
      fail(path, "nesting deeper than " + std::to_string(k_max_depth));
    }
    if (value.is_string()) {
      return reference(value.get<std::string>(), path, ns);
    }
    if (value.is_array()) {
      return union_(value, path, ns, depth);
    }
    if (!value.is_object()) {
      fail(path, "expected a type name, an object or an array, got " + quoted(value));
    }
    const auto type = value.find("type");
    if (type == value.end()) {
      fail(path, "missing 'type'");
    }
    if (!type->is_string()) {
      // {"type": {...}} and {"type": [...]} are not in the specification, but Java and
      // fastavro read them as the inner type; so do we.
      return parse(*type, at(path, "type"), ns, depth + 1);
    }
    const std::string kind = type->get<std::string>();
    if (auto primitive = primitive_kind(kind)) {
      Node& node = m_schema.add(*primitive);
      keep_extra(node, value, {"type"});
      return node;
    }
    if (kind == "record" || kind == "error") {
      return record(value, path, ns, depth);
    }
    if (kind == "enum") {
      return enum_(value, path, ns);
    }
    if (kind == "fixed") {
      return fixed(value, path, ns);
    }
    if (kind == "array" || kind == "map") {
      const bool array = kind == "array";
      const char* key = array ? "items" : "values";
      const auto inner = value.find(key);
      if (inner == value.end()) {
        fail(path, kind + " without '" + key + "'");
      }
      Node& node = m_schema.add(array ? Kind::array : Kind::map);
      node.items = &parse(*inner, at(path, key), ns, depth + 1);
      keep_extra(node, value, {"type", key, "default"});
      return node;
    }
    // A named type may be referenced as {"type": "Name"}.
    return reference(kind, at(path, "type"), ns);
  }

  // Checks that default fits type (the specification's JSON encoding of defaults). A union's
  // default may match any branch: fastavro and Java accept that, the 1.11 text says the first.
  void check_default(const Node& type, const json& value, const std::string& path, int depth)
  {
    if (depth > k_max_depth) {
      fail(path, "default nested deeper than " + std::to_string(k_max_depth));
    }
    if (!default_fits(type, value, depth)) {
      fail(path, "default " + quoted(value) + " is not a valid " + describe(type));
    }
  }

private:
  static std::string describe(const Node& type)
  {
    if (type.is_named()) {
      return std::string(kind_name(type.kind)) + " '" + type.name + "'";
    }
    return std::string(kind_name(type.kind));
  }

  bool default_fits(const Node& type, const json& v, int depth)
  {
    if (depth > k_max_depth) {
      return false;
    }
    switch (type.kind) {
    case Kind::null:
      return v.is_null();
    case Kind::boolean:
      return v.is_boolean();
    case Kind::int_:
      return v.is_number_integer() && !v.is_number_unsigned()
               ? v.get<std::int64_t>() >= std::numeric_limits<std::int32_t>::min()
                   && v.get<std::int64_t>() <= std::numeric_limits<std::int32_t>::max()
               : v.is_number_unsigned() && v.get<std::uint64_t>() <= 0x7fffffffULL;
    case Kind::long_:
      return v.is_number_integer()
             && (!v.is_number_unsigned() || v.get<std::uint64_t>() <= 0x7fffffffffffffffULL);
    case Kind::float_:
    case Kind::double_:
      return v.is_number() || (v.is_string() && (v == "NaN" || v == "Infinity" || v == "-Infinity"));
    case Kind::bytes:
    case Kind::string:
      return v.is_string();
    case Kind::fixed:
      return v.is_string();
    case Kind::enum_:
      if (!v.is_string()) {
        return false;
      }
      for (const auto& s : type.symbols) {
        if (s == v.get_ref<const std::string&>()) {
          return true;
        }
      }
      return false;
    case Kind::array:
      if (!v.is_array()) {
        return false;
      }
      for (const auto& item : v) {
        if (!default_fits(*type.items, item, depth + 1)) {
          return false;
        }
      }
      return true;
    case Kind::map:
      if (!v.is_object()) {
        return false;
      }
      for (const auto& [key, item] : v.items()) {
        if (!default_fits(*type.items, item, depth + 1)) {
          return false;
        }
      }
      return true;
    case Kind::record:
      if (!v.is_object()) {
        return false;
      }
      for (const Field& f : type.fields) {
        const auto it = v.find(f.name);
        if (it == v.end() ? !f.default_value : !default_fits(*f.type, *it, depth + 1)) {
          return false;
        }
      }
      return true;
    case Kind::union_:
      for (const Node* branch : type.branches) {
        if (default_fits(*branch, v, depth + 1)) {
          return true;
        }
      }
      return false;
    }
    return false;
  }

  static std::string at(const std::string& path, std::string_view key)
  {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
  }
  static std::string at(const std::string& path, std::size_t index)
  {
    return path + "[" + std::to_string(index) + "]";
  }

  [[noreturn]] void fail(const std::string& path, const std::string& problem) const
  {
    throw Error(std::string(m_name) + ": " + (path.empty() ? "(root)" : path) + ": " + problem);
  }

  static void keep_extra(Node& node, const json& value, std::initializer_list<std::string_view> known)
  {
    for (const auto& [key, item] : value.items()) {
      bool is_known = false;
      for (std::string_view k : known) {
        is_known = is_known || k == key;
      }
      if (!is_known) {
        node.extra[key] = item;
      }
    }
  }

  std::string optional_string(const json& value, const char* key, const std::string& path)
  {
    const auto it = value.find(key);
    if (it == value.end()) {
      return {};
    }
    if (!it->is_string()) {
      fail(at(path, key), "expected a string, got " + quoted(*it));
    }
    return it->get<std::string>();
  }

  // The full name of a type reference or definition seen in namespace ns.
  static std::string full_name(const std::string& name, const std::string& ns)
  {
    if (name.find('.') != std::string::npos || ns.empty()) {
      return name;
    }
    return ns + "." + name;
  }

  const Node& reference(const std::string& name, const std::string& path, const std::string& ns)
  {
    if (auto primitive = primitive_kind(name)) {
      return m_schema.add(*primitive);
    }
    if (const Node* named = m_schema.find(full_name(name, ns))) {
      return *named;
    }
    if (const Node* named = m_schema.find(name)) {
      return *named; // a name in the null namespace, seen from inside another one
    }
    fail(path, "unknown type '" + name + "'");
  }

  // Names, namespace, aliases and doc of a named type; registers it.
  Node& named(Kind kind, const json& value, const std::string& path, const std::string& ns)
  {
    Node& node = m_schema.add(kind);
    const auto name = value.find("name");
    if (name == value.end()) {
      fail(path, std::string(kind_name(kind)) + " without 'name'");
    }
    if (!name->is_string()) {
      fail(at(path, "name"), "expected a string, got " + quoted(*name));
    }
    const std::string written = name->get<std::string>();
    std::string space = ns;
    if (value.contains("namespace")) {
      const auto& n = value["namespace"];
      if (!n.is_string() && !n.is_null()) {
        fail(at(path, "namespace"), "expected a string, got " + quoted(n));
      }
      space = n.is_null() ? "" : n.get<std::string>();
      if (!space.empty() && !valid_dotted(space, true)) {
        fail(at(path, "namespace"), "invalid namespace '" + space + "'");
      }
      node.namespace_written = written.find('.') == std::string::npos;
    }
    if (!valid_dotted(written, true) || !valid_name_part(written.substr(written.rfind('.') + 1), false)) {
      fail(at(path, "name"), "invalid name '" + written + "'");
    }
    node.name = full_name(written, space);
    const auto dot = node.name.rfind('.');
    node.namespace_ = dot == std::string::npos ? "" : node.name.substr(0, dot);
    if (primitive_kind(node.name)) {
      fail(at(path, "name"), "'" + node.name + "' is a primitive type and cannot be redefined");
    }
    if (!m_schema.register_name(node)) {
      fail(at(path, "name"), "type '" + node.name + "' is defined twice");
    }
    node.doc = optional_string(value, "doc", path);
    node.aliases = aliases(value, path, node.namespace_);
    return node;
  }

  std::vector<std::string> aliases(const json& value, const std::string& path, const std::string& ns)
  {
    std::vector<std::string> out;
    const auto it = value.find("aliases");
    if (it == value.end()) {
      return out;
    }
    if (!it->is_array()) {
      fail(at(path, "aliases"), "expected an array of names, got " + quoted(*it));
    }
    for (std::size_t i = 0; i < it->size(); ++i) {
      const json& alias = (*it)[i];
      if (!alias.is_string() || !valid_dotted(alias.get<std::string>(), true)) {
        fail(at(at(path, "aliases"), i), "invalid alias " + quoted(alias));
      }
      out.push_back(full_name(alias.get<std::string>(), ns));
    }
    return out;
  }

  const Node& record(const json& value, const std::string& path, const std::string& ns, int depth)
  {
    Node& node = named(Kind::record, value, path, ns);
    const auto fields = value.find("fields");
    if (fields == value.end()) {
      fail(path, "record without 'fields'");
    }
    if (!fields->is_array()) {
      fail(at(path, "fields"), "expected an array, got " + quoted(*fields));
    }
    keep_extra(node, value, {"type", "name", "namespace", "doc", "aliases", "fields"});
    std::set<std::string, std::less<>> seen;
    for (std::size_t i = 0; i < fields->size(); ++i) {
      const json& f = (*fields)[i];
      const std::string fpath = at(at(path, "fields"), i);
      if (!f.is_object()) {
        fail(fpath, "expected a field object, got " + quoted(f));
      }
      Field field;
      const auto name = f.find("name");
      if (name == f.end() || !name->is_string()) {
        fail(fpath, "field without a 'name' string");
      }
      field.name = name->get<std::string>();
      if (!valid_name_part(field.name, false)) {
        fail(at(fpath, "name"), "invalid field name '" + field.name + "'");
      }
      if (!seen.insert(field.name).second) {
        fail(at(fpath, "name"), "field '" + field.name + "' is defined twice");
      }
      const auto type = f.find("type");
      if (type == f.end()) {
        fail(fpath, "field '" + field.name + "' without 'type'");
      }
      field.type = &parse(*type, at(fpath, "type"), node.namespace_, depth + 1);
      field.doc = optional_string(f, "doc", fpath);
      field.order = optional_string(f, "order", fpath);
      if (!field.order.empty() && field.order != "ascending" && field.order != "descending"
          && field.order != "ignore") {
        fail(at(fpath, "order"), "invalid order '" + field.order + "'");
      }
      field.aliases = aliases(f, fpath, "");
      for (std::string& alias : field.aliases) {
        if (alias.find('.') != std::string::npos) {
          fail(at(fpath, "aliases"), "invalid field alias '" + alias + "'");
        }
      }
      if (const auto d = f.find("default"); d != f.end()) {
        check_default(*field.type, *d, at(fpath, "default"), 0);
        field.default_value = *d;
      }
      node.fields.push_back(std::move(field));
    }
    return node;
  }

  const Node& enum_(const json& value, const std::string& path, const std::string& ns)
  {
    Node& node = named(Kind::enum_, value, path, ns);
    const auto symbols = value.find("symbols");
    if (symbols == value.end() || !symbols->is_array()) {
      fail(path, "enum without a 'symbols' array");
    }
    std::set<std::string, std::less<>> seen;
    for (std::size_t i = 0; i < symbols->size(); ++i) {
      const json& s = (*symbols)[i];
      if (!s.is_string() || !valid_name_part(s.get<std::string>(), false)) {
        fail(at(at(path, "symbols"), i), "invalid symbol " + quoted(s));
      }
      if (!seen.insert(s.get<std::string>()).second) {
        fail(at(at(path, "symbols"), i), "symbol " + quoted(s) + " is listed twice");
      }
      node.symbols.push_back(s.get<std::string>());
    }
    if (const auto d = value.find("default"); d != value.end()) {
      if (!d->is_string() || !seen.contains(d->get<std::string>())) {
        fail(at(path, "default"), "default " + quoted(*d) + " is not one of the symbols");
      }
      node.enum_default = d->get<std::string>();
    }
    keep_extra(node, value, {"type", "name", "namespace", "doc", "aliases", "symbols", "default"});
    return node;
  }

  const Node& fixed(const json& value, const std::string& path, const std::string& ns)
  {
    Node& node = named(Kind::fixed, value, path, ns);
    const auto size = value.find("size");
    if (size == value.end() || !size->is_number_integer() || size->get<std::int64_t>() < 0
        || size->get<std::uint64_t>() > 0x7fffffffULL) {
      fail(path, "fixed without a 'size' between 0 and 2147483647");
    }
    node.size = size->get<std::size_t>();
    keep_extra(node, value, {"type", "name", "namespace", "doc", "aliases", "size"});
    return node;
  }

  const Node& union_(const json& value, const std::string& path, const std::string& ns, int depth)
  {
    Node& node = m_schema.add(Kind::union_);
    std::set<std::string> seen;
    for (std::size_t i = 0; i < value.size(); ++i) {
      const Node& branch = parse(value[i], at(path, i), ns, depth + 1);
      if (branch.kind == Kind::union_) {
        fail(at(path, i), "a union cannot hold a union directly");
      }
      const std::string id = branch.is_named() ? branch.name : std::string(kind_name(branch.kind));
      if (!seen.insert(id).second) {
        fail(at(path, i), "union holds '" + id + "' twice");
      }
      node.branches.push_back(&branch);
    }
    return node;
  }

  std::string_view m_name;
  Schema& m_schema;
};

} // namespace

Schema parse_schema(std::string_view name, std::string_view text)
{
  const json document = parse_json_document(name, text);
  Schema schema;
  AvscParser parser(name, schema);
  schema.set_root(&parser.parse(document, "", "", 0));
  return schema;
}

} // namespace oex::avro

#include "oex/avro/schema.hpp"

#include <set>

namespace oex::avro {

using json = nlohmann::ordered_json;

std::string_view kind_name(Kind kind)
{
  switch (kind) {
  case Kind::null:
    return "null";
  case Kind::boolean:
    return "boolean";
  case Kind::int_:
    return "int";
  case Kind::long_:
    return "long";
  case Kind::float_:
    return "float";
  case Kind::double_:
    return "double";
  case Kind::bytes:
    return "bytes";
  case Kind::string:
    return "string";
  case Kind::record:
    return "record";
  case Kind::enum_:
    return "enum";
  case Kind::array:
    return "array";
  case Kind::map:
    return "map";
  case Kind::union_:
    return "union";
  case Kind::fixed:
    return "fixed";
  }
  return "?";
}

std::string_view Node::short_name() const
{
  const std::string_view full = name;
  const auto dot = full.rfind('.');
  return dot == std::string_view::npos ? full : full.substr(dot + 1);
}

const Node* Schema::find(std::string_view full_name) const
{
  const auto it = m_named.find(full_name);
  return it == m_named.end() ? nullptr : it->second;
}

Node& Schema::add(Kind kind)
{
  Node& node = m_nodes.emplace_back();
  node.kind = kind;
  return node;
}

bool Schema::register_name(const Node& node)
{
  return m_named.emplace(node.name, &node).second;
}

namespace {

class JsonWriter
{
public:
  json type(const Node& node)
  {
    if (node.is_named() && !m_written.insert(&node).second) {
      return relative_name(node);
    }
    switch (node.kind) {
    case Kind::record:
    case Kind::enum_:
    case Kind::fixed:
      return named(node);
    case Kind::array:
      return with_extra(node, json{{"type", "array"}, {"items", type(*node.items)}});
    case Kind::map:
      return with_extra(node, json{{"type", "map"}, {"values", type(*node.items)}});
    case Kind::union_: {
      json out = json::array();
      for (const Node* branch : node.branches) {
        out.push_back(type(*branch));
      }
      return out;
    }
    default:
      if (node.extra.empty()) {
        return std::string(kind_name(node.kind));
      }
      return with_extra(node, json{{"type", kind_name(node.kind)}});
    }
  }

private:
  static json with_extra(const Node& node, json out)
  {
    for (const auto& [key, value] : node.extra.items()) {
      out[key] = value;
    }
    return out;
  }

  json named(const Node& node)
  {
    json out = json::object();
    out["name"] = node.namespace_written ? std::string(node.short_name()) : relative_name(node);
    const std::string outer = m_namespace;
    m_namespace = node.namespace_;
    out["type"] = kind_name(node.kind);
    if (!node.doc.empty()) {
      out["doc"] = node.doc;
    }
    if (!node.aliases.empty()) {
      out["aliases"] = node.aliases;
    }
    if (node.kind == Kind::record) {
      out["fields"] = json::array();
      for (const Field& field : node.fields) {
        out["fields"].push_back(this->field(field));
      }
    } else if (node.kind == Kind::enum_) {
      out["symbols"] = node.symbols;
      if (node.enum_default) {
        out["default"] = *node.enum_default;
      }
    } else {
      out["size"] = node.size;
    }
    if (node.namespace_written) {
      out["namespace"] = node.namespace_;
    }
    m_namespace = outer;
    return with_extra(node, std::move(out));
  }

  json field(const Field& field)
  {
    json out = json::object();
    out["name"] = field.name;
    out["type"] = type(*field.type);
    if (!field.doc.empty()) {
      out["doc"] = field.doc;
    }
    if (field.default_value) {
      out["default"] = *field.default_value;
    }
    if (!field.order.empty()) {
      out["order"] = field.order;
    }
    if (!field.aliases.empty()) {
      out["aliases"] = field.aliases;
    }
    return out;
  }

  // The short name when the node lives in the enclosing namespace, else the full name.
  std::string relative_name(const Node& node) const
  {
    return node.namespace_ == m_namespace ? std::string(node.short_name()) : node.name;
  }

  std::set<const Node*> m_written;
  std::string m_namespace; // of the innermost named type being written
};

} // namespace

json to_json(const Schema& schema)
{
  JsonWriter writer;
  return writer.type(schema.root());
}

} // namespace oex::avro

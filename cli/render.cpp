#include "render.hpp"

#include <algorithm>
#include <set>
#include <vector>

#include <fmt/core.h>

#include "oex/avro/avro_schema.hpp"

namespace oex::cli {

using json = nlohmann::ordered_json;

namespace {

json optional_string(const std::optional<std::string>& value)
{
  return value ? json(*value) : json(nullptr);
}

json default_json(const FieldDefault& value)
{
  switch (value.kind) {
  case DefaultKind::required:
    return json{{"required", true}};
  case DefaultKind::none:
    return json{{"required", false}, {"default", nullptr}};
  case DefaultKind::value:
    return json{{"required", false}, {"default", value.value}};
  case DefaultKind::factory:
    return json{{"required", false},
                {"default", value.factory == "str"    ? json("")
                            : value.factory == "list" ? json::array()
                                                      : json::object()}};
  }
  return json::object();
}

// The data class a type refers to, directly or as the element of a container.
const DataClass* record_of(const Type& type)
{
  const Type* t = &type;
  while (t->element) {
    t = t->element.get();
  }
  return t->kind == TypeKind::record ? t->record : nullptr;
}

// What has been expanded while showing one event. Nested classes are expanded in full until
// the tree holds k_show_budget fields; past that, a class already expanded once is named but not
// expanded again, so that the output stays linear in the definitions (a class used twice by each
// of 30 nested classes would otherwise be shown 2^30 times).
struct Expansion
{
  static constexpr std::size_t k_show_budget = 5'000;
  std::vector<const DataClass*> path; // the classes being expanded, outermost first
  std::set<const DataClass*> expanded;
  std::size_t fields = 0;

  bool recursive(const DataClass* cls) const
  {
    return std::find(path.begin(), path.end(), cls) != path.end();
  }
  bool repeat(const DataClass* cls) const
  {
    return fields >= k_show_budget && expanded.contains(cls);
  }
};

json class_fields_json(const DataClass& cls, Expansion& expansion)
{
  json fields = json::array();
  expansion.path.push_back(&cls);
  expansion.expanded.insert(&cls);
  for (const Field& field : cls.fields) {
    ++expansion.fields;
    json out = json::object();
    out["name"] = field.name;
    out["type"] = field.type.spelling();
    const json defaults = default_json(field.default_value);
    for (const auto& [key, value] : defaults.items()) {
      out[key] = value;
    }
    if (const DataClass* nested = record_of(field.type)) {
      out["class"] = nested->qualified_name();
      if (!expansion.recursive(nested) && !expansion.repeat(nested)) {
        out["fields"] = class_fields_json(*nested, expansion);
      }
    }
    fields.push_back(std::move(out));
  }
  expansion.path.pop_back();
  return fields;
}

struct TreeLine
{
  std::string left;
  std::string right;
};

void class_tree(const DataClass& cls, int depth, Expansion& expansion, std::vector<TreeLine>& lines)
{
  expansion.path.push_back(&cls);
  expansion.expanded.insert(&cls);
  for (const Field& field : cls.fields) {
    ++expansion.fields;
    const std::string indent(static_cast<std::size_t>(depth) * 2, ' ');
    lines.push_back(
      {indent + field.name + ": " + field.type.spelling(), default_text(field.default_value)});
    if (const DataClass* nested = record_of(field.type)) {
      if (expansion.recursive(nested)) {
        lines.push_back({indent + "  (" + nested->name + ", recursive)", ""});
      } else if (expansion.repeat(nested)) {
        lines.push_back({indent + "  (" + nested->name + ", as above)", ""});
      } else {
        class_tree(*nested, depth + 1, expansion, lines);
      }
    }
  }
  expansion.path.pop_back();
}

} // namespace

std::string default_text(const FieldDefault& value)
{
  switch (value.kind) {
  case DefaultKind::required:
    return "required";
  case DefaultKind::none:
    return "optional (null)";
  case DefaultKind::value:
    return "default " + value.value.dump();
  case DefaultKind::factory:
    return value.factory == "str"    ? "default \"\""
           : value.factory == "list" ? "default []"
                                     : "default {}";
  }
  return "";
}

json event_summary_json(const EventType& event)
{
  json out = json::object();
  out["event_type"] = event.event_type;
  out["name"] = event.name;
  out["subdomain"] = event.subdomain;
  out["minor_version"] = event.minor_version;
  out["description"] = event.description;
  json data = json::object();
  for (const DataKey& key : event.data) {
    data[key.name] = key.data_class->qualified_name();
  }
  out["data"] = std::move(data);
  out["key_field"] = optional_string(event.key_field);
  out["trigger_repository"] = optional_string(event.trigger_repository);
  // Two facts, each from its source: upstream's warning about the event, and whether oex can
  // make its Avro schema (what `oex schema` and the event bus need).
  out["warning"] = optional_string(event.warning);
  const std::optional<std::string> avro_problem = avro_schema_problem(event);
  out["avro_schema"] = !avro_problem;
  out["avro_schema_error"] = optional_string(avro_problem);
  out["defined_in"] = event.origin;
  return out;
}

json event_detail_json(const EventType& event)
{
  json out = event_summary_json(event);
  json schema = json::array();
  Expansion expansion;
  for (const DataKey& key : event.data) {
    schema.push_back(json{{"name", key.name},
                          {"class", key.data_class->qualified_name()},
                          {"fields", class_fields_json(*key.data_class, expansion)}});
  }
  out["schema"] = std::move(schema);
  return out;
}

std::string data_tree(const EventType& event)
{
  std::vector<TreeLine> lines;
  Expansion expansion;
  for (const DataKey& key : event.data) {
    lines.push_back({key.name + ": " + key.data_class->name, "required"});
    class_tree(*key.data_class, 1, expansion, lines);
  }
  std::size_t width = 0;
  for (const TreeLine& line : lines) {
    width = std::max(width, line.left.size());
  }
  std::string out;
  for (const TreeLine& line : lines) {
    out += "  " + line.left;
    if (!line.right.empty()) {
      out += std::string(width - line.left.size() + 2, ' ') + line.right;
    }
    out += '\n';
  }
  return out;
}

} // namespace oex::cli

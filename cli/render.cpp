#include "render.hpp"

#include <algorithm>
#include <vector>

#include <fmt/core.h>

#include "oex/catalog/field_tree.hpp"

namespace oex::cli {

using json = nlohmann::ordered_json;

namespace {

json optional_string(const std::optional<std::string_view>& value)
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

struct TreeLine
{
  std::string left;
  std::string right;
};

} // namespace

json event_summary_json(const ListedEvent& event)
{
  json out = json::object();
  out["event_type"] = event.event_type;
  out["name"] = event.name;
  out["subdomain"] = event.subdomain;
  out["minor_version"] = event.minor_version;
  out["description"] = event.description;
  json data = json::object();
  for (const ListedDataKey& key : event.data) {
    data[std::string(key.name)] = key.qualified_class;
  }
  out["data"] = std::move(data);
  out["key_field"] = optional_string(event.key_field);
  out["trigger_repository"] = optional_string(event.trigger_repository);
  // Two facts, each from its source: upstream's warning about the event, and whether oex can
  // make its Avro schema (what `oex schema` and the event bus need).
  out["warning"] = optional_string(event.warning);
  out["avro_schema"] = !event.avro_schema_error;
  out["avro_schema_error"] = optional_string(event.avro_schema_error);
  out["defined_in"] = event.defined_in;
  return out;
}

json event_detail_json(const EventType& event)
{
  const EventType* const one[] = {&event};
  json out = event_summary_json(EventListing(one).events().front());
  json schema = json::array();
  // The fields arrays being filled, one per depth: a field of depth d goes into levels[d - 1].
  std::vector<json*> levels;
  for (const FieldTreeEntry& entry : field_tree(event)) {
    levels.resize(static_cast<std::size_t>(entry.depth));
    json item = json::object();
    item["name"] = entry.name;
    if (!entry.field) {
      item["class"] = entry.data_class->qualified_name();
    } else {
      item["type"] = entry.field->type.spelling();
      const json defaults = default_json(entry.field->default_value); // outlives the loop
      for (const auto& [key, value] : defaults.items()) {
        item[key] = value;
      }
      if (entry.data_class) {
        item["class"] = entry.data_class->qualified_name();
      }
    }
    if (entry.nested == FieldTreeEntry::Nested::expanded) {
      item["fields"] = json::array();
    }
    json& into = entry.depth == 0 ? schema : *levels.back();
    into.push_back(std::move(item));
    if (entry.nested == FieldTreeEntry::Nested::expanded) {
      levels.push_back(&into.back()["fields"]);
    }
  }
  out["schema"] = std::move(schema);
  return out;
}

std::string data_tree(const EventType& event)
{
  std::vector<TreeLine> lines;
  for (const FieldTreeEntry& entry : field_tree(event)) {
    const std::string indent(static_cast<std::size_t>(entry.depth) * 2, ' ');
    if (!entry.field) {
      lines.push_back({entry.name + ": " + entry.data_class->name, "required"});
      continue;
    }
    lines.push_back({indent + entry.name + ": " + entry.field->type.spelling(),
                     default_text(entry.field->default_value)});
    if (entry.nested == FieldTreeEntry::Nested::recursive) {
      lines.push_back({indent + "  (" + entry.data_class->name + ", recursive)", ""});
    } else if (entry.nested == FieldTreeEntry::Nested::as_above) {
      lines.push_back({indent + "  (" + entry.data_class->name + ", as above)", ""});
    }
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

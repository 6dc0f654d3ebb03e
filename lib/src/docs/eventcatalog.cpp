// oex docs --format eventcatalog: the catalog as an EventCatalog project folder.

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "oex/avro/avro_schema.hpp"
#include "oex/catalog/field_tree.hpp"
#include "oex/payload/json_schema.hpp"
#include "oex/util/python_json.hpp"
#include "site_model.hpp"

namespace oex::docs {
namespace {

// A YAML scalar: a JSON string is a valid YAML double-quoted scalar.
std::string yaml(std::string_view text)
{
  return nlohmann::json(std::string(text)).dump();
}

// Text for MDX: HTML-escaped, and '{' (which would start a JSX expression) as a character
// reference too.
std::string mdx(std::string_view text)
{
  std::string out;
  for (const char c : escape(text)) {
    out += c == '{' ? std::string("&#123;") : c == '}' ? std::string("&#125;") : std::string(1, c);
  }
  return out;
}

// The longest run of backticks in text.
std::size_t longest_backtick_run(std::string_view text)
{
  std::size_t longest = 0;
  std::size_t run = 0;
  for (const char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return longest;
}

// text in a fenced code block, the fence longer than any run of backticks inside (MDX reads code
// literally: nothing inside needs escaping).
std::string fenced(std::string_view text, std::string_view language)
{
  const std::string fence(std::max<std::size_t>(3, longest_backtick_run(text) + 1), '`');
  return fence + std::string(language) + "\n" + std::string(text) + "\n" + fence + "\n";
}

// text as inline code, likewise (padded with spaces only when it starts or ends with a backtick,
// as CommonMark strips one space from each side).
std::string code_span(std::string_view text)
{
  const std::string fence(longest_backtick_run(text) + 1, '`');
  const bool pad = !text.empty() && (text.front() == '`' || text.back() == '`');
  return fence + (pad ? " " : "") + std::string(text) + (pad ? " " : "") + fence;
}

// EventCatalog wants a semantic version: the type's ".vN" suffix is the major version, the
// event's minor version the minor.
std::string semver(const EventType& event)
{
  const std::size_t dot = event.event_type.rfind(".v");
  std::string major = "0";
  if (dot != std::string::npos && dot + 2 < event.event_type.size()
      && event.event_type.find_first_not_of("0123456789", dot + 2) == std::string::npos
      && event.event_type.size() - dot - 2 < 10) {
    major = std::to_string(std::stoul(event.event_type.substr(dot + 2)));
  }
  return major + "." + std::to_string(event.minor_version) + ".0";
}

std::string badge(std::string_view text, std::string_view color)
{
  return "  - content: " + yaml(text) + "\n    backgroundColor: " + std::string(color)
         + "\n    textColor: " + std::string(color) + "\n";
}

std::string data_list(const EventType& event)
{
  std::string out;
  for (const FieldTreeEntry& entry : field_tree(event)) {
    out += std::string(static_cast<std::size_t>(entry.depth) * 2, ' ') + "- "
           + code_span(entry.name) + ": ";
    if (!entry.field) {
      out += mdx(entry.data_class->qualified_name()) + ", required\n";
      continue;
    }
    out += mdx(entry.field->type.spelling()) + ", " + mdx(default_text(entry.field->default_value));
    if (entry.nested == FieldTreeEntry::Nested::recursive) {
      out += " (" + mdx(entry.data_class->name) + ", recursive)";
    } else if (entry.nested == FieldTreeEntry::Nested::as_above) {
      out += " (" + mdx(entry.data_class->name) + ", as above)";
    }
    out += "\n";
  }
  return out;
}

std::string event_mdx(const SiteModel& model, const EventType& event, bool avro)
{
  std::string out = "---\nid: " + yaml(event.event_type) + "\nname: " + yaml(event.name)
                    + "\nversion: " + yaml(semver(event))
                    + "\nsummary: " + yaml(first_line(event.description))
                    + "\nschemaPath: " + yaml(avro ? "schema.avsc" : "schema.json") + "\n";
  std::string badges;
  if (event.warning) {
    badges += badge("upstream warning", "orange");
  }
  if (!avro) {
    badges += badge("not on the event bus", "gray");
  }
  if (const auto found = model.compat.find(&event); found != model.compat.end()) {
    const auto status = found->second.status;
    if (status != CompatResult::Status::unchanged && status != CompatResult::Status::no_avro) {
      badges +=
        badge(status_word(status), status == CompatResult::Status::incompatible ? "red" : "green");
    }
  }
  if (!badges.empty()) {
    out += "badges:\n" + badges;
  }
  out += "---\n\n## Overview\n\n" + mdx(event.description) + "\n\n";
  if (event.warning) {
    out += "**Warning (openedx-events):** " + mdx(*event.warning) + "\n\n";
  }
  const auto row = [&out](std::string_view name, const std::string& markdown) {
    // A '|' would end the table cell, even inside code.
    std::string cell;
    for (const char c : markdown) {
      cell += c == '|' ? std::string("\\|") : std::string(1, c);
    }
    out += "| " + std::string(name) + " | " + cell + " |\n";
  };
  out += "| | |\n| --- | --- |\n";
  row("Event type", code_span(event.event_type));
  row("Variable name", code_span(event.name));
  row("Subdomain", mdx(event.subdomain));
  row("Minor version", std::to_string(event.minor_version));
  row("Key field", event.key_field ? code_span(*event.key_field) : "none");
  row("Trigger repository", mdx(event.trigger_repository.value_or("none")));
  out += "\n";
  if (const auto found = model.compat.find(&event); found != model.compat.end()) {
    out += "## Compatibility with the stored schema\n\n" + mdx(status_word(found->second.status))
           + "\n\n";
    for (const std::string& reason : found->second.reasons) {
      out += "- " + mdx(reason) + "\n";
    }
    out += found->second.reasons.empty() ? "" : "\n";
  }
  out += "## Data\n\n" + data_list(event) + "\n";
  if (const Result<std::string> sample = sample_json(event)) {
    out += "## Sample payload\n\n" + fenced(*sample, "json") + "\n";
  }
  if (const Result<std::string> metadata = metadata_json(event, *model.catalog)) {
    out += "## Example metadata\n\n" + fenced(*metadata, "json") + "\n";
  }
  out += "## Commands\n\n" + fenced(commands_text(*model.options, event), "sh");
  return out;
}

} // namespace

void build_eventcatalog(const Catalog& catalog, const SiteOptions& options, const SiteSink& sink)
{
  const SiteModel model = make_model(catalog, options);
  for (const std::string& subdomain : catalog.subdomains()) {
    const std::string domain = "domains/" + file_slug(subdomain);
    std::string list;
    for (const EventType* event : catalog.all_events()) {
      if (event->subdomain != subdomain) {
        continue;
      }
      const bool avro = !avro_schema_problem(*event);
      const std::string folder = domain + "/events/" + file_slug(event->event_type);
      sink({folder + "/index.mdx", event_mdx(model, *event, avro)});
      if (avro) {
        sink({folder + "/schema.avsc", python_json_dumps(avro_schema(*event), 2)});
      }
      sink({folder + "/schema.json", python_json_dumps(json_schema(*event), 2)});
      list +=
        "- " + code_span(event->event_type) + ": " + mdx(first_line(event->description)) + "\n";
    }
    sink({domain + "/index.mdx", "---\nid: " + yaml(subdomain) + "\nname: " + yaml(subdomain)
                                   + "\nversion: " + yaml(catalog.library_version()) + "\nsummary: "
                                   + yaml("The " + subdomain + " events of " + model.title)
                                   + "\n---\n\n" + "## Events\n\n" + list});
  }
}

} // namespace oex::docs

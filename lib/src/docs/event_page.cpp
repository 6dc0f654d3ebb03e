// events/<type>.html: one event's annotations, data tree, sample, metadata, schemas, commands.

#include "oex/avro/avro_schema.hpp"
#include "oex/catalog/field_tree.hpp"
#include "oex/keys/datetime.hpp"
#include "oex/metadata/metadata.hpp"
#include "oex/payload/json_schema.hpp"
#include "oex/payload/sample.hpp"
#include "oex/util/error.hpp"
#include "oex/util/python_json.hpp"
#include "site_model.hpp"

namespace oex::docs {

// Seeded, so that the page is the same at every build: `oex sample TYPE` prints the same.
Result<std::string> sample_json(const EventType& event)
{
  try {
    return python_json_dumps(sample_payload(event, {}), 2);
  } catch (const Error& error) {
    return Result<std::string>::failure(error.what());
  }
}

Result<std::string> metadata_json(const EventType& event, const Catalog& catalog)
{
  try {
    MetadataOverrides fixed;
    fixed.id = sample_uuid1(0);
    fixed.time = parse_isoformat(sample_time(0)).value();
    const MetadataSettings settings{std::nullopt, std::nullopt, "example-host"};
    return python_json_dumps(
      generate_signal_metadata(event, catalog, settings, fixed).to_json_data(), 2);
  } catch (const Error& error) {
    return Result<std::string>::failure(error.what());
  }
}

std::string commands_text(const SiteOptions& options, const EventType& event)
{
  std::string oex = "oex";
  for (const std::string& defs : options.defs_args) {
    oex += " --defs " + shell_quote(defs);
  }
  const std::string type = shell_quote(event.event_type);
  return oex + " sample " + type + " > payload.json\n" + oex + " validate " + type
         + " payload.json\n" + oex + " send " + type + " payload.json --plugin ./my_receivers.so\n"
         + oex + " show " + type;
}

namespace {

constexpr std::string_view k_root = "../";

std::string class_link(const DataClass& cls, std::string_view text)
{
  return "<a href=\"" + std::string(k_root) + escape(class_path(cls)) + "\"><code>" + escape(text)
         + "</code></a>";
}

std::string code_block(std::string_view text)
{
  // tabindex: a block wider than the screen scrolls, and can be scrolled with the keyboard.
  return "<pre tabindex=\"0\"><code>" + escape(text) + "</code></pre>\n";
}

std::string paragraphs(std::string_view text)
{
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find("\n\n", start);
    const std::string_view part =
      text.substr(start, end == std::string_view::npos ? end : end - start);
    if (!part.empty()) {
      out += "<p class=\"desc\">" + escape(part) + "</p>\n";
    }
    if (end == std::string_view::npos) {
      break;
    }
    start = end + 2;
  }
  return out;
}

// The data as nested lists: one item per data key or field, a nested class's fields in a list
// inside its field's item.
std::string data_tree_html(const EventType& event)
{
  std::string out;
  int open = 0; // lists open
  for (const FieldTreeEntry& entry : field_tree(event)) {
    while (open > entry.depth + 1) {
      out += "</li></ul>";
      --open;
    }
    if (open == entry.depth + 1) {
      out += "</li>\n";
    } else {
      out += open == 0 ? "<ul class=\"tree\">\n" : "\n<ul>\n";
      ++open;
    }
    out += "<li><code class=\"field\">" + escape(entry.name) + "</code>: ";
    if (!entry.field) {
      out += class_link(*entry.data_class, entry.data_class->name)
             + " <span class=\"req\">required</span>";
      continue;
    }
    const std::string spelling = entry.field->type.spelling();
    out += entry.data_class ? class_link(*entry.data_class, spelling)
                            : "<code>" + escape(spelling) + "</code>";
    const std::string left_out = default_text(entry.field->default_value);
    out += " <span class=\"" + std::string(entry.field->default_value.optional() ? "opt" : "req")
           + "\">" + escape(left_out) + "</span>";
    if (entry.nested == FieldTreeEntry::Nested::recursive) {
      out += " <span class=\"note\">(" + escape(entry.data_class->name) + ", recursive)</span>";
    } else if (entry.nested == FieldTreeEntry::Nested::as_above) {
      out += " <span class=\"note\">(" + escape(entry.data_class->name) + ", as above)</span>";
    }
  }
  while (open > 0) {
    out += "</li></ul>";
    --open;
  }
  return out.empty() ? "<p>No data.</p>\n" : out + "\n";
}

std::string sample_section(const EventType& event)
{
  std::string out = "<section aria-labelledby=\"sample\">\n<h2 id=\"sample\">Sample payload</h2>\n";
  const Result<std::string> sample = sample_json(event);
  if (sample) {
    out += "<p>What <code>oex sample</code> prints (seed 0): a valid payload, the keyword "
           "arguments of <code>send_event</code>.</p>\n"
           + code_block(*sample);
  } else {
    out += "<p>No sample: " + escape(sample.error()) + "</p>\n";
  }
  return out + "</section>\n";
}

std::string metadata_section(const EventType& event, const Catalog& catalog)
{
  std::string out =
    "<section aria-labelledby=\"metadata\">\n<h2 id=\"metadata\">Example metadata</h2>\n";
  const Result<std::string> metadata = metadata_json(event, catalog);
  if (metadata) {
    out += "<p>As <code>send_event</code> makes it, with a fixed id and time (<code>oex "
           "metadata</code> makes a fresh one).</p>\n"
           + code_block(*metadata);
  } else {
    out += "<p>No metadata: " + escape(metadata.error()) + "</p>\n";
  }
  return out + "</section>\n";
}

std::string schema_section(std::string_view id, std::string_view heading, const std::string& path,
                           const std::string& download_name, const std::string& text,
                           std::string_view about)
{
  return "<section aria-labelledby=\"" + std::string(id) + "\">\n<h2 id=\"" + std::string(id)
         + "\">" + std::string(heading) + "</h2>\n<p>" + std::string(about) + " <a href=\""
         + std::string(k_root) + escape(path) + "\" download=\"" + escape(download_name)
         + "\">Download <code>" + escape(download_name)
         + "</code></a></p>\n<details>\n<summary>Show the schema</summary>\n" + code_block(text)
         + "</details>\n</section>\n";
}

std::string compat_section(const SiteModel& model, const EventType& event)
{
  const auto found = model.compat.find(&event);
  if (found == model.compat.end()) {
    return "";
  }
  const CompatResult& result = found->second;
  std::string out =
    "<section aria-labelledby=\"compat\">\n<h2 id=\"compat\">Compatibility with <code>"
    + escape(*model.options->against) + "</code></h2>\n<p class=\"verdict "
    + (result.status == CompatResult::Status::incompatible ? "bad" : "good") + "\">"
    + escape(status_word(result.status));
  switch (result.status) {
  case CompatResult::Status::unchanged:
    out += ": the stored schema is the same";
    break;
  case CompatResult::Status::changed:
    out += ": the schema changed, and readers of either schema read data written with the other";
    break;
  case CompatResult::Status::incompatible:
    out += " (full: backward and forward)";
    break;
  case CompatResult::Status::added:
    out += ": no stored schema";
    break;
  case CompatResult::Status::no_avro:
    out += ": not compared";
    break;
  }
  out += "</p>\n";
  if (!result.reasons.empty()) {
    out += escaped_list(result.reasons, "reasons");
  }
  return out + "</section>\n";
}

std::string commands_section(const SiteModel& model, const EventType& event)
{
  return "<section aria-labelledby=\"commands\">\n<h2 id=\"commands\">Commands</h2>\n"
         "<p>Make a payload, check it, and send it to your receivers:</p>\n"
         + code_block(commands_text(*model.options, event)) + "</section>\n";
}

std::string row(std::string_view term, const std::string& html)
{
  return "<dt>" + std::string(term) + "</dt><dd>" + html + "</dd>\n";
}

std::string code_or_dash(const std::optional<std::string>& value)
{
  return value ? "<code>" + escape(*value) + "</code>" : "<span class=\"note\">none</span>";
}

} // namespace

std::string event_page(const SiteModel& model, const EventType& event)
{
  std::string body = "<nav class=\"crumbs\" aria-label=\"Breadcrumb\"><a "
                     "href=\"../index.html\">All events</a> › <a href=\"../index.html#sd-"
                     + escape(file_slug(event.subdomain)) + "\">" + escape(event.subdomain)
                     + "</a></nav>\n";
  body += "<h1><code class=\"type\">" + escape(event.event_type) + "</code></h1>\n";
  body += paragraphs(event.description);
  if (event.warning) {
    body += "<p class=\"warning\" role=\"note\"><strong>Warning (openedx-events):</strong> "
            + escape(*event.warning) + "</p>\n";
  }
  const std::optional<std::string> avro_problem = avro_schema_problem(event);
  body += "<section aria-labelledby=\"about\">\n<h2 id=\"about\">Annotations</h2>\n<dl "
          "class=\"facts\">\n";
  body += row("Event type", "<code class=\"type\">" + escape(event.event_type) + "</code>");
  body += row("Variable name", "<code>" + escape(event.name) + "</code>");
  body += row("Subdomain", escape(event.subdomain));
  body += row("Minor version", std::to_string(event.minor_version));
  body += row("Key field", code_or_dash(event.key_field));
  body += row("Trigger repository", code_or_dash(event.trigger_repository));
  body +=
    row("Warning", event.warning ? escape(*event.warning) : "<span class=\"note\">none</span>");
  body +=
    row("Event bus", avro_problem ? "no: " + escape(*avro_problem) : "yes: it has an Avro schema");
  body += row("Defined in", "<code>" + escape(event.origin) + "</code>");
  body += "</dl>\n</section>\n";
  body += compat_section(model, event);
  body += "<section aria-labelledby=\"data\">\n<h2 id=\"data\">Data</h2>\n" + data_tree_html(event)
          + "</section>\n";
  body += sample_section(event);
  body += metadata_section(event, *model.catalog);
  if (avro_problem) {
    body += "<section aria-labelledby=\"avro\">\n<h2 id=\"avro\">Avro schema</h2>\n<p>None: "
            + escape(*avro_problem) + "</p>\n</section>\n";
  } else {
    body += schema_section("avro", "Avro schema", avro_path(event), avro_schema_file_name(event),
                           python_json_dumps(avro_schema(event), 2),
                           "What goes on the event bus, as openedx-events generates it.");
  }
  body += schema_section("json-schema", "JSON Schema", json_schema_path(event),
                         json_schema_file_name(event), python_json_dumps(json_schema(event), 2),
                         "The payload's JSON Schema (draft 2020-12), for other tools.");
  body += commands_section(model, event);
  return render_page(model,
                     {event.event_type + " · " + model.title, std::string(k_root), body, false});
}

} // namespace oex::docs

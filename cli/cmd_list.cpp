// oex list: the catalog as a table, names or JSON.

#include <algorithm>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "commands.hpp"
#include "context.hpp"
#include "oex/util/error.hpp"
#include "oex/util/text.hpp"
#include "render.hpp"

namespace oex::cli {
namespace {

struct ListOptions
{
  std::string pattern;
  std::string subdomain;
  bool bus_only = false;
  bool names = false;
  bool json = false;
};

std::string data_summary(const EventType& event)
{
  std::string out;
  for (const DataKey& key : event.data) {
    out += (out.empty() ? "" : ", ") + key.name + ": " + key.data_class->name;
  }
  return out;
}

// A pattern with glob characters is a glob on the event type; a plain word is looked for in the
// event type and the upstream name, ignoring case.
bool matches(const std::string& pattern, const EventType& event)
{
  if (pattern.find_first_of("*?[") != std::string::npos) {
    return glob_match(pattern, event.event_type);
  }
  return icontains(event.event_type, pattern) || icontains(event.name, pattern);
}

ExitCode run_list(const ListOptions& options, Context& context)
{
  const Catalog& catalog = context.catalog();
  if (!options.subdomain.empty()) {
    const std::vector<std::string> known = catalog.subdomains();
    if (std::find(known.begin(), known.end(), options.subdomain) == known.end()) {
      std::string list;
      for (const std::string& name : known) {
        list += (list.empty() ? "" : ", ") + name;
      }
      throw Error("unknown subdomain '" + options.subdomain + "' (known: " + list + ")");
    }
  }
  std::vector<const EventType*> selected;
  for (const EventType* event : catalog.all_events()) {
    if ((options.pattern.empty() || matches(options.pattern, *event))
        && (options.subdomain.empty() || event->subdomain == options.subdomain)
        && (!options.bus_only || event->bus)) {
      selected.push_back(event);
    }
  }
  if (options.json) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const EventType* event : selected) {
      out.push_back(event_summary_json(*event));
    }
    fmt::print("{}\n", out.dump(2));
    return ExitCode::ok;
  }
  if (selected.empty()) {
    fmt::print(stderr, "oex: no event type matches\n");
    return ExitCode::ok;
  }
  if (options.names) {
    for (const EventType* event : selected) {
      fmt::print("{}\n", event->event_type);
    }
    return ExitCode::ok;
  }
  std::size_t width = 10;
  for (const EventType* event : selected) {
    width = std::max(width, event->event_type.size());
  }
  const bool color = context.color_stdout();
  fmt::print("{}{:<{}}  BUS  DATA{}\n", color ? "\x1b[1m" : "", "EVENT TYPE", width,
             color ? "\x1b[0m" : "");
  for (const EventType* event : selected) {
    fmt::print("{:<{}}  {:<3}  {}\n", event->event_type, width, event->bus ? "yes" : "no",
               data_summary(*event));
  }
  fmt::print("\n{} event type{}\n", selected.size(), selected.size() == 1 ? "" : "s");
  return ExitCode::ok;
}

} // namespace

void add_list_command(CLI::App& sub, Context& context)
{
  auto options = std::make_shared<ListOptions>();
  sub.add_option("PATTERN", options->pattern,
                 "A word the event type or name contains (any case), or a glob on the event "
                 "type ('*' '?' '[...]')");
  sub
    .add_option("--subdomain", options->subdomain,
                "Only events of this subdomain (learning, content_authoring, ...)")
    ->type_name("S");
  sub.add_flag("--bus-only", options->bus_only, "Only events that can go on the event bus");
  auto* names = sub.add_flag("--names", options->names, "One event type per line");
  sub.add_flag("--json", options->json, "JSON array of events")->excludes(names);
  sub.callback([options, &context] { context.exit_code = run_list(*options, context); });
}

} // namespace oex::cli

// oex list: the catalog as a table, names or JSON.

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <memory>
#include <optional>
#include <set>
#include <span>

#include <sys/ioctl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "commands.hpp"
#include "context.hpp"
#include "event_list.hpp"
#include "oex/util/error.hpp"
#include "oex/util/text.hpp"
#include "render.hpp"

namespace oex::cli {
namespace {

struct ListOptions
{
  std::string pattern;
  std::string subdomain;
  bool avro_only = false;
  bool names = false;
  bool json = false;
};

// The data column's items: "key: Class", one per data key.
std::vector<std::string> data_items(const ListedEvent& event)
{
  std::vector<std::string> items;
  for (const ListedDataKey& key : event.data) {
    items.push_back(std::string(key.name) + ": " + std::string(key.class_name));
  }
  return items;
}

// The columns to fit the table into: none (the whole table) unless stdout is a terminal; then
// COLUMNS when it is a positive number (as ls does), else the terminal's width.
std::optional<std::size_t> terminal_columns()
{
  if (isatty(STDOUT_FILENO) == 0) {
    return std::nullopt;
  }
  if (const char* env = std::getenv("COLUMNS")) {
    std::size_t columns = 0;
    const std::string_view text = env;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), columns);
    if (ec == std::errc() && end == text.data() + text.size() && columns > 0) {
      return columns;
    }
  }
  winsize size{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
    return size.ws_col;
  }
  return std::nullopt;
}

// items joined with ", " into lines of at most width characters, or one line when width is
// nullopt. An item too long for a line breaks after its "key:"; a word still too long is cut,
// ending with "...".
std::vector<std::string> wrap_items(const std::vector<std::string>& items,
                                    std::optional<std::size_t> width)
{
  std::vector<std::string> words;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string item = items[i] + (i + 1 < items.size() ? "," : "");
    const std::size_t colon = item.find(": ");
    if (width && item.size() > *width && colon != std::string::npos) {
      words.push_back(item.substr(0, colon + 1));
      words.push_back(item.substr(colon + 2));
    } else {
      words.push_back(item);
    }
  }
  std::vector<std::string> lines{""};
  for (std::string& item : words) {
    if (width && item.size() > *width) {
      item = item.substr(0, *width > 3 ? *width - 3 : 0) + "...";
    }
    std::string& line = lines.back();
    if (line.empty()) {
      line = item;
    } else if (!width || line.size() + 1 + item.size() <= *width) {
      line += " " + item;
    } else {
      lines.push_back(item);
    }
  }
  return lines;
}

// Below this many columns for the data, it goes on lines of its own under the event type.
constexpr std::size_t k_min_data_width = 24;

// A pattern with glob characters is a glob on the event type; a plain word is looked for in the
// event type and the upstream name, ignoring case.
bool matches(const std::string& pattern, const ListedEvent& event)
{
  if (pattern.find_first_of("*?[") != std::string::npos) {
    return glob_match(pattern, event.event_type);
  }
  return icontains(event.event_type, pattern) || icontains(event.name, pattern);
}

// The subdomains that have events, sorted.
std::vector<std::string> subdomains(std::span<const ListedEvent> events)
{
  std::set<std::string_view> found;
  for (const ListedEvent& event : events) {
    found.insert(event.subdomain);
  }
  return {found.begin(), found.end()};
}

ExitCode run_list(const ListOptions& options, Context& context)
{
  // With no user definitions, the table made at build time: nothing to parse at start-up.
  std::optional<EventListing> loaded;
  std::span<const ListedEvent> events = builtin_listed_events();
  if (!context.user_sources().empty()) {
    events = loaded.emplace(context.catalog().all_events()).events();
  }
  if (!options.subdomain.empty()) {
    const std::vector<std::string> known = subdomains(events);
    if (std::find(known.begin(), known.end(), options.subdomain) == known.end()) {
      std::string list;
      for (const std::string& name : known) {
        list += (list.empty() ? "" : ", ") + name;
      }
      throw Error("unknown subdomain '" + options.subdomain + "' (known: " + list + ")");
    }
  }
  std::vector<const ListedEvent*> selected;
  for (const ListedEvent& event : events) {
    if ((options.pattern.empty() || matches(options.pattern, event))
        && (options.subdomain.empty() || event.subdomain == options.subdomain)
        && (!options.avro_only || !event.avro_schema_error)) {
      selected.push_back(&event);
    }
  }
  if (options.json) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const ListedEvent* event : selected) {
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
    for (const ListedEvent* event : selected) {
      fmt::print("{}\n", event->event_type);
    }
    return ExitCode::ok;
  }
  std::size_t width = 10;
  for (const ListedEvent* event : selected) {
    width = std::max(width, event->event_type.size());
  }
  const std::optional<std::size_t> columns = terminal_columns();
  const std::size_t data_start = width + 2 + 6 + 9; // the AVRO and WARNING columns
  const bool stacked = columns && *columns < data_start + k_min_data_width;
  const std::size_t indent = stacked ? 4 : data_start;
  std::optional<std::size_t> data_width;
  if (columns) {
    data_width = *columns > indent + 8 ? *columns - indent : 8;
  }
  const bool color = context.color_stdout();
  const char* bold = color ? "\x1b[1m" : "";
  const char* plain = color ? "\x1b[0m" : "";
  if (stacked) {
    // Too narrow for columns: each event type on its own line, the rest indented below it.
    fmt::print("{}EVENT TYPE{}\n", bold, plain);
  } else {
    fmt::print("{}{:<{}}  AVRO  WARNING  DATA{}\n", bold, "EVENT TYPE", width, plain);
  }
  for (const ListedEvent* event : selected) {
    const char* avro = event->avro_schema_error ? "no" : "yes";
    const char* warning = event->warning ? "yes" : "-";
    const std::vector<std::string> lines = wrap_items(data_items(*event), data_width);
    if (stacked) {
      fmt::print("{}\n{:<{}}avro {}, warning {}\n", event->event_type, "", indent, avro,
                 warning);
    } else {
      fmt::print("{:<{}}  {:<4}  {:<7}", event->event_type, width, avro, warning);
    }
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (stacked || i > 0) {
        fmt::print("{:<{}}{}\n", "", indent, lines[i]);
      } else {
        fmt::print("  {}\n", lines[i]);
      }
    }
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
    ->type_name("SUBDOMAIN");
  sub.add_flag("--avro-only", options->avro_only,
               "Only events oex can make an Avro schema for (those schema --all writes)");
  sub.add_flag("--bus-only", options->avro_only, "The former name of --avro-only")->group("");
  auto* names = sub.add_flag("--names", options->names, "One event type per line");
  sub.add_flag("--json", options->json, "JSON array of events")->excludes(names);
  sub.callback([options, &context] { context.exit_code = run_list(*options, context); });
}

} // namespace oex::cli

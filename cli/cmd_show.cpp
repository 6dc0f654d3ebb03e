// oex show: one event type's annotations and data schema.

#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "commands.hpp"
#include "context.hpp"
#include "oex/avro/avro_schema.hpp"
#include "render.hpp"

namespace oex::cli {
namespace {

struct ShowOptions
{
  std::string event_type;
  bool json = false;
};

ExitCode run_show(const ShowOptions& options, Context& context)
{
  const EventType& event = context.event(options.event_type);
  if (options.json) {
    fmt::print("{}\n", event_detail_json(event).dump(2));
    return ExitCode::ok;
  }
  const bool color = context.color_stdout();
  fmt::print("{}{}{}\n", color ? "\x1b[1m" : "", event.event_type, color ? "\x1b[0m" : "");
  if (!event.description.empty()) {
    fmt::print("  {}\n", event.description);
  }
  fmt::print("\n");
  const auto row = [](std::string_view label, std::string_view value) {
    fmt::print("  {:<20}{}\n", label, value);
  };
  row("name", event.name);
  row("subdomain", event.subdomain);
  row("minor version", std::to_string(event.minor_version));
  row("key field", event.key_field.value_or("-"));
  row("trigger repository", event.trigger_repository.value_or("-"));
  if (event.warning) {
    row("warning", *event.warning + " (openedx-events)");
  }
  const std::optional<std::string> avro_problem = avro_schema_problem(event);
  row("avro schema", avro_problem ? "no: " + *avro_problem : "yes (oex schema)");
  row("defined in", event.origin);
  fmt::print("\ndata:\n{}", data_tree(event));
  return ExitCode::ok;
}

} // namespace

void add_show_command(CLI::App& sub, Context& context)
{
  auto options = std::make_shared<ShowOptions>();
  sub
    .add_option("TYPE", options->event_type,
                "Event type, e.g. "
                "org.openedx.learning.course.enrollment.created.v1")
    ->required();
  sub.add_flag("--json", options->json, "The same as JSON");
  sub.callback([options, &context] { context.exit_code = run_show(*options, context); });
}

} // namespace oex::cli

// oex schema: Avro schemas exactly as openedx-events' generate_avro_schemas writes them.

#include <filesystem>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "commands.hpp"
#include "context.hpp"
#include "input.hpp"
#include "oex/avro/avro_schema.hpp"
#include "oex/util/error.hpp"
#include "oex/util/file_write.hpp"
#include "oex/payload/json_schema.hpp"
#include "oex/util/python_json.hpp"

namespace oex::cli {
namespace {

struct SchemaOptions
{
  std::string event_type;
  bool all = false;
  std::string format = "avro";
  std::optional<std::string> out_dir;
};

// The schema's text and file name in the chosen format. Avro is written exactly as upstream
// writes it; JSON Schema with the same layout.
std::pair<std::string, std::string> render(const EventType& event, const std::string& format)
{
  if (format == "json-schema") {
    return {python_json_dumps(json_schema(event), 2), json_schema_file_name(event)};
  }
  return {python_json_dumps(avro_schema(event), 2), avro_schema_file_name(event)};
}

ExitCode run_schema(const SchemaOptions& options, Context& context)
{
  if (options.all == !options.event_type.empty()) {
    throw Error("give either an event type or --all");
  }
  const bool avro = options.format == "avro";
  if (!options.all) {
    const EventType& event = context.event(options.event_type);
    const auto [text, file_name] = render(event, options.format);
    if (options.out_dir) {
      write_file_atomically((make_out_dir(*options.out_dir) / file_name).string(), text);
    } else {
      fmt::print("{}\n", text);
    }
    return ExitCode::ok;
  }
  if (!options.out_dir) {
    throw Error("--all writes one file per event type: give --out DIR");
  }
  const std::filesystem::path dir = make_out_dir(*options.out_dir);
  int written = 0;
  for (const EventType* event : context.catalog().all_events()) {
    if (auto reason = bus_exclusion_reason(*event); reason && avro) {
      fmt::print(stderr, "oex: skipped {}: {}\n", event->event_type, *reason);
      continue;
    }
    const auto [text, file_name] = render(*event, options.format);
    write_file_atomically((dir / file_name).string(), text);
    ++written;
  }
  fmt::print(stderr, "oex: wrote {} {} to {}\n", written, avro ? "Avro schemas" : "JSON Schemas",
             dir.string());
  return ExitCode::ok;
}

} // namespace

void add_schema_command(CLI::App& sub, Context& context)
{
  auto options = std::make_shared<SchemaOptions>();
  sub.add_option("TYPE", options->event_type, "Event type");
  sub.add_flag("--all", options->all, "Every event type that can go on the event bus");
  sub
    .add_option("--format", options->format,
                "avro (as openedx-events generates it) or json-schema (the payload, 2020-12)")
    ->type_name("FORMAT")
    ->check(CLI::IsMember({"avro", "json-schema"}))
    ->capture_default_str();
  sub.add_option("--out", options->out_dir, "Write files into DIR (created if needed)")
    ->type_name("DIR");
  sub.callback([options, &context] { context.exit_code = run_schema(*options, context); });
}

} // namespace oex::cli

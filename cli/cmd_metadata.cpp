// oex metadata: EventsMetadata as OpenEdxPublicSignal.generate_signal_metadata makes it.

#include <limits>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "commands.hpp"
#include "context.hpp"
#include "number_options.hpp"
#include "oex/util/error.hpp"
#include "oex/metadata/metadata.hpp"

namespace oex::cli {
namespace {

struct MetadataCommandOptions
{
  std::string event_type;
  std::optional<std::string> time;
  std::optional<std::string> id;
  std::optional<std::string> source;
  std::optional<std::string> sourcehost;
  std::optional<std::string> sourcelib;
  std::optional<std::int64_t> minorversion;
  int count = 1;
};

ExitCode run_metadata(const MetadataCommandOptions& options, Context& context)
{
  const Catalog& catalog = context.catalog_for(options.event_type);
  const EventType& event = catalog.lookup(options.event_type);
  MetadataOverrides overrides;
  if (options.time) {
    auto time = parse_isoformat(*options.time);
    if (!time) {
      throw Error("--time: " + time.error());
    }
    overrides.time = *time;
  }
  if (options.id && options.count > 1) {
    throw Error("--id cannot be used with --count above 1: each event needs its own id");
  }
  overrides.id = options.id;
  overrides.source = options.source;
  overrides.sourcehost = options.sourcehost;
  overrides.minorversion = options.minorversion;
  if (options.sourcelib) {
    auto version = parse_sourcelib(*options.sourcelib);
    if (!version) {
      throw Error("--sourcelib: " + version.error());
    }
    overrides.sourcelib = *version;
  }
  const MetadataSettings settings = MetadataSettings::from_environment();
  std::string out;
  for (int i = 0; i < options.count; ++i) {
    out += generate_signal_metadata(event, catalog, settings, overrides).to_json();
    out += '\n';
  }
  fmt::print("{}", out);
  return ExitCode::ok;
}

} // namespace

void add_metadata_command(CLI::App& sub, Context& context)
{
  auto options = std::make_shared<MetadataCommandOptions>();
  sub.add_option("TYPE", options->event_type, "Event type")->required();
  sub
    .add_option("--time", options->time,
                "Event time, ISO 8601 in UTC (2026-11-25T10:00:00Z or ...+00:00)")
    ->type_name("T");
  sub.add_option("--id", options->id, "Event id instead of a new uuid1")->type_name("UUID");
  sub.add_option("--source", options->source, "Source instead of openedx/<service>/web")
    ->type_name("S");
  sub.add_option("--sourcehost", options->sourcehost, "Source host instead of the host name")
    ->type_name("H");
  sub
    .add_option("--sourcelib", options->sourcelib,
                "Library version instead of the catalog's, e.g. 11.2.0")
    ->type_name("X.Y.Z");
  number_range(sub.add_option("--minorversion", options->minorversion,
                              "Minor version instead of the event type's")
                 ->type_name("N"),
               integer_range(0, std::numeric_limits<std::int64_t>::max()));
  number_range(
    sub.add_option("--count", options->count, "Print N objects, each with its own id")->type_name("N"),
    integer_range(1, 10'000'000));
  sub.callback([options, &context] { context.exit_code = run_metadata(*options, context); });
}

} // namespace oex::cli

// oex compat: can consumers on one schema read what producers on another write?

#include <filesystem>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "context.hpp"
#include "input.hpp"
#include "oex/avro/avro_schema.hpp"
#include "oex/avro/compat.hpp"
#include "oex/util/error.hpp"
#include "oex/util/python_json.hpp"

namespace oex::cli {
namespace {

using json = nlohmann::ordered_json;

struct CompatOptions
{
  std::optional<std::string> old_file;
  std::optional<std::string> new_file;
  std::optional<std::string> against;
  std::vector<std::string> event_types;
  std::string direction = "full";
  bool json = false;
};

avro::Direction parse_direction(const std::string& text)
{
  return text == "backward" ? avro::Direction::backward
         : text == "forward" ? avro::Direction::forward
                             : avro::Direction::full;
}

const char* direction_name(avro::Direction d)
{
  return d == avro::Direction::backward ? "backward" : d == avro::Direction::forward ? "forward" : "full";
}

avro::Schema read_schema(const std::string& path)
{
  return avro::parse_schema(input_name(path), read_input(path));
}

json to_json(const std::vector<avro::Incompatibility>& found)
{
  json out = json::array();
  for (const auto& i : found) {
    out.push_back({{"direction", direction_name(i.direction)}, {"path", i.path}, {"reason", i.reason}});
  }
  return out;
}

std::string line(const avro::Incompatibility& i)
{
  return fmt::format("{}: {}{}", direction_name(i.direction), i.path.empty() ? "" : i.path + ": ", i.reason);
}

ExitCode run_pair(const CompatOptions& options)
{
  const avro::Direction direction = parse_direction(options.direction);
  const avro::Schema old_schema = read_schema(*options.old_file);
  const avro::Schema new_schema = read_schema(*options.new_file);
  const auto found = avro::compatibility(old_schema, new_schema, direction);
  if (options.json) {
    fmt::print("{}\n", python_json_dumps(json{{"direction", options.direction},
                                              {"compatible", found.empty()},
                                              {"incompatibilities", to_json(found)}}));
  } else {
    for (const auto& i : found) {
      fmt::print("{}\n", line(i));
    }
    fmt::print(stderr, "oex: {} ({}): {}\n", found.empty() ? "compatible" : "incompatible", options.direction,
               found.empty() ? "new can replace old" : std::to_string(found.size()) + " problems");
  }
  return found.empty() ? ExitCode::ok : ExitCode::findings;
}

ExitCode run_against(const CompatOptions& options, Context& context)
{
  const avro::Direction direction = parse_direction(options.direction);
  const std::filesystem::path dir(*options.against);
  if (!std::filesystem::is_directory(dir)) {
    throw Error("--against: '" + dir.string() + "' is not a directory");
  }
  std::vector<const EventType*> events;
  if (options.event_types.empty()) {
    for (const EventType* event : context.catalog().all_events()) {
      if (!bus_exclusion_reason(*event)) {
        events.push_back(event);
      }
    }
  } else {
    for (const std::string& type : options.event_types) {
      events.push_back(&context.catalog().get_signal_by_type(type));
    }
  }
  json report = json::array();
  std::size_t incompatible = 0;
  std::size_t fresh = 0;
  for (const EventType* event : events) {
    const avro::Schema current = avro::event_schema(*event);
    const std::filesystem::path stored = dir / avro_schema_file_name(*event);
    json entry = {{"event_type", event->event_type}, {"schema_file", stored.string()}};
    if (!std::filesystem::exists(stored)) {
      ++fresh;
      entry["status"] = "new";
      if (!options.json) {
        fmt::print("new           {} (no stored schema)\n", event->event_type);
      }
      report.push_back(std::move(entry));
      continue;
    }
    const auto found = avro::compatibility(read_schema(stored.string()), current, direction);
    entry["status"] = found.empty() ? "compatible" : "incompatible";
    entry["incompatibilities"] = to_json(found);
    if (!options.json) {
      fmt::print("{:<13} {}\n", found.empty() ? "compatible" : "incompatible", event->event_type);
      for (const auto& i : found) {
        fmt::print("  {}\n", line(i));
      }
    }
    if (!found.empty()) {
      ++incompatible;
    }
    report.push_back(std::move(entry));
  }
  if (options.json) {
    fmt::print("{}\n", python_json_dumps(json{{"direction", options.direction},
                                              {"compatible", incompatible == 0},
                                              {"events", report}}));
  } else {
    fmt::print(stderr, "oex: {} events checked ({}): {} compatible, {} incompatible, {} new\n",
               events.size(), options.direction, events.size() - incompatible - fresh, incompatible, fresh);
  }
  return incompatible ? ExitCode::findings : ExitCode::ok;
}

ExitCode run_compat(const CompatOptions& options, Context& context)
{
  const bool pair = options.old_file || options.new_file;
  if (pair == options.against.has_value()) {
    throw Error("give either --old and --new, or --against DIR");
  }
  if (pair) {
    if (!options.old_file || !options.new_file) {
      throw Error("--old and --new go together");
    }
    if (!options.event_types.empty()) {
      throw Error("event types go with --against, not with --old/--new");
    }
    return run_pair(options);
  }
  return run_against(options, context);
}

} // namespace

void add_compat_command(CLI::App& sub, Context& context)
{
  auto options = std::make_shared<CompatOptions>();
  sub.add_option("TYPE", options->event_types, "With --against: only these event types");
  sub.add_option("--old", options->old_file, "The schema consumers and data have today (.avsc)")
    ->type_name("OLD.avsc");
  sub.add_option("--new", options->new_file, "The schema that would replace it (.avsc)")
    ->type_name("NEW.avsc");
  sub
    .add_option("--against", options->against,
                "Check each bus event of the catalog against its stored schema in DIR "
                "(named as oex schema --all --out names them)")
    ->type_name("DIR");
  sub
    .add_option("--direction", options->direction,
                "backward (new reads old data), forward (old reads new data) or full (both)")
    ->check(CLI::IsMember({"backward", "forward", "full"}))
    ->capture_default_str();
  sub.add_flag("--json", options->json, "One JSON document with every incompatibility");
  sub.callback([options, &context] { context.exit_code = run_compat(*options, context); });
}

} // namespace oex::cli

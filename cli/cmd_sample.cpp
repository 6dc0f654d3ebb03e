// oex sample: valid payloads to start from.

#include <limits>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "commands.hpp"
#include "context.hpp"
#include "number_options.hpp"
#include "oex/util/error.hpp"
#include "oex/metadata/metadata.hpp"
#include "oex/payload/sample.hpp"
#include "oex/payload/validate.hpp"

namespace oex::cli {
namespace {

using json = nlohmann::ordered_json;

struct SampleCommandOptions
{
  std::string event_type;
  std::uint64_t seed = 0;
  std::vector<std::string> sets;
  bool minimal = false;
  std::optional<int> count;
  bool envelope = false;
};

json one_sample(const EventType& event, const SampleCommandOptions& options, std::uint64_t seed,
                Context& context, PayloadValidator& validator)
{
  json payload = sample_payload(event, {seed, options.minimal});
  for (const std::string& set : options.sets) {
    const std::size_t equals = set.find('=');
    if (equals == std::string::npos) {
      throw Error("--set " + set + ": expected PATH=VALUE");
    }
    try {
      set_payload_value(payload, event, std::string_view(set).substr(0, equals),
                        std::string_view(set).substr(equals + 1));
    } catch (const Error& e) {
      throw Error("--set " + set + ": " + e.what());
    }
  }
  if (!options.sets.empty()) {
    const DocumentCheck check = validator.check(payload.dump());
    if (!check.valid()) {
      std::string message = "the payload is not valid after --set:";
      for (const Finding& finding : check.findings) {
        message += "\n  " + (finding.path.empty() ? "" : finding.path + ": ") + finding.message;
      }
      throw Error(message);
    }
  }
  if (!options.envelope) {
    return payload;
  }
  MetadataOverrides overrides;
  overrides.id = sample_uuid1(seed);
  overrides.time = *parse_isoformat(sample_time(seed));
  const EventsMetadata metadata = generate_signal_metadata(
    event, context.catalog_for(event.event_type), MetadataSettings::from_environment(), overrides);
  return json{{"metadata", metadata.to_json_data()}, {"data", std::move(payload)}};
}

ExitCode run_sample(const SampleCommandOptions& options, Context& context)
{
  const EventType& event = context.event(options.event_type);
  PayloadValidator validator(event);
  if (!options.count) {
    fmt::print("{}\n", one_sample(event, options, options.seed, context, validator).dump(2));
    return ExitCode::ok;
  }
  const auto last_seed_room = std::numeric_limits<std::uint64_t>::max() - options.seed;
  if (static_cast<std::uint64_t>(*options.count - 1) > last_seed_room) {
    throw Error(fmt::format("--count {} from --seed {} goes past the largest seed {}",
                            *options.count, options.seed,
                            std::numeric_limits<std::uint64_t>::max()));
  }
  std::string out;
  for (int i = 0; i < *options.count; ++i) {
    out +=
      one_sample(event, options, options.seed + static_cast<std::uint64_t>(i), context, validator)
        .dump();
    out += '\n';
    if (out.size() > (1 << 20)) {
      fmt::print("{}", out);
      out.clear();
    }
  }
  fmt::print("{}", out);
  return ExitCode::ok;
}

} // namespace

void add_sample_command(CLI::App& sub, Context& context)
{
  auto options = std::make_shared<SampleCommandOptions>();
  sub.add_option("TYPE", options->event_type, "Event type")->required();
  number_range(sub.add_option("--seed", options->seed, "Seed: the same seed gives the same payload")
                 ->type_name("N")
                 ->capture_default_str(),
               integer_range(0, std::numeric_limits<std::uint64_t>::max()));
  sub
    .add_option(
      "--set", options->sets,
      "Set PATH=VALUE (e.g. enrollment.mode=verified), parsed by the field's type; repeatable")
    ->type_name("PATH=VALUE")
    ->allow_extra_args(false);
  sub.add_flag("--minimal", options->minimal, "Leave out every field that may be absent");
  number_range(
    sub.add_option("--count", options->count,
                   "Print N payloads as JSON Lines, with the seeds S, S+1, ... from --seed S")
      ->type_name("N"),
    integer_range(1, 100'000'000));
  sub.add_flag("--envelope", options->envelope, "Wrap as {\"metadata\": ..., \"data\": ...}");
  sub.callback([options, &context] { context.exit_code = run_sample(*options, context); });
}

} // namespace oex::cli

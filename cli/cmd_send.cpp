// oex send: fire an event at receiver plugins and exec receivers, as send_event does.

#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "context.hpp"
#include "input.hpp"
#include "oex/catalog/catalog.hpp"
#include "oex/util/error.hpp"
#include "oex/signal/signal.hpp"
#include "plugin_options.hpp"
#include "report.hpp"

namespace oex::cli {
namespace {

using json = nlohmann::ordered_json;

struct SendOptions
{
  std::string event_type;
  std::string payload;
  std::vector<std::string> receivers;
  std::optional<std::string> time;
  std::optional<std::string> metadata_file;
  bool strict = false;
  bool disabled = false;
  bool json = false;
  bool dry_run = false;
  PluginOptions plugins;
};

json response_json(const Response& response)
{
  json out = json::object();
  out["receiver"] = response.receiver;
  out["ok"] = response.outcome.ok;
  json value = nullptr;
  if (response.outcome.response) {
    value = json::parse(*response.outcome.response, nullptr, false);
    if (value.is_discarded()) {
      value = *response.outcome.response;
    }
  }
  out["response"] = std::move(value);
  out["error"] = response.outcome.ok ? json(nullptr) : json(response.outcome.error);
  out["duration_ms"] = std::chrono::duration<double, std::milli>(response.duration).count();
  return out;
}

void print_text(const std::vector<Response>& responses)
{
  std::size_t width = 8;
  for (const Response& response : responses) {
    width = std::max(width, response.receiver.size());
  }
  for (const Response& response : responses) {
    const double ms = std::chrono::duration<double, std::milli>(response.duration).count();
    std::string what =
      response.outcome.ok ? response.outcome.response.value_or("null") : response.outcome.error;
    std::replace(what.begin(), what.end(), '\n', ' ');
    fmt::print("{:<5}  {:<{}}  {:>8.1f} ms  {}\n", response.outcome.ok ? "ok" : "error",
               response.receiver, width, ms, what);
  }
}

ExitCode report(const SendOptions& options, const EventsMetadata* metadata,
                const std::vector<Response>& responses, bool disabled)
{
  const std::size_t errors = static_cast<std::size_t>(std::count_if(
    responses.begin(), responses.end(), [](const Response& r) { return !r.outcome.ok; }));
  if (options.json) {
    json out = json::object();
    out["event_type"] = options.event_type;
    out["sent"] = !disabled;
    out["metadata"] = metadata ? metadata->to_json_data() : json(nullptr);
    out["responses"] = json::array();
    for (const Response& response : responses) {
      out["responses"].push_back(response_json(response));
    }
    fmt::print("{}\n", out.dump(2, ' ', false, json::error_handler_t::replace));
  } else if (disabled) {
    fmt::print(stderr, "oex: the event is disabled: no receiver was called\n");
  } else {
    print_text(responses);
    fmt::print(stderr, "oex: sent {} (id {}) to {} receiver{}: {} ok, {} failed\n",
               options.event_type, metadata->id, responses.size(), responses.size() == 1 ? "" : "s",
               responses.size() - errors, errors);
  }
  return errors > 0 ? ExitCode::findings : ExitCode::ok;
}

ExitCode run_send(const SendOptions& options, Context& context)
{
  const Catalog& catalog = context.catalog_for(options.event_type);
  const EventType& event = catalog.get_signal_by_type(options.event_type);
  if (options.time && options.metadata_file) {
    throw Error("--time and --metadata cannot be used together");
  }
  const ReceiverOptions receiver_options = options.plugins.receiver_options();
  PluginSet plugins;
  load_plugins(options.plugins, plugins, true);

  PublicSignal signal(event, catalog, MetadataSettings::from_environment());
  for (auto& receiver : plugins.receivers_for(event.event_type, receiver_options)) {
    signal.connect(std::move(receiver));
  }
  for (const std::string& spec : options.receivers) {
    if (!spec.starts_with("exec:") || spec.size() == 5) {
      throw Error("--receiver '" + spec + "': expected exec:COMMAND");
    }
    signal.connect(make_exec_receiver(spec.substr(5), receiver_options));
  }
  if (options.disabled) {
    signal.disable();
  }
  if (options.strict) {
    signal.allow_send_event_failure();
  }

  std::optional<EventsMetadata> custom;
  if (options.metadata_file) {
    auto parsed = EventsMetadata::from_json(read_input(*options.metadata_file));
    if (!parsed) {
      throw Error("--metadata " + input_name(*options.metadata_file) + ": " + parsed.error());
    }
    if (parsed->event_type != event.event_type) {
      throw Error("--metadata " + input_name(*options.metadata_file) + ": event_type '"
                  + parsed->event_type + "' is not '" + event.event_type + "'");
    }
    custom = *parsed;
  }
  std::optional<DateTime> time;
  if (options.time) {
    auto parsed = parse_isoformat(*options.time);
    if (!parsed) {
      throw Error("--time: " + parsed.error());
    }
    time = *parsed;
  }
  const std::string payload = read_input(options.payload);

  if (signal.receivers().empty() && !options.json) {
    fmt::print(stderr, "oex: warning: no receiver listens to {}\n", event.event_type);
  }
  if (options.dry_run) {
    PayloadValidator validator(event);
    const DocumentCheck check = validator.check(payload);
    if (!check.valid()) {
      throw SenderValidationError(event.event_type, check);
    }
    for (const auto& receiver : signal.receivers()) {
      fmt::print("would call {}\n", receiver->name());
    }
    return ExitCode::ok;
  }
  try {
    EventsMetadata sent;
    std::vector<Response> responses;
    if (custom) {
      responses = signal.send_event_with_custom_metadata(*custom, payload);
      sent = *custom;
    } else {
      responses = signal.send_event(payload, time, Robust::yes, &sent);
    }
    return report(options, &sent, responses, !signal.enabled());
  } catch (const SenderValidationError& e) {
    const std::string name = input_name(options.payload);
    for (const Finding& finding : e.check().findings) {
      fmt::print(stderr, "{}\n", finding_line(name, 0, payload, finding));
    }
    fmt::print(stderr, "oex: {}\noex: nothing was sent\n", e.what());
    return e.check().malformed ? ExitCode::usage : ExitCode::findings;
  } catch (const ReceiverFailed& e) {
    std::vector<Response> responses = e.before();
    responses.push_back(e.failed());
    if (!options.json) {
      print_text(responses);
      fmt::print(stderr, "oex: --strict: stopped at the first error\n");
      return ExitCode::findings;
    }
    return report(options, nullptr, responses, false);
  }
}

} // namespace

void add_send_command(CLI::App& sub, Context& context)
{
  auto options = std::make_shared<SendOptions>();
  sub.add_option("TYPE", options->event_type, "Event type")->required();
  sub.add_option("PAYLOAD", options->payload, "Payload file; - reads standard input")->required();
  options->plugins.add_to(sub);
  sub
    .add_option("--receiver", options->receivers,
                "exec:COMMAND: run COMMAND with the event as JSON on stdin; repeatable")
    ->type_name("R")
    ->allow_extra_args(false);
  auto* time =
    sub.add_option("--time", options->time, "Event time, ISO 8601 in UTC")->type_name("T");
  sub
    .add_option("--metadata", options->metadata_file,
                "Send with this metadata (JSON file), as the event bus consumer does")
    ->type_name("FILE")
    ->excludes(time);
  sub.add_flag("--strict", options->strict,
               "Stop at the first receiver error (allow_send_event_failure)");
  sub.add_flag("--disabled", options->disabled, "Send with the event disabled: nothing is called");
  sub.add_flag("--json", options->json, "Report as JSON, with the metadata that was sent");
  sub.add_flag("--dry-run", options->dry_run, "Check the payload and list the receivers only");
  sub.callback([options, &context] {
    options->event_type = context.event(options->event_type).event_type; // a name is accepted
    context.exit_code = run_send(*options, context);
  });
}

} // namespace oex::cli

// oex send: fire an event at receiver plugins and exec receivers, as send_event does.

#include <limits>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "context.hpp"
#include "input.hpp"
#include "metadata_options.hpp"
#include "number_options.hpp"
#include "oex/catalog/catalog.hpp"
#include "oex/signal/send_report.hpp"
#include "oex/signal/signal.hpp"
#include "oex/util/error.hpp"
#include "oex/util/text.hpp"
#include "plugin_options.hpp"
#include "report.hpp"
#include "send_options.hpp"

namespace oex::cli {
namespace {

using json = nlohmann::ordered_json;

// Prints the report (one JSON document, or text: results on stdout, the rest on stderr) and
// returns the exit status.
ExitCode finish(const SendOptions& options, const SendReport& report)
{
  const bool malformed = report.check && report.check->malformed;
  if (options.json) {
    fmt::print("{}\n",
               send_report_json(report).dump(2, ' ', false, json::error_handler_t::replace));
  } else {
    switch (report.status) {
    case SendStatus::invalid: {
      const std::string name = input_name(options.payload);
      std::string out;
      for (const Finding& finding : report.check->findings) {
        out += escape_control(finding_line(name, 0, report.payload, finding)) + "\n";
      }
      fmt::print(stderr, "{}oex: {}\noex: nothing was sent\n", out,
                 escape_control(SenderValidationError(report.event_type, *report.check).what()));
      break;
    }
    case SendStatus::disabled:
      fmt::print(stderr, "oex: the event is disabled: no receiver was called\n");
      break;
    case SendStatus::dry_run:
      for (const std::string& receiver : report.receivers) {
        fmt::print("would call {}\n", escape_control(receiver));
      }
      fmt::print(stderr, "oex: dry run: the payload is valid; nothing was sent\n");
      break;
    case SendStatus::stopped:
      fmt::print("{}", responses_text(report.responses));
      fmt::print(stderr, "oex: --strict: stopped at the first error\n");
      break;
    case SendStatus::sent: {
      fmt::print("{}", responses_text(report.responses));
      const std::size_t n = report.responses.size();
      fmt::print(stderr, "oex: sent {} (id {}) to {} receiver{}: {} ok, {} failed\n",
                 report.event_type, report.metadata->id, n, n == 1 ? "" : "s",
                 n - report.failures(), report.failures());
      break;
    }
    }
  }
  if (report.status == SendStatus::invalid) {
    return malformed ? ExitCode::usage : ExitCode::findings;
  }
  return report.failures() > 0 ? ExitCode::findings : ExitCode::ok;
}

ExitCode run_send(const SendOptions& options, Context& context)
{
  const Catalog& catalog = context.catalog_for(options.event_type);
  const EventType& event = catalog.get_signal_by_type(options.event_type);
  if (options.payload == "-" && options.metadata_file == "-") {
    throw Error("the payload and --metadata cannot both be '-': standard input can be read only "
                "once");
  }
  if (options.envelope && (options.metadata_file || options.time)) {
    throw Error(std::string("--envelope cannot be used with ")
                + (options.metadata_file ? "--metadata" : "--time")
                + ": the envelope holds the metadata");
  }
  if (options.jsonl && options.metadata_file) {
    throw Error("--metadata cannot be used with --jsonl: every event of the file would be sent "
                "with the same id (give each line its own metadata with --envelope)");
  }
  const ReceiverOptions receiver_options = options.plugins.receiver_options();
  PluginSet plugins;
  load_plugins(options.plugins, receiver_options, plugins, true); // warnings go to stderr

  PublicSignal signal(event, catalog, MetadataSettings::from_environment());
  connect_receivers(options, receiver_options, plugins, signal);
  if (options.strict) {
    signal.allow_send_event_failure();
  }
  if (options.jsonl) {
    return send_jsonl(options, signal);
  }
  std::optional<EventsMetadata> custom;
  if (options.metadata_file) {
    custom = read_metadata_file(*options.metadata_file, event);
  }
  const std::optional<DateTime> time = parse_time_option(options.time);
  const std::string document = read_input(
    options.payload, options.max_bytes ? static_cast<std::size_t>(*options.max_bytes)
                                       : std::numeric_limits<std::size_t>::max());

  SendReport report;
  report.event_type = event.event_type;
  for (const auto& receiver : signal.receivers()) {
    report.receivers.push_back(receiver->name());
  }
  if (report.receivers.empty() && !options.json) {
    fmt::print(stderr, "oex: warning: no receiver listens to {}\n", event.event_type);
  }
  if (options.disabled) {
    // As upstream: a disabled event is neither checked nor sent.
    report.status = SendStatus::disabled;
    return finish(options, report);
  }
  PayloadValidator validator(event, options.envelope ? PayloadForm::envelope : PayloadForm::data);
  report.check = validator.check(document);
  report.payload = document;
  if (!report.check->valid()) {
    report.status = SendStatus::invalid;
    return finish(options, report);
  }
  std::string payload = document;
  if (options.envelope) {
    const json envelope = json::parse(document);
    auto metadata = EventsMetadata::from_json_data(envelope.at("metadata"));
    if (!metadata) {
      throw Error(input_name(options.payload) + ": metadata: " + metadata.error());
    }
    custom = *metadata;
    payload = envelope.at("data").dump();
  }
  if (options.dry_run) {
    report.status = SendStatus::dry_run;
    return finish(options, report);
  }
  EventsMetadata sent;
  try {
    if (custom) {
      sent = *custom;
      report.responses = signal.send_event_with_custom_metadata(*custom, payload);
    } else {
      report.responses = signal.send_event(payload, time, Robust::yes, &sent);
    }
  } catch (const ReceiverFailed& e) {
    report.status = SendStatus::stopped;
    report.responses = e.before();
    report.responses.push_back(e.failed());
  }
  report.metadata = sent;
  return finish(options, report);
}

} // namespace

void connect_receivers(const SendOptions& options, const ReceiverOptions& receiver_options,
                       PluginSet& plugins, PublicSignal& signal)
{
  for (auto& receiver : plugins.receivers_for(signal.event().event_type, receiver_options)) {
    signal.connect(std::move(receiver));
  }
  for (const std::string& spec : options.receivers) {
    if (!spec.starts_with("exec:") || spec.size() == 5) {
      throw Error("--receiver '" + spec + "': expected exec:COMMAND");
    }
    signal.connect(make_exec_receiver(spec.substr(5), receiver_options));
  }
}

void add_send_command(CLI::App& sub, Context& context)
{
  auto options = std::make_shared<SendOptions>();
  sub.add_option("TYPE", options->event_type, "Event type")->required();
  sub.add_option("PAYLOAD", options->payload, "Payload file; - reads standard input")->required();
  sub.add_flag("--jsonl", options->jsonl,
               "PAYLOAD holds one event per line (JSON Lines): each is checked and sent in turn, "
               "with its own metadata; a report per event, the counts on stderr; an invalid "
               "line is reported and the run goes on (not with --metadata)");
  number_range(sub.add_option("--max-bytes,--max-line-bytes", options->max_bytes,
                              "Largest document read: the whole PAYLOAD (default: no limit), or "
                              "one --jsonl line (default 1048576, 1 MiB; a longer line is not "
                              "sent and counts as invalid)")
                 ->type_name("BYTES"),
               integer_range(1, std::numeric_limits<std::int64_t>::max() / 4));
  options->plugins.add_to(sub);
  sub
    .add_option("--receiver", options->receivers,
                "exec:COMMAND: run COMMAND with the event as JSON on stdin; repeatable")
    ->type_name("R")
    ->allow_extra_args(false);
  auto* time = sub.add_option("--time", options->time,
                              "Event time, ISO 8601 in UTC (with --jsonl: every event's time; "
                              "each still gets its own id)")
                 ->type_name("T");
  sub
    .add_option("--metadata", options->metadata_file,
                "Send with this metadata (JSON file), as the event bus consumer does")
    ->type_name("FILE")
    ->excludes(time);
  sub.add_flag("--envelope", options->envelope,
               "PAYLOAD is {\"metadata\": ..., \"data\": ...} (as sample --envelope writes): "
               "send the data with that metadata, as --metadata does (with --jsonl: each line "
               "is an envelope)");
  sub.add_flag("--strict", options->strict,
               "Stop at the first receiver error (allow_send_event_failure)");
  sub.add_flag("--disabled", options->disabled,
               "Send with the event disabled: nothing is checked or called");
  sub.add_flag("--json", options->json,
               "Report as one JSON document, whatever the outcome (see the README for its shape)");
  sub.add_flag("--dry-run", options->dry_run,
               "Check the payload and list the receivers that would be called; send nothing (with "
               "--jsonl: every line is checked)");
  sub.callback([options, &context] {
    options->event_type = context.event(options->event_type).event_type; // a name is accepted
    context.exit_code = run_send(*options, context);
  });
}

} // namespace oex::cli

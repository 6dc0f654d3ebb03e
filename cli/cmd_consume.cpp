// oex consume: read events from the event bus in a consumer group, dispatch them to receivers
// (or print them), acknowledge each after it is handled; with --no-group, read without a group
// and acknowledge nothing.

#include <atomic>
#include <csignal>
#include <cstdint>
#include <memory>

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "bus_options.hpp"
#include "commands.hpp"
#include "context.hpp"
#include "number_options.hpp"
#include "oex/bus/consume_loop.hpp"
#include "oex/bus/transport.hpp"
#include "oex/catalog/catalog.hpp"
#include "oex/signal/send_report.hpp"
#include "oex/util/error.hpp"
#include "oex/util/python_json.hpp"
#include "oex/util/text.hpp"
#include "plugin_options.hpp"
#include "report_buffer.hpp"

namespace oex::cli {
namespace {


struct ConsumeCliOptions
{
  std::string topic;
  std::string group;
  bool no_group = false;
  std::optional<std::string> consumer;
  std::optional<std::string> from;
  std::optional<std::int64_t> claim_idle_ms;
  std::optional<std::uint64_t> max;
  std::optional<double> idle_seconds;
  std::vector<std::string> types;
  bool strict_metadata = false;
  std::optional<std::string> dead_letter;
  std::int64_t batch = 100;
  bool json = false;
  std::vector<std::string> receivers;
  PluginOptions plugins;
  BusOptions bus;
};

std::atomic<bool> g_stop{false};

extern "C" void on_stop_signal(int signo)
{
  g_stop.store(true);
  // A second signal ends oex at once, as it would have without this handler.
  std::signal(signo, SIG_DFL);
}

std::string_view status_name(bus::MessageStatus status)
{
  switch (status) {
  case bus::MessageStatus::handled: return "handled";
  case bus::MessageStatus::skipped: return "skipped";
  case bus::MessageStatus::bad: return "bad";
  case bus::MessageStatus::failed: return "failed";
  }
  return "";
}

class CliHandler : public bus::ConsumeHandler
{
public:
  CliHandler(const ConsumeCliOptions& options, ReceiverOptions receiver_options)
    : m_options(options)
    , m_receiver_options(receiver_options)
  {
    load_plugins(options.plugins, m_receiver_options, m_plugins, true);
    for (const std::string& spec : options.receivers) {
      if (!spec.starts_with("exec:") || spec.size() == 5) {
        throw Error("--receiver '" + spec + "': expected exec:COMMAND");
      }
    }
    m_dispatches = !options.receivers.empty() || !m_plugins.plugins().empty();
  }

  bool dispatches() const override { return m_dispatches; }

  void connect(PublicSignal& signal) override
  {
    for (auto& receiver : m_plugins.receivers_for(signal.event().event_type, m_receiver_options)) {
      signal.connect(std::move(receiver));
    }
    for (const std::string& spec : m_options.receivers) {
      signal.connect(make_exec_receiver(spec.substr(5), m_receiver_options));
    }
  }

  void report(const bus::MessageReport& report) override
  {
    if (m_options.json) {
      m_line.clear(); // keeps its room: no allocation per message
      render_json(report, m_line);
      m_output.put(m_line);
      return;
    }
    m_output.put(render(report));
  }

  // Writes the reports buffered so far (consume acknowledges their messages only after this).
  void flush() override { m_output.flush(); }

  std::uint64_t reports_written() const override { return m_output.written(); }

  void ready() override
  {
    if (!m_options.json && isatty(STDERR_FILENO)) {
      fmt::print(stderr, "oex: waiting for events (Ctrl-C to stop)\n");
    }
  }

private:
  // What report goes to standard output (may be nothing); what goes to standard error is
  // written here, after the output buffered before it.
  std::string render(const bus::MessageReport& report)
  {
    const bus::ReceivedMessage& message = *report.message;
    const std::string position = escape_control(message.position);
    if (!report.metadata_notes.empty() || report.status == bus::MessageStatus::bad
        || report.status == bus::MessageStatus::failed) {
      m_output.flush(); // the lines before on stdout come before these on stderr
    }
    for (const std::string& note : report.metadata_notes) {
      fmt::print(stderr, "oex: {}: warning: {} (filled in as upstream does)\n", position,
                 escape_control(note));
    }
    switch (report.status) {
    case bus::MessageStatus::skipped:
      return "";
    case bus::MessageStatus::bad:
      fmt::print(stderr, "oex: {}: bad message: {}{}\n", position, escape_control(report.error),
                 report.dead_letter ? " (dead letter " + *report.dead_letter + ")" : "");
      return "";
    case bus::MessageStatus::handled:
    case bus::MessageStatus::failed:
      break;
    }
    std::string out = position + " " + escape_control(report.metadata->event_type) + " "
                      + report.metadata->id + " " + isoformat(report.metadata->time);
    if (!m_dispatches) {
      out += " " + escape_control(report.data_json);
    }
    out += "\n" + responses_text(report.responses);
    if (report.status == bus::MessageStatus::failed) {
      fmt::print(stderr, "oex: {}: {}{}\n", position, escape_control(report.error),
                 report.dead_letter ? " (dead letter " + *report.dead_letter + ")" : "");
    }
    return out;
  }

  // One JSON line, as python_json_dumps would write the object (written directly: this runs
  // once a message), appended to out; the payload, already JSON, goes in as it is.
  static void render_json(const bus::MessageReport& report, std::string& out)
  {
    const auto text = [](std::string& to, std::string_view value) {
      append_python_json_string(to, value, EnsureAscii::yes);
    };
    const auto text_or_null = [&](std::string& to, const std::string* value) {
      value ? text(to, *value) : void(to += "null");
    };
    out += "{\"entry_id\": ";
    text(out, report.message->position);
    out += ", \"stream\": ";
    text(out, report.message->stream);
    out += ", \"status\": ";
    text(out, status_name(report.status));
    out += ", \"event_type\": ";
    text_or_null(out, report.event_type ? &*report.event_type : nullptr);
    out += ", \"metadata\": ";
    report.metadata ? report.metadata->append_json(out) : void(out += "null");
    out += ", \"warnings\": [";
    for (std::size_t i = 0; i < report.metadata_notes.size(); ++i) {
      out += i ? ", " : "";
      text(out, report.metadata_notes[i]);
    }
    out += "], \"data\": ";
    out += report.data_json.empty() ? std::string_view("null") : std::string_view(report.data_json);
    out += ", \"receivers\": [";
    for (std::size_t i = 0; i < report.responses.size(); ++i) {
      out += i ? ", " : "";
      out += python_json_dumps(response_json(report.responses[i]));
    }
    out += "], \"error\": ";
    text_or_null(out, report.error.empty() ? nullptr : &report.error);
    out += ", \"dead_letter_entry_id\": ";
    text_or_null(out, report.dead_letter ? &*report.dead_letter : nullptr);
    out += "}\n";
  }

  const ConsumeCliOptions& m_options;
  ReceiverOptions m_receiver_options;
  PluginSet m_plugins;
  bool m_dispatches = false;
  // Written in large writes; to a terminal, each line as it comes.
  ReportBuffer m_output{64 * 1024, isatty(STDOUT_FILENO) != 0};
  std::string m_line; // --json: the line of the message in hand
};

bus::StartAt start_at(const std::optional<std::string>& from)
{
  bus::StartAt start;
  if (!from || *from == "end") {
    return start;
  }
  if (*from == "beginning") {
    start.kind = bus::StartAt::Kind::beginning;
    return start;
  }
  start.kind = bus::StartAt::Kind::position;
  start.position = *from;
  return start;
}

std::string host_name()
{
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') {
    return "oex";
  }
  return host;
}

// --group or --no-group, and no group options with --no-group (before any connection).
void check_group_options(const ConsumeCliOptions& options)
{
  if (!options.no_group) {
    if (options.group.empty()) {
      throw CLI::RequiredError("--group or --no-group");
    }
    return;
  }
  const auto refuse = [](const char* option) {
    throw Error(std::string(option) + " cannot be used with --no-group: a group-less read joins "
                                      "no consumer group");
  };
  if (!options.group.empty()) {
    refuse("--group");
  }
  if (options.consumer) {
    refuse("--consumer");
  }
  if (options.claim_idle_ms) {
    refuse("--claim-idle");
  }
}

ExitCode run_consume(const ConsumeCliOptions& options, Context& context)
{
  const Catalog& catalog = context.catalog();
  for (const std::string& type : options.types) {
    if (!catalog.find(type)) {
      catalog.get_signal_by_type(type); // throws UnknownEventType, with a suggestion
    }
  }
  CliHandler handler(options, options.plugins.receiver_options());
  auto transport = bus::open_transport(options.bus.settings());
  bus::ConsumerSettings settings;
  settings.stream = transport->full_name(options.topic);
  settings.group = options.group;
  settings.no_group = options.no_group;
  settings.consumer = options.no_group ? "" : options.consumer.value_or(host_name());
  settings.start = start_at(options.from);
  if (options.claim_idle_ms) {
    settings.claim_idle = std::chrono::milliseconds(*options.claim_idle_ms);
  }
  // Read no more than --max: what is read is delivered to this consumer, and stays pending for it
  // until a later run handles it.
  settings.batch = static_cast<std::size_t>(
    options.max ? std::min<std::uint64_t>(*options.max, static_cast<std::uint64_t>(options.batch))
                : static_cast<std::uint64_t>(options.batch));
  auto consumer = transport->consumer(settings);
  std::unique_ptr<bus::Producer> dead_letter;
  bus::ConsumeOptions consume_options;
  if (options.dead_letter) {
    dead_letter = transport->producer();
    consume_options.dead_letter_stream = transport->full_name(*options.dead_letter);
  }
  consume_options.max = options.max;
  if (options.idle_seconds) {
    consume_options.idle =
      std::chrono::milliseconds(static_cast<std::int64_t>(*options.idle_seconds * 1000));
  }
  consume_options.types.insert(options.types.begin(), options.types.end());
  consume_options.strict_metadata = options.strict_metadata;
  consume_options.ack_batch = settings.batch;
  consume_options.settings = MetadataSettings::from_environment();

  struct sigaction action = {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  const bus::ConsumeSummary summary =
    bus::consume(*consumer, dead_letter.get(), transport->metadata_names(), catalog,
                 consume_options, handler, g_stop);
  const std::string reader =
    options.no_group ? std::string("no group")
                     : "group " + settings.group + ", consumer " + escape_control(settings.consumer);
  fmt::print(stderr,
             "oex: {} message{} from {} ({}): {} handled, {} skipped, {} bad, {} with failed "
             "receivers{}\n",
             summary.total(), summary.total() == 1 ? "" : "s", settings.stream, reader,
             summary.handled, summary.skipped, summary.bad, summary.failed,
             summary.stopped ? "; stopped by a signal" : "");
  return summary.bad + summary.failed > 0 ? ExitCode::findings : ExitCode::ok;
}

} // namespace

void add_consume_command(CLI::App& sub, Context& context)
{
  auto options = std::make_shared<ConsumeCliOptions>();
  sub.add_option("--topic", options->topic, "Topic (the stream is PREFIX-TOPIC)")
    ->type_name("TOPIC")
    ->check(non_empty())
    ->required();
  sub.add_option("--group", options->group, "Consumer group (required, unless --no-group)")
    ->type_name("GROUP")
    ->check(non_empty());
  sub.add_flag("--no-group", options->no_group,
               "Read without a consumer group, as kcat -C or redis-cli XREAD do: to look at what "
               "is on the bus, replay it into receivers or tail it. Nothing is acknowledged or "
               "committed and no group is joined, made or moved, so the services' groups see "
               "nothing of it; each run reads again from --from. Kafka: reads every partition the "
               "topic has when it starts (partitions added later are not followed)");
  sub.add_option("--consumer", options->consumer,
                 "This consumer's name in the group (default: the host name; keep it stable, so "
                 "that a restart finds its own unacknowledged messages)")
    ->type_name("NAME");
  options->bus.add_to(sub, false);
  sub.add_option("--from", options->from,
                 "Where a new group starts: end (the default), beginning, or an entry id "
                 "(inclusive). With an existing group: move it there (a replay); without "
                 "--from it resumes where it left off. --no-group: where reading starts, end "
                 "(the default: only messages that come after start-up), beginning, or an ISO "
                 "time with its offset (the messages from then on; Redis also takes an entry id)")
    ->type_name("WHERE");
  number_range(sub.add_option("--claim-idle", options->claim_idle_ms,
                              "Take over messages other consumers of the group left "
                              "unacknowledged for MS milliseconds (XAUTOCLAIM)")
                 ->type_name("MS"),
               integer_range(0, std::uint64_t{1} << 40));
  number_range(sub.add_option("--max", options->max, "Stop after N messages")->type_name("N"),
               integer_range(1, std::uint64_t{1} << 62));
  number_range(sub.add_option("--idle", options->idle_seconds,
                              "Stop after S seconds with no new message (counted from when the "
                              "consumer is ready: partitions assigned, or reading started)")
                 ->type_name("S"),
               real_range(0.001, 86400.0 * 365));
  sub.add_option("--type", options->types,
                 "Handle only this event type (repeatable); others are acknowledged and "
                 "counted as skipped")
    ->type_name("TYPE")
    ->allow_extra_args(false);
  sub.add_flag("--strict-metadata", options->strict_metadata,
               "A message missing a metadata field is bad (by default it is reported and the "
               "field filled in as upstream does)");
  sub.add_option("--dead-letter", options->dead_letter,
                 "Copy messages that could not be handled or whose receivers failed to "
                 "PREFIX-TOPIC, with error and original_entry_id, before acknowledging them")
    ->type_name("TOPIC");
  number_range(sub.add_option("--batch", options->batch,
                              "Messages read per request and acknowledged together once handled "
                              "(default 100; with receivers each at once): what consume holds in memory")
                 ->type_name("N"),
               integer_range(1, 100000));
  sub.add_flag("--json", options->json,
               "One JSON object a line per message: entry_id, stream, status, event_type, "
               "metadata, warnings, data, receivers, error, dead_letter_entry_id");
  options->plugins.add_to(sub);
  sub
    .add_option("--receiver", options->receivers,
                "exec:COMMAND: run COMMAND with each event as JSON on stdin; repeatable")
    ->type_name("R")
    ->allow_extra_args(false);
  sub.callback([options, &context] {
    check_group_options(*options);
    context.exit_code = run_consume(*options, context);
  });
}

} // namespace oex::cli

// oex produce: put events on the event bus as event-bus-redis does.

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "standard_streams.hpp"
#include "bus_options.hpp"
#include "commands.hpp"
#include "context.hpp"
#include "findings.hpp"
#include "input.hpp"
#include "metadata_options.hpp"
#include "number_options.hpp"
#include "oex/avro/binary.hpp"
#include "oex/bus/kafka_schemas.hpp"
#include "oex/bus/producer_config.hpp"
#include "oex/bus/transport.hpp"
#include "oex/bus/wire_metadata.hpp"
#include "oex/catalog/catalog.hpp"
#include "oex/payload/validate.hpp"
#include "oex/util/error.hpp"
#include "oex/util/python_json.hpp"
#include "oex/util/spool.hpp"
#include "report.hpp"

namespace oex::cli {
namespace {

using json = nlohmann::ordered_json;

// As oex validate: the largest payload read, a whole file or one --jsonl line.
constexpr std::int64_t k_default_max_bytes = std::int64_t{1} << 20;
struct ProduceOptions
{
  std::string event_type;
  std::string payload;
  std::string topic;
  std::optional<std::string> config_file; // --config: the topics come from this configuration
  BusOptions bus;
  std::optional<std::string> time;
  std::optional<std::string> id;
  std::optional<std::string> metadata_file;
  std::optional<std::string> key_field;
  bool jsonl = false;
  bool json = false;
  std::int64_t max_bytes = k_default_max_bytes;
};

bool blank(std::string_view text)
{
  return text.find_first_not_of(" \t\r") == std::string_view::npos;
}

// Sends the one queued event (to one topic); throws BusError when it was refused.
std::vector<bus::Delivery> flush_one(bus::Producer& producer)
{
  std::vector<bus::Delivery> deliveries = producer.flush();
  for (const bus::Delivery& delivery : deliveries) {
    if (!delivery.ok) {
      throw bus::BusError(delivery.error);
    }
  }
  return deliveries;
}

// Kafka: the registry schemas and key field for event (none for a transport without keys).
std::shared_ptr<const bus::KafkaSchemas> kafka_schemas(const bus::Transport& transport,
                                                       const EventType& event,
                                                       const std::optional<std::string>& key_field)
{
  if (!transport.keyed()) {
    return nullptr;
  }
  return std::make_shared<const bus::KafkaSchemas>(
    event, bus::event_key_field(event, key_field ? &*key_field : nullptr));
}

// Where one event goes: a topic (without the prefix) and its key field (none: the catalog's).
struct Target
{
  std::string topic;
  std::optional<std::string> key_field;
};

// --config: the enabled topics the producer configuration gives for the event, in its order.
// Error findings are printed (stderr) and nothing is returned; warnings are printed too.
std::optional<std::vector<Target>> config_targets(const ProduceOptions& options, Context& context,
                                                  const EventType& event)
{
  const std::string name = input_name(*options.config_file);
  const ProducerConfigCheck check =
    check_producer_config(name, read_input(*options.config_file), context.catalog());
  fmt::print(stderr, "{}", render_findings(check.findings, FindingFormat::text, "oex produce"));
  if (findings_exit_code(check.findings, false) != ExitCode::ok) {
    fmt::print(stderr, "oex: produce: {}: {}: nothing was sent\n", name,
               count_text(check.findings));
    return std::nullopt;
  }
  std::vector<Target> targets;
  for (const TopicRoute& route : check.config.enabled_routes(event.event_type)) {
    targets.push_back({route.topic, route.event_key_field});
  }
  if (targets.empty()) {
    throw Error(fmt::format("{}: no enabled topic for '{}'", name, event.event_type));
  }
  return targets;
}

// Adds the key (the key field's value, Avro-encoded) and the schemas to a Kafka message.
void add_key(bus::OutgoingMessage& message, const std::shared_ptr<const bus::KafkaSchemas>& schemas)
{
  if (schemas) {
    if (message.key) {
      message.key->clear(); // the last message's buffer (produce --jsonl)
    } else {
      message.key.emplace();
    }
    schemas->encode_key(*message.value, *message.key);
    message.schemas = schemas;
  }
}

// Sends one event to every target, with the same metadata (one event id) everywhere.
ExitCode produce_one(const ProduceOptions& options, Context& context, const EventType& event,
                     const std::vector<Target>& targets)
{
  avro::PayloadEncoder encoder(event); // throws for events that cannot go on the bus
  const std::string text = read_input(options.payload, static_cast<std::size_t>(options.max_bytes));
  const std::string name = input_name(options.payload);
  const DocumentCheck check = PayloadValidator(event).check(text);
  if (!payload_usable(name, text, check, event.event_type, "nothing was sent")) {
    return ExitCode::findings;
  }
  const Catalog& catalog = context.catalog_for(options.event_type);
  EventsMetadata metadata;
  if (options.metadata_file) {
    metadata = read_metadata_file(*options.metadata_file, event);
  } else {
    MetadataOverrides overrides;
    overrides.time = parse_time_option(options.time);
    overrides.id = options.id;
    metadata = generate_signal_metadata(event, catalog, MetadataSettings::from_environment(),
                                        overrides);
  }
  std::string value;
  encoder.encode(text, value);
  auto transport = bus::open_transport(options.bus.settings());
  auto producer = transport->producer();
  for (const Target& target : targets) {
    bus::OutgoingMessage message;
    message.value = value;
    add_key(message, kafka_schemas(*transport, event, target.key_field));
    message.stream = transport->full_name(target.topic);
    message.fields = bus::metadata_fields(transport->metadata_names(), metadata);
    producer->send(message);
  }
  // --config: a topic that refuses (a key of another type) does not hide where the event went.
  const std::vector<bus::Delivery> deliveries =
    options.config_file ? producer->flush() : flush_one(*producer);
  const auto object = [&](std::size_t i) {
    json out = json::object();
    if (options.config_file) {
      out["topic"] = targets[i].topic;
    }
    out["stream"] = transport->full_name(targets[i].topic);
    out["entry_id"] = deliveries[i].position;
    out["event_type"] = event.event_type;
    out["metadata"] = metadata.to_json_data();
    return out;
  };
  if (!options.config_file) { // --topic: one line or object, as ever
    write_stdout(options.json ? python_json_dumps(object(0)) + "\n"
                              : deliveries[0].position + " " + metadata.id + "\n");
    return ExitCode::ok;
  }
  std::string out;
  json all = json::array();
  std::optional<std::string> refused;
  std::size_t sent = 0;
  for (std::size_t i = 0; i < deliveries.size(); ++i) {
    if (!deliveries[i].ok) {
      refused = refused ? refused : deliveries[i].error;
      continue;
    }
    ++sent;
    if (options.json) {
      all.push_back(object(i));
    } else {
      out += transport->full_name(targets[i].topic) + " " + deliveries[i].position + " "
             + metadata.id + "\n";
    }
  }
  write_stdout(options.json ? python_json_dumps(all) + "\n" : out);
  if (refused) {
    throw bus::BusError(
      fmt::format("{} (the event went to {} of {} topics)", *refused, sent, deliveries.size()));
  }
  return ExitCode::ok;
}

ExitCode produce_lines(const ProduceOptions& options, Context& context, const EventType& event)
{
  if (options.id || options.metadata_file) {
    throw Error(std::string(options.id ? "--id" : "--metadata")
                + " cannot be used with --jsonl: every event gets its own id");
  }
  const std::optional<DateTime> time = parse_time_option(options.time);
  avro::PayloadEncoder encoder(event);
  PayloadValidator validator(event);
  const std::string name = input_name(options.payload);
  const auto max_bytes = static_cast<std::size_t>(options.max_bytes);
  // The encoded payloads wait in memory, or in a temporary file past 64 MiB (oex::Spool).
  Spool spool("--jsonl");
  std::uint64_t total = 0;
  std::uint64_t invalid = 0;
  std::string bytes;
  // First pass: every line checked and encoded (in one reading when the encoder can; else
  // checked, findings printed, and encoded); nothing is sent unless all are valid.
  for_each_line(options.payload, max_bytes, [&](const InputLine& line) {
    if (line.too_long) {
      ++total;
      ++invalid;
      fmt::print(stderr, "{}:{}: line of {} bytes is longer than {} (--max-bytes)\n", name,
                 line.number, line.too_long, max_bytes);
      return true;
    }
    if (blank(line.text)) {
      return true;
    }
    ++total;
    bytes.clear();
    if (encoder.check_and_encode(line.text, bytes)) { // valid, in one reading
      if (invalid == 0) {
        spool.put(bytes);
      }
      return true;
    }
    const DocumentCheck check = validator.check(line.text);
    if (!check.valid()) {
      ++invalid;
      for (const Finding& finding : check.findings) {
        fmt::print(stderr, "{}\n", finding_line(name, line.number, line.text, finding));
      }
      return true;
    }
    if (invalid == 0) {
      bytes.clear();
      encoder.encode(line.text, bytes);
      spool.put(bytes);
    }
    return true;
  });
  if (invalid > 0) {
    fmt::print(stderr, "oex: {} of {} lines are not valid payloads for {}: nothing was sent\n",
               invalid, total, event.event_type);
    return ExitCode::findings;
  }
  // Second pass: metadata made as each event is sent, pipelined in batches.
  auto transport = bus::open_transport(options.bus.settings());
  const auto schemas = kafka_schemas(*transport, event, options.key_field);
  const std::string stream = transport->full_name(options.topic);
  auto producer = transport->producer();
  const Catalog& catalog = context.catalog_for(options.event_type);
  const MetadataSettings settings = MetadataSettings::from_environment();
  MetadataOverrides overrides;
  overrides.time = time;
  spool.rewind();
  std::uint64_t sent = 0;
  // The event ids of the messages whose delivery is not reported yet, one after the other:
  // id_ends[i] ends the i-th; the first `reported` of them have been reported since.
  std::string ids;
  std::vector<std::size_t> id_ends;
  std::size_t reported = 0;
  std::string first;
  std::string last;
  std::string out;
  std::vector<bus::Delivery> deliveries; // reused every time
  // Reports deliveries[0, count), the outcomes of the oldest messages not reported yet.
  const auto report = [&](std::size_t count) {
    for (std::size_t i = 0; i < count && !options.json; ++i) {
      const std::size_t at = reported + i;
      const std::size_t begin = at == 0 ? 0 : id_ends[at - 1];
      out += deliveries[i].position;
      out += ' ';
      out.append(ids, begin, id_ends[at] - begin);
      out += '\n';
    }
    if (count > 0) {
      first = first.empty() ? deliveries.front().position : first;
      last = deliveries[count - 1].position;
    }
    sent += count;
    reported += count;
    if (reported == id_ends.size()) {
      ids.clear();
      id_ends.clear();
      reported = 0;
    } else if (reported >= 4096) { // forget the reported ids now and then
      const std::size_t cut = id_ends[reported - 1];
      ids.erase(0, cut);
      id_ends.erase(id_ends.begin(), id_ends.begin() + static_cast<std::ptrdiff_t>(reported));
      for (std::size_t& end : id_ends) {
        end -= cut;
      }
      reported = 0;
    }
  };
  // Reports deliveries; at the first failure, prints the lines of those before it and throws,
  // saying how many were sent before (once every message in flight has its outcome: wait_first).
  const auto take = [&](bool wait_first) {
    const auto failed = std::find_if(deliveries.begin(), deliveries.end(),
                                     [](const bus::Delivery& delivery) { return !delivery.ok; });
    if (failed == deliveries.end()) {
      report(deliveries.size());
      return;
    }
    const auto before = static_cast<std::size_t>(failed - deliveries.begin());
    const std::string error = failed->error;
    report(before);
    write_stdout(out);
    if (wait_first) {
      std::vector<bus::Delivery> rest;
      try {
        producer->flush(rest);
      } catch (const bus::BusError&) { // the first failure is the one to tell
      }
    }
    throw bus::BusError(error + (total > 1 ? fmt::format(" ({} of {} events were sent before)",
                                                         sent, total)
                                           : std::string()));
  };
  // Deliveries are taken as they come (every 64 messages); when the window is full, as soon as
  // the oldest is known: the pipeline is not emptied at each window, which bounds only how many
  // wait for their report.
  const auto take_delivered = [&](bool wait) {
    producer->take_delivered(deliveries, wait);
    take(true);
    if (out.size() >= 65536) {
      write_stdout(out);
      out.clear();
    }
  };
  // One message, refilled for each event: its buffers and the metadata that does not change
  // are made once.
  bus::OutgoingMessage message;
  message.stream = stream;
  message.value.emplace();
  EventsMetadata metadata = generate_signal_metadata(event, catalog, settings, overrides);
  message.fields = bus::metadata_fields(transport->metadata_names(), metadata);
  bool renew = false;
  std::uint64_t queued = 0;
  while (spool.get(*message.value)) {
    if (renew) {
      renew_signal_metadata(metadata, overrides);
      bus::renew_metadata_fields(metadata, message.fields);
    }
    renew = true;
    add_key(message, schemas);
    ids += metadata.id;
    id_ends.push_back(ids.size());
    producer->send(message);
    if (id_ends.size() - reported == producer->window()) {
      take_delivered(true);
    } else if (++queued % 64 == 0) {
      take_delivered(false);
    }
  }
  producer->flush(deliveries);
  take(false);
  write_stdout(out);
  if (options.json) {
    json doc = json::object();
    doc["stream"] = stream;
    doc["event_type"] = event.event_type;
    doc["produced"] = sent;
    doc["first_entry_id"] = first.empty() ? json(nullptr) : json(first);
    doc["last_entry_id"] = last.empty() ? json(nullptr) : json(last);
    write_stdout(python_json_dumps(doc) + "\n");
  } else {
    fmt::print(stderr, "oex: produced {} {} event{} to {}\n", sent, event.event_type,
               sent == 1 ? "" : "s", stream);
  }
  return ExitCode::ok;
}

} // namespace

void add_produce_command(CLI::App& sub, Context& context)
{
  auto options = std::make_shared<ProduceOptions>();
  sub.add_option("TYPE", options->event_type, "Event type")->required();
  sub.add_option("PAYLOAD", options->payload, "Payload file; - reads standard input")->required();
  auto* topic = sub.add_option("--topic", options->topic, "Topic (the stream is PREFIX-TOPIC)")
                 ->type_name("TOPIC")
                 ->check(non_empty());
  auto* config = sub
                   .add_option("--config", options->config_file,
                               "Send to every enabled topic EVENT_BUS_PRODUCER_CONFIG (as JSON, "
                               "see oex check-config) gives for TYPE, each with its key field; "
                               "- reads standard input")
                   ->type_name("FILE")
                   ->excludes(topic);
  options->bus.add_to(sub, true);
  sub
    .add_option("--key-field", options->key_field,
                "Kafka: the message key, a dotted path into the data (default: the event's "
                "key field in the catalog)")
    ->type_name("PATH")
    ->excludes(config);
  auto* time =
    sub.add_option("--time", options->time, "Event time, ISO 8601 in UTC")->type_name("T");
  auto* id = sub.add_option("--id", options->id, "Event id (a UUID)")->type_name("UUID");
  sub
    .add_option("--metadata", options->metadata_file,
                "Send with this metadata (JSON, as oex metadata prints it)")
    ->type_name("FILE")
    ->excludes(time)
    ->excludes(id);
  sub
    .add_flag("--jsonl", options->jsonl,
              "PAYLOAD holds one payload a line: all are checked before any is sent, then "
              "they are sent pipelined (--topic only)")
    ->excludes(config);
  sub.add_flag("--json", options->json,
               "Print {stream, entry_id, event_type, metadata} (--jsonl: {stream, event_type, "
               "produced, first_entry_id, last_entry_id}; --config: an array of {topic, stream, "
               "entry_id, event_type, metadata})");
  number_range(sub.add_option("--max-bytes,--max-line-bytes", options->max_bytes,
                              "Largest payload read, a whole file or one --jsonl line (default "
                              "1048576, 1 MiB)")
                 ->type_name("BYTES"),
               integer_range(1, std::numeric_limits<std::int64_t>::max() / 4));
  sub.callback([options, &context] {
    if (options->topic.empty() && !options->config_file) {
      throw CLI::RequiredError("--topic or --config");
    }
    if (options->config_file == "-" && options->payload == "-") {
      throw Error("--config and PAYLOAD cannot both read standard input");
    }
    options->event_type = context.event(options->event_type).event_type; // a name is accepted
    const EventType& event =
      context.catalog_for(options->event_type).get_signal_by_type(options->event_type);
    if (options->jsonl) {
      context.exit_code = produce_lines(*options, context, event);
      return;
    }
    std::vector<Target> targets{{options->topic, options->key_field}};
    if (options->config_file) {
      std::optional<std::vector<Target>> configured = config_targets(*options, context, event);
      if (!configured) {
        context.exit_code = ExitCode::findings;
        return;
      }
      targets = std::move(*configured);
    }
    context.exit_code = produce_one(*options, context, event, targets);
  });
}

} // namespace oex::cli

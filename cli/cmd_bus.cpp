// oex bus info: the streams of the event bus, their consumer groups and consumers.

#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "standard_streams.hpp"
#include "bus_options.hpp"
#include "commands.hpp"
#include "context.hpp"
#include "oex/bus/transport.hpp"
#include "oex/util/python_json.hpp"
#include "oex/util/text.hpp"

namespace oex::cli {
namespace {

using json = nlohmann::ordered_json;

struct BusInfoOptions
{
  std::string action;
  std::optional<std::string> topic;
  std::optional<std::string> group;
  bool json = false;
  BusOptions bus;
};

json or_null(const std::optional<std::string>& value)
{
  return value ? json(*value) : json(nullptr);
}

json info_json(const std::string& url, const std::string& prefix,
               const std::vector<bus::StreamInfo>& streams)
{
  json out = json::object();
  out["bus"] = url;
  out["prefix"] = prefix;
  out["streams"] = json::array();
  for (const bus::StreamInfo& stream : streams) {
    json s = json::object();
    s["name"] = stream.name;
    s["length"] = stream.length;
    s["first_entry_id"] = or_null(stream.first);
    s["last_entry_id"] = or_null(stream.last);
    if (!stream.partitions.empty()) { // Kafka
      s["partitions"] = json::array();
      for (const bus::PartitionInfo& partition : stream.partitions) {
        s["partitions"].push_back({{"partition", partition.partition},
                                   {"first_offset", partition.low},
                                   {"next_offset", partition.high}});
      }
    }
    s["groups"] = json::array();
    for (const bus::GroupInfo& group : stream.groups) {
      json g = json::object();
      g["name"] = group.name;
      g["pending"] = group.pending;
      g["last_delivered_id"] = group.last_delivered;
      g["lag"] = group.lag ? json(*group.lag) : json(nullptr);
      g["consumers"] = json::array();
      for (const bus::ConsumerInfo& consumer : group.consumers) {
        g["consumers"].push_back(
          {{"name", consumer.name}, {"pending", consumer.pending}, {"idle_ms", consumer.idle_ms}});
      }
      if (!group.partitions.empty()) { // Kafka
        g["partitions"] = json::array();
        for (const bus::PartitionCommit& commit : group.partitions) {
          g["partitions"].push_back(
            {{"partition", commit.partition},
             {"committed", commit.committed ? json(*commit.committed) : json(nullptr)},
             {"lag", commit.lag ? json(*commit.lag) : json(nullptr)}});
        }
      }
      s["groups"].push_back(std::move(g));
    }
    out["streams"].push_back(std::move(s));
  }
  return out;
}

std::string info_text(const std::vector<bus::StreamInfo>& streams)
{
  std::string out;
  for (const bus::StreamInfo& stream : streams) {
    if (stream.partitions.empty()) {
      out += fmt::format("{}  length {}  first {}  last {}\n", escape_control(stream.name),
                         stream.length, stream.first.value_or("-"), stream.last.value_or("-"));
    } else { // Kafka: positions are per partition
      out += fmt::format("{}  length {}  partitions {}\n", escape_control(stream.name),
                         stream.length, stream.partitions.size());
    }
    for (const bus::PartitionInfo& partition : stream.partitions) {
      out += fmt::format("  partition {}  offsets {} to {}\n", partition.partition, partition.low,
                         partition.high);
    }
    if (stream.groups.empty()) {
      out += "  no consumer group\n";
    }
    for (const bus::GroupInfo& group : stream.groups) {
      const std::string lag = group.lag ? std::to_string(*group.lag) : "unknown";
      if (group.partitions.empty()) {
        out += fmt::format("  group {}  pending {}  last delivered {}  lag {}\n",
                           escape_control(group.name), group.pending, group.last_delivered, lag);
      } else { // Kafka: committed offsets instead of pending entries
        out += fmt::format("  group {}  lag {}\n", escape_control(group.name), lag);
      }
      for (const bus::PartitionCommit& commit : group.partitions) {
        out += fmt::format("    partition {}  committed {}  lag {}\n", commit.partition,
                           commit.committed ? std::to_string(*commit.committed) : "-",
                           commit.lag ? std::to_string(*commit.lag) : "unknown");
      }
      for (const bus::ConsumerInfo& consumer : group.consumers) {
        out += fmt::format("    consumer {}  pending {}  idle {:.1f} s\n",
                           escape_control(consumer.name), consumer.pending,
                           static_cast<double>(consumer.idle_ms) / 1000.0);
      }
    }
  }
  return out;
}

ExitCode run_bus_info(const BusInfoOptions& options)
{
  bus::BusSettings settings = options.bus.settings();
  settings.group = options.group;
  auto transport = bus::open_transport(settings);
  const std::vector<bus::StreamInfo> streams = transport->info(options.topic);
  if (options.json) {
    write_stdout(python_json_dumps(info_json(transport->describe(), settings.prefix, streams))
                 + "\n");
    return ExitCode::ok;
  }
  if (streams.empty()) {
    fmt::print(stderr, "oex: no stream {} on {}\n",
               options.topic ? "'" + transport->full_name(*options.topic) + "'"
                             : settings.prefix.empty() ? std::string("at all")
                                                       : "under the prefix '" + settings.prefix + "'",
               transport->describe());
    return ExitCode::ok;
  }
  write_stdout(info_text(streams));
  return ExitCode::ok;
}

} // namespace

void add_bus_command(CLI::App& sub, Context&)
{
  // One action so far; a positional (not a CLI11 subcommand) keeps the command tree, and so the
  // completions, flat.
  auto options = std::make_shared<BusInfoOptions>();
  sub.add_option("ACTION", options->action, "info: streams, groups, consumers, pending, lag")
    ->required()
    ->check(CLI::IsMember({"info"}));
  sub.add_option("--topic", options->topic, "Only this topic's stream")
    ->type_name("TOPIC")
    ->check(non_empty());
  sub
    .add_option("--group", options->group,
                "Kafka: this consumer group's committed offsets and lag (needed where the "
                "cluster cannot list its groups)")
    ->type_name("GROUP");
  options->bus.add_to(sub, false);
  sub.add_flag("--json", options->json,
               "One JSON document: {bus, prefix, streams: [{name, length, first_entry_id, "
               "last_entry_id, groups: [{name, pending, last_delivered_id, lag, consumers: "
               "[{name, pending, idle_ms}]}]}]}; Kafka adds partitions: [{partition, "
               "first_offset, next_offset}] to streams and [{partition, committed, lag}] to groups");
  sub.callback([options] { run_bus_info(*options); });
}

} // namespace oex::cli

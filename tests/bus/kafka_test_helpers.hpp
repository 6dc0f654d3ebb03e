#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <catch2/catch.hpp>

#include "support/kafka_support.hpp"
#include "support/subprocess.hpp"

namespace oex::test {

inline constexpr const char* k_enrollment = "org.openedx.learning.course.enrollment.created.v1";

// The environment that points oex at a mock cluster and a registry double.
inline RunOptions kafka_env(const MockCluster& cluster, const RegistryDouble& registry)
{
  RunOptions options;
  options.set_env = {{"EVENT_BUS_KAFKA_BOOTSTRAP_SERVERS", cluster.address()},
                     {"EVENT_BUS_KAFKA_SCHEMA_REGISTRY_URL", registry.url()}};
  options.unset_env = {"EVENT_BUS_REDIS_CONNECTION_URL", "EVENT_BUS_TOPIC_PREFIX"};
  return options;
}

// consume args with group timings for the mock cluster: when a group's last member leaves, or a
// member dies, the mock holds the group for the session timeout (librdkafka's default 45 s)
// before the next member can join. A short session, with heartbeats well inside it, keeps each
// such wait to five seconds. Not shorter: the mock answers a new group's first join after a
// fixed 3 s, and drops a member whose session ends while it waits for that answer.
inline std::vector<std::string> fast_group(std::vector<std::string> args)
{
  for (const char* pair : {"session.timeout.ms=5000", "heartbeat.interval.ms=500"}) {
    args.push_back("--kafka-config");
    args.push_back(pair);
  }
  return args;
}

inline RunResult run_consume(const std::vector<std::string>& args, const RunOptions& options)
{
  return run_oex(fast_group(args), options);
}

inline std::string sample(const std::string& type, int seed)
{
  return run_oex({"sample", type, "--seed", std::to_string(seed)}).out;
}

// Produces n enrollment events to topic (one --jsonl run); returns their ids.
inline std::vector<std::string> produce_n(const RunOptions& env, const std::string& topic, int n)
{
  TempDir dir;
  std::string lines;
  for (int i = 0; i < n; ++i) {
    lines += one_line(sample(k_enrollment, i)) + "\n";
  }
  RunResult r = run_oex({"produce", k_enrollment, dir.write("p.jsonl", lines), "--jsonl", "--topic", topic}, env);
  REQUIRE(r.exit_code == 0);
  std::vector<std::string> ids; // each line: "topic/partition/offset id"
  for (std::size_t start = 0; start < r.out.size();) {
    const std::size_t end = r.out.find('\n', start);
    const std::string line = r.out.substr(start, end - start);
    ids.push_back(line.substr(line.find(' ') + 1));
    start = end == std::string::npos ? r.out.size() : end + 1;
  }
  REQUIRE(ids.size() == static_cast<std::size_t>(n));
  return ids;
}

// A key field for any event: the catalog's when it names one of the event's data keys (two
// authz annotations upstream do not), else the first required string (or int) field.
inline std::string key_field_for(const std::string& event_type)
{
  const nlohmann::json show = nlohmann::json::parse(run_oex({"show", event_type, "--json"}).out);
  if (show["key_field"].is_string()) {
    const std::string key_field = show["key_field"];
    for (const auto& entry : show["schema"]) {
      if (key_field.starts_with(entry["name"].get<std::string>() + ".")) {
        return key_field;
      }
    }
  }
  // A required scalar: str, int, bool, or what Avro writes as a string (keys, UUIDs, times).
  std::function<std::optional<std::string>(const nlohmann::json&, const std::string&)> find =
    [&](const nlohmann::json& fields, const std::string& prefix) -> std::optional<std::string> {
    for (const auto& field : fields) {
      const std::string path = prefix + "." + field["name"].get<std::string>();
      const std::string type = field["type"];
      if (field["required"] != true) {
        continue;
      }
      if (field.contains("fields")) {
        if (auto found = find(field["fields"], path)) {
          return found;
        }
      } else if (!type.starts_with("List") && !type.starts_with("dict") && type != "float"
                 && type != "bytes") {
        return path;
      }
    }
    return std::nullopt;
  };
  for (const auto& entry : show["schema"]) {
    if (entry.contains("fields")) {
      if (auto found = find(entry["fields"], entry["name"].get<std::string>())) {
        return *found;
      }
    }
  }
  return {};
}

// One message as kcat -C reads it (header values must not hold ',' or '=').
struct KcatMessage
{
  int partition = -1;
  long offset = -1;
  long key_length = -1;   // -1: no key
  long value_length = -1; // -1: no value (a tombstone)
  std::vector<std::pair<std::string, std::string>> headers;

  std::string header(const std::string& name) const
  {
    for (const auto& [n, v] : headers) {
      if (n == name) {
        return v;
      }
    }
    return "<absent>";
  }
};

// kcat -C of a whole topic, in partition then offset order as kcat reads it, bounded by -e.
inline std::vector<KcatMessage> kcat_messages(const MockCluster& cluster, const std::string& topic)
{
  RunResult r = run("kcat", {"-C", "-b", cluster.address(), "-t", topic, "-e", "-q", "-f",
                             "%p\t%o\t%K\t%S\t%h\n"});
  std::vector<KcatMessage> out;
  std::size_t start = 0;
  while (start < r.out.size()) {
    const std::size_t end = r.out.find('\n', start);
    std::vector<std::string> parts;
    const std::string line = r.out.substr(start, end - start);
    for (std::size_t from = 0;;) {
      const std::size_t tab = line.find('\t', from);
      parts.push_back(line.substr(from, tab - from));
      if (tab == std::string::npos) {
        break;
      }
      from = tab + 1;
    }
    KcatMessage message;
    message.partition = std::stoi(parts.at(0));
    message.offset = std::stol(parts.at(1));
    message.key_length = std::stol(parts.at(2));
    message.value_length = std::stol(parts.at(3));
    const std::string headers = parts.at(4);
    for (std::size_t from = 0; from < headers.size();) {
      std::size_t comma = headers.find(',', from);
      comma = comma == std::string::npos ? headers.size() : comma;
      const std::string pair = headers.substr(from, comma - from);
      const std::size_t equals = pair.find('=');
      message.headers.emplace_back(pair.substr(0, equals),
                                   equals == std::string::npos ? "" : pair.substr(equals + 1));
      from = comma + 1;
    }
    out.push_back(std::move(message));
    start = end == std::string::npos ? r.out.size() : end + 1;
  }
  return out;
}

// Writes one message to topic with kcat -P, as it is: key "k", value, headers ("name=value");
// null_value: a tombstone.
inline void kcat_produce(const MockCluster& cluster, const std::string& topic, const std::string& value,
                         const std::vector<std::string>& headers, bool null_value = false)
{
  std::vector<std::string> args = {"-P", "-b", cluster.address(), "-t", topic, "-K", "|"};
  if (null_value) {
    args.push_back("-Z");
  }
  for (const std::string& header : headers) {
    args.push_back("-H");
    args.push_back(header);
  }
  RunOptions input;
  input.input = "k|" + value + "\n";
  REQUIRE(run("kcat", args, input).exit_code == 0);
}

// The raw bytes of one field of the message at partition/offset (kcat -f '%k' or '%s').
inline std::string kcat_raw(const MockCluster& cluster, const std::string& topic, int partition,
                            long offset, const char* format)
{
  return run("kcat", {"-C", "-b", cluster.address(), "-t", topic, "-p", std::to_string(partition),
                      "-o", std::to_string(offset), "-c", "1", "-e", "-q", "-f", format})
    .out;
}

inline std::vector<nlohmann::json> json_lines(const std::string& text)
{
  std::vector<nlohmann::json> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    out.push_back(nlohmann::json::parse(text.substr(start, end - start)));
    start = end == std::string::npos ? text.size() : end + 1;
  }
  return out;
}

// CRC-32 (IEEE), librdkafka's consistent_random partitioner's hash.
inline std::uint32_t crc32(const std::string& bytes)
{
  std::uint32_t crc = 0xffffffffU;
  for (const char c : bytes) {
    crc ^= static_cast<unsigned char>(c);
    for (int k = 0; k < 8; ++k) {
      crc = (crc >> 1) ^ (0xedb88320U & (0U - (crc & 1U)));
    }
  }
  return ~crc;
}

} // namespace oex::test

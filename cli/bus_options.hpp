#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "oex/bus/transport.hpp"

namespace CLI {
class App;
class Validator;
} // namespace CLI

namespace oex::cli {

// The options every bus command shares, with upstream's Django setting names as environment
// variables: --bus (EVENT_BUS_REDIS_CONNECTION_URL, or EVENT_BUS_KAFKA_BOOTSTRAP_SERVERS when
// no Redis URL is set), --prefix (EVENT_BUS_TOPIC_PREFIX), for producers --maxlen
// (EVENT_BUS_REDIS_STREAM_MAX_LEN), and for Kafka --registry
// (EVENT_BUS_KAFKA_SCHEMA_REGISTRY_URL) and --kafka-config KEY=VALUE.
struct BusOptions
{
  static constexpr const char* k_default_url = "redis://127.0.0.1:6379";

  std::optional<std::string> url;
  std::optional<std::string> prefix;
  std::optional<std::uint64_t> max_len;
  std::optional<std::string> registry;
  std::vector<std::string> kafka_config; // KEY=VALUE

  void add_to(CLI::App& sub, bool with_max_len);
  // The settings from the options, else the environment, else the defaults; throws oex::Error
  // for an environment value that is not valid.
  bus::BusSettings settings() const;
};

// Refuses an empty value (an empty topic or group would name the stream "" or "PREFIX-").
CLI::Validator non_empty();

} // namespace oex::cli

#include "bus_options.hpp"

#include <charconv>
#include <cstdlib>

#include <CLI/CLI.hpp>

#include "number_options.hpp"
#include "oex/util/error.hpp"

namespace oex::cli {
namespace {

constexpr std::uint64_t k_max_max_len = std::uint64_t{1} << 62;

// The variable's value, or "" when it is unset.
std::string environment(const char* name)
{
  const char* value = std::getenv(name);
  return value ? value : "";
}

} // namespace

void BusOptions::add_to(CLI::App& sub, bool with_max_len)
{
  sub
    .add_option("--bus", url,
                "Redis URL: redis://[user:password@]host[:port][/db] or unix:///path.sock, or "
                "Kafka brokers: kafka://host:port[,host:port...] (default: "
                "EVENT_BUS_REDIS_CONNECTION_URL, else EVENT_BUS_KAFKA_BOOTSTRAP_SERVERS, else "
                "redis://127.0.0.1:6379)")
    ->type_name("URL");
  sub
    .add_option("--prefix", prefix,
                "Topic prefix: the stream is PREFIX-TOPIC (default: EVENT_BUS_TOPIC_PREFIX, "
                "else none)")
    ->type_name("P");
  sub
    .add_option("--registry", registry,
                "Kafka: the schema registry's URL (default: EVENT_BUS_KAFKA_SCHEMA_REGISTRY_URL; "
                "basic auth from EVENT_BUS_KAFKA_SCHEMA_REGISTRY_API_KEY/_SECRET)")
    ->type_name("URL");
  sub
    .add_option("--kafka-config", kafka_config,
                "Kafka: a librdkafka property, KEY=VALUE, applied last (repeatable)")
    ->type_name("KEY=VALUE");
  if (with_max_len) {
    number_range(sub
                   .add_option("--maxlen", max_len,
                               "Keep about N entries in the stream, XADD MAXLEN ~ N (default: "
                               "EVENT_BUS_REDIS_STREAM_MAX_LEN, else 10000)")
                   ->type_name("N"),
                 integer_range(1, k_max_max_len));
  }
}

CLI::Validator non_empty()
{
  return CLI::Validator(
    [](std::string& value) { return value.empty() ? std::string("must not be empty") : std::string(); },
    "", "non-empty");
}

bus::BusSettings BusOptions::settings() const
{
  bus::BusSettings settings;
  const std::string env_url = environment("EVENT_BUS_REDIS_CONNECTION_URL");
  const std::string env_kafka = environment("EVENT_BUS_KAFKA_BOOTSTRAP_SERVERS");
  // A Redis URL keeps Redis the default; Kafka is chosen by --bus kafka://, or by its
  // bootstrap servers alone.
  settings.url = url                ? *url
                 : !env_url.empty() ? env_url
                 : !env_kafka.empty() ? "kafka://" + env_kafka
                                      : k_default_url;
  settings.registry_url = registry ? *registry : environment("EVENT_BUS_KAFKA_SCHEMA_REGISTRY_URL");
  settings.registry_key = environment("EVENT_BUS_KAFKA_SCHEMA_REGISTRY_API_KEY");
  settings.registry_secret = environment("EVENT_BUS_KAFKA_SCHEMA_REGISTRY_API_SECRET");
  settings.kafka_api_key = environment("EVENT_BUS_KAFKA_API_KEY");
  settings.kafka_api_secret = environment("EVENT_BUS_KAFKA_API_SECRET");
  // client.id as event-bus-kafka sets it: openedx-events' service name.
  settings.client_id = environment("EVENTS_SERVICE_NAME");
  if (settings.client_id.empty()) {
    settings.client_id = environment("SERVICE_VARIANT");
  }
  for (const std::string& pair : kafka_config) {
    const std::size_t equals = pair.find('=');
    if (equals == std::string::npos || equals == 0) {
      throw Error("--kafka-config '" + pair + "': expected KEY=VALUE");
    }
    settings.kafka_config.emplace_back(pair.substr(0, equals), pair.substr(equals + 1));
  }
  const char* env_prefix = std::getenv("EVENT_BUS_TOPIC_PREFIX");
  settings.prefix = prefix ? *prefix : env_prefix ? env_prefix : "";
  if (max_len) {
    settings.max_len = *max_len;
  } else if (const char* env = std::getenv("EVENT_BUS_REDIS_STREAM_MAX_LEN"); env && *env) {
    const std::string_view text(env);
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 1 || value > k_max_max_len) {
      throw Error("EVENT_BUS_REDIS_STREAM_MAX_LEN: '" + std::string(text)
                  + "' is not an integer from 1 to " + std::to_string(k_max_max_len));
    }
    settings.max_len = value;
  }
  return settings;
}

} // namespace oex::cli

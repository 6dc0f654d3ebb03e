#include "kafka/kafka_client.hpp"

#include <charconv>
#include <cstdio>

namespace oex::bus::kafka {

std::string bootstrap_servers(const std::string& url)
{
  constexpr std::string_view scheme = "kafka://";
  std::string list = url.starts_with(scheme) ? url.substr(scheme.size()) : url;
  if (!list.empty() && list.back() == '/') {
    list.pop_back();
  }
  if (list.empty()) {
    throw BusError("kafka: '" + url + "' names no broker: kafka://HOST:PORT[,HOST:PORT...]");
  }
  if (list.find_first_of("@/?#") != std::string::npos) {
    throw BusError("kafka: '" + url
                   + "' is not kafka://HOST:PORT[,HOST:PORT...] (credentials and other settings "
                     "go in EVENT_BUS_KAFKA_API_KEY/_SECRET or --kafka-config)");
  }
  return list;
}

std::string kafka_position(const std::string& topic, std::int32_t partition, std::int64_t offset)
{
  std::string position = topic;
  append_kafka_position(position, partition, offset);
  return position;
}

void append_kafka_position(std::string& topic, std::int32_t partition, std::int64_t offset)
{
  // std::to_chars, not snprintf: this runs for every delivery report (~3% of produce --jsonl's
  // main thread went to snprintf's format parsing).
  char digits[24]; // room for any std::int64_t
  topic += '/';
  topic.append(digits, std::to_chars(digits, digits + sizeof digits, partition).ptr);
  topic += '/';
  topic.append(digits, std::to_chars(digits, digits + sizeof digits, offset).ptr);
}

std::string kafka_error(rd_kafka_resp_err_t err)
{
  return rdkafka().rd_kafka_err2str(err);
}

void set_property(rd_kafka_conf_t* conf, const std::string& key, const std::string& value)
{
  char error[512] = "";
  if (rdkafka().rd_kafka_conf_set(conf, key.c_str(), value.c_str(), error, sizeof error)
      != RD_KAFKA_CONF_OK) {
    const bool secret = key.find("password") != std::string::npos
                        || key.find("secret") != std::string::npos;
    throw BusError("kafka: property '" + key + "=" + (secret ? "***" : value) + "': " + error);
  }
}

KafkaPtr<rd_kafka_conf_t> make_conf(const BusSettings& settings,
                                    const std::vector<std::pair<std::string, std::string>>& role)
{
  KafkaPtr<rd_kafka_conf_t> conf(rdkafka().rd_kafka_conf_new());
  set_property(conf.get(), "bootstrap.servers", bootstrap_servers(settings.url));
  // librdkafka's own log lines would interleave with oex's output: problems reach oex through
  // the error callback and delivery reports instead.
  set_property(conf.get(), "log_level", "0");
  if (!settings.client_id.empty()) {
    set_property(conf.get(), "client.id", settings.client_id);
  }
  if (!settings.kafka_api_key.empty() && !settings.kafka_api_secret.empty()) {
    set_property(conf.get(), "security.protocol", "SASL_SSL");
    set_property(conf.get(), "sasl.mechanism", "PLAIN");
    set_property(conf.get(), "sasl.username", settings.kafka_api_key);
    set_property(conf.get(), "sasl.password", settings.kafka_api_secret);
  }
  for (const auto& [key, value] : role) {
    set_property(conf.get(), key, value);
  }
  for (const auto& [key, value] : settings.kafka_config) {
    set_property(conf.get(), key, value);
  }
  return conf;
}

KafkaPtr<rd_kafka_t> make_client(rd_kafka_type_t type, KafkaPtr<rd_kafka_conf_t> conf)
{
  char error[512] = "";
  rd_kafka_t* handle = rdkafka().rd_kafka_new(type, conf.get(), error, sizeof error);
  if (!handle) {
    throw BusError(std::string("kafka: cannot make a client: ") + error);
  }
  conf.release(); // rd_kafka_new took it
  return KafkaPtr<rd_kafka_t>(handle);
}

} // namespace oex::bus::kafka

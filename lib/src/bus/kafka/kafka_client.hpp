#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "kafka/rdkafka_api.hpp"
#include "oex/bus/transport.hpp"

namespace oex::bus::kafka {

// Owners of librdkafka's handles, each released through the loaded library.
struct KafkaDeleter
{
  void operator()(rd_kafka_t* handle) const { rdkafka().rd_kafka_destroy(handle); }
  void operator()(rd_kafka_conf_t* conf) const { rdkafka().rd_kafka_conf_destroy(conf); }
  void operator()(rd_kafka_message_t* message) const { rdkafka().rd_kafka_message_destroy(message); }
  void operator()(rd_kafka_topic_partition_list_t* list) const
  {
    rdkafka().rd_kafka_topic_partition_list_destroy(list);
  }
  void operator()(rd_kafka_headers_t* headers) const { rdkafka().rd_kafka_headers_destroy(headers); }
  void operator()(rd_kafka_error_t* error) const { rdkafka().rd_kafka_error_destroy(error); }
  void operator()(rd_kafka_topic_t* topic) const { rdkafka().rd_kafka_topic_destroy(topic); }
  void operator()(rd_kafka_queue_t* queue) const { rdkafka().rd_kafka_queue_destroy(queue); }
  void operator()(const rd_kafka_metadata_t* metadata) const
  {
    rdkafka().rd_kafka_metadata_destroy(metadata);
  }
};
template <typename T>
using KafkaPtr = std::unique_ptr<T, KafkaDeleter>;

// The librdkafka properties for settings: bootstrap.servers from the kafka:// URL, client.id
// from the service name (as event-bus-kafka), SASL_SSL with PLAIN when an API key and secret are
// set (as event-bus-kafka), then the --kafka-config pairs, which win. Throws BusError naming the
// property librdkafka refuses.
KafkaPtr<rd_kafka_conf_t> make_conf(const BusSettings& settings,
                                    const std::vector<std::pair<std::string, std::string>>& role);

// Sets one property; throws BusError "kafka: --kafka-config 'KEY=VALUE': REASON".
void set_property(rd_kafka_conf_t* conf, const std::string& key, const std::string& value);

// A client of kind type (producer or consumer) made from conf (taken over in every case).
KafkaPtr<rd_kafka_t> make_client(rd_kafka_type_t type, KafkaPtr<rd_kafka_conf_t> conf);

// "host:port,host:port" from "kafka://host:port,host:port" (a trailing '/' allowed). Throws
// BusError for an empty list or one with a user, path or query (say them with --kafka-config).
std::string bootstrap_servers(const std::string& url);

// "topic/partition/offset": how oex names a Kafka message (consume --json "position").
std::string kafka_position(const std::string& topic, std::int32_t partition, std::int64_t offset);
// Appends "/PARTITION/OFFSET" to topic (a position without a new string).
void append_kafka_position(std::string& topic, std::int32_t partition, std::int64_t offset);

// librdkafka's message for err.
std::string kafka_error(rd_kafka_resp_err_t err);

} // namespace oex::bus::kafka

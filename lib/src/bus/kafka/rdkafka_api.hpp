#pragma once

#include <librdkafka/rdkafka.h>

namespace oex::bus::kafka {

// librdkafka's functions as oex uses them, loaded with dlopen("librdkafka.so.1") on first use:
// the library and what it links (OpenSSL, SASL, compression) are mapped only by a command that
// talks to Kafka, never at the start-up of every oex command. Declarations come from
// <librdkafka/rdkafka.h>, so every call is type-checked as a direct call would be.
#define OEX_RDKAFKA_FUNCTIONS(X)                                                                  \
  X(rd_kafka_version_str)                                                                       \
  X(rd_kafka_err2str)                                                                           \
  X(rd_kafka_last_error)                                                                        \
  X(rd_kafka_conf_new)                                                                          \
  X(rd_kafka_conf_set)                                                                          \
  X(rd_kafka_conf_get)                                                                          \
  X(rd_kafka_conf_destroy)                                                                      \
  X(rd_kafka_conf_set_opaque)                                                                   \
  X(rd_kafka_conf_set_dr_msg_cb)                                                                \
  X(rd_kafka_conf_set_error_cb)                                                                 \
  X(rd_kafka_conf_set_rebalance_cb)                                                             \
  X(rd_kafka_new)                                                                               \
  X(rd_kafka_destroy)                                                                           \
  X(rd_kafka_poll)                                                                              \
  X(rd_kafka_flush)                                                                             \
  X(rd_kafka_outq_len)                                                                          \
  X(rd_kafka_produceva)                                                                         \
  X(rd_kafka_error_string)                                                                      \
  X(rd_kafka_error_code)                                                                        \
  X(rd_kafka_error_destroy)                                                                     \
  X(rd_kafka_fatal_error)                                                                       \
  X(rd_kafka_headers_new)                                                                       \
  X(rd_kafka_headers_destroy)                                                                   \
  X(rd_kafka_header_add)                                                                        \
  X(rd_kafka_header_get_all)                                                                    \
  X(rd_kafka_message_headers)                                                                   \
  X(rd_kafka_message_destroy)                                                                   \
  X(rd_kafka_topic_name)                                                                        \
  X(rd_kafka_topic_new)                                                                         \
  X(rd_kafka_topic_destroy)                                                                     \
  X(rd_kafka_poll_set_consumer)                                                                 \
  X(rd_kafka_subscribe)                                                                         \
  X(rd_kafka_consumer_poll)                                                                     \
  X(rd_kafka_queue_new)                                                                         \
  X(rd_kafka_queue_destroy)                                                                     \
  X(rd_kafka_consume_start_queue)                                                               \
  X(rd_kafka_consume_stop)                                                                      \
  X(rd_kafka_consume_queue)                                                                     \
  X(rd_kafka_consumer_close)                                                                    \
  X(rd_kafka_commit)                                                                            \
  X(rd_kafka_offsets_store)                                                                     \
  X(rd_kafka_committed)                                                                         \
  X(rd_kafka_assign)                                                                            \
  X(rd_kafka_incremental_assign)                                                                \
  X(rd_kafka_incremental_unassign)                                                              \
  X(rd_kafka_rebalance_protocol)                                                                \
  X(rd_kafka_offsets_for_times)                                                                 \
  X(rd_kafka_query_watermark_offsets)                                                           \
  X(rd_kafka_metadata)                                                                          \
  X(rd_kafka_metadata_destroy)                                                                  \
  X(rd_kafka_list_groups)                                                                       \
  X(rd_kafka_group_list_destroy)                                                                \
  X(rd_kafka_topic_partition_list_new)                                                          \
  X(rd_kafka_topic_partition_list_add)                                                          \
  X(rd_kafka_topic_partition_list_find)                                                         \
  X(rd_kafka_topic_partition_list_destroy)

struct RdKafkaApi
{
#define OEX_RDKAFKA_MEMBER(name) decltype(&::name) name = nullptr;
  OEX_RDKAFKA_FUNCTIONS(OEX_RDKAFKA_MEMBER)
#undef OEX_RDKAFKA_MEMBER
};

// The functions, loaded once per process. Throws BusError naming the library and the reason
// (not installed, too old) when they cannot be loaded.
const RdKafkaApi& rdkafka();

} // namespace oex::bus::kafka

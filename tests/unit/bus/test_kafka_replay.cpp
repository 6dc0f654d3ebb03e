// consume --from TIME on Kafka without a cluster: the time read, the offsets-for-times request
// made from the assigned partitions, and how the answer sets where each partition starts.
// librdkafka 2.0's mock cluster answers every offsets-for-times request with the end of the
// partition, so the end-to-end replay cannot be checked against it.

#include <catch2/catch.hpp>

#include "kafka/kafka_consumer.hpp"

using namespace oex::bus;
using namespace oex::bus::kafka;

namespace {

using Replayed = std::set<std::pair<std::string, std::int32_t>>;

KafkaPtr<rd_kafka_topic_partition_list_t> partitions(const std::vector<std::pair<const char*, int>>& list)
{
  KafkaPtr<rd_kafka_topic_partition_list_t> out(rdkafka().rd_kafka_topic_partition_list_new(4));
  for (const auto& [topic, partition] : list) {
    rdkafka().rd_kafka_topic_partition_list_add(out.get(), topic, partition)->offset = RD_KAFKA_OFFSET_INVALID;
  }
  return out;
}

} // namespace

TEST_CASE("kafka --from TIME: milliseconds since the epoch, in UTC")
{
  CHECK(from_time_ms("1970-01-01T00:00:00Z") == 0);
  CHECK(from_time_ms("2026-01-01T00:00:00+00:00") == 1767225600000);
  CHECK(from_time_ms("2026-01-01T01:00:00+01:00") == 1767225600000); // the offset is taken off
  CHECK(from_time_ms("2025-12-31T19:00:00-05:00") == 1767225600000);
  CHECK(from_time_ms("2024-02-29T12:34:56.789999Z") == 1709210096789); // microseconds cut
  CHECK(from_time_ms("2000-03-01T00:00:00Z") == 951868800000);         // after a 400-year leap day
  CHECK_THROWS_WITH(from_time_ms("2026-01-01T00:00:00"),
                    "--from '2026-01-01T00:00:00': give the time's offset (Z, +00:00, ...)");
  CHECK_THROWS_WITH(from_time_ms("yesterday"),
                    "--from: invalid isoformat string 'yesterday' (beginning, end or an ISO time)");
}

TEST_CASE("kafka --from TIME: each assigned partition is asked for once, with the time")
{
  Replayed replayed;
  auto assigned = partitions({{"t", 0}, {"t", 1}});
  KafkaPtr<rd_kafka_topic_partition_list_t> request = replay_request(*assigned, 1767225600000, replayed);
  REQUIRE(request->cnt == 2);
  for (int i = 0; i < request->cnt; ++i) {
    CHECK(std::string(request->elems[i].topic) == "t");
    CHECK(request->elems[i].partition == i);
    CHECK(request->elems[i].offset == 1767225600000); // offsets_for_times reads the time here
  }
  // After a rebalance: partition 1 again (it resumes from the group's offset), 2 is new.
  auto again = partitions({{"t", 1}, {"t", 2}});
  request = replay_request(*again, 5, replayed);
  REQUIRE(request->cnt == 1);
  CHECK(request->elems[0].partition == 2);
  CHECK(request->elems[0].offset == 5);
  CHECK(replay_request(*again, 5, replayed)->cnt == 0);
}

TEST_CASE("kafka --from TIME: the answer sets where each partition starts")
{
  auto assigned = partitions({{"t", 0}, {"t", 1}, {"t", 2}});
  auto found = partitions({{"t", 0}, {"t", 1}, {"t", 2}});
  found->elems[0].offset = 42;                                       // first message at or after
  found->elems[1].offset = RD_KAFKA_OFFSET_END;                      // none that late: the end
  found->elems[2].offset = 7;
  found->elems[2].err = RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION; // no answer: left alone
  apply_replay(*found, *assigned);
  CHECK(assigned->elems[0].offset == 42);
  CHECK(assigned->elems[1].offset == RD_KAFKA_OFFSET_END);
  CHECK(assigned->elems[2].offset == RD_KAFKA_OFFSET_INVALID);
}

// bus info for Kafka without a cluster: which listed groups are shown, and each group's committed
// offsets and lag. librdkafka 2.0's mock cluster does not answer ListGroups, so the listing is
// tested here on answers built by hand; tests/bus/test_kafka_info.cpp covers --group end to end.

#include <catch2/catch.hpp>

#include "kafka/kafka_info.hpp"

using namespace oex::bus;
using namespace oex::bus::kafka;

namespace {

rd_kafka_group_member_info member(const char* id, const char* client_id)
{
  rd_kafka_group_member_info info{};
  info.member_id = const_cast<char*>(id);
  info.client_id = const_cast<char*>(client_id);
  return info;
}

rd_kafka_group_info group(const char* name, const char* protocol_type,
                          std::vector<rd_kafka_group_member_info>& members,
                          rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR)
{
  rd_kafka_group_info info{};
  info.group = const_cast<char*>(name);
  info.err = err;
  info.protocol_type = const_cast<char*>(protocol_type);
  info.members = members.data();
  info.member_cnt = static_cast<int>(members.size());
  return info;
}

StreamInfo stream_of(std::vector<PartitionInfo> partitions)
{
  StreamInfo stream;
  stream.name = "dev-a";
  stream.partitions = std::move(partitions);
  return stream;
}

} // namespace

TEST_CASE("kafka bus info: the listed consumer groups, sorted, with their members")
{
  std::vector<rd_kafka_group_member_info> b_members = {member("m-1", "web-1"), member("m-2", "")};
  std::vector<rd_kafka_group_member_info> none;
  std::vector<rd_kafka_group_info> groups = {
    group("zeta", "consumer", none),
    group("b", "consumer", b_members),
    group("connect-sink", "connect", none),                        // not a consumer group
    group("broken", "consumer", none, RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE),
    group("a", "", none),                                          // no protocol yet: kept
  };
  rd_kafka_group_list list{};
  list.groups = groups.data();
  list.group_cnt = static_cast<int>(groups.size());

  const std::vector<GroupMembers> all = consumer_groups(&list, std::nullopt);
  REQUIRE(all.size() == 3);
  CHECK(all[0].name == "a");
  CHECK(all[1].name == "b");
  CHECK(all[1].members == std::vector<std::string>{"web-1", "m-2"}); // client id, else member id
  CHECK(all[2].name == "zeta");

  const std::vector<GroupMembers> one = consumer_groups(&list, std::string("b"));
  REQUIRE(one.size() == 1);
  CHECK(one[0].members.size() == 2);
  // asked for by name but not listed (a cluster that cannot list groups): still shown
  const std::vector<GroupMembers> unlisted = consumer_groups(nullptr, std::string("g"));
  REQUIRE(unlisted.size() == 1);
  CHECK(unlisted[0].name == "g");
  CHECK(unlisted[0].members.empty());
  CHECK(consumer_groups(nullptr, std::nullopt).empty());
}

TEST_CASE("kafka bus info: a group's committed offsets and lag per partition")
{
  // partition 0 holds offsets 0..9 (next 10), partition 1 was trimmed to 5..7 (next 8), 2 is empty
  const StreamInfo stream = stream_of({{0, 0, 10}, {1, 5, 8}, {2, 0, 0}});
  const GroupMembers members{"g", {"web-1"}};

  SECTION("committed in some partitions")
  {
    // partition 1's commit is older than its first offset: only what is left counts
    const auto info = group_view(stream, members, {{0, 4}, {1, 2}, {2, -1001}}, false);
    REQUIRE(info);
    CHECK(info->name == "g");
    REQUIRE(info->partitions.size() == 3);
    CHECK(info->partitions[0].committed == 4);
    CHECK(info->partitions[0].lag == 6);
    CHECK(info->partitions[1].committed == 2);
    CHECK(info->partitions[1].lag == 3);
    CHECK_FALSE(info->partitions[2].committed); // librdkafka's "no offset" (-1001)
    CHECK(info->partitions[2].lag == 0);
    CHECK(info->lag == 9);
    REQUIRE(info->consumers.size() == 1);
    CHECK(info->consumers[0].name == "web-1");
  }
  SECTION("all read")
  {
    const auto info = group_view(stream, members, {{0, 10}, {1, 8}}, false);
    REQUIRE(info);
    CHECK(info->lag == 0);
  }
  SECTION("nothing committed: not shown unless asked for, and then everything is ahead")
  {
    CHECK_FALSE(group_view(stream, members, {}, false));
    const auto info = group_view(stream, members, {}, true);
    REQUIRE(info);
    CHECK(info->lag == 13);
    CHECK_FALSE(info->partitions[0].committed);
  }
}

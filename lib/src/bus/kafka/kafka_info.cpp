#include "kafka/kafka_info.hpp"

#include <algorithm>

#include "kafka/kafka_client.hpp"

namespace oex::bus::kafka {
namespace {

struct GroupListDeleter
{
  void operator()(const rd_kafka_group_list* list) const { rdkafka().rd_kafka_group_list_destroy(list); }
};

// A consumer handle that never joins its group: enough for metadata, watermarks and (with
// group.id set to a group's name) that group's committed offsets.
KafkaPtr<rd_kafka_t> client_for(const BusSettings& settings, const std::string& group)
{
  return make_client(RD_KAFKA_CONSUMER,
                     make_conf(settings, {{"group.id", group}, {"enable.auto.commit", "false"}}));
}

} // namespace

std::vector<GroupMembers> consumer_groups(const rd_kafka_group_list* listed,
                                          const std::optional<std::string>& group_name)
{
  std::vector<GroupMembers> out;
  if (group_name) {
    out.push_back({*group_name, {}});
  }
  for (int g = 0; listed && g < listed->group_cnt; ++g) {
    const rd_kafka_group_info& group = listed->groups[g];
    if (group.err || (group.protocol_type && *group.protocol_type
                      && std::string_view(group.protocol_type) != "consumer")) {
      continue;
    }
    std::vector<std::string> members;
    for (int m = 0; m < group.member_cnt; ++m) {
      const rd_kafka_group_member_info& member = group.members[m];
      members.emplace_back(member.client_id && *member.client_id ? member.client_id : member.member_id);
    }
    if (!group_name) {
      out.push_back({group.group, std::move(members)});
    } else if (*group_name == group.group) {
      out.front().members = std::move(members);
    }
  }
  std::sort(out.begin(), out.end(), [](const GroupMembers& a, const GroupMembers& b) { return a.name < b.name; });
  return out;
}

std::optional<GroupInfo> group_view(const StreamInfo& stream, const GroupMembers& group,
                                    const std::map<std::int32_t, std::int64_t>& committed,
                                    bool asked_for)
{
  GroupInfo info;
  info.name = group.name;
  bool any = false;
  std::int64_t lag = 0;
  for (const PartitionInfo& partition : stream.partitions) {
    PartitionCommit commit;
    commit.partition = partition.partition;
    const auto found = committed.find(partition.partition);
    if (found != committed.end() && found->second >= 0) {
      any = true;
      commit.committed = found->second;
      commit.lag = std::max<std::int64_t>(0, partition.high - std::max(found->second, partition.low));
    } else {
      commit.lag = partition.high - partition.low; // nothing committed: all of it is ahead
    }
    lag += *commit.lag;
    info.partitions.push_back(commit);
  }
  if (!any && !asked_for) {
    return std::nullopt;
  }
  info.lag = lag;
  for (const std::string& name : group.members) {
    ConsumerInfo consumer;
    consumer.name = name;
    info.consumers.push_back(std::move(consumer));
  }
  return info;
}

std::vector<StreamInfo> kafka_info(const BusSettings& settings, const std::string& prefix_or_topic,
                                   bool exact, const std::optional<std::string>& group_name)
{
  const RdKafkaApi& api = rdkafka();
  const std::string where = "kafka " + settings.url;
  const int timeout = static_cast<int>(settings.command_timeout.count());
  KafkaPtr<rd_kafka_t> client = client_for(settings, "oex-bus-info");
  const rd_kafka_metadata_t* raw = nullptr;
  if (rd_kafka_resp_err_t err = api.rd_kafka_metadata(client.get(), 1, nullptr, &raw, timeout)) {
    throw BusError(where + ": cannot read the cluster's metadata: " + kafka_error(err));
  }
  KafkaPtr<const rd_kafka_metadata_t> metadata(raw);

  std::vector<StreamInfo> streams;
  for (int t = 0; t < metadata->topic_cnt; ++t) {
    const rd_kafka_metadata_topic& topic = metadata->topics[t];
    const std::string name = topic.topic;
    const bool wanted = exact ? name == prefix_or_topic
                              : prefix_or_topic.empty() ? !name.starts_with("__")
                                                        : name.starts_with(prefix_or_topic + "-");
    if (!wanted || topic.err) {
      continue;
    }
    StreamInfo stream;
    stream.name = name;
    for (int p = 0; p < topic.partition_cnt; ++p) {
      PartitionInfo partition;
      partition.partition = topic.partitions[p].id;
      if (rd_kafka_resp_err_t err = api.rd_kafka_query_watermark_offsets(
            client.get(), topic.topic, partition.partition, &partition.low, &partition.high, timeout)) {
        throw BusError(where + ": topic '" + name + "' partition " + std::to_string(partition.partition)
                       + ": " + kafka_error(err));
      }
      stream.length += static_cast<std::uint64_t>(partition.high - partition.low);
      stream.partitions.push_back(partition);
    }
    std::sort(stream.partitions.begin(), stream.partitions.end(),
              [](const PartitionInfo& a, const PartitionInfo& b) { return a.partition < b.partition; });
    streams.push_back(std::move(stream));
  }
  std::sort(streams.begin(), streams.end(),
            [](const StreamInfo& a, const StreamInfo& b) { return a.name < b.name; });
  if (streams.empty()) {
    return streams;
  }

  // The groups: the one asked for, else every consumer group the cluster lists (a cluster that
  // cannot list them, such as librdkafka's mock, then shows none).
  const rd_kafka_group_list* raw_groups = nullptr;
  const rd_kafka_resp_err_t listed =
    api.rd_kafka_list_groups(client.get(), group_name ? group_name->c_str() : nullptr, &raw_groups, timeout);
  std::unique_ptr<const rd_kafka_group_list, GroupListDeleter> groups(raw_groups);
  if (listed && listed != RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE) {
    throw BusError(where + ": cannot list the consumer groups: " + kafka_error(listed));
  }
  for (const GroupMembers& group : consumer_groups(listed ? nullptr : groups.get(), group_name)) {
    KafkaPtr<rd_kafka_t> member = client_for(settings, group.name);
    for (StreamInfo& stream : streams) {
      KafkaPtr<rd_kafka_topic_partition_list_t> list(
        api.rd_kafka_topic_partition_list_new(static_cast<int>(stream.partitions.size())));
      for (const PartitionInfo& partition : stream.partitions) {
        api.rd_kafka_topic_partition_list_add(list.get(), stream.name.c_str(), partition.partition);
      }
      if (rd_kafka_resp_err_t err = api.rd_kafka_committed(member.get(), list.get(), timeout)) {
        throw BusError(where + ": group '" + group.name + "': " + kafka_error(err));
      }
      std::map<std::int32_t, std::int64_t> committed;
      for (int i = 0; i < list->cnt; ++i) {
        committed[list->elems[i].partition] = list->elems[i].offset;
      }
      if (std::optional<GroupInfo> info = group_view(stream, group, committed, group_name.has_value())) {
        stream.groups.push_back(std::move(*info));
      }
    }
  }
  return streams;
}

} // namespace oex::bus::kafka

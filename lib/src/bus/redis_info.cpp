// oex bus info for Redis: the streams under the prefix, their groups and consumers.

#include <algorithm>

#include "redis_transport.hpp"

namespace oex::bus::redis {
namespace {

std::optional<std::string> entry_id(const std::optional<Reply>& entry)
{
  if (!entry || entry->is_nil()) {
    return std::nullopt;
  }
  return std::string((*entry)[0].string());
}

std::int64_t integer_or(const std::optional<Reply>& value, std::int64_t fallback)
{
  return value && !value->is_nil() ? value->integer() : fallback;
}

} // namespace

std::vector<StreamInfo> RedisTransport::info(const std::optional<std::string>& topic)
{
  Connection& conn = *connection();
  std::string context = "XINFO";
  std::vector<std::string> names;
  if (topic) {
    names.push_back(full_name(*topic));
  } else {
    // SCAN is incremental: it never blocks the server the way KEYS does.
    const std::string pattern = m_settings.prefix.empty() ? "*" : m_settings.prefix + "-*";
    std::string cursor = "0";
    do {
      ReplyPtr reply =
        conn.command({"SCAN", cursor, "MATCH", pattern, "COUNT", "1000", "TYPE", "stream"});
      const Reply r(reply.get(), &context);
      cursor = std::string(r[0].string());
      for (std::size_t i = 0; i < r[1].size(); ++i) {
        names.emplace_back(r[1][i].string());
      }
    } while (cursor != "0");
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
  }
  std::vector<StreamInfo> out;
  for (const std::string& name : names) {
    ReplyPtr stream = conn.command({"XINFO", "STREAM", name}, {"ERR no such key"});
    const Reply s(stream.get(), &context);
    if (s.is_error()) {
      continue; // --topic names a stream that does not exist: nothing to show
    }
    StreamInfo info;
    info.name = name;
    info.length = static_cast<std::uint64_t>(s.at("length").integer());
    info.first = entry_id(s.field("first-entry"));
    info.last = entry_id(s.field("last-entry"));
    ReplyPtr groups = conn.command({"XINFO", "GROUPS", name});
    const Reply g(groups.get(), &context);
    for (std::size_t i = 0; i < g.size(); ++i) {
      GroupInfo group;
      group.name = std::string(g[i].at("name").string());
      group.pending = static_cast<std::uint64_t>(integer_or(g[i].field("pending"), 0));
      group.last_delivered = std::string(g[i].at("last-delivered-id").string());
      if (auto lag = g[i].field("lag"); lag && !lag->is_nil()) {
        group.lag = lag->integer();
      }
      ReplyPtr consumers = conn.command({"XINFO", "CONSUMERS", name, group.name});
      const Reply c(consumers.get(), &context);
      for (std::size_t j = 0; j < c.size(); ++j) {
        ConsumerInfo consumer;
        consumer.name = std::string(c[j].at("name").string());
        consumer.pending = static_cast<std::uint64_t>(integer_or(c[j].field("pending"), 0));
        consumer.idle_ms = integer_or(c[j].field("idle"), 0);
        group.consumers.push_back(std::move(consumer));
      }
      info.groups.push_back(std::move(group));
    }
    out.push_back(std::move(info));
  }
  return out;
}

} // namespace oex::bus::redis

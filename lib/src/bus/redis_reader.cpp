// consume --no-group on Redis Streams: XREAD, as redis-cli XREAD reads, with no consumer group.

#include <deque>

#include "redis_transport.hpp"
#include "start_time.hpp"

namespace oex::bus::redis {
namespace {

using std::chrono::milliseconds;

// Where XREAD starts (it returns the entries after this id) for --from: beginning (0-0), end
// (the last entry now: "$" would mean the last entry at each request, losing what comes
// between two), an entry id (that entry on) or an ISO time (the entries from its millisecond on).
std::string start_cursor(Connection& connection, const ConsumerSettings& settings)
{
  switch (settings.start.kind) {
  case StartAt::Kind::beginning:
    return "0-0";
  case StartAt::Kind::end: {
    const std::string context = "XREVRANGE";
    ReplyPtr reply = connection.command({"XREVRANGE", settings.stream, "+", "-", "COUNT", "1"});
    const Reply last(reply.get(), &context);
    return last.size() > 0 ? std::string(last[0][0].string()) : "0-0";
  }
  case StartAt::Kind::position:
    break;
  }
  const std::string& from = settings.start.position;
  if (std::string id = previous_id(from); !id.empty()) {
    return id;
  }
  const std::int64_t ms = from_time_ms(from, "beginning, end, a Redis entry id such as "
                                             "1700000000000-0, or an ISO time");
  return ms <= 0 ? "0-0" : previous_id(std::to_string(ms) + "-0");
}

class RedisReader : public BatchedConsumer
{
public:
  RedisReader(std::shared_ptr<Connection> connection, const ConsumerSettings& settings,
              milliseconds command_timeout)
    : m_connection(std::move(connection))
    , m_stream(settings.stream)
    , m_command_timeout(command_timeout)
    , m_batch(std::max<std::size_t>(settings.batch, 1))
    , m_cursor(start_cursor(*m_connection, settings))
  {
  }

  bool ready() const override { return true; }

  void ack(const ReceivedMessage&) override {} // nothing to acknowledge: no group
  void limit_reads(std::size_t n) override { m_read_limit = n; }
  void close() override {}

private:
  void fill(milliseconds timeout) override
  {
    const std::string count =
      std::to_string(std::max<std::size_t>(std::min(m_batch, m_read_limit.value_or(m_batch)), 1));
    const std::string block = std::to_string(std::max<long long>(timeout.count(), 1));
    m_connection->set_timeout(m_command_timeout + timeout);
    ReplyPtr reply = m_connection->command(
      {"XREAD", "COUNT", count, "BLOCK", block, "STREAMS", m_stream, m_cursor});
    m_connection->set_timeout(m_command_timeout);
    append_stream_reply(reply.get(), m_context, m_stream, m_buffer);
    if (!m_buffer.empty()) {
      m_cursor = m_buffer.back().position;
    }
  }

  std::shared_ptr<Connection> m_connection;
  std::string m_stream;
  milliseconds m_command_timeout;
  std::size_t m_batch;
  std::optional<std::size_t> m_read_limit; // consume --max: what may still be read
  std::string m_cursor;                    // the last entry read
  std::string m_context = "XREAD";
};

} // namespace

std::unique_ptr<Consumer> make_reader(std::shared_ptr<Connection> connection,
                                      const ConsumerSettings& settings, milliseconds command_timeout)
{
  return std::make_unique<RedisReader>(std::move(connection), settings, command_timeout);
}

} // namespace oex::bus::redis

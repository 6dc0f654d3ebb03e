// Redis Streams behind the bus interface, as event-bus-redis 1.0 uses them: XADD with MAXLEN ~,
// consumer groups, XACK after handling, XAUTOCLAIM for what a dead consumer left pending.

#include "redis_transport.hpp"

#include <charconv>
#include <deque>
#include <exception>
#include <limits>

#include "redis_client.hpp"

namespace oex::bus::redis {
namespace {
constexpr std::string_view k_value_field = "event_data";
} // namespace

ReceivedMessage to_message(const Reply& entry, const std::string& stream)
{
  ReceivedMessage message;
  message.stream = stream;
  message.position = std::string(entry[0].string());
  const Reply fields = entry[1];
  if (fields.is_nil()) {
    return message;
  }
  for (std::size_t i = 0; i + 1 < fields.size(); i += 2) {
    std::string name(fields[i].string());
    std::string value(fields[i + 1].string());
    if (name == k_value_field && !message.value) {
      message.value = std::move(value);
    } else if (message.value) {
      message.after_value.push_back({std::move(name), std::move(value)});
    } else {
      message.fields.push_back({std::move(name), std::move(value)});
    }
  }
  return message;
}

std::string previous_id(std::string_view id)
{
  const std::size_t dash = id.find('-');
  std::uint64_t ms = 0;
  std::uint64_t seq = 0;
  const std::string_view ms_text = id.substr(0, dash);
  auto [end, ec] = std::from_chars(ms_text.data(), ms_text.data() + ms_text.size(), ms);
  if (ec != std::errc() || end != ms_text.data() + ms_text.size() || ms_text.empty()) {
    return "";
  }
  if (dash != std::string_view::npos) {
    const std::string_view seq_text = id.substr(dash + 1);
    auto [end2, ec2] = std::from_chars(seq_text.data(), seq_text.data() + seq_text.size(), seq);
    if (ec2 != std::errc() || end2 != seq_text.data() + seq_text.size() || seq_text.empty()) {
      return "";
    }
  }
  if (seq > 0) {
    return std::to_string(ms) + "-" + std::to_string(seq - 1);
  }
  if (ms > 0) {
    return std::to_string(ms - 1) + "-" + std::to_string(std::numeric_limits<std::uint64_t>::max());
  }
  return "0-0";
}

void append_stream_reply(const redisReply* raw, const std::string& context, const std::string& stream,
                         std::deque<ReceivedMessage>& out)
{
  const Reply reply(raw, &context);
  if (reply.is_nil()) {
    return; // BLOCK timed out
  }
  for (std::size_t s = 0; s < reply.size(); ++s) {
    const Reply entries = reply[s][1];
    for (std::size_t i = 0; i < entries.size(); ++i) {
      out.push_back(to_message(entries[i], stream));
    }
  }
}

std::optional<ReceivedMessage> BatchedConsumer::poll(std::chrono::milliseconds timeout)
{
  if (m_buffer.empty()) {
    fill(timeout);
  }
  if (m_buffer.empty()) {
    return std::nullopt;
  }
  ReceivedMessage message = std::move(m_buffer.front());
  m_buffer.pop_front();
  return message;
}

namespace {

using std::chrono::milliseconds;

const MetadataNames k_names{"type", "id", "source", "time", "minorversion", "sourcehost", "sourcelib"};

class RedisProducer : public Producer
{
public:
  RedisProducer(std::shared_ptr<Connection> connection, std::uint64_t max_len)
    : m_connection(std::move(connection))
    , m_max_len(std::to_string(max_len))
  {
  }

  // Formats the XADD at once; once the connection has answered a first batch, writes the
  // commands out every k_window messages, so that Redis works on them while the caller makes the
  // next ones (the replies wait in the socket until flush reads them).
  void send(const OutgoingMessage& message) override
  {
    if (m_failed) {
      return; // flush reports it
    }
    m_args.assign({"XADD", message.stream, "MAXLEN", "~", m_max_len, "*"});
    for (const Field& field : message.fields) {
      m_args.push_back(field.name);
      m_args.push_back(field.value);
    }
    if (message.value) {
      m_args.push_back(k_value_field);
      m_args.push_back(*message.value);
    }
    for (const Field& field : message.after_value) {
      m_args.push_back(field.name);
      m_args.push_back(field.value);
    }
    try {
      m_connection->append(m_args);
      m_streams.push_back(message.stream);
      if (m_answered && m_streams.size() % k_window == 0) {
        m_connection->write_appended();
      }
    } catch (const BusError&) {
      m_failed = std::current_exception();
    }
  }

  using Producer::flush; // flush(deliveries): the transport's default
  std::vector<Delivery> flush() override
  {
    const std::vector<std::string> streams = std::move(m_streams);
    m_streams.clear();
    if (m_failed) {
      std::rethrow_exception(m_failed);
    }
    std::vector<Delivery> out;
    out.reserve(streams.size());
    std::string context;
    for (const std::string& stream : streams) {
      ReplyPtr reply = m_connection->read_reply();
      if (context.size() != stream.size() + 7 || context.compare(6, stream.size(), stream) != 0) {
        context = "XADD '" + stream + "'";
      }
      const Reply r(reply.get(), &context);
      Delivery delivery;
      if (r.is_error()) {
        delivery.error = m_connection->reply_error(context, r.error_text());
      } else {
        delivery.ok = true;
        delivery.position = std::string(r.string());
      }
      out.push_back(std::move(delivery));
    }
    m_answered = true;
    return out;
  }

private:
  static constexpr std::size_t k_window = 64;
  std::shared_ptr<Connection> m_connection;
  std::string m_max_len;
  std::vector<std::string_view> m_args;
  std::vector<std::string> m_streams; // of the commands appended and not yet answered
  bool m_answered = false;            // a batch was answered: the connection works
  std::exception_ptr m_failed;        // a failed write: flush throws it
};

class RedisConsumer : public BatchedConsumer
{
public:
  RedisConsumer(std::shared_ptr<Connection> connection, const ConsumerSettings& settings,
                milliseconds command_timeout)
    : m_connection(std::move(connection))
    , m_settings(settings)
    , m_command_timeout(command_timeout)
    , m_batch(std::max<std::size_t>(settings.batch, 1))
  {
    std::string start = "$";
    if (settings.start.kind == StartAt::Kind::beginning) {
      start = "0";
    } else if (settings.start.kind == StartAt::Kind::position) {
      start = previous_id(settings.start.position);
      if (start.empty()) {
        throw BusError("--from '" + settings.start.position
                       + "': expected beginning, end or a Redis entry id (MS-SEQ, e.g. "
                         "1700000000000-0)");
      }
    }
    ReplyPtr created = m_connection->command(
      {"XGROUP", "CREATE", settings.stream, settings.group, start, "MKSTREAM"}, {"BUSYGROUP"});
    if (Reply(created.get(), &m_context).is_error()
        && settings.start.kind != StartAt::Kind::end) {
      // An existing group resumes where it left off, unless told where to start (a replay).
      m_connection->command({"XGROUP", "SETID", settings.stream, settings.group, start});
    }
    if (settings.claim_idle) {
      m_claim_idle = std::to_string(settings.claim_idle->count());
    }
  }

  bool ready() const override { return true; }

  void ack(const ReceivedMessage& message) override { m_acks.push_back(message.position); }

  void limit_reads(std::size_t n) override { m_read_limit = n; }

  void close() override { send_acks(); }

private:
  enum class Phase { own_pending, claim, fresh };

  std::vector<std::string_view> ack_args() const
  {
    std::vector<std::string_view> args{"XACK", m_settings.stream, m_settings.group};
    args.insert(args.end(), m_acks.begin(), m_acks.end());
    return args;
  }

  void send_acks()
  {
    if (m_acks.empty()) {
      return;
    }
    m_connection->command(ack_args());
    m_acks.clear();
  }

  // args, with the acknowledgements still queued sent before it in the same round trip.
  ReplyPtr command_after_acks(const std::vector<std::string_view>& args)
  {
    if (m_acks.empty()) {
      return m_connection->command(args);
    }
    const std::vector<std::string_view> acks = ack_args();
    m_connection->append(acks);
    m_connection->append(args);
    ReplyPtr acked = m_connection->read_reply();
    ReplyPtr reply = m_connection->read_reply();
    if (Reply(acked.get(), &m_context).is_error()) {
      m_connection->fail_reply(acks, acked.get());
    }
    m_acks.clear();
    if (Reply(reply.get(), &m_context).is_error()) {
      m_connection->fail_reply(args, reply.get());
    }
    return reply;
  }

  // How many entries the next request asks for: a batch, but no more than may still be read.
  std::string count() const
  {
    return std::to_string(std::max<std::size_t>(std::min(m_batch, m_read_limit.value_or(m_batch)), 1));
  }

  void fill(milliseconds timeout) override
  {
    if (m_phase == Phase::own_pending) {
      // This consumer's own pending entries (delivered before, never acknowledged: it died or
      // was stopped mid-batch), from the oldest on.
      ReplyPtr reply = command_after_acks({"XREADGROUP", "GROUP", m_settings.group,
                                              m_settings.consumer, "COUNT", count(), "STREAMS",
                                              m_settings.stream, m_pending_cursor});
      take_stream_reply(reply.get());
      if (!m_buffer.empty()) {
        m_pending_cursor = m_buffer.back().position;
        return;
      }
      m_phase = m_claim_idle.empty() ? Phase::fresh : Phase::claim;
    }
    if (m_phase == Phase::claim) {
      if (claim()) {
        return;
      }
      m_phase = Phase::fresh;
      m_last_claim = std::chrono::steady_clock::now();
    }
    // New entries, waiting up to timeout for them.
    const std::string block = std::to_string(std::max<long long>(timeout.count(), 1));
    m_connection->set_timeout(m_command_timeout + timeout);
    ReplyPtr reply = command_after_acks({"XREADGROUP", "GROUP", m_settings.group,
                                         m_settings.consumer, "COUNT", count(), "BLOCK", block,
                                         "STREAMS", m_settings.stream, ">"});
    m_connection->set_timeout(m_command_timeout);
    take_stream_reply(reply.get());
    // Another consumer may die while this one runs: look for its stale entries again, once per
    // claim interval, when nothing new came.
    if (m_buffer.empty() && !m_claim_idle.empty()
        && std::chrono::steady_clock::now() - m_last_claim >= *m_settings.claim_idle) {
      m_phase = Phase::claim;
      m_claim_cursor = "0-0";
    }
  }

  // XAUTOCLAIM from the cursor; true when it took entries (more may follow).
  bool claim()
  {
    ReplyPtr reply = command_after_acks({"XAUTOCLAIM", m_settings.stream, m_settings.group,
                                            m_settings.consumer, m_claim_idle, m_claim_cursor,
                                            "COUNT", count()});
    const Reply r(reply.get(), &m_context);
    m_claim_cursor = std::string(r[0].string());
    const Reply entries = r[1];
    for (std::size_t i = 0; i < entries.size(); ++i) {
      m_buffer.push_back(to_message(entries[i], m_settings.stream));
    }
    if (m_claim_cursor == "0-0" && m_buffer.empty()) {
      return false;
    }
    if (m_claim_cursor == "0-0") {
      m_phase = Phase::fresh; // after this batch
      m_last_claim = std::chrono::steady_clock::now();
    }
    return true;
  }

  void take_stream_reply(const redisReply* raw)
  {
    append_stream_reply(raw, m_context, m_settings.stream, m_buffer);
  }

  std::shared_ptr<Connection> m_connection;
  ConsumerSettings m_settings;
  milliseconds m_command_timeout;
  std::size_t m_batch;
  std::optional<std::size_t> m_read_limit; // consume --max: what may still be read
  std::string m_claim_idle;
  std::string m_context = "XREADGROUP";
  Phase m_phase = Phase::own_pending;
  std::string m_pending_cursor = "0";
  std::string m_claim_cursor = "0-0";
  std::chrono::steady_clock::time_point m_last_claim;
  std::vector<std::string> m_acks;
};

} // namespace

RedisTransport::RedisTransport(const BusSettings& settings)
  : m_settings(settings)
  , m_endpoint(parse_url(settings.url))
{
}

RedisTransport::~RedisTransport() = default;

const MetadataNames& RedisTransport::metadata_names() const
{
  return k_names;
}

std::string RedisTransport::full_name(const std::string& topic) const
{
  return m_settings.prefix.empty() ? topic : m_settings.prefix + "-" + topic;
}

std::string RedisTransport::describe() const
{
  return m_endpoint.describe();
}

std::shared_ptr<Connection> RedisTransport::connection()
{
  if (!m_connection) {
    m_connection = std::make_shared<Connection>(m_endpoint, m_settings.connect_timeout,
                                                m_settings.command_timeout);
  }
  return m_connection;
}

std::unique_ptr<Producer> RedisTransport::producer()
{
  return std::make_unique<RedisProducer>(connection(), m_settings.max_len);
}

std::unique_ptr<Consumer> RedisTransport::consumer(const ConsumerSettings& settings)
{
  if (settings.no_group) {
    return make_reader(connection(), settings, m_settings.command_timeout);
  }
  return std::make_unique<RedisConsumer>(connection(), settings, m_settings.command_timeout);
}

} // namespace oex::bus::redis

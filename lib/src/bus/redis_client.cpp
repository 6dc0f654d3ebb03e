#include "redis_client.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>

#include <hiredis/hiredis.h>

#include "oex/bus/transport.hpp"

namespace oex::bus::redis {
namespace {

bool parse_int(std::string_view text, int& out)
{
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

timeval to_timeval(std::chrono::milliseconds ms)
{
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

std::string quoted(std::string_view text)
{
  return "'" + std::string(text.substr(0, 200)) + (text.size() > 200 ? "...'" : "'");
}

} // namespace

std::string Endpoint::describe() const
{
  std::string auth;
  if (user || password) {
    auth = user.value_or("") + (password ? ":***" : "") + "@";
  }
  if (!socket_path.empty()) {
    return "unix://" + auth + socket_path + (db ? "?db=" + std::to_string(db) : "");
  }
  const bool v6 = host.find(':') != std::string::npos;
  return "redis://" + auth + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port)
         + (db ? "/" + std::to_string(db) : "");
}

Endpoint parse_url(std::string_view url)
{
  // Messages show the URL without its user information, so a password is never shown.
  const auto fail = [&](const std::string& why) -> Endpoint {
    std::string shown(url);
    const std::size_t scheme = url.find("//");
    if (const std::size_t at = url.rfind('@'); at != std::string_view::npos && scheme != std::string_view::npos && scheme < at) {
      shown = std::string(url.substr(0, scheme + 2)) + "***@" + std::string(url.substr(at + 1));
    }
    throw BusError("bus URL " + quoted(shown) + ": " + why);
  };
  Endpoint endpoint;
  std::string_view rest;
  bool unix_socket = false;
  if (url.starts_with("redis://")) {
    rest = url.substr(8);
  } else if (url.starts_with("unix://")) {
    rest = url.substr(7);
    unix_socket = true;
  } else if (url.starts_with("rediss://")) {
    fail("rediss:// (TLS) is not supported: this oex is built with hiredis "
         + std::to_string(HIREDIS_MAJOR) + "." + std::to_string(HIREDIS_MINOR)
         + ", which has no TLS; use redis:// through a TLS tunnel (stunnel, spiped)");
  } else {
    fail("expected redis://[user:password@]host[:port][/db] or unix:///path/to/socket");
  }
  if (const std::size_t at = rest.rfind('@'); at != std::string_view::npos) {
    const std::string_view userinfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
    const std::size_t colon = userinfo.find(':');
    if (colon == std::string_view::npos) {
      // redis-py reads redis://name@host as a user name without password; Redis then needs none.
      endpoint.user = std::string(userinfo);
    } else {
      if (colon > 0) {
        endpoint.user = std::string(userinfo.substr(0, colon));
      }
      endpoint.password = std::string(userinfo.substr(colon + 1));
    }
  }
  std::string_view query;
  if (const std::size_t q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  if (query.starts_with("db=")) {
    if (!parse_int(query.substr(3), endpoint.db) || endpoint.db < 0) {
      fail("db must be a non-negative integer");
    }
  } else if (!query.empty()) {
    fail("unsupported query '" + std::string(query) + "' (only db=N)");
  }
  if (unix_socket) {
    if (!rest.starts_with("/") || rest.size() < 2) {
      fail("expected unix:///absolute/path/to/socket");
    }
    endpoint.socket_path = std::string(rest);
    return endpoint;
  }
  std::string_view hostport = rest.substr(0, rest.find('/'));
  if (const std::size_t slash = rest.find('/'); slash != std::string_view::npos) {
    const std::string_view db = rest.substr(slash + 1);
    if (!db.empty() && (!parse_int(db, endpoint.db) || endpoint.db < 0)) {
      fail("the database after '/' must be a non-negative integer, got '" + std::string(db) + "'");
    }
  }
  std::string_view port;
  if (hostport.starts_with("[")) {
    const std::size_t close = hostport.find(']');
    if (close == std::string_view::npos) {
      fail("unclosed '[' in the host");
    }
    endpoint.host = std::string(hostport.substr(1, close - 1));
    const std::string_view after = hostport.substr(close + 1);
    if (!after.empty()) {
      if (!after.starts_with(":")) {
        fail("expected ':PORT' after ']'");
      }
      port = after.substr(1);
    }
  } else {
    const std::size_t colon = hostport.rfind(':');
    endpoint.host = std::string(hostport.substr(0, colon));
    if (colon != std::string_view::npos) {
      port = hostport.substr(colon + 1);
    }
  }
  if (endpoint.host.empty()) {
    endpoint.host = "localhost";
  }
  if (!port.empty() && (!parse_int(port, endpoint.port) || endpoint.port < 1 || endpoint.port > 65535)) {
    fail("the port must be 1 to 65535, got '" + std::string(port) + "'");
  }
  return endpoint;
}

void ReplyDeleter::operator()(redisReply* reply) const
{
  freeReplyObject(reply);
}

bool Reply::is_nil() const { return m_reply->type == REDIS_REPLY_NIL; }
bool Reply::is_array() const { return m_reply->type == REDIS_REPLY_ARRAY; }
bool Reply::is_error() const { return m_reply->type == REDIS_REPLY_ERROR; }

std::string_view Reply::string() const
{
  if (m_reply->type != REDIS_REPLY_STRING && m_reply->type != REDIS_REPLY_STATUS) {
    unexpected("a string");
  }
  return {m_reply->str, m_reply->len};
}

std::int64_t Reply::integer() const
{
  if (m_reply->type != REDIS_REPLY_INTEGER) {
    unexpected("an integer");
  }
  return m_reply->integer;
}

std::size_t Reply::size() const
{
  if (m_reply->type != REDIS_REPLY_ARRAY) {
    unexpected("an array");
  }
  return m_reply->elements;
}

Reply Reply::operator[](std::size_t i) const
{
  if (i >= size()) {
    unexpected("a longer array");
  }
  return Reply(m_reply->element[i], m_context);
}

std::optional<Reply> Reply::field(std::string_view name) const
{
  for (std::size_t i = 0; i + 1 < size(); i += 2) {
    const redisReply* key = m_reply->element[i];
    if ((key->type == REDIS_REPLY_STRING || key->type == REDIS_REPLY_STATUS)
        && std::string_view(key->str, key->len) == name) {
      return Reply(m_reply->element[i + 1], m_context);
    }
  }
  return std::nullopt;
}

Reply Reply::at(std::string_view name) const
{
  std::optional<Reply> value = field(name);
  if (!value) {
    throw BusError(*m_context + ": unexpected reply: no '" + std::string(name) + "'");
  }
  return *value;
}

std::string_view Reply::error_text() const
{
  return m_reply->type == REDIS_REPLY_ERROR ? std::string_view(m_reply->str, m_reply->len)
                                            : std::string_view();
}

void Reply::unexpected(const char* wanted) const
{
  throw BusError(*m_context + ": unexpected reply: expected " + wanted + ", got reply type "
                 + std::to_string(m_reply->type));
}

std::string context_for(const std::vector<std::string_view>& args)
{
  if (args.empty()) {
    return "";
  }
  std::string out(args[0]);
  if ((args[0] == "XGROUP" || args[0] == "XINFO") && args.size() > 2) {
    return out + " " + std::string(args[1]) + " " + quoted(args[2]);
  }
  if (args[0] == "XREADGROUP" || args[0] == "XREAD") {
    for (std::size_t i = 0; i + 1 < args.size(); ++i) {
      if (args[i] == "STREAMS") {
        return out + " " + quoted(args[i + 1]);
      }
    }
  }
  if (args.size() > 1 && args[0] != "AUTH") {
    out += " " + quoted(args[1]);
  }
  return out;
}

Connection::Connection(const Endpoint& endpoint, std::chrono::milliseconds connect_timeout,
                       std::chrono::milliseconds command_timeout)
  : m_describe(endpoint.describe())
  , m_context(nullptr, redisFree)
{
  const timeval tv = to_timeval(connect_timeout);
  m_context.reset(endpoint.socket_path.empty()
                    ? redisConnectWithTimeout(endpoint.host.c_str(), endpoint.port, tv)
                    : redisConnectUnixWithTimeout(endpoint.socket_path.c_str(), tv));
  if (!m_context) {
    throw BusError(m_describe + ": cannot connect: out of memory");
  }
  if (m_context->err) {
    throw BusError(m_describe + ": cannot connect: " + m_context->errstr);
  }
  set_timeout(command_timeout);
  if (endpoint.password) {
    std::vector<std::string_view> args{"AUTH"};
    if (endpoint.user) {
      args.push_back(*endpoint.user);
    }
    args.push_back(*endpoint.password);
    ReplyPtr reply = command(args, {"WRONGPASS", "ERR"});
    if (reply->type == REDIS_REPLY_ERROR) {
      throw BusError(m_describe + ": authentication refused: " + std::string(reply->str, reply->len));
    }
  }
  if (endpoint.db != 0) {
    const std::string db = std::to_string(endpoint.db);
    command({"SELECT", db});
  }
}

Connection::~Connection() = default;

void Connection::set_timeout(std::chrono::milliseconds timeout)
{
  if (redisSetTimeout(m_context.get(), to_timeval(timeout)) != REDIS_OK) {
    fail_io("setting the timeout");
  }
}

void Connection::fail_io(const char* doing) const
{
  std::string what = m_context->errstr;
  if (m_context->err == REDIS_ERR_IO && (errno == EAGAIN || errno == EWOULDBLOCK)) {
    what = "no answer in time";
  }
  if (m_context->err == REDIS_ERR_PROTOCOL) {
    throw BusError(m_describe + ": the server does not answer as Redis does (" + what + ")");
  }
  if (m_context->err == REDIS_ERR_OOM) {
    // hiredis could not allocate the reply: this process, not Redis, is out of memory.
    throw BusError(m_describe + ": out of memory in oex while reading the reply");
  }
  if (m_context->err == REDIS_ERR_EOF || m_context->err == REDIS_ERR_IO) {
    throw BusError(m_describe + ": connection lost" + (doing ? std::string(" ") + doing : "")
                   + ": " + what);
  }
  throw BusError(m_describe + ": " + what);
}

std::string Connection::reply_error(const std::string& context, std::string_view text) const
{
  // Redis 7 refuses a large command from an unauthenticated client before reading it, with a
  // protocol error that does not say NOAUTH.
  if (text.starts_with("NOAUTH") || text.find("unauthenticated") != std::string_view::npos) {
    return m_describe + ": authentication required: give the password in the URL "
                        "(redis://:PASSWORD@host:port)";
  }
  return m_describe + ": " + context + ": " + std::string(text);
}

void Connection::fail_reply(const std::vector<std::string_view>& args, const redisReply* reply) const
{
  throw BusError(reply_error(context_for(args), std::string_view(reply->str, reply->len)));
}

ReplyPtr Connection::command(const std::vector<std::string_view>& args,
                             std::initializer_list<std::string_view> expected_errors)
{
  append(args);
  ReplyPtr reply = read_reply();
  if (reply->type == REDIS_REPLY_ERROR) {
    const std::string_view text(reply->str, reply->len);
    for (std::string_view expected : expected_errors) {
      if (text.starts_with(expected)) {
        return reply;
      }
    }
    fail_reply(args, reply.get());
  }
  return reply;
}

void Connection::append(const std::vector<std::string_view>& args)
{
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  argv.reserve(args.size());
  lengths.reserve(args.size());
  for (std::string_view arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  if (redisAppendCommandArgv(m_context.get(), static_cast<int>(argv.size()), argv.data(),
                             lengths.data())
      != REDIS_OK) {
    fail_io(nullptr);
  }
}

void Connection::write_appended()
{
  int done = 0;
  while (done == 0) {
    if (redisBufferWrite(m_context.get(), &done) != REDIS_OK) {
      fail_io(nullptr);
    }
  }
}

ReplyPtr Connection::read_reply()
{
  void* reply = nullptr;
  if (redisGetReply(m_context.get(), &reply) != REDIS_OK || reply == nullptr) {
    fail_io(nullptr);
  }
  return ReplyPtr(static_cast<redisReply*>(reply));
}

} // namespace oex::bus::redis

#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct redisContext;
struct redisReply;

namespace oex::bus::redis {

// Where and how to connect, from redis://[user:password@]host[:port][/db] or
// unix://[user:password@]/path[?db=N]. Parsed in one place; the password never reaches a message.
struct Endpoint
{
  std::string host; // empty for a unix socket
  int port = 6379;
  std::string socket_path;
  std::optional<std::string> user;
  std::optional<std::string> password;
  int db = 0;

  // The URL with the password replaced by "***", for messages.
  std::string describe() const;
};

// Throws BusError for a malformed URL, another scheme, or rediss:// (no TLS in this build).
Endpoint parse_url(std::string_view url);

struct ReplyDeleter
{
  void operator()(redisReply* reply) const;
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;

// One reply, read with its type checked: each accessor throws BusError naming the command when
// the reply is not of the type asked for.
class Reply
{
public:
  Reply(const redisReply* reply, const std::string* context)
    : m_reply(reply)
    , m_context(context)
  {
  }
  bool is_nil() const;
  bool is_array() const;
  bool is_error() const;
  std::string_view string() const; // a bulk or status string
  std::int64_t integer() const;
  std::size_t size() const;        // array elements
  Reply operator[](std::size_t i) const;
  // A flat [name, value, name, value...] array (XINFO): the value of name, if there.
  std::optional<Reply> field(std::string_view name) const;
  // The same, throwing BusError when name is not there.
  Reply at(std::string_view name) const;
  std::string_view error_text() const;

private:
  [[noreturn]] void unexpected(const char* wanted) const;
  const redisReply* m_reply;
  const std::string* m_context;
};

// A connection: commands one at a time or pipelined. Every failure of the server or the
// connection is a BusError "<url>: <what>" (connection refused, lost, authentication, WRONGTYPE,
// OOM...); command() throws also for an error reply, except those the caller says it expects.
class Connection
{
public:
  Connection(const Endpoint& endpoint, std::chrono::milliseconds connect_timeout,
             std::chrono::milliseconds command_timeout);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  const std::string& describe() const { return m_describe; }

  // Sends args and returns the reply. An error reply throws unless it starts with one of
  // expected_errors (then it is returned, is_error() true).
  ReplyPtr command(const std::vector<std::string_view>& args,
                   std::initializer_list<std::string_view> expected_errors = {});
  // Pipelining: append commands, then read their replies in order (error replies returned).
  void append(const std::vector<std::string_view>& args);
  ReplyPtr read_reply();
  // Writes the commands appended so far without waiting for their replies, so that the server
  // works on them while more are appended.
  void write_appended();

  // The message for an error reply text to the command described by context ("XADD 's'").
  std::string reply_error(const std::string& context, std::string_view text) const;
  // A BusError for an error reply to the command named by args (its first two words).
  [[noreturn]] void fail_reply(const std::vector<std::string_view>& args, const redisReply* reply) const;

  // Sets the read timeout (XREADGROUP BLOCK waits longer than a plain command).
  void set_timeout(std::chrono::milliseconds timeout);

private:
  [[noreturn]] void fail_io(const char* doing) const;

  std::string m_describe;
  std::unique_ptr<redisContext, void (*)(redisContext*)> m_context;
};

// "XADD 'stream'": the command and its key, for messages.
std::string context_for(const std::vector<std::string_view>& args);

} // namespace oex::bus::redis

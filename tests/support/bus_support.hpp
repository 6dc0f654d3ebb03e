#pragma once

#include <memory>
#include <string>
#include <vector>

#include <sys/types.h>

#include <nlohmann/json.hpp>

#include "support/subprocess.hpp"

namespace oex::test {

// A free TCP port on 127.0.0.1 (bound, read back, released).
int free_port();

// A redis-server of the test's own (for restarts, passwords, memory limits), on a free port of
// 127.0.0.1, with its files in a temporary directory and nothing saved; stopped (SIGKILL) when
// the object goes away.
class RedisServer
{
public:
  explicit RedisServer(std::vector<std::string> extra_args = {});
  ~RedisServer();
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  void start();
  void stop();
  int port() const { return m_port; }
  std::string url() const { return "redis://127.0.0.1:" + std::to_string(m_port); }

private:
  TempDir m_dir;
  std::vector<std::string> m_extra;
  int m_port;
  pid_t m_pid = -1;
};

// The URL of the suite's shared redis-server (the CTest fixture "redis"), read from the file
// its setup wrote.
std::string fixture_redis_url();

// oex (OEX_BINARY) running in the background in its own process group, stdout and stderr to
// files; killed (the whole group) when the object goes away.
class Background
{
public:
  explicit Background(const std::vector<std::string>& args,
                      const std::vector<std::pair<std::string, std::string>>& env = {});
  ~Background();
  Background(const Background&) = delete;
  Background& operator=(const Background&) = delete;

  void signal(int signo);       // to oex only
  void signal_group(int signo); // to oex and its children
  // Waits for the end: the exit status, or 128 + signal.
  int wait();
  std::string out() const;
  std::string err() const;

private:
  TempDir m_dir;
  pid_t m_pid = -1;
  int m_status = -1;
};

// Polls (every 20 ms, at most about 60 s) until path exists; false if it never did.
bool wait_for_file(const std::string& path);

// The keys of a JSON object, in its order (consume --json reports: the same in every mode).
inline std::vector<std::string> json_keys(const nlohmann::json& object)
{
  std::vector<std::string> keys;
  for (auto it = object.begin(); it != object.end(); ++it) {
    keys.push_back(it.key());
  }
  return keys;
}

// A unique name per call, for topics and groups ("t1-4711").
std::string unique_name(const std::string& stem);

} // namespace oex::test

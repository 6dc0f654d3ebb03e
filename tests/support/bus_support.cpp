#include "support/bus_support.hpp"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <thread>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace oex::test {
namespace {

pid_t spawn(const std::vector<std::string>& argv_strings, const std::string& out,
            const std::string& err, const std::vector<std::pair<std::string, std::string>>& env)
{
  const pid_t pid = fork();
  if (pid < 0) {
    throw std::runtime_error("fork failed");
  }
  if (pid == 0) {
    setpgid(0, 0);
    std::signal(SIGPIPE, SIG_DFL);
    const int devnull = open("/dev/null", O_RDONLY);
    const int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(devnull, 0);
    dup2(o, 1);
    dup2(e, 2);
    setenv("NO_COLOR", "1", 1);
    unsetenv("OEX_DEFS_PATH");
    unsetenv("OEX_PLUGIN_PATH");
    for (const auto& [name, value] : env) {
      setenv(name.c_str(), value.c_str(), 1);
    }
    std::vector<char*> argv;
    for (const std::string& arg : argv_strings) {
      argv.push_back(const_cast<char*>(arg.c_str()));
    }
    argv.push_back(nullptr);
    execvp(argv[0], argv.data());
    _exit(127);
  }
  setpgid(pid, pid);
  return pid;
}

bool can_connect(int port)
{
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

} // namespace

int free_port()
{
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0
      || getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    close(fd);
    throw std::runtime_error("cannot find a free port");
  }
  close(fd);
  return ntohs(addr.sin_port);
}

RedisServer::RedisServer(std::vector<std::string> extra_args)
  : m_extra(std::move(extra_args))
  , m_port(free_port())
{
  start();
}

RedisServer::~RedisServer()
{
  stop();
}

void RedisServer::start()
{
  std::vector<std::string> args{"redis-server", "--port", std::to_string(m_port), "--bind",
                                "127.0.0.1", "--dir", m_dir.path(), "--save", "",
                                "--appendonly", "no", "--daemonize", "no"};
  args.insert(args.end(), m_extra.begin(), m_extra.end());
  m_pid = spawn(args, m_dir.path() + "/out.log", m_dir.path() + "/err.log", {});
  for (int i = 0; i < 3000 && !can_connect(m_port); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (!can_connect(m_port)) {
    throw std::runtime_error("redis-server did not start: " + read_file(m_dir.path() + "/out.log"));
  }
}

void RedisServer::stop()
{
  if (m_pid > 0) {
    kill(m_pid, SIGKILL);
    waitpid(m_pid, nullptr, 0);
    m_pid = -1;
  }
}

std::string fixture_redis_url()
{
  std::string port = read_file(std::string(REDIS_FIXTURE_DIR) + "/port");
  while (!port.empty() && (port.back() == '\n' || port.back() == ' ')) {
    port.pop_back();
  }
  return "redis://127.0.0.1:" + port;
}

Background::Background(const std::vector<std::string>& args,
                       const std::vector<std::pair<std::string, std::string>>& env)
{
  std::vector<std::string> argv{OEX_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  m_pid = spawn(argv, m_dir.path() + "/out", m_dir.path() + "/err", env);
}

Background::~Background()
{
  if (m_pid > 0 && m_status < 0) {
    kill(-m_pid, SIGKILL);
    waitpid(m_pid, nullptr, 0);
  }
}

void Background::signal(int signo)
{
  kill(m_pid, signo);
}

void Background::signal_group(int signo)
{
  kill(-m_pid, signo);
}

int Background::wait()
{
  if (m_status < 0) {
    int status = 0;
    waitpid(m_pid, &status, 0);
    m_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  return m_status;
}

std::string Background::out() const
{
  return read_file(m_dir.path() + "/out");
}

std::string Background::err() const
{
  return read_file(m_dir.path() + "/err");
}

bool wait_for_file(const std::string& path)
{
  struct stat st{};
  for (int i = 0; i < 3000; ++i) {
    if (stat(path.c_str(), &st) == 0) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

std::string unique_name(const std::string& stem)
{
  static int counter = 0;
  return stem + "-" + std::to_string(getpid()) + "-" + std::to_string(++counter);
}

} // namespace oex::test

#include "support/kafka_support.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <stdexcept>

namespace oex::test {

ServiceProcess::ServiceProcess(const std::vector<std::string>& argv)
{
  int in[2];
  int out[2];
  if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe failed");
  }
  m_pid = fork();
  if (m_pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    std::vector<char*> args;
    for (const std::string& arg : argv) {
      args.push_back(const_cast<char*>(arg.c_str()));
    }
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  m_in = in[1];
  m_out = out[0];
  m_address = read_line();
  if (m_address.empty()) {
    stop();
    throw std::runtime_error("helper printed no address: " + argv[0]);
  }
}

ServiceProcess::~ServiceProcess()
{
  stop();
}

std::string ServiceProcess::read_line()
{
  while (true) {
    const std::size_t newline = m_buffer.find('\n');
    if (newline != std::string::npos) {
      std::string line = m_buffer.substr(0, newline);
      m_buffer.erase(0, newline + 1);
      return line;
    }
    char chunk[512];
    const ssize_t n = read(m_out, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return {};
    }
    m_buffer.append(chunk, static_cast<std::size_t>(n));
  }
}

std::string ServiceProcess::command(const std::string& line)
{
  const std::string text = line + "\n";
  if (write(m_in, text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
    return "error: write failed";
  }
  return read_line();
}

void ServiceProcess::stop()
{
  if (m_pid <= 0) {
    return;
  }
  close(m_in);
  // Bounded: 10 s for a clean stop, then SIGKILL.
  int status = 0;
  for (int i = 0; i < 500; ++i) {
    if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
      m_pid = -1;
      break;
    }
    usleep(20000);
  }
  if (m_pid > 0) {
    kill(m_pid, SIGKILL);
    waitpid(m_pid, &status, 0);
    m_pid = -1;
  }
  close(m_out);
}

MockCluster::MockCluster(int brokers, const std::vector<std::string>& topics)
  : ServiceProcess([&] {
    std::vector<std::string> argv = {KAFKA_MOCK_CLUSTER, "--brokers", std::to_string(brokers)};
    for (const std::string& topic : topics) {
      argv.push_back("--topic");
      argv.push_back(topic);
    }
    return argv;
  }())
{
}

RegistryDouble::RegistryDouble(const std::vector<std::string>& extra)
{
  std::vector<std::string> argv = {"python3", SCHEMA_REGISTRY_SCRIPT, "--log", log_path()};
  argv.insert(argv.end(), extra.begin(), extra.end());
  m_process = std::make_unique<ServiceProcess>(argv);
}

std::vector<std::string> RegistryDouble::requests() const
{
  std::vector<std::string> lines;
  std::ifstream in(log_path());
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

} // namespace oex::test

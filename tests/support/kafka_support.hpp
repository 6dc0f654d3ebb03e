#pragma once

#include <memory>
#include <string>
#include <vector>

#include <sys/types.h>

#include "support/subprocess.hpp"

namespace oex::test {

// A helper process that prints one line (its address) on start-up, takes commands on its
// standard input and stops when that closes: tests/tools' kafka_mock_cluster and
// schema_registry.py. Stopped (stdin closed, then waited for; SIGKILL if it lingers) when the
// object goes away.
class ServiceProcess
{
public:
  explicit ServiceProcess(const std::vector<std::string>& argv);
  ~ServiceProcess();
  ServiceProcess(const ServiceProcess&) = delete;
  ServiceProcess& operator=(const ServiceProcess&) = delete;

  const std::string& address() const { return m_address; }
  // Sends one command line and returns the one-line answer ("ok", "error: ...").
  std::string command(const std::string& line);
  void stop();

private:
  std::string read_line();

  pid_t m_pid = -1;
  int m_in = -1;
  int m_out = -1;
  std::string m_address;
  std::string m_buffer;
};

// librdkafka's mock cluster on 127.0.0.1 (KAFKA_MOCK_CLUSTER): "127.0.0.1:PORT,...".
class MockCluster : public ServiceProcess
{
public:
  explicit MockCluster(int brokers = 1, const std::vector<std::string>& topics = {});
  std::string url() const { return "kafka://" + address(); }
};

// The schema registry test double (SCHEMA_REGISTRY_SCRIPT), logging its requests to
// log_path(); extra: --auth U:S, --fail STATUS.
class RegistryDouble
{
public:
  explicit RegistryDouble(const std::vector<std::string>& extra = {});
  const std::string& url() const { return m_process->address(); }
  std::string log_path() const { return m_dir.path() + "/requests.log"; }
  // The logged requests, one JSON document a line.
  std::vector<std::string> requests() const;
  void stop() { m_process->stop(); }

private:
  TempDir m_dir;
  std::unique_ptr<ServiceProcess> m_process;
};

} // namespace oex::test

// Isolated plugin receivers run in one long-lived worker process per plugin: many events per
// process, a fresh process after a crash, a hang or a broken protocol, nothing left behind.

#include <cstdio>
#include <fstream>

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/catalog_fixture.hpp"
#include "support/processes.hpp"

#include "oex/catalog/catalog.hpp"
#include "oex/payload/sample.hpp"
#include "oex/plugins/receivers.hpp"

namespace {

using oex::test::catalog;
using oex::test::process_ended;
using oex::test::read_pid;
using TempDir = oex::test::ScratchDir;

const std::string k_type = "org.openedx.learning.course.enrollment.created.v1";
const std::string k_plugin = PLUGIN_DIR "/isolation/lifecycle.so";

oex::ReceiverOptions isolated(int timeout_ms = 5000)
{
  oex::ReceiverOptions o;
  o.timeout = std::chrono::milliseconds(timeout_ms);
  return o;
}

// A signal with the receivers connected, and what the lifecycle plugin does next.
class Harness
{
public:
  explicit Harness(const oex::ReceiverOptions& options = isolated())
    : m_signal(catalog().get_signal_by_type(k_type), catalog(), oex::MetadataSettings{})
    , m_payload(oex::sample_payload(m_signal.event(), {}).dump())
  {
    m_action_file = m_dir.path() + "/action";
    setenv("OEX_LIFE_FILE", m_action_file.c_str(), 1);
    REQUIRE(m_plugins.load(k_plugin, options));
    for (auto& receiver : m_plugins.receivers_for(k_type, options)) {
      m_signal.connect(receiver);
    }
  }
  ~Harness() { unsetenv("OEX_LIFE_FILE"); }

  void next(const std::string& action) { std::ofstream(m_action_file) << action << "\n"; }
  std::vector<oex::Response> send() { return m_signal.send_event(m_payload); }
  const std::string& action_file() const { return m_action_file; }
  // Drops the receivers (and so the worker).
  void disconnect()
  {
    m_signal.disconnect("lifecycle:life");
    m_signal.disconnect("lifecycle:life_too");
  }

private:
  TempDir m_dir;
  std::string m_action_file;
  oex::PluginSet m_plugins;
  oex::PublicSignal m_signal;
  std::string m_payload;
};

struct Served
{
  long pid = 0;
  int calls = 0;
};

Served served(const oex::Response& response)
{
  INFO(response.receiver << ": " << response.outcome.error);
  REQUIRE(response.outcome.ok);
  REQUIRE(response.outcome.response);
  const auto json = nlohmann::json::parse(*response.outcome.response);
  return {json["pid"].get<long>(), json["calls"].get<int>()};
}

} // namespace

TEST_CASE("oex::PluginSet: one worker process serves an isolated plugin's events")
{
  Harness harness;
  long pid = 0;
  for (int event = 1; event <= 5; ++event) {
    const auto responses = harness.send();
    REQUIRE(responses.size() == 2);
    // Both receivers of the plugin, in the same process, one call after the other.
    const Served life = served(responses[0]);
    const Served life_too = served(responses[1]);
    if (event == 1) {
      pid = life.pid;
      CHECK(pid != getpid());
    }
    CHECK(life.pid == pid);
    CHECK(life_too.pid == pid);
    CHECK(life.calls == 2 * event - 1);
    CHECK(life_too.calls == 2 * event);
  }
  harness.disconnect();
  CHECK(process_ended(pid));
}

TEST_CASE("oex::PluginSet: a worker that crashes is replaced at the next call")
{
  for (const auto& [action, error] : std::vector<std::pair<std::string, std::string>>{
         {"segfault", "crashed: signal 11 (SIGSEGV)"},
         {"abort", "crashed: signal 6 (SIGABRT)"},
         {"exit", "exited with status 3"},
         {"exit0", "the receiver ended the process without answering (exit status 0)"},
         {"scribble", "the receiver wrote into oex's reply pipe (the protocol between oex and "
                      "the receiver's process broke)"}}) {
    INFO(action);
    Harness harness;
    // Event 2 of 5 crashes it; the others are answered, by a fresh process after the crash.
    const long first = served(harness.send()[0]).pid;
    harness.next(action);
    const auto crashed = harness.send();
    CHECK(crashed[0].outcome.error == error);
    // life_too got the next process (the action is still there): it failed the same way.
    CHECK(crashed[1].outcome.error == error);
    CHECK(process_ended(first));
    harness.next("fine");
    const Served third = served(harness.send()[0]);
    CHECK(third.pid != first);
    CHECK(third.calls == 1);
    for (int event = 4; event <= 5; ++event) {
      const Served later = served(harness.send()[0]);
      CHECK(later.pid == third.pid);
    }
  }
}

TEST_CASE("oex::PluginSet: a worker that hangs is killed at the timeout and replaced")
{
  Harness harness(isolated(300));
  const long first = served(harness.send()[0]).pid;
  harness.next("hang");
  auto responses = harness.send();
  CHECK(responses[0].outcome.error == "timed out after 300 ms");
  CHECK(process_ended(first));
  harness.next("fine");
  responses = harness.send();
  const Served fresh = served(responses[0]);
  CHECK(fresh.pid != first);
  CHECK(served(responses[1]).pid == fresh.pid);
}

TEST_CASE("oex::PluginSet: a worker's output is captured per call")
{
  Harness harness;
  harness.next("print");
  for (int event = 1; event <= 3; ++event) {
    const auto responses = harness.send();
    // Left in stdio's buffer: flushed at the end of the call, so it is that call's output.
    CHECK(responses[0].outcome.output == "call " + std::to_string(2 * event - 1));
    CHECK(responses[1].outcome.output == "call " + std::to_string(2 * event));
  }
  // A receiver that closes its standard streams does not lose the next call's output.
  harness.next("closestd");
  const long pid = served(harness.send()[0]).pid;
  harness.next("print");
  const auto responses = harness.send();
  CHECK(served(responses[0]).pid == pid);
  CHECK(responses[0].outcome.output.starts_with("call "));
}

TEST_CASE("oex::PluginSet: what a worker's receiver leaves running is killed when the call ends")
{
  Harness harness;
  harness.next("fork");
  const auto responses = harness.send();
  const long worker = served(responses[0]).pid;
  const long sleeper = read_pid(harness.action_file() + ".pid");
  CHECK(process_ended(sleeper));
  // The worker went with its process group; life_too was served by a fresh one.
  CHECK(process_ended(worker));
  CHECK(served(responses[1]).pid != worker);
}

TEST_CASE("oex::PluginSet: no worker outlives the process that started it")
{
  // A process that exits without destroying its receivers: the worker goes all the same.
  TempDir dir;
  const std::string pid_file = dir.path() + "/pid";
  std::fflush(nullptr);
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    static Harness* const harness = new Harness; // never destroyed (and still reachable)
    const long pid = served(harness->send()[0]).pid;
    std::ofstream(pid_file) << pid << "\n";
    std::exit(0);
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  CHECK(WIFEXITED(status));
  const long worker = read_pid(pid_file);
  CHECK(worker > 0);
  CHECK(process_ended(worker));
}

TEST_CASE("oex::PluginSet: an exception that escapes a receiver is its error, isolated or not")
{
  for (auto isolation : {oex::Isolation::on, oex::Isolation::off}) {
    auto options = isolated();
    options.isolation = isolation;
    oex::PluginSet plugins;
    REQUIRE(plugins.load(PLUGIN_DIR "/isolation/throwing.so", options));
    oex::PublicSignal signal(catalog().get_signal_by_type(k_type), catalog(),
                             oex::MetadataSettings{});
    signal.connect(plugins.receivers_for(k_type, options).at(0));
    const std::string payload = oex::sample_payload(signal.event(), {}).dump();
    for (int event = 1; event <= 3; ++event) {
      const auto responses = signal.send_event(payload);
      CHECK(responses[0].outcome.error == "thrown through the C ABI");
    }
  }
}

TEST_CASE("oex::PluginSet: a receiver's thread that writes without pause does not hold oex")
{
  auto options = isolated(300);
  options.max_response_bytes = 1000;
  Harness harness(options);
  harness.next("chatter");
  auto responses = harness.send();
  const long pid = served(responses[0]).pid;
  harness.next("fine");
  for (int event = 0; event < 3; ++event) {
    responses = harness.send();
    CHECK(served(responses[0]).pid == pid);
    CHECK(responses[0].outcome.output.size() <= 1000);
  }
  harness.next("hang");
  CHECK(harness.send()[0].outcome.error == "timed out after 300 ms");
}

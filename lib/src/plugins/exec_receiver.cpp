#include <nlohmann/json.hpp>

#include <unistd.h>

#include "plugins/child_process.hpp"
#include "oex/catalog/catalog.hpp"
#include "oex/plugins/receivers.hpp"

namespace oex {

using json = nlohmann::ordered_json;

std::string exec_event_json(const SignalEvent& event)
{
  json out = json::object();
  out["signal"] = event.event.event_type;
  out["sender"] = nullptr;
  out["metadata"] = json::parse(event.metadata_json);
  const json data = json::parse(event.data_json);
  for (const auto& [key, value] : data.items()) {
    out[key] = value;
  }
  out["from_event_bus"] = event.from_event_bus;
  return out.dump();
}

namespace {

// The last lines of a command's stderr: where a Python traceback says what went wrong.
std::string stderr_tail(std::string text)
{
  constexpr std::size_t k_max = 1000;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  if (text.size() > k_max) {
    text = "..." + text.substr(text.size() - k_max);
  }
  return text;
}

class ExecReceiver : public Receiver
{
public:
  ExecReceiver(std::string command, const ReceiverOptions& options)
    : m_command(std::move(command))
    , m_name("exec:" + m_command)
    , m_timeout(options.timeout)
  {
  }

  const std::string& name() const override { return m_name; }

  ReceiverOutcome receive(const SignalEvent& event) override
  {
    const ChildRun run = run_child(
      [&](int) {
        execl("/bin/sh", "sh", "-c", m_command.c_str(), static_cast<char*>(nullptr));
        return 127;
      },
      exec_event_json(event), CaptureStdio::yes, m_timeout);
    const std::string end = describe_child_end(run, m_timeout);
    if (!end.empty()) {
      const std::string tail = stderr_tail(run.err);
      return ReceiverOutcome::fail(tail.empty() || run.timed_out ? end : tail);
    }
    std::string response = run.out;
    while (!response.empty() && (response.back() == '\n' || response.back() == '\r')) {
      response.pop_back();
    }
    return response.empty() ? ReceiverOutcome::none() : ReceiverOutcome::respond(response);
  }

private:
  std::string m_command;
  std::string m_name;
  std::chrono::milliseconds m_timeout;
};

} // namespace

std::shared_ptr<Receiver> make_exec_receiver(std::string command, const ReceiverOptions& options)
{
  return std::make_shared<ExecReceiver>(std::move(command), options);
}

} // namespace oex

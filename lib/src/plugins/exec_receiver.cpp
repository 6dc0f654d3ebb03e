#include <nlohmann/json.hpp>

#include <unistd.h>

#include "oex/catalog/catalog.hpp"
#include "oex/plugins/receivers.hpp"
#include "plugins/child_process.hpp"

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

// The end of a command's stderr: where a Python traceback says what went wrong.
std::string stderr_tail(const CapturedStream& err)
{
  std::string_view text = err.last();
  const bool cut = err.total > text.size();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.remove_suffix(1);
  }
  // Do not start inside a UTF-8 sequence.
  while (!text.empty() && (static_cast<unsigned char>(text.front()) & 0xC0) == 0x80) {
    text.remove_prefix(1);
  }
  return (cut ? "..." : "") + std::string(text);
}

class ExecReceiver : public Receiver
{
public:
  ExecReceiver(std::string command, const ReceiverOptions& options)
    : m_command(std::move(command))
    , m_name("exec:" + m_command)
    , m_options(options)
  {
  }

  const std::string& name() const override { return m_name; }

  ReceiverOutcome receive(const SignalEvent& event) override
  {
    const std::size_t max = m_options.max_response_bytes;
    const ChildRun run = run_child(
      [&](int) {
        execl("/bin/sh", "sh", "-c", m_command.c_str(), static_cast<char*>(nullptr));
        return 127;
      },
      exec_event_json(event), CaptureStdio::separate, {m_options.timeout, max, max});
    const std::string end = describe_child_end(run, m_options.timeout);
    ReceiverOutcome outcome;
    bool stderr_is_the_error = false;
    if (!end.empty()) {
      const std::string tail = stderr_tail(run.err);
      stderr_is_the_error = !tail.empty() && !run.timed_out;
      outcome = ReceiverOutcome::fail(stderr_is_the_error ? tail : end);
    } else {
      const std::string kept = run.out.kept();
      std::string_view response = kept;
      if (!run.out.truncated()) {
        while (!response.empty() && (response.back() == '\n' || response.back() == '\r')) {
          response.remove_suffix(1);
        }
      }
      outcome = response.empty() && !run.out.truncated()
                  ? ReceiverOutcome::none()
                  : ReceiverOutcome::respond(std::string(response),
                                             run.out.truncated() ? run.out.total : 0);
    }
    if (!stderr_is_the_error) {
      outcome.output = run.err.kept();
      outcome.output_bytes = run.err.total;
    }
    return outcome;
  }

private:
  std::string m_command;
  std::string m_name;
  ReceiverOptions m_options;
};

} // namespace

std::shared_ptr<Receiver> make_exec_receiver(std::string command, const ReceiverOptions& options)
{
  return std::make_shared<ExecReceiver>(std::move(command), options);
}

} // namespace oex

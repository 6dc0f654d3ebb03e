// oex send --jsonl: a file of events replayed through the receivers, loaded once.

#include <charconv>
#include <cstdio>
#include <optional>
#include <utility>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "buffered_stdout.hpp"
#include "input.hpp"
#include "metadata_options.hpp"
#include "oex/catalog/catalog.hpp"
#include "oex/plugins/receivers.hpp"
#include "oex/signal/send_report.hpp"
#include "oex/signal/signal.hpp"
#include "oex/util/error.hpp"
#include "oex/util/text.hpp"
#include "report.hpp"
#include "send_options.hpp"
#include "standard_streams.hpp"

namespace oex::cli {
namespace {

using json = nlohmann::ordered_json;

constexpr std::size_t k_default_max_line_bytes = std::size_t{1} << 20; // as validate --jsonl

void append_number(std::string& out, std::size_t number)
{
  char digits[24];
  const auto made = std::to_chars(digits, digits + sizeof digits, number);
  out.append(digits, made.ptr);
}

struct Counts
{
  std::size_t events = 0;
  std::size_t sent = 0;
  std::size_t with_failure = 0; // sent, and at least one receiver failed
  std::size_t invalid = 0;
  std::size_t disabled = 0;
  std::size_t dry_run = 0;
};

class BatchSend
{
public:
  BatchSend(const SendOptions& options, PublicSignal& signal)
    : m_options(options)
    , m_signal(signal)
    , m_name(input_name(options.payload))
    , m_where(escape_control(m_name) + ":")
    , m_time(parse_time_option(options.time))
    , m_envelope_check(signal.event(), PayloadForm::envelope)
    , m_data_check(signal.event(), PayloadForm::data)
  {
    for (const auto& receiver : signal.receivers()) {
      m_receivers.push_back(receiver->name());
    }
  }

  ExitCode run()
  {
    if (m_receivers.empty() && !m_options.json) {
      fmt::print(stderr, "oex: warning: no receiver listens to {}\n", m_signal.event().event_type);
    }
    if (m_options.dry_run && !m_options.json) {
      for (const std::string& receiver : m_receivers) {
        m_out.append("would call " + escape_control(receiver) + "\n");
      }
    }
    const std::size_t max_line =
      m_options.max_bytes ? static_cast<std::size_t>(*m_options.max_bytes) : k_default_max_line_bytes;
    std::optional<std::string> input_error;
    // Plugin receivers called in-process keep fds 1 and 2 on their capture pipe from the first
    // call to the end of the file, instead of a redirection around every call; the reports go
    // to stdout through BufferedStdout's own descriptor, and nothing else is written to fds 1
    // and 2 until the hold ends.
    std::optional<StdioCaptureHold> hold(std::in_place);
    try {
      for_each_line(m_options.payload, max_line, [&](const InputLine& line) {
        if (line.too_long == 0 && line.text.find_first_not_of(" \t") == std::string_view::npos) {
          return true; // blank lines separate nothing and are skipped
        }
        send_line(line, max_line);
        // Whatever was reported is written before the next event reaches the receivers when
        // enough has gathered; a crash in between is covered by BufferedStdout.
        m_write_error = m_out.maybe_flush();
        return m_write_error == 0 && !m_stopped_at;
      });
    } catch (const Error& e) {
      input_error = e.what();
    }
    hold.reset();
    if (!m_write_error) {
      m_write_error = m_out.flush();
    }
    if (m_write_error) {
      return static_cast<ExitCode>(stdout_failed(m_write_error));
    }
    if (m_stopped_at) {
      fmt::print(stderr, "oex: --strict: stopped at the first error ({}:{})\n", m_name,
                 *m_stopped_at);
    }
    fmt::print(stderr, "oex: {}\n", counts_text());
    if (input_error) {
      fmt::print(stderr, "oex: error: {}\n", *input_error);
      return ExitCode::usage;
    }
    return m_counts.invalid > 0 || m_counts.with_failure > 0 ? ExitCode::findings : ExitCode::ok;
  }

private:
  void send_line(const InputLine& line, std::size_t max_line)
  {
    ++m_counts.events;
    SendReport report;
    report.line = line.number;
    report.payload = line.text;
    if (m_options.json) {
      // Only the JSON object holds these (the text report does not: no copy per event there).
      report.event_type = m_signal.event().event_type;
      report.receivers = m_receivers;
    }
    if (line.too_long > 0) {
      DocumentCheck check;
      check.findings.push_back(
        {.message = fmt::format("line of {} bytes is longer than {} (--max-bytes); not sent",
                                line.too_long, max_line)});
      report.check = std::move(check);
      report.status = SendStatus::invalid;
    } else if (m_options.disabled) {
      report.status = SendStatus::disabled; // as upstream: neither checked nor sent
    } else {
      send(line.text, report);
    }
    switch (report.status) {
    case SendStatus::sent:
    case SendStatus::stopped:
      ++m_counts.sent;
      if (report.failures() > 0) {
        ++m_counts.with_failure;
      }
      if (report.status == SendStatus::stopped) {
        m_stopped_at = line.number;
      }
      break;
    case SendStatus::invalid:
      ++m_counts.invalid;
      break;
    case SendStatus::disabled:
      ++m_counts.disabled;
      break;
    case SendStatus::dry_run:
      ++m_counts.dry_run;
      break;
    }
    m_text.clear();
    if (m_options.json) {
      m_text = send_report_json(report).dump(-1, ' ', false, json::error_handler_t::replace);
      m_text += '\n';
    } else {
      append_event_text(m_text, line.number, report);
    }
    m_out.append(m_text);
    if (report.metadata) {
      // Back to where send_event makes the next event's metadata: its strings keep their
      // buffers (no allocation per event for the event type, source and sourcelib).
      m_sent = std::move(*report.metadata);
    }
  }

  // Checks the line and, unless --dry-run, sends it; fills the report.
  void send(std::string_view text, SendReport& report)
  {
    try {
      if (m_options.envelope) {
        DocumentCheck check = m_envelope_check.check(text);
        if (!check.valid()) {
          report.check = std::move(check);
          report.status = SendStatus::invalid;
          return;
        }
        report.check = DocumentCheck{};
        const json envelope = json::parse(text);
        auto metadata = EventsMetadata::from_json_data(envelope.at("metadata"));
        if (!metadata) {
          report.check->findings.push_back({.path = "metadata", .message = metadata.error()});
          report.status = SendStatus::invalid;
          return;
        }
        if (m_options.dry_run) {
          report.status = SendStatus::dry_run;
          return;
        }
        report.metadata = *metadata;
        report.responses =
          m_signal.send_event_with_custom_metadata(*metadata, envelope.at("data").dump());
      } else if (m_options.dry_run) {
        report.check = m_data_check.check(text);
        report.status = report.check->valid() ? SendStatus::dry_run : SendStatus::invalid;
        return;
      } else {
        // send_event checks the payload itself: one check per event. The metadata is known
        // once it is made, also when --strict stops the dispatch.
        report.responses = m_signal.send_event(text, m_time, Robust::yes, &m_sent);
        report.check = DocumentCheck{};
        report.metadata = std::move(m_sent);
      }
      report.status = SendStatus::sent;
    } catch (const SenderValidationError& e) {
      report.check = e.check();
      report.status = SendStatus::invalid;
    } catch (const ReceiverFailed& e) {
      report.check = DocumentCheck{};
      if (!report.metadata) {
        report.metadata = std::move(m_sent);
      }
      report.status = SendStatus::stopped;
      report.responses = e.before();
      report.responses.push_back(e.failed());
    }
  }

  // Appends "FILE:LINE: sent (id ID): N ok, M failed" and the receivers' lines; for an
  // invalid event its findings as validate --jsonl prints them, then "FILE:LINE: invalid:
  // nothing was sent". Written into out, which is reused from one event to the next.
  void append_event_text(std::string& out, std::size_t line, const SendReport& report) const
  {
    const auto where = [&] {
      out += m_where;
      append_number(out, line);
      out += ": ";
    };
    switch (report.status) {
    case SendStatus::invalid:
      for (const Finding& finding : report.check->findings) {
        append_escaped_control(out, finding_line(m_name, line, report.payload, finding));
        out += '\n';
      }
      where();
      out += "invalid: nothing was sent\n";
      return;
    case SendStatus::disabled:
      where();
      out += "disabled: no receiver was called\n";
      return;
    case SendStatus::dry_run:
      where();
      out += "valid: nothing was sent (dry run)\n";
      return;
    case SendStatus::sent:
    case SendStatus::stopped: {
      const std::size_t failed = report.failures();
      where();
      out += report.status == SendStatus::sent ? "sent (id " : "stopped (--strict) (id ";
      out += report.metadata->id;
      out += "): ";
      append_number(out, report.responses.size() - failed);
      out += " ok, ";
      append_number(out, failed);
      out += " failed\n";
      append_responses_text(out, report.responses);
      return;
    }
    }
  }

  std::string counts_text() const
  {
    const Counts& c = m_counts;
    std::string text = fmt::format("{}: {} event{}: {} sent", m_name, c.events,
                                   c.events == 1 ? "" : "s", c.sent);
    if (c.with_failure > 0) {
      text += fmt::format(" ({} with a failed receiver)", c.with_failure);
    }
    text += fmt::format(", {} invalid", c.invalid);
    if (c.dry_run > 0) {
      text += fmt::format(", {} valid (dry run)", c.dry_run);
    }
    if (c.disabled > 0) {
      text += fmt::format(", {} disabled", c.disabled);
    }
    return escape_control(text);
  }

  const SendOptions& m_options;
  PublicSignal& m_signal;
  std::string m_name;
  std::string m_where; // the name as printed, and ":"
  std::optional<DateTime> m_time;
  PayloadValidator m_envelope_check;
  PayloadValidator m_data_check;
  std::vector<std::string> m_receivers;
  BufferedStdout m_out;
  std::string m_text; // one event's report, the buffer kept from event to event
  Counts m_counts;
  std::optional<std::size_t> m_stopped_at; // the line --strict stopped at
  int m_write_error = 0;
  EventsMetadata m_sent; // the metadata send_event made for the event being sent
};

} // namespace

ExitCode send_jsonl(const SendOptions& options, PublicSignal& signal)
{
  return BatchSend(options, signal).run();
}

} // namespace oex::cli

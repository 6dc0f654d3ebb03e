#include "oex/signal/send_report.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "oex/util/text.hpp"

namespace oex {

using json = nlohmann::ordered_json;

std::string_view to_string(SendStatus status)
{
  switch (status) {
  case SendStatus::sent:
    return "sent";
  case SendStatus::stopped:
    return "stopped";
  case SendStatus::invalid:
    return "invalid";
  case SendStatus::disabled:
    return "disabled";
  case SendStatus::dry_run:
    return "dry_run";
  }
  return "sent";
}

std::size_t SendReport::failures() const
{
  return static_cast<std::size_t>(std::count_if(responses.begin(), responses.end(),
                                                [](const Response& r) { return !r.outcome.ok; }));
}

json response_json(const Response& response)
{
  const ReceiverOutcome& outcome = response.outcome;
  json out = json::object();
  out["receiver"] = response.receiver;
  out["ok"] = outcome.ok;
  json value = nullptr;
  if (outcome.response) {
    // A response cut short is no longer the JSON it may have been: it is given as text.
    if (!outcome.response_truncated()) {
      value = json::parse(*outcome.response, nullptr, false);
    }
    if (outcome.response_truncated() || value.is_discarded()) {
      value = *outcome.response;
    }
  }
  out["response"] = std::move(value);
  out["response_bytes"] = outcome.response ? json(outcome.response_bytes) : json(nullptr);
  out["truncated"] = outcome.response_truncated();
  out["error"] = outcome.ok ? json(nullptr) : json(outcome.error);
  out["output"] = outcome.output;
  out["output_bytes"] = outcome.output_bytes;
  out["output_truncated"] = outcome.output_truncated();
  out["duration_ms"] = std::chrono::duration<double, std::milli>(response.duration).count();
  return out;
}

json send_report_json(const SendReport& report)
{
  json out = json::object();
  out["event_type"] = report.event_type;
  out["status"] = to_string(report.status);
  out["sent"] = report.status == SendStatus::sent || report.status == SendStatus::stopped;
  out["valid"] = report.check ? json(report.check->valid()) : json(nullptr);
  out["findings"] = json::array();
  if (report.check) {
    for (const Finding& finding : report.check->findings) {
      json item = json::object();
      item["path"] = finding.path;
      // On a JSON Lines line, the line is that of the input file, as in text.
      item["line"] = report.line > 0 ? json(report.line) : json(nullptr);
      item["column"] = nullptr;
      if (finding.offset != Finding::npos) {
        const TextPosition at = position_of(report.payload, finding.offset);
        item["line"] = report.line > 0 ? report.line : at.line;
        item["column"] = at.column;
      }
      item["message"] = finding.message;
      out["findings"].push_back(std::move(item));
    }
  }
  out["metadata"] = report.metadata ? report.metadata->to_json_data() : json(nullptr);
  out["receivers"] = report.receivers;
  out["responses"] = json::array();
  for (const Response& response : report.responses) {
    out["responses"].push_back(response_json(response));
  }
  out["ok"] = report.responses.size() - report.failures();
  out["failed"] = report.failures();
  return out;
}

namespace {

void append_cut_note(std::string& out, const char* what, std::size_t kept, std::size_t total)
{
  out += " [";
  out += what;
  out += " cut: ";
  out += std::to_string(kept);
  out += " of ";
  out += std::to_string(total);
  out += " bytes kept]";
}

} // namespace

std::string responses_text(const std::vector<Response>& responses)
{
  std::string out;
  append_responses_text(out, responses);
  return out;
}

void append_responses_text(std::string& out, const std::vector<Response>& responses)
{
  // Names are escaped into `name`, reused from one receiver to the next: no allocation per
  // event for the usual short name.
  std::string name;
  std::size_t width = 8;
  for (const Response& response : responses) {
    name.clear();
    append_escaped_control(name, response.receiver);
    width = std::max(width, name.size());
  }
  for (const Response& response : responses) {
    const ReceiverOutcome& outcome = response.outcome;
    const double ms = std::chrono::duration<double, std::milli>(response.duration).count();
    name.clear();
    append_escaped_control(name, response.receiver);
    out += outcome.ok ? "ok   " : "error";
    out += "  ";
    out += name;
    out.append(width - name.size(), ' ');
    // As printf's "%8.1f ms" (to_chars rounds as printf does), without its locale machinery;
    // under 50 microseconds (the usual in-process call) that is always "0.0": no conversion.
    char number[64] = "0.0";
    std::size_t length = 3;
    if (response.duration < std::chrono::microseconds(50) && response.duration.count() >= 0) {
      // ms < 0.05: rounds down to 0.0
    } else {
      const auto made = std::to_chars(number, number + sizeof number, ms, std::chars_format::fixed, 1);
      length = made.ec == std::errc{} ? static_cast<std::size_t>(made.ptr - number) : 0;
    }
    out += "  ";
    out.append(length < 8 ? 8 - length : 0, ' ');
    out.append(number, length);
    out += " ms  ";
    if (!outcome.ok) {
      append_escaped_control(out, outcome.error);
    } else if (outcome.response) {
      append_escaped_control(out, *outcome.response);
    } else {
      out += "null";
    }
    if (outcome.response_truncated()) {
      append_cut_note(out, "response", outcome.response->size(), outcome.response_bytes);
    }
    out += '\n';
    std::string_view output = outcome.output;
    while (!output.empty() && output.back() == '\n') {
      output.remove_suffix(1);
    }
    while (!output.empty()) {
      const std::size_t end = std::min(output.find('\n'), output.size());
      out += "       > ";
      append_escaped_control(out, output.substr(0, end));
      out += '\n';
      output.remove_prefix(std::min(end + 1, output.size()));
    }
    if (outcome.output_truncated()) {
      out += "       >";
      append_cut_note(out, "output", outcome.output.size(), outcome.output_bytes);
      out += '\n';
    }
  }
}

} // namespace oex

#pragma once

// What one send of an event came to, as a report: one JSON document (the stable form of
// `oex send --json`, documented in the README) or lines of text safe for a terminal. Shared by
// every command that calls receivers.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "oex/metadata/metadata.hpp"
#include "oex/payload/validate.hpp"
#include "oex/signal/signal.hpp"

namespace oex {

enum class SendStatus {
  sent,     // every receiver was called
  stopped,  // strict sending stopped at the first receiver error
  invalid,  // the payload did not fit the event type: nothing was sent
  disabled, // the event is disabled: nothing was checked or sent
  dry_run,  // checked, and the receivers listed, but nothing was sent
};

// "sent", "stopped", "invalid", "disabled", "dry_run".
std::string_view to_string(SendStatus status);

struct SendReport
{
  std::string event_type;
  SendStatus status = SendStatus::sent;
  std::optional<EventsMetadata> metadata; // what receivers were given; none when nothing was sent
  std::vector<std::string> receivers;     // the connected receivers, in order
  std::optional<DocumentCheck> check;     // the payload check, when it ran
  std::string_view payload;               // the checked document, to place findings
  std::size_t line = 0; // a JSON Lines line: findings are placed on it (0: a whole document)
  std::vector<Response> responses;        // in call order

  std::size_t failures() const;
};

// {"event_type", "status", "sent", "valid" (null: not checked), "findings" [{path, line,
// column, message}], "metadata" (null: nothing sent), "receivers" [names], "responses"
// [response_json], "ok", "failed"}.
nlohmann::ordered_json send_report_json(const SendReport& report);

// {"receiver", "ok", "response" (JSON when the whole text parses as JSON, else the text; null
// for none), "response_bytes" (null for none), "truncated", "error" (null when ok), "output"
// (what it printed), "output_bytes", "output_truncated", "duration_ms"}.
nlohmann::ordered_json response_json(const Response& response);

// One line per receiver, "ok     NAME  12.3 ms  RESPONSE" or "error  NAME  12.3 ms  ERROR",
// names aligned, followed by the receiver's output as indented "> " lines; control characters
// are escaped, so that nothing a receiver writes can drive the terminal.
std::string responses_text(const std::vector<Response>& responses);
// The same, appended to out.
void append_responses_text(std::string& out, const std::vector<Response>& responses);

} // namespace oex

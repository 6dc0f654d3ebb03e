#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace oex {

enum class Severity { error, warning, note };

// "error", "warning", "note".
std::string_view severity_name(Severity severity);

// One problem found in an input: a payload (validate), a definition file (the loader, lint) or
// a producer configuration (check-config). Checks return every finding and never throw for one.
// Payload findings carry only path, offset and message: the caller knows the file and turns
// the offset into line:col; the others say everything themselves.
struct Finding
{
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  std::string path{};        // where in the document: "enrollment.user.id", "events[3].key_field"
  std::size_t offset = npos; // byte offset in the document, npos when unknown or already placed
  std::string message{};
  std::string rule{}; // the rule id ("key-field"); empty for payload findings
  Severity severity = Severity::error;
  std::string file{};
  std::size_t line = 0;     // 1-based; 0 when unknown
  std::size_t column = 0;   // 1-based; 0 when unknown
  std::string event_type{}; // the event concerned, when there is one
  std::string data_class{}; // or the data class ("learning.UserData")
};

} // namespace oex

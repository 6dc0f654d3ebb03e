#pragma once

#include <optional>
#include <stdexcept>
#include <string>

namespace oex {

// The one error type for failures that stop a command: unreadable input, a broken definition
// file, an unknown event type. Problems found *in* a payload are findings, never errors.
class Error : public std::runtime_error
{
public:
  using std::runtime_error::runtime_error;
};

// Thrown by Catalog::get_signal_by_type. what() is "unknown event type 'T'"; suggestion() is the
// closest known event type, if one is close enough to be a likely typo.
class UnknownEventType : public Error
{
public:
  UnknownEventType(std::string event_type, std::optional<std::string> suggestion);

  const std::string& event_type() const { return m_event_type; }
  const std::optional<std::string>& suggestion() const { return m_suggestion; }

private:
  std::string m_event_type;
  std::optional<std::string> m_suggestion;
};

} // namespace oex

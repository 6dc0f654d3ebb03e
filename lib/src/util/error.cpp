#include "oex/util/error.hpp"

namespace oex {

UnknownEventType::UnknownEventType(std::string event_type, std::optional<std::string> suggestion)
  : Error("unknown event type '" + event_type + "'")
  , m_event_type(std::move(event_type))
  , m_suggestion(std::move(suggestion))
{
}

} // namespace oex

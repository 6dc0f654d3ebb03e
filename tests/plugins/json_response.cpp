// Example C++ plugin over oex/receiver.hpp: "summary" answers learning events with a JSON object,
// "throws" shows that an exception thrown by a receiver becomes its error.
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "oex/receiver.hpp"

namespace {

std::string json_string(std::string_view text)
{
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
    }
    out += c; // event types are dotted names: no control characters to escape
  }
  return out + '"';
}

std::optional<std::string> summary(const oex::plugin::Event& event)
{
  return "{\"event_type\": " + json_string(event.event_type)
         + ", \"bytes\": " + std::to_string(event.data_json.size())
         + ", \"from_event_bus\": " + (event.from_event_bus ? "true" : "false") + "}";
}

std::optional<std::string> throws(const oex::plugin::Event& /*event*/)
{
  throw std::runtime_error("unenrollment is not handled here");
}

} // namespace

OEX_PLUGIN_BEGIN(api, registrar)
// add() returns false when oex refuses the receiver: fail the load rather than run without it
if (!oex::plugin::add(api, registrar, "summary", "org.openedx.learning.*", summary)
    || !oex::plugin::add(api, registrar, "throws",
                         "org.openedx.learning.course.unenrollment.completed.v1", throws)) {
  return 1;
}
OEX_PLUGIN_END

#include "metadata_options.hpp"

#include "input.hpp"
#include "oex/catalog/catalog.hpp"
#include "oex/util/error.hpp"

namespace oex::cli {

EventsMetadata read_metadata_file(const std::string& path, const EventType& event)
{
  auto parsed = EventsMetadata::from_json(read_input(path));
  if (!parsed) {
    throw Error("--metadata " + input_name(path) + ": " + parsed.error());
  }
  if (parsed->event_type != event.event_type) {
    throw Error("--metadata " + input_name(path) + ": event_type '" + parsed->event_type
                + "' is not '" + event.event_type + "'");
  }
  return *parsed;
}

std::optional<DateTime> parse_time_option(const std::optional<std::string>& text)
{
  if (!text) {
    return std::nullopt;
  }
  auto parsed = parse_isoformat(*text);
  if (!parsed) {
    throw Error("--time: " + parsed.error());
  }
  return *parsed;
}

} // namespace oex::cli

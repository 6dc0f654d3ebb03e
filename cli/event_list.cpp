#include "event_list.hpp"

#include "oex/avro/avro_schema.hpp"

namespace oex::cli {

namespace {

std::optional<std::string_view> view(const std::optional<std::string>& value)
{
  return value ? std::optional<std::string_view>(*value) : std::nullopt;
}

} // namespace

EventListing::EventListing(std::span<const EventType* const> events)
{
  m_events.reserve(events.size());
  for (const EventType* event : events) {
    std::vector<ListedDataKey>& data = m_data.emplace_back();
    for (const DataKey& key : event->data) {
      const std::string& qualified = m_strings.emplace_back(key.data_class->qualified_name());
      data.push_back({key.name, key.data_class->name, qualified});
    }
    std::optional<std::string_view> avro_error;
    if (std::optional<std::string> problem = avro_schema_problem(*event)) {
      avro_error = m_strings.emplace_back(std::move(*problem));
    }
    m_events.push_back({event->event_type, event->name, event->subdomain, event->minor_version,
                        event->description, data, view(event->key_field),
                        view(event->trigger_repository), view(event->warning), avro_error,
                        event->origin});
  }
}

} // namespace oex::cli

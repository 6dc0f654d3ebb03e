#pragma once

#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "oex/catalog/catalog.hpp"

namespace oex::cli {

// A data key of a listed event: "user: UserData", class "learning.UserData".
struct ListedDataKey
{
  std::string_view name;
  std::string_view class_name;      // "UserData"
  std::string_view qualified_class; // "learning.UserData"
};

// What `oex list` shows of an event type (its table and --json).
struct ListedEvent
{
  std::string_view event_type;
  std::string_view name;
  std::string_view subdomain;
  int minor_version = 0;
  std::string_view description;
  std::span<const ListedDataKey> data; // in definition order
  std::optional<std::string_view> key_field;
  std::optional<std::string_view> trigger_repository;
  std::optional<std::string_view> warning;
  std::optional<std::string_view> avro_schema_error; // nullopt: oex can make its Avro schema
  std::string_view defined_in;
};

// The built-in catalog's events in definition order: a table generated at build time from
// event-defs/ (list_table_gen), so that `oex list` parses no definitions and builds no Avro
// schema when no user definitions are given. A CLI test holds it equal to EventListing.
std::span<const ListedEvent> builtin_listed_events();

// The listing of events of a loaded catalog: views into the events (which must outlive it) and
// into strings it keeps itself (qualified class names, Avro schema errors).
class EventListing
{
public:
  explicit EventListing(std::span<const EventType* const> events);
  EventListing(const EventListing&) = delete;
  EventListing& operator=(const EventListing&) = delete;

  std::span<const ListedEvent> events() const { return m_events; }

private:
  std::deque<std::string> m_strings;
  std::deque<std::vector<ListedDataKey>> m_data;
  std::vector<ListedEvent> m_events;
};

} // namespace oex::cli

#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "oex/catalog/catalog.hpp"
#include "oex/util/finding.hpp"

namespace oex {

// One topic an event type is produced to, as openedx-events' EVENT_BUS_PRODUCER_CONFIG says:
// the topic (without the EVENT_BUS_TOPIC_PREFIX that producers add), the period-delimited path
// of the data field that is the message key, and whether the event goes there at all.
struct TopicRoute
{
  std::string topic;
  std::string event_key_field;
  bool enabled = false;
};

// EVENT_BUS_PRODUCER_CONFIG: event type -> its topics, in the order the configuration gives.
struct ProducerConfig
{
  std::map<std::string, std::vector<TopicRoute>, std::less<>> routes;

  // The topics an event of that type is sent to when its signal fires: the enabled ones, as
  // openedx-events' general_signal_handler sends it (empty when none or unknown).
  std::vector<TopicRoute> enabled_routes(std::string_view event_type) const;
};

// What check_producer_config found: every route that is well formed (event type known, topic
// configuration with a string key field and a boolean enabled) and every problem.
struct ProducerConfigCheck
{
  ProducerConfig config;
  std::vector<Finding> findings; // each with file, line, column, path and rule, in file order
  std::size_t topic_configs = 0; // topic configurations read, usable or not
};

// Reads EVENT_BUS_PRODUCER_CONFIG written as JSON ({"<event type>": {"<topic>":
// {"event_key_field": "a.b", "enabled": true}}}) from text and checks it against the catalog:
// the shape openedx-events' OpenedxEventsConfig.ready() requires, then what would fail or
// surprise later (key fields, topic names, events that cannot go on the bus). `name` is the
// file name used in findings. Never throws for a problem in text.
ProducerConfigCheck check_producer_config(std::string_view name, std::string_view text,
                                          const Catalog& catalog);

// The rule ids check_producer_config uses, each with its severity, as the README lists them.
struct ConfigRule
{
  std::string_view id;
  Severity severity;
};
std::span<const ConfigRule> producer_config_rules();

} // namespace oex

#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "event_list.hpp"
#include "oex/catalog/catalog.hpp"

namespace oex::cli {

// An event's annotations as JSON: the stable form of `oex list --json` (documented in the
// README). Data keys map to qualified class names.
nlohmann::ordered_json event_summary_json(const ListedEvent& event);

// event_summary_json plus the data schema: every field with type and default, nested classes
// expanded (`oex show --json`).
nlohmann::ordered_json event_detail_json(const EventType& event);

// The data schema as an indented tree, one field a line, for `oex show`.
std::string data_tree(const EventType& event);

} // namespace oex::cli

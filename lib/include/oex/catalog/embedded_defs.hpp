#pragma once

#include <span>
#include <string_view>

namespace oex {

// An event type of an embedded file and its upstream variable name.
struct EmbeddedEvent
{
  std::string_view event_type;
  std::string_view name;
};

// One event-defs/*.json file compiled into the binary, with an index made at build time.
struct EmbeddedFile
{
  std::string_view name; // file name, e.g. "learning.json"
  std::string_view text;
  std::string_view subdomain;            // "" for catalog.json
  std::span<const EmbeddedEvent> events; // in definition order
};

// The catalog shipped with oex (event-defs/ at build time), in file-name order.
std::span<const EmbeddedFile> embedded_defs();

} // namespace oex

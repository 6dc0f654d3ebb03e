#pragma once

#include <span>
#include <string_view>

namespace oex {

// One event-defs/*.json file compiled into the binary.
struct EmbeddedFile
{
  std::string_view name; // file name, e.g. "learning.json"
  std::string_view text;
};

// The catalog shipped with oex (event-defs/ at build time), in file-name order.
std::span<const EmbeddedFile> embedded_defs();

} // namespace oex

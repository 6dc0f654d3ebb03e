#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "exit_codes.hpp"
#include "oex/catalog/catalog.hpp"

namespace oex::cli {

// What every command shares: global options, the catalog (loaded on first use) and the result.
class Context
{
public:
  std::vector<std::string> defs_dirs; // --defs (directories or files), in the order given
  ExitCode exit_code = ExitCode::ok;

  // The built-in catalog plus OEX_DEFS_PATH and --defs directories; throws oex::Error when a
  // definition file is broken.
  const Catalog& catalog();

  // A catalog that holds the event `wanted` names (type or upstream name) if the full one does,
  // loaded from only the documents it needs (Catalog::load_for: most of a one-payload `oex
  // validate` is loading the catalog); the full catalog when `wanted` is unknown.
  const Catalog& catalog_for(std::string_view wanted);
  // The event `wanted` names, from catalog_for(wanted); throws UnknownEventType when none.
  const EventType& event(std::string_view wanted);

  // True when stdout is a terminal and NO_COLOR is not set.
  bool color_stdout() const;

  // The documents of OEX_DEFS_PATH, then --defs, each file once (read_defs).
  const std::vector<DefsSource>& user_sources();

private:
  std::optional<std::vector<DefsSource>> m_user_sources;
  std::optional<Catalog> m_catalog;
  std::optional<Catalog> m_partial;
  bool m_partial_tried = false;
};

// The directories named in a colon-separated path list, empty entries dropped.
std::vector<std::string> split_path_list(const std::string& list);

} // namespace oex::cli

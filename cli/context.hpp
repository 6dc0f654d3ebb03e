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
  std::vector<std::string> defs_dirs; // --defs, in the order given
  ExitCode exit_code = ExitCode::ok;

  // The built-in catalog plus OEX_DEFS_PATH and --defs directories; throws oex::Error when a
  // definition file is broken.
  const Catalog& catalog();

  // A catalog that holds event_type if the full one does: with no user definitions, only the
  // built-in file that defines it (most of a one-payload `oex validate` is loading the catalog);
  // otherwise, or when event_type is unknown (for the did-you-mean), the full catalog.
  const Catalog& catalog_for(std::string_view event_type);

  // True when stdout is a terminal and NO_COLOR is not set.
  bool color_stdout() const;

private:
  std::vector<std::string> user_defs_dirs() const;

  std::optional<Catalog> m_catalog;
  std::optional<Catalog> m_partial;
};

// The directories named in a colon-separated path list, empty entries dropped.
std::vector<std::string> split_path_list(const std::string& list);

} // namespace oex::cli
